"""Offline scoring with a stored model version: predictions for a file, and evaluation.

Input files are read in chunks (``CHUNK_ROWS`` rows at a time): each chunk is joined to the
songs and members, turned into features and scored before the next is read, so memory holds
the side tables plus one chunk, whatever the number of rows.
"""

from encore.scoring.chunks import CHUNK_ROWS, read_chunks, read_side_tables
from encore.scoring.evaluation import Evaluation, Section, evaluate
from encore.scoring.predict import predict_file, predictions

__all__ = [
    "CHUNK_ROWS",
    "Evaluation",
    "Section",
    "evaluate",
    "predict_file",
    "predictions",
    "read_chunks",
    "read_side_tables",
]
