"""How good a stored model is on labelled rows, beside the generator's oracle where there is one."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from encore.artifacts import LoadedModel
from encore.artifacts.fingerprint import file_digest
from encore.datagen.files import LABELS_FILE, ORACLE_FILE
from encore.datagen.truth import train_probabilities
from encore.ingest import Dataset, IngestError
from encore.metrics import Scores, cold_start, score
from encore.schema import TEST_SPEC, TRAIN_SPEC
from encore.scoring.chunks import CHUNK_ROWS, read_side_tables
from encore.scoring.predict import predictions

Figures = dict[str, Any]
TRAINED_ON_NOTE = (
    "the model was trained on {share:.0%} of these rows, so these figures flatter it; "
    "its validation figures are in the version's manifest"
)


@dataclass(frozen=True)
class Section:
    """One scored file: the model's figures and, for generated data, the oracle's."""

    name: str
    model: Scores
    oracle: Figures | None
    note: str | None = None
    cold_start: Figures | None = None  # metrics.cold_start: seen or unseen in training

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.name,
            "model": self.model.as_dict(),
            "oracle": self.oracle,
            "note": self.note,
            "cold_start": self.cold_start,
        }


@dataclass(frozen=True)
class Evaluation:
    version: str
    model_path: Path
    data_dir: Path
    sections: list[Section]

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "model_path": str(self.model_path),
            "data_dir": str(self.data_dir),
            "sections": [section.as_dict() for section in self.sections],
        }


def evaluate(loaded: LoadedModel, data_dir: Path, chunk_rows: int = CHUNK_ROWS) -> Evaluation:
    """Score train.csv's labelled rows; for generated data also test.csv against its labels."""
    data_dir = Path(data_dir)
    if not (data_dir / TRAIN_SPEC.filename).is_file():
        raise IngestError(TRAIN_SPEC.filename, f"not found in {data_dir} (evaluation needs it)")
    side = read_side_tables(data_dir)
    sections = [_labelled(loaded, data_dir, side, chunk_rows)]
    if (data_dir / TEST_SPEC.filename).is_file() and (data_dir / LABELS_FILE).is_file():
        sections.append(_test_against_labels(loaded, data_dir, side, chunk_rows))
    return Evaluation(loaded.version, loaded.path, data_dir, sections)


def _labelled(loaded: LoadedModel, data_dir: Path, side: Dataset, chunk_rows: int) -> Section:
    path = data_dir / TRAIN_SPEC.filename
    scored = _scored(loaded, predictions(loaded, path, TRAIN_SPEC, side, chunk_rows), "target")
    target, probability = scored["target"].to_numpy(), scored["model"].to_numpy()
    share = 1.0 if "refit" in loaded.manifest else 1 - loaded.config.valid_fraction
    note = TRAINED_ON_NOTE.format(share=share) if _trained_on(loaded, path) else None
    oracle = _train_oracle(data_dir, target)
    return Section(TRAIN_SPEC.filename, score(target, probability), oracle, note,
                   _cold_start(scored))  # fmt: skip


def _scored(
    loaded: LoadedModel, chunks: Iterable[tuple[pd.DataFrame, np.ndarray]], column: str
) -> pd.DataFrame:
    """Per row: ``column`` of the plays, the model's probability, and whether the model saw
    the row's listener and song in training."""
    vocabularies = loaded.processor.vocabularies
    frames = [
        pd.DataFrame({
            column: plays[column].to_numpy(),
            "model": probability,
            "user_seen": vocabularies["msno"].knows(plays["msno"]),
            "song_seen": vocabularies["song_id"].knows(plays["song_id"]),
        })
        for plays, probability in chunks
    ]  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def _cold_start(scored: pd.DataFrame) -> Figures:
    return cold_start(scored["target"], scored["model"], scored["user_seen"].to_numpy(),
                      scored["song_seen"].to_numpy())  # fmt: skip


def _trained_on(loaded: LoadedModel, path: Path) -> bool:
    """Whether the file is the train.csv the model was fitted on (same SHA-256)."""
    files = loaded.manifest.get("data_fingerprint", {}).get("files", [])
    digests = {entry.get("sha256") for entry in files if entry.get("name") == path.name}
    return bool(digests) and file_digest(path) in digests


def _train_oracle(data_dir: Path, target: np.ndarray) -> Figures | None:
    """The oracle on train.csv's rows: scored row by row when the generator saved them."""
    probability = train_probabilities(data_dir, len(target))
    if probability is not None:
        return score(target, probability).as_dict()
    summary = data_dir / ORACLE_FILE
    if summary.is_file():
        figures: Figures | None = json.loads(summary.read_text(encoding="utf-8")).get("train")
        return figures
    return None


def _test_against_labels(
    loaded: LoadedModel, data_dir: Path, side: Dataset, chunk_rows: int
) -> Section:
    path = data_dir / TEST_SPEC.filename
    scored = _scored(loaded, predictions(loaded, path, TEST_SPEC, side, chunk_rows), "id")
    labels = pd.read_csv(data_dir / LABELS_FILE, usecols=["id", "target", "probability"])
    joined = labels.merge(scored, on="id", how="inner")
    if joined.empty:
        raise IngestError(LABELS_FILE, f"no id in common with {TEST_SPEC.filename}")
    oracle = score(joined["target"], joined["probability"]).as_dict()
    model = score(joined["target"], joined["model"])
    return Section(TEST_SPEC.filename, model, oracle, f"labels from {LABELS_FILE}",
                   _cold_start(joined))  # fmt: skip
