"""Read one input file: a single pandas C-engine pass on the happy path, a slow pass on failure."""

from __future__ import annotations

import collections
import csv
import warnings
from pathlib import Path

import pandas as pd

from encore.ingest.checks import frame_is_valid
from encore.ingest.diagnose import diagnose, explain_failure
from encore.ingest.errors import IngestError
from encore.ingest.tables import narrow, parse_dtypes, to_categories
from encore.ingest.textfile import line_breaks_in_file, open_text, read_header
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
    error = _shape_error(path, spec, header, frame)
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


def _shape_error(
    path: Path, spec: FileSpec, header: list[str], frame: pd.DataFrame
) -> IngestError | None:
    """What pandas lets through without a word: a record with too few fields (it pads them
    with missing values) anywhere in the file, and a file cut off inside its last record
    (which ends without a line break, however well its last field parses)."""
    if frame.empty:
        return None
    cut_off = not _ends_with_line_break(path)
    if cut_off or (_may_hold_short_records(frame, spec, header) and _short_records(path, header)):
        error = diagnose(path, spec, header)
        if error is not None:
            return error
    if cut_off:
        problem = (
            "the file ends inside this record, with no line break after it: cut off? "
            "(a complete file ends with a line break)"
        )
        return IngestError(path.name, problem, line_breaks_in_file(path) + 1, header[-1])
    return None


def _ends_with_line_break(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, 2)
        return handle.read(1) in (b"\n", b"\r")


def _may_hold_short_records(frame: pd.DataFrame, spec: FileSpec, header: list[str]) -> bool:
    """A record short of fields leaves the header's last column missing: only then (or when
    that column is one we do not read) can there be one."""
    last = header[-1]
    return last not in spec.names or bool(frame[last].isna().any())


def _short_records(path: Path, header: list[str]) -> bool:
    """Whether any record has another number of fields than the header (one C-speed pass)."""
    with open_text(path) as handle:
        records = csv.reader(handle)
        next(records, None)
        counts = collections.Counter(map(len, records))
    counts.pop(0, None)  # blank lines
    return set(counts) - {len(header)} != set()


def _is_sound(frame: pd.DataFrame, spec: FileSpec) -> bool:
    # A first column turned into the index means every record had one field too many.
    return isinstance(frame.index, pd.RangeIndex) and frame_is_valid(frame, spec)
