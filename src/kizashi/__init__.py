"""kizashi: evidence-grounded scenario analysis with cross-impact balance (CIB).

>>> import kizashi as kz
>>> kz.load_model("us-japan-alliance")
<Model us-japan-alliance: 24 descriptors>

The public names are loaded on first use, so ``import kizashi`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Model", "__version__", "load_model"]

if TYPE_CHECKING:  # pragma: no cover
    from kizashi.api import Model, load_model


def __getattr__(name: str) -> Any:
    if name in ("Model", "load_model"):
        from kizashi import api

        return getattr(api, name)
    raise AttributeError(f"module 'kizashi' has no attribute {name!r}")
