"""Package attributes imported on first use, so that a light import stays light.

`encore --help` must not pay for torch, pandas and scikit-learn (seconds) when it only lists
commands; a package whose ``__init__`` re-exports heavy names uses this for them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_attributes(package: str, sources: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``package.<sources[name]>`` when ``name`` is
    first asked for, and returns that module's attribute of the same name."""

    def attribute(name: str) -> Any:
        if name not in sources:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{sources[name]}"), name)

    return attribute
