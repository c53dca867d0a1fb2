"""kizashi cli layer."""
