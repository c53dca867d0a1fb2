"""kizashi cib layer."""
