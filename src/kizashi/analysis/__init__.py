"""kizashi analysis layer."""
