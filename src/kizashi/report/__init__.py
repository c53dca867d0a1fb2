"""kizashi report layer."""
