"""How each column kind of ``encore.schema`` is held in memory."""

from __future__ import annotations

import pandas as pd

from encore.schema import TRAIN, FileSpec, Kind

# Strings are parsed as object and turned into categories afterwards (see to_categories):
# pandas' own dtype="category" parse is about twice as slow.
_PARSE_DTYPE_OF_KIND: dict[Kind, str] = {
    "id": "object",
    "category": "object",
    "text": "object",
    "int": "int64",
    "float": "float64",
}
# Narrower than the kind says, applied once the values are known to fit.
_NARROW = {(TRAIN, "target"): "int8"}


def parse_dtypes(spec: FileSpec) -> dict[str, str]:
    """The dtype each column is parsed with (strings as object)."""
    return {c.name: _PARSE_DTYPE_OF_KIND[c.kind] for c in spec.columns}


def to_categories(frame: pd.DataFrame, spec: FileSpec) -> pd.DataFrame:
    """String columns as categories, in order of first appearance; NaN stays missing (code -1).

    One column at a time, so that each column's Python strings are freed as soon as possible.
    """
    for name in (c.name for c in spec.columns if _PARSE_DTYPE_OF_KIND[c.kind] == "object"):
        codes, uniques = pd.factorize(frame[name].to_numpy())
        frame[name] = pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype="str"))
    return frame


def narrow(frame: pd.DataFrame, spec: FileSpec) -> pd.DataFrame:
    """Cast the columns whose validated values fit a smaller dtype (train.target -> int8)."""
    casts = {name: dtype for (table, name), dtype in _NARROW.items() if table == spec.table}
    return frame.astype(casts) if casts else frame


def empty_table(spec: FileSpec) -> pd.DataFrame:
    """A table with no rows but the dtypes a read would give: stands in for an absent file."""
    columns = {name: pd.Series([], dtype=dtype) for name, dtype in parse_dtypes(spec).items()}
    return narrow(to_categories(pd.DataFrame(columns), spec), spec)
