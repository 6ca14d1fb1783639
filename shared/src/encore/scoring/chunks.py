"""Reading a plays file chunk by chunk, and the song and member tables beside it."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TypeVar

import pandas as pd

from encore.ingest import Dataset, IngestError
from encore.ingest.checks import frame_is_valid
from encore.ingest.diagnose import explain_failure
from encore.ingest.reader import read_table
from encore.ingest.tables import empty_table, narrow, parse_dtypes, to_categories
from encore.ingest.textfile import read_header
from encore.schema import EXTRA_SPEC, MEMBERS_SPEC, SONGS_SPEC, TRAIN_SPEC, FileSpec

CHUNK_ROWS = 250_000
T = TypeVar("T")


def read_side_tables(folder: Path) -> Dataset:
    """songs.csv and members.csv (both needed) and song_extra_info.csv (optional) of a folder.

    The plays files there are not read: they are streamed separately with ``read_chunks``.
    """
    for spec in (SONGS_SPEC, MEMBERS_SPEC):
        if not (folder / spec.filename).is_file():
            raise IngestError(spec.filename, f"not found in {folder} (scoring needs it there)")
    extra = folder / EXTRA_SPEC.filename
    return Dataset(
        train=empty_table(TRAIN_SPEC),
        test=None,
        songs=read_table(folder / SONGS_SPEC.filename, SONGS_SPEC),
        members=read_table(folder / MEMBERS_SPEC.filename, MEMBERS_SPEC),
        extra=read_table(extra, EXTRA_SPEC) if extra.is_file() else empty_table(EXTRA_SPEC),
        present=frozenset(
            spec.table for spec in (SONGS_SPEC, MEMBERS_SPEC, EXTRA_SPEC)
            if (folder / spec.filename).is_file()
        ),
    )


def read_chunks(path: Path, spec: FileSpec, chunk_rows: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """The file's records in frames of at most ``chunk_rows``, validated as ``read_table`` does.

    A bad record raises IngestError naming its line and column, after the chunks before it
    were already yielded.
    """
    header = read_header(path, spec)
    rows = 0
    for chunk in _parsed_chunks(path, header, spec, chunk_rows):
        if chunk.empty:  # a header-only file still gives one empty chunk
            continue
        if not frame_is_valid(chunk, spec):
            raise explain_failure(path, spec, header, "a value failed validation")
        rows += len(chunk)
        yield narrow(to_categories(chunk[spec.names].reset_index(drop=True), spec), spec)
    if rows == 0:
        raise IngestError(path.name, "no records, only a header line")


def _parsed_chunks(
    path: Path, header: list[str], spec: FileSpec, chunk_rows: int
) -> Iterator[pd.DataFrame]:
    dtypes = dict.fromkeys(header, "object") | parse_dtypes(spec)
    open_reader = partial(
        pd.read_csv, path, dtype=dtypes, keep_default_na=False, na_values=[""],
        encoding="utf-8", engine="c", chunksize=chunk_rows,
    )
    reader = _parsing(path, spec, header, open_reader)
    with reader:
        while (chunk := _parsing(path, spec, header, lambda: next(reader, None))) is not None:
            # A first column turned into the index means every record had a field too many.
            if not isinstance(chunk.index, pd.RangeIndex):
                too_many = "records have more fields than the header"
                raise explain_failure(path, spec, header, too_many)
            yield chunk


def _parsing(path: Path, spec: FileSpec, header: list[str], step: Callable[[], T]) -> T:
    """Run one parsing step, turning pandas' failures into an IngestError naming the line."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return step()
    except (ValueError, OverflowError, pd.errors.ParserWarning) as exc:
        raise explain_failure(path, spec, header, str(exc)) from None
    except OSError as exc:
        raise IngestError(path.name, f"cannot be read: {exc.strerror}") from None
