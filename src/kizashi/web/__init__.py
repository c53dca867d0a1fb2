"""kizashi web layer."""
