"""Read one input file: a single pandas C-engine pass on the happy path, a slow pass on failure."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from encore.ingest.checks import frame_is_valid
from encore.ingest.diagnose import diagnose, explain_failure
from encore.ingest.errors import IngestError
from encore.ingest.tables import narrow, parse_dtypes, to_categories
from encore.ingest.textfile import read_header
from encore.schema import FileSpec


def read_table(path: Path, spec: FileSpec) -> pd.DataFrame:
    """The file's records as a frame with ``spec``'s columns, in order, with explicit dtypes.

    Columns not in ``spec`` are ignored. "null" is a value; an empty field is missing (NaN).
    A file with a header but no records is refused: for an optional table, leave the file out.
    Raises IngestError naming the file and, where there is one, the line and column.
    """
    header = read_header(path, spec)
    try:
        frame = _parse(path, header, spec)
    except (ValueError, OverflowError, pd.errors.ParserWarning) as exc:
        raise explain_failure(path, spec, header, str(exc)) from None
    except OSError as exc:
        raise IngestError(path.name, f"cannot be read: {exc.strerror}") from None
    if not _is_sound(frame, spec):
        raise explain_failure(path, spec, header, "a value failed validation")
    if _may_end_cut_off(path, frame):
        error = diagnose(path, spec, header)
        if error is not None:
            raise error
    if frame.empty:
        raise IngestError(path.name, "no records, only a header line")
    return narrow(to_categories(frame, spec), spec)


def _parse(path: Path, header: list[str], spec: FileSpec) -> pd.DataFrame:
    # Every column is parsed (not usecols) so that a record with too many fields is an error.
    dtypes = dict.fromkeys(header, "object") | parse_dtypes(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        frame = pd.read_csv(
            path, dtype=dtypes, keep_default_na=False, na_values=[""], encoding="utf-8", engine="c"
        )
    if list(frame.columns) != spec.names and isinstance(frame.index, pd.RangeIndex):
        frame = frame[spec.names]  # extra columns are ignored
    return frame


def _may_end_cut_off(path: Path, frame: pd.DataFrame) -> bool:
    """A file cut mid-record ends without a line break, and pandas pads its short last record
    with missing values; the slow pass then counts that record's fields."""
    if frame.empty or not frame.tail(1).isna().to_numpy().any():
        return False
    with path.open("rb") as handle:
        handle.seek(-1, 2)
        return handle.read(1) not in (b"\n", b"\r")


def _is_sound(frame: pd.DataFrame, spec: FileSpec) -> bool:
    # A first column turned into the index means every record had one field too many.
    return isinstance(frame.index, pd.RangeIndex) and frame_is_valid(frame, spec)
