"""kizashi: evidence-grounded scenario analysis with cross-impact balance (CIB)."""

__version__ = "0.1.0"
