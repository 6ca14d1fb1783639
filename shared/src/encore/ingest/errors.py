"""The one error a bad input file raises: it names the file, and the line and column when known."""

from __future__ import annotations

from encore.errors import EncoreError


class IngestError(EncoreError):
    """A problem in one input file, e.g. "members.csv, line 7, column bd: 'abc' is not an integer".

    ``line`` is the physical 1-based line number in the file (the header is line 1), not the
    record number: a quoted name that spans lines moves every later record down.
    """

    def __init__(
        self, filename: str, problem: str, line: int | None = None, column: str | None = None
    ) -> None:
        self.filename = filename
        self.problem = problem
        self.line = line
        self.column = column
        super().__init__(self._message())

    def _message(self) -> str:
        where = [self.filename]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.problem}"
