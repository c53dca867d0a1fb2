"""kizashi formats layer."""
