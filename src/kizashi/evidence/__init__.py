"""kizashi evidence layer."""
