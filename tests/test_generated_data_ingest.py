"""Generated data must pass exactly the ingest the real KKBOX files pass."""

from pathlib import Path

import pandas as pd
import pytest

from encore.datagen.generate import generate
from encore.ingest import consolidate, load_dataset
from encore.schema import INPUT_SPECS

ALL_TABLES = tuple(spec.table for spec in INPUT_SPECS)


@pytest.fixture(scope="module")
def generated_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tiny")
    generate(out, 5_000, seed=3, scale="tiny")
    return out


def test_generated_files_load_with_every_table_present(generated_dir):
    dataset = load_dataset(generated_dir, required=ALL_TABLES)
    assert dataset.present == frozenset(ALL_TABLES)
    assert len(dataset.train) == 5_000
    assert dataset.test is not None and len(dataset.test) > 0


@pytest.mark.parametrize("table", ["train", "test"])
def test_generated_and_real_plays_consolidate_to_the_same_columns_and_dtypes(
    generated_dir, sample_dir, table
):
    def joined(folder: Path) -> pd.DataFrame:
        dataset = load_dataset(folder, required=ALL_TABLES)
        return consolidate(getattr(dataset, table), dataset)

    generated, real = joined(generated_dir), joined(sample_dir)
    assert list(generated.columns) == list(real.columns)
    assert generated.dtypes.astype(str).to_dict() == real.dtypes.astype(str).to_dict()


def test_generated_plays_mostly_find_their_song_and_member(generated_dir):
    dataset = load_dataset(generated_dir, required=ALL_TABLES)
    plays = consolidate(dataset.train, dataset)
    assert plays["song_length"].notna().mean() > 0.99
    assert plays["city"].notna().all()
