"""The refit that continues the selected network (``refit_from="selected"``): carried over to the
features fitted on every row, it scores a row as the selected network did."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from encore.artifacts import load_version, read_manifest
from encore.features import FeatureConfig, FeatureProcessor
from encore.features.vocab import OOV, RESERVED
from encore.ingest import TRAINING_TABLES, consolidate, load_dataset
from encore.model import EncoreNet, build_model
from encore.pipeline import train_version
from encore.schema import TEST
from encore.training.warm import carried_over
from tests.conftest import FAST

ROWS = 300


def _fitted(plays: pd.DataFrame) -> FeatureProcessor:
    return FeatureProcessor(FeatureConfig(min_count=FAST.min_count)).fit(plays)


@pytest.fixture(scope="module")
def processors(trained_data: Path) -> tuple[FeatureProcessor, FeatureProcessor]:
    """Fitted on the first 80% of the plays (the selection run's), and on every play."""
    dataset = load_dataset(trained_data, required=TRAINING_TABLES, skip=(TEST,))
    plays = consolidate(dataset.train, dataset)
    return _fitted(plays.iloc[: len(plays) * 4 // 5]), _fitted(plays)


def _same_rows(
    old: FeatureProcessor, new: FeatureProcessor, generator: np.random.Generator
) -> tuple[tuple[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:
    """ROWS rows coded by each processor, meaning the same: values both vocabularies keep and
    values only the new one keeps (out of vocabulary to the old), and the same raw numbers
    scaled by each processor's means and deviations."""
    codes_old, codes_new = [], []
    for name in new.categorical_names:
        before, after = old.vocabularies[name], new.vocabularies[name]
        tokens = generator.choice(after.tokens[: after.kept], ROWS)
        at_old = before.index.get_indexer(tokens)
        codes_old.append(np.where((at_old >= 0) & (at_old < before.kept), at_old + RESERVED, OOV))
        codes_new.append(after.index.get_indexer(tokens) + RESERVED)
    numbers = {name: generator.normal(3.0, 2.0, ROWS) for name in new.numeric_names}
    return _coded(old, codes_old, numbers), _coded(new, codes_new, numbers)


def _coded(
    processor: FeatureProcessor, codes: list[np.ndarray], numbers: dict[str, np.ndarray]
) -> tuple[torch.Tensor, torch.Tensor]:
    columns = []
    for name in processor.numeric_names:
        raw = numbers.get(name, np.zeros(ROWS))
        scale = processor.scales.get(name)
        columns.append(raw if scale is None else (raw - scale.mean) / scale.std)
    categorical = torch.from_numpy(np.stack(codes, axis=1).astype(np.int64))
    return categorical, torch.from_numpy(np.stack(columns, axis=1).astype(np.float32))


def _scores(model: EncoreNet, rows: tuple[torch.Tensor, torch.Tensor]) -> np.ndarray:
    model.eval()
    with torch.no_grad():
        scores: np.ndarray = model(*rows).numpy()
    return scores


def test_the_carried_over_network_scores_each_row_as_the_selected_one(
    processors: tuple[FeatureProcessor, FeatureProcessor],
) -> None:
    old, new = processors
    grew = [name for name in new.categorical_names
            if new.vocabularies[name].kept > old.vocabularies[name].kept]  # fmt: skip
    assert "msno" in grew and "song_id" in grew  # the newest plays bring values of their own
    selected = build_model(FAST, old.cardinalities, len(old.numeric_names))
    carried = carried_over(selected, old, new, FAST)
    rows_old, rows_new = _same_rows(old, new, np.random.default_rng(0))
    np.testing.assert_allclose(
        _scores(carried, rows_new), _scores(selected, rows_old), rtol=1e-5, atol=1e-5
    )
    fresh = build_model(replace(FAST, seed=1), new.cardinalities, len(new.numeric_names))
    assert np.abs(_scores(fresh, rows_new) - _scores(selected, rows_old)).max() > 0.01


def test_a_warm_refit_continues_the_selected_network_at_its_kept_rate(
    trained_data: Path, tmp_path: Path
) -> None:
    config = replace(FAST, refit_from="selected", refit_epochs=2)
    folder = train_version(trained_data, tmp_path, config)
    manifest = read_manifest(folder)
    history = pd.read_json(folder / "metrics.json")
    kept_rate = history.iloc[manifest["best_epoch"] - 1]["learning_rate"]
    assert manifest["refit"]["from"] == "selected"
    assert manifest["starting_learning_rate"] == pytest.approx(history.iloc[0]["learning_rate"])
    assert manifest["refit"]["epochs"] == 2
    assert manifest["refit"]["learning_rates"] == pytest.approx([kept_rate, kept_rate])
    rows = manifest["rows"]["train"] + manifest["rows"]["valid"]
    assert manifest["refit"]["rows"] == rows
    loaded = load_version(folder)
    assert loaded.processor.cardinalities == [t.num_embeddings for t in loaded.model.embeddings]
