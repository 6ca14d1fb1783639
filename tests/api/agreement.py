"""Scoring the same rows on every path: /predict, /predict/one, `encore predict`, and the
reference (the processor's ``transform`` of the joined rows, then the torch network)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from fastapi.testclient import TestClient

from encore.artifacts import load_version
from encore.cli import main as encore
from encore.ingest import PREDICTION_TABLES, consolidate, load_dataset
from encore.training import predict_proba

SOURCES = ("source_system_tab", "source_screen_name", "source_type")


def batch(client: TestClient, rows: list[dict[str, Any]]) -> np.ndarray:
    response = client.post("/predict", json={"rows": rows})
    assert response.status_code == 200, response.text
    return np.array([p["probability"] for p in response.json()["predictions"]])


def one_by_one(client: TestClient, rows: list[dict[str, Any]]) -> np.ndarray:
    answers = []
    for row in rows:
        response = client.post("/predict/one", json=row)
        assert response.status_code == 200, response.text
        answers.append(response.json()["probability"])
    return np.array(answers)


def offline(version: Path, folder: Path, out: Path) -> np.ndarray:
    """What `encore predict` writes for folder/test.csv (its folder's songs and members)."""
    code = encore(["predict", "--model", str(version), "--input", str(folder / "test.csv"),
                   "--out", str(out)])  # fmt: skip
    assert code == 0
    submission = pd.read_csv(out)
    written: np.ndarray = submission.sort_values("id")["target"].to_numpy()
    return written


def reference(version: Path, folder: Path) -> np.ndarray:
    """``transform`` of folder/test.csv joined with its folder's files, scored by torch."""
    loaded = load_version(version)
    dataset = load_dataset(folder, required=PREDICTION_TABLES)
    assert dataset.test is not None
    plays = consolidate(dataset.test.sort_values("id"), dataset)
    return predict_proba(loaded.model, loaded.processor.transform(plays))
