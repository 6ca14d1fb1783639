"""What a valid value is, per column kind: a fast whole-frame check and a per-field explanation."""

from __future__ import annotations

import re

import pandas as pd

from encore.schema import TRAIN, Column, FileSpec

# Columns whose integers must be 0 or 1.
BINARY_COLUMNS = frozenset({(TRAIN, "target")})

# What pandas' C parser accepts as a number; an integer is a whole number ("3", "3.0", "3e2").
_NUMBER = re.compile(r"\s*[+-]?((\d+\.?\d*|\.\d+)(e[+-]?\d+)?|inf|infinity)\s*", re.IGNORECASE)
_INT64_LIMIT = 2.0**63


def frame_is_valid(frame: pd.DataFrame, spec: FileSpec) -> bool:
    """True when every id is present and every binary column holds only 0 and 1.

    Types were already enforced by the parse; this covers what dtypes cannot say.
    """
    ids_present = all(frame[c.name].notna().all() for c in spec.columns if c.kind == "id")
    binary_ok = all(frame[c.name].isin((0, 1)).all() for c in _binary(spec))
    return ids_present and binary_ok


def value_problem(table: str, column: Column, value: str) -> str | None:
    """Why one raw field is not valid for its column, or None if it is."""
    if value == "":
        return _empty_problem(table, column)
    if column.kind == "int":
        return _integer_problem(table, column, value)
    if column.kind == "float" and not _NUMBER.fullmatch(value):
        return f"{value!r} is not a number"
    return None


def _binary(spec: FileSpec) -> list[Column]:
    return [c for c in spec.columns if (spec.table, c.name) in BINARY_COLUMNS]


def _empty_problem(table: str, column: Column) -> str | None:
    if column.kind == "id":
        return f"empty, but every record needs a {column.name}"
    if column.kind != "int":
        return None
    binary = (table, column.name) in BINARY_COLUMNS
    return "empty, expected " + ("0 or 1" if binary else "an integer")


def _integer_problem(table: str, column: Column, value: str) -> str | None:
    if not (_NUMBER.fullmatch(value) and float(value).is_integer()):
        return f"{value!r} is not an integer"
    if (table, column.name) in BINARY_COLUMNS and float(value) not in (0, 1):
        return f"{value!r} is not 0 or 1"
    if abs(float(value)) >= _INT64_LIMIT:
        return f"{value!r} is too large for a 64-bit integer"
    return None
