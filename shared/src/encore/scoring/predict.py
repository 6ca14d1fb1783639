"""Predictions of a stored model for a plays file, chunk by chunk, and the submission file."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from encore.artifacts import LoadedModel
from encore.catalogue import Columns
from encore.ingest import Dataset, consolidate
from encore.ingest.textfile import read_header
from encore.schema import TEST_SPEC, FileSpec
from encore.scoring.chunks import CHUNK_ROWS, read_chunks, read_side_tables

# Six decimals: a smaller file, and far finer than any metric can tell apart.
FLOAT_FORMAT = "%.6f"


def predictions(
    loaded: LoadedModel,
    path: Path,
    spec: FileSpec,
    side: Dataset,
    chunk_rows: int = CHUNK_ROWS,
) -> Iterator[tuple[pd.DataFrame, np.ndarray]]:
    """Each chunk of plays with the model's probability for each of its rows."""
    for plays in read_chunks(path, spec, chunk_rows):
        yield plays, loaded.probabilities(Columns.of_frame(consolidate(plays, side)))


def predict_file(
    loaded: LoadedModel, input_path: Path, out_path: Path, chunk_rows: int = CHUNK_ROWS
) -> int:
    """Write ``id,target`` (a probability) for every row of a test.csv-format file.

    The songs and members come from the input's folder. The output appears under its name
    only once complete (written beside it under a temporary name, then renamed).
    Returns the number of rows written.
    """
    input_path, out_path = Path(input_path), Path(out_path)
    read_header(input_path, TEST_SPEC)  # a wrong file fails before the side tables are read
    side = read_side_tables(input_path.parent)
    partial = out_path.with_name(f".{out_path.name}.tmp-{secrets.token_hex(4)}")
    rows = 0
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            for plays, probability in predictions(loaded, input_path, TEST_SPEC, side, chunk_rows):
                submission = pd.DataFrame({"id": plays["id"], "target": probability})
                submission.to_csv(handle, header=rows == 0, index=False, float_format=FLOAT_FORMAT)
                rows += len(submission)
        os.replace(partial, out_path)
    finally:
        partial.unlink(missing_ok=True)
    return rows
