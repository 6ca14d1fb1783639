"""transform_records: the matrix transform gives, for rows handed over as plain dicts."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from play_rows import CATEGORY_COLUMNS, DEFAULTS, FLOAT_COLUMNS, plays

from encore import split
from encore.datagen.generate import generate
from encore.errors import EncoreError
from encore.features import FeatureMatrix, FeatureProcessor
from encore.features.derive import REQUIRED_COLUMNS
from encore.features.rowtables import RowTables
from encore.features.scaling import Scale
from encore.features.vocab import MISSING, OOV
from encore.ingest import TRAINING_TABLES, consolidate, load_dataset
from encore.schema import TEST

Records = Sequence[Mapping[str, Any]]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[FeatureProcessor, pd.DataFrame]:
    """A processor fitted on the tiny set's training split, and its validation split."""
    folder = tmp_path_factory.mktemp("fast-rows")
    generate(folder, 5_000, 7, "tiny")
    dataset = load_dataset(folder, required=TRAINING_TABLES, skip=(TEST,))
    train, valid = split.chronological(consolidate(dataset.train, dataset), 0.2)
    return FeatureProcessor().fit(train), valid


def frame_of(records: Records) -> pd.DataFrame:
    """The records as a consolidated frame: category text columns, float64 numbers."""
    frame = pd.DataFrame(list(records), columns=list(DEFAULTS))
    for name in CATEGORY_COLUMNS:
        frame[name] = frame[name].astype("category")
    for name in FLOAT_COLUMNS:
        frame[name] = frame[name].astype(np.float64)
    return frame


def assert_same(expected: FeatureMatrix, got: FeatureMatrix) -> None:
    assert got.categorical.dtype == np.int32 and got.numeric.dtype == np.float32
    assert got.categorical.shape == expected.categorical.shape
    assert got.numeric.shape == expected.numeric.shape
    assert got.categorical.flags.f_contiguous and got.numeric.flags.f_contiguous
    np.testing.assert_array_equal(got.categorical, expected.categorical)
    np.testing.assert_array_equal(got.numeric, expected.numeric)  # bit for bit, NaN-free


def assert_matches_transform(processor: FeatureProcessor, records: Records) -> None:
    expected = processor.transform(frame_of(records))
    assert_same(expected, processor.transform_records(records))


def assert_each_alone_matches(processor: FeatureProcessor, records: Records) -> None:
    """Every record on its own (the one-row path) gives its row of ``transform``."""
    expected = processor.transform(frame_of(records))
    for row, record in enumerate(records):
        alone = FeatureMatrix(expected.categorical[[row]], expected.numeric[[row]])
        assert_same(alone, processor.transform_records([record]))


def column(processor: FeatureProcessor, matrix: FeatureMatrix, name: str) -> np.ndarray:
    return matrix.categorical[:, processor.categorical_names.index(name)]


def test_every_validation_row_matches(tiny: tuple[FeatureProcessor, pd.DataFrame]) -> None:
    processor, valid = tiny
    records = valid.to_dict("records")
    expected = processor.transform(valid)
    assert_same(expected, processor.transform_records(records))
    for start in range(0, len(records), 20):
        rows = slice(start, start + 20)
        chunk = FeatureMatrix(expected.categorical[rows], expected.numeric[rows])
        assert_same(chunk, processor.transform_records(records[rows]))
    # The split holds users and songs training never saw (out-of-vocabulary).
    assert (column(processor, expected, "msno") == OOV).any()
    assert (column(processor, expected, "song_id") == OOV).any()


def test_single_rows_match_single_row_frames(
    tiny: tuple[FeatureProcessor, pd.DataFrame],
) -> None:
    processor, valid = tiny
    for row in range(0, len(valid), 25):
        one = valid.iloc[[row]].reset_index(drop=True)
        got = processor.transform_records(one.to_dict("records"))
        assert_same(processor.transform(one), got)


def test_a_loaded_processor_gives_the_same_rows(
    tiny: tuple[FeatureProcessor, pd.DataFrame],
) -> None:
    processor, valid = tiny
    loaded = FeatureProcessor.from_json(processor.to_json())
    records = valid.head(50).to_dict("records")
    assert_same(processor.transform(valid.head(50)), loaded.transform_records(records))


def test_real_sample_rows_match(sample_dir: Path) -> None:
    dataset = load_dataset(sample_dir)
    assert dataset.test is not None
    train = consolidate(dataset.train, dataset)
    test = consolidate(dataset.test, dataset)
    processor = FeatureProcessor().fit(train)
    for frame in (train, test):
        assert_same(
            processor.transform(frame), processor.transform_records(frame.to_dict("records"))
        )
    # The sample has the awkward cases: empty text fields, failed joins, odd ages.
    for name in ("genre_ids", "composer", "lyricist", "isrc", "gender", "song_length"):
        assert train[name].isna().any(), name
    assert (~train["bd"].between(5, 80)).any()


def missing_variants(name: str) -> list[dict[str, Any]]:
    """A default row with ``name`` missing in every form a dict can say it."""
    absent = {key: value for key, value in DEFAULTS.items() if key != name}
    return [{**DEFAULTS, name: None}, {**DEFAULTS, name: math.nan}, absent]


def test_missing_fields_in_every_form_match(tiny: tuple[FeatureProcessor, pd.DataFrame]) -> None:
    processor = FeatureProcessor().fit(plays({}, {"msno": "u2", "song_id": "s2"}))
    records = [variant for name in REQUIRED_COLUMNS for variant in missing_variants(name)]
    assert_matches_transform(processor, records)
    assert_matches_transform(tiny[0], records)
    got = processor.transform_records([{}, {"msno": pd.NA, "bd": pd.NA}])
    assert (got.categorical[:, processor.categorical_names.index("msno")] == MISSING).all()
    assert_same(processor.transform_records([{}, {}]), got)


AWKWARD: list[dict[str, Any]] = [
    {"genre_ids": "", "artist_name": "", "composer": " ", "lyricist": "|  |", "isrc": ""},
    {"genre_ids": "465|958|1609", "artist_name": "B|  C|  D", "composer": "b / c|d"},
    {"artist_name": "A feat. B", "composer": "a", "lyricist": "A"},
    {"artist_name": "A (featuring B)", "composer": "A (Featuring b)", "lyricist": "A & B"},
    {"artist_name": "Simon and Garfunkel", "composer": "SIMON|garfunkel"},
    {"artist_name": "周杰倫\u3000", "composer": "周杰倫", "lyricist": "方文山、周杰倫"},
    {"artist_name": "Straße", "composer": "STRASSE", "isrc": "ßx1234567890"},
    {"isrc": " twa530887303 ", "song_length": 0.0, "bd": 1051.0},
    {"isrc": "TW-B53-96-60011", "song_length": -1.0, "bd": -5.0, "gender": ""},
    {"isrc": "TWB53966001H", "bd": 0.0, "registration_init_time": 19700101.0},
    {"isrc": "1WA530887303", "registration_init_time": 20170230.0, "expiration_date": 2.0},
    {"isrc": "TWA5308X7303", "expiration_date": 20150101.5, "language": -1.0},
    {"registration_init_time": 20170101.0, "expiration_date": 20150101.0, "city": 13.0},
    {"song_length": math.inf, "language": 17.5, "registered_via": 4.0, "bd": 80.0},
    {"source_system_tab": "null", "source_screen_name": "", "source_type": "unknown-type"},
]


def test_awkward_values_match(tiny: tuple[FeatureProcessor, pd.DataFrame]) -> None:
    # Each value seen twice; an infinite length is only transformed (fitting on it warns).
    finite = [{key: v for key, v in row.items() if v != math.inf} for row in AWKWARD]
    fitted = FeatureProcessor().fit(plays(*finite, *finite))
    records = [{**DEFAULTS, **row} for row in AWKWARD]
    assert_matches_transform(fitted, records)  # log1p(inf) stays infinite in both paths
    assert_matches_transform(tiny[0], records)


def test_non_string_text_and_string_numbers_match_a_frame(
    tiny: tuple[FeatureProcessor, pd.DataFrame],
) -> None:
    records = [
        {**DEFAULTS, "genre_ids": 465, "bd": "27", "city": "13"},
        {**DEFAULTS, "genre_ids": 958, "composer": 1.5, "language": np.float32(3.0)},
    ]
    assert_matches_transform(tiny[0], records)


def test_one_row_and_no_rows(tiny: tuple[FeatureProcessor, pd.DataFrame]) -> None:
    processor, valid = tiny
    one = processor.transform_records([valid.to_dict("records")[0]])
    assert_same(processor.transform(valid.head(1)), one)
    empty = processor.transform_records([])
    assert empty.categorical.shape == (0, len(processor.categorical_names))
    assert empty.numeric.shape == (0, len(processor.numeric_names))
    assert empty.categorical.dtype == np.int32 and empty.numeric.dtype == np.float32
    assert len(empty) == 0


def test_refitting_rebuilds_the_lookups() -> None:
    processor = FeatureProcessor().fit(plays({"msno": "u1"}, {"msno": "u1"}))
    row = [{**DEFAULTS, "msno": "u2"}]
    assert column(processor, processor.transform_records(row), "msno").tolist() == [OOV]
    processor.fit(plays({"msno": "u2"}, {"msno": "u2"}))
    assert_matches_transform(processor, row)
    assert column(processor, processor.transform_records(row), "msno").tolist() == [3]


def test_non_numbers_and_unfitted_processors_are_user_errors() -> None:
    processor = FeatureProcessor().fit(plays({}, {}))
    with pytest.raises(EncoreError, match=r"column 'bd', row 1: 'old' is not a number"):
        processor.transform_records([DEFAULTS, {**DEFAULTS, "bd": "old"}])
    with pytest.raises(EncoreError, match="not fitted"):
        FeatureProcessor().transform_records([DEFAULTS])


def no_batch_path(self: RowTables, records: Records) -> None:
    raise AssertionError("one row took the batch path")


def test_every_validation_row_alone_matches(
    tiny: tuple[FeatureProcessor, pd.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    processor, valid = tiny
    expected = processor.transform(valid)
    monkeypatch.setattr(RowTables, "transform", no_batch_path)
    for row, record in enumerate(valid.to_dict("records")):
        alone = FeatureMatrix(expected.categorical[[row]], expected.numeric[[row]])
        assert_same(alone, processor.transform_records([record]))


def test_awkward_and_missing_rows_alone_match(
    tiny: tuple[FeatureProcessor, pd.DataFrame], monkeypatch: pytest.MonkeyPatch
) -> None:
    finite = [{key: v for key, v in row.items() if v != math.inf} for row in AWKWARD]
    fitted = FeatureProcessor().fit(plays(*finite, *finite))
    records = [{**DEFAULTS, **row} for row in AWKWARD]
    records += [variant for name in REQUIRED_COLUMNS for variant in missing_variants(name)]
    records += [{}, {**DEFAULTS, "genre_ids": 465, "bd": "27", "city": "13"}]
    monkeypatch.setattr(RowTables, "transform", no_batch_path)
    assert_each_alone_matches(fitted, records)
    assert_each_alone_matches(tiny[0], records)
    na = fitted.transform_records([{"msno": pd.NA, "bd": pd.NA}])
    assert_same(fitted.transform_records([{}]), na)
    with pytest.raises(EncoreError, match=r"column 'bd', row 0: 'old' is not a number"):
        fitted.transform_records([{**DEFAULTS, "bd": "old"}])


def test_one_row_with_an_infinite_mean_takes_the_batch_path(
    tiny: tuple[FeatureProcessor, pd.DataFrame],
) -> None:
    # A missing age would enter the one-row path as the mean: inf - inf is NaN, not 0.
    processor = FeatureProcessor.from_json(tiny[0].to_json())
    processor.scales = {**processor.scales, "age": Scale(math.inf, 1.0)}
    assert_each_alone_matches(processor, [DEFAULTS, {**DEFAULTS, "bd": None}])


def test_records_completed_on_the_way_match_the_completed_rows(
    tiny: tuple[FeatureProcessor, pd.DataFrame],
) -> None:
    """With a catalogue's `complete` attached, bare rows (ids and sources) give the matrix of
    the rows it completes, and a value a row gives itself wins over the catalogue's."""
    processor, valid = tiny
    full = valid.to_dict("records")[:60]
    known = {(row["msno"], row["song_id"]): row for row in full}

    def complete(record: Mapping[str, Any]) -> dict[str, Any]:
        given = {key: value for key, value in record.items() if value is not None}
        return {**known[(record["msno"], record["song_id"])], **given}

    ids_and_sources = ("msno", "song_id", "source_system_tab", "source_screen_name", "source_type")
    bare = [{key: row[key] for key in ids_and_sources} for row in full]
    bare[3] = {**bare[3], "artist_name": "Someone Else", "bd": 44.0}
    expected = processor.transform(frame_of([complete(row) for row in bare]))
    processor.complete_records_with(complete)
    try:
        assert_same(expected, processor.transform_records(bare))
        assert_same(expected, processor.transform_records(bare))  # from the caches
        for row, record in enumerate(bare[:5]):
            alone = FeatureMatrix(expected.categorical[[row]], expected.numeric[[row]])
            assert_same(alone, processor.transform_records([record]))
    finally:
        processor.complete_records_with(None)
