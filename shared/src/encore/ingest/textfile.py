"""Opening an input file as text, and the header line."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from encore.ingest.errors import IngestError
from encore.schema import FileSpec

# Undecodable bytes survive decoding as lone surrogates U+DC80..U+DCFF (errors="surrogateescape").
UNDECODABLE = re.compile("[\udc80-\udcff]")


@contextmanager
def open_text(path: Path) -> Iterator[TextIO]:
    """UTF-8 (an optional BOM is dropped), bad bytes kept as surrogates so they can be located."""
    try:
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
            yield handle
    except OSError as exc:
        raise IngestError(path.name, f"cannot be read: {exc.strerror}") from None


def undecodable_problem(text: str) -> str | None:
    """A user-facing description of the first byte that is not UTF-8, or None."""
    match = UNDECODABLE.search(text)
    if match is None:
        return None
    byte = ord(match.group()) - 0xDC00
    return f"byte 0x{byte:02x} is not valid UTF-8 (the file must be UTF-8 text)"


def line_breaks(text: str) -> int:
    """How many physical line ends a field's text holds (\\n, \\r\\n or a lone \\r)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def line_breaks_in_file(path: Path, block: int = 1 << 20) -> int:
    """How many physical line ends the file holds (\\n, \\r\\n or a lone \\r), read in blocks."""
    breaks, previous = 0, b""
    with path.open("rb") as handle:
        while chunk := handle.read(block):
            text = previous + chunk
            # A CR ending a block may be the first half of CR LF: count it with the next block.
            keep = text[-1:] if text.endswith(b"\r") else b""
            body = text[: len(text) - len(keep)]
            breaks += body.count(b"\n") + body.count(b"\r") - body.count(b"\r\n")
            previous = keep
    return breaks + len(previous)


def read_header(path: Path, spec: FileSpec) -> list[str]:
    """The header line's column names, after checking that every column of ``spec`` is there.

    Extra columns are allowed (and later ignored), in any order; a duplicated name is refused.
    """
    with open_text(path) as handle:
        try:
            header = next((row for row in csv.reader(handle) if row), None)
        except csv.Error as exc:
            raise IngestError(
                path.name, f"the header line cannot be read as CSV ({exc})", 1
            ) from None
    if header is None:
        expected = ",".join(spec.names)
        raise IngestError(path.name, f"the file is empty, expected a header line {expected}", 1)
    _check_header(path.name, header, spec)
    return header


def _check_header(filename: str, header: list[str], spec: FileSpec) -> None:
    problem = undecodable_problem(",".join(header))
    if problem is not None:
        raise IngestError(filename, problem, 1)
    duplicated = next((name for name in header if header.count(name) > 1), None)
    if duplicated is not None:
        raise IngestError(filename, "appears more than once in the header line", 1, duplicated)
    missing = [name for name in spec.names if name not in header]
    if missing:
        found = ",".join(header).replace("\n", " ")
        found = found if len(found) <= 80 else found[:77] + "..."
        raise IngestError(filename, f"missing from the header line ({found})", 1, missing[0])
