"""The slow path: after a fast read fails, walk the file record by record to name the first problem.

Line numbers are physical lines (the header is line 1): a record's first line is one past the
previous record's last line, and a field's line adds the line breaks inside earlier fields.
"""

from __future__ import annotations

import _csv
import collections
import csv
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from encore.ingest.checks import value_problem
from encore.ingest.errors import IngestError
from encore.ingest.textfile import UNDECODABLE, line_breaks, open_text, undecodable_problem
from encore.schema import Column, FileSpec


@dataclass(frozen=True)
class _Record:
    fields: list[str]
    start: int  # its first physical line
    end: int  # its last physical line
    last: bool  # nothing but blank lines follows it


class _ParseFault(Exception):
    def __init__(self, start: int, message: str) -> None:
        super().__init__(message)
        self.start = start


def explain_failure(
    path: Path, spec: FileSpec, header: list[str], fast_failure: str
) -> IngestError:
    """The error to raise after a fast read failed: the diagnosed problem, else pandas' words."""
    error = diagnose(path, spec, header)
    return error or IngestError(path.name, f"cannot be read ({fast_failure})")


def diagnose(path: Path, spec: FileSpec, header: list[str]) -> IngestError | None:
    """The first problem in file order (bytes, quoting, field count, values), or None.

    Parsing is as lenient as pandas' (a stray quote inside a field is kept), so a record the
    fast read accepted is not blamed here.
    """
    # Only these kinds can hold a bad value; any text is a valid category or text.
    checked = [(header.index(c.name), c) for c in spec.columns if c.kind in ("id", "int", "float")]
    with open_text(path) as handle:
        try:
            for record in itertools.islice(_records(csv.reader(handle)), 1, None):
                error = _unclosed_quote_error(path, header, record) or _record_error(
                    path.name, spec.table, header, checked, record
                )
                if error is not None:
                    return error
        except _ParseFault as fault:
            return _parse_error(path, header, fault)
    return None


def _records(reader: _csv.Reader) -> Iterator[_Record]:
    """Non-blank records with their line span, one record behind so the last one is known."""
    pending: tuple[list[str], int, int] | None = None
    fault: _ParseFault | None = None
    last_line = 0
    try:
        for fields in reader:
            start, last_line = last_line + 1, reader.line_num
            if fields:
                if pending is not None:
                    yield _Record(*pending, last=False)
                pending = (fields, start, last_line)
    except csv.Error as exc:
        fault = _ParseFault(last_line + 1, str(exc))
    if pending is not None:
        yield _Record(*pending, last=fault is None)
    if fault is not None:
        raise fault


def _record_error(
    filename: str,
    table: str,
    header: list[str],
    checked: list[tuple[int, Column]],
    record: _Record,
) -> IngestError | None:
    fields = record.fields
    undecodable = _undecodable_error(filename, header, record)
    if undecodable is not None:
        return undecodable
    if len(fields) != len(header):
        count_problem = _field_count_problem(len(fields), len(header), record.start, record.end)
        # A short record: the first column it has no field for.
        return IngestError(filename, count_problem, record.start, _name_at(header, len(fields)))
    for position, column in checked:
        problem = value_problem(table, column, fields[position])
        if problem is not None:
            line = _field_lines(fields, record.start)[position]
            return IngestError(filename, problem, line, column.name)
    return None


def _undecodable_error(filename: str, header: list[str], record: _Record) -> IngestError | None:
    if "".join(record.fields).isascii():
        return None
    for position, value in enumerate(record.fields):
        match = UNDECODABLE.search(value)
        if match is not None:
            line = _field_lines(record.fields, record.start)[position]
            line += line_breaks(value[: match.start()])
            problem = undecodable_problem(value[match.start() :])
            return IngestError(filename, problem or "", line, _name_at(header, position))
    return None


def _field_lines(record: list[str], start: int) -> list[int]:
    """The physical line on which each field of a record starts."""
    breaks_before = itertools.accumulate((line_breaks(v) for v in record[:-1]), initial=0)
    return [start + breaks for breaks in breaks_before]


def _name_at(header: list[str], position: int) -> str | None:
    return header[position] if position < len(header) else None


def _field_count_problem(found: int, expected: int, start: int, end: int) -> str:
    problem = f"{found} fields, expected {expected} as in the header line"
    if found < expected:
        problem = f"missing, with the columns after it ({problem})"
    if end > start:
        problem += f" (this record runs from line {start} to {end}: is a quote unbalanced?)"
    return problem


def _unclosed_quote_error(path: Path, header: list[str], record: _Record) -> IngestError | None:
    if not (record.last and _ends_inside_quote(path, record.start)):
        return None
    problem = "unbalanced quote: the quoted field that opens on this line is never closed"
    return IngestError(path.name, problem, record.start, _opened_column(path, header, record.start))


def _ends_inside_quote(path: Path, line: int) -> bool:
    """Whether the file, read strictly from physical ``line`` on, ends inside a quoted field."""
    with open_text(path) as handle:
        try:
            collections.deque(csv.reader(itertools.islice(handle, line - 1, None), strict=True), 0)
        except csv.Error as exc:
            return "end of data" in str(exc)
    return False


def _parse_error(path: Path, header: list[str], fault: _ParseFault) -> IngestError:
    if "field limit" not in str(fault):
        return IngestError(path.name, f"cannot be parsed as CSV ({fault})", fault.start)
    limit = csv.field_size_limit()
    problem = (
        f"unbalanced quote? a field in the record from this line runs past {limit:,} characters"
    )
    return IngestError(path.name, problem, fault.start, _opened_column(path, header, fault.start))


def _opened_column(path: Path, header: list[str], line: int) -> str | None:
    """The column whose quoted field is still open at the end of physical ``line``."""
    with open_text(path) as handle:
        text = next(itertools.islice(handle, line - 1, None))
    fields = next(csv.reader([text]))  # the open field runs to the line's end
    return _name_at(header, len(fields) - 1)
