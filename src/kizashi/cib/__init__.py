"""The cross-impact balance engine: balances, consistency, exact enumeration,
succession, attractors and basins, interventions, ensembles.

Depends only on numpy and numba; it knows nothing of documents, databases or the web.
"""

from kizashi.cib.balances import Metrics, balances, balances_many, evaluate
from kizashi.cib.ensemble import Ensemble, EnsembleComparison, compare_members
from kizashi.cib.enumerate import EnumerationResult, enumerate_scenarios, sort_scenarios
from kizashi.cib.succession import Attractor, BasinResult, SuccessionResult, attractors, succession
from kizashi.cib.system import EPS, CIBSystem

__all__ = [
    "EPS",
    "Attractor",
    "BasinResult",
    "CIBSystem",
    "Ensemble",
    "EnsembleComparison",
    "EnumerationResult",
    "Metrics",
    "SuccessionResult",
    "attractors",
    "balances",
    "balances_many",
    "compare_members",
    "enumerate_scenarios",
    "evaluate",
    "sort_scenarios",
    "succession",
]
