"""Migration scripts, applied in order by :mod:`kizashi.evidence.db`."""
