"""kizashi monitor layer."""
