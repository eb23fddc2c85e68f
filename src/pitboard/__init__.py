"""pitboard: the open record book of stock-car racing.

For notebooks: ``pitboard.connect(URL)``, ``pitboard.results(…)``, ``pitboard.standings(…)`` and
``pitboard.career(…)`` give pandas DataFrames (:mod:`pitboard.notebook`, docs/python.md); they
are loaded on first use, so ``import pitboard`` stays light.
"""

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "career", "connect", "results", "standings"]


def __getattr__(name: str) -> Any:
    if name in ("career", "connect", "results", "standings"):
        from pitboard import notebook

        return getattr(notebook, name)
    raise AttributeError(f"module 'pitboard' has no attribute {name!r}")
