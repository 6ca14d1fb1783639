"""The fitted processor: train-only fitting, unseen values, one-row use, JSON round trip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from play_rows import plays

from encore.errors import EncoreError
from encore.features import FeatureConfig, FeatureMatrix, FeatureProcessor
from encore.features.vocab import MISSING, OOV


def train_rows() -> pd.DataFrame:
    return plays(
        {"msno": "u1", "song_id": "s1", "source_type": "radio"},
        {"msno": "u1", "song_id": "s2", "source_type": "album"},
        {"msno": "u1", "song_id": "s1", "source_type": "radio", "composer": None},
        {"msno": "u2", "song_id": "s1", "artist_name": "B|  C|  D", "bd": 1051.0},
        {"msno": "u2", "song_id": "s2", "isrc": "TW-B53-96-60011", "song_length": np.nan},
    )


def column(processor: FeatureProcessor, matrix: FeatureMatrix, name: str) -> npt.NDArray[Any]:
    values: npt.NDArray[Any]
    if name in processor.categorical_names:
        values = matrix.categorical[:, processor.categorical_names.index(name)]
    else:
        values = matrix.numeric[:, processor.numeric_names.index(name)]
    return values


def test_shapes_match_the_names() -> None:
    processor = FeatureProcessor()
    matrix = processor.fit_transform(train_rows())
    assert matrix.categorical.shape == (5, len(processor.categorical_names))
    assert matrix.numeric.shape == (5, len(processor.numeric_names))
    assert matrix.categorical.dtype == np.int32 and matrix.numeric.dtype == np.float32
    assert len(processor.cardinalities) == len(processor.categorical_names)
    assert (matrix.categorical < np.array(processor.cardinalities)).all()


def test_unseen_user_and_song_get_out_of_vocabulary_and_global_shares() -> None:
    processor = FeatureProcessor().fit(train_rows())
    matrix = processor.transform(plays({"msno": "new user", "song_id": "new song"}))
    assert column(processor, matrix, "msno").tolist() == [OOV]
    assert column(processor, matrix, "song_id").tolist() == [OOV]
    # Two of five training plays came from radio. That training-wide share is also the
    # row-weighted mean of the users' shares, so it standardises to exactly 0.
    radio = processor.scales["user_source_type_share=radio"]
    assert radio.mean == pytest.approx(0.4)
    assert column(processor, matrix, "user_source_type_share=radio").tolist() == [0.0]
    known = processor.transform(plays({"msno": "u1"}))  # two of three plays from radio
    expected = (2 / 3 - radio.mean) / radio.std
    assert column(processor, known, "user_source_type_share=radio")[0] == pytest.approx(expected)


def test_value_only_in_the_transformed_rows_is_out_of_vocabulary() -> None:
    processor = FeatureProcessor(FeatureConfig(min_count=1)).fit(train_rows())
    matrix = processor.transform(plays({"genre_ids": "9999", "gender": None}))
    assert column(processor, matrix, "genre1").tolist() == [OOV]
    assert column(processor, matrix, "gender").tolist() == [MISSING]


def test_transform_changes_nothing_learnt() -> None:
    processor = FeatureProcessor().fit(train_rows())
    before = processor.to_json()
    processor.transform(plays(*[{"msno": "u1", "song_id": "s9"}] * 50))
    assert processor.to_json() == before


def test_play_counts_come_from_training() -> None:
    processor = FeatureProcessor()
    matrix = processor.fit_transform(train_rows())
    user_plays = processor.scales["user_plays"]
    raw = column(processor, matrix, "user_plays") * user_plays.std + user_plays.mean
    np.testing.assert_allclose(np.expm1(raw), [3, 3, 3, 2, 2], rtol=1e-5)
    again = processor.transform(plays({"msno": "u1"}, {"msno": "u1"}))
    first_two = column(processor, matrix, "user_plays")[:2]
    np.testing.assert_array_equal(column(processor, again, "user_plays"), first_two)


def test_min_count_decides_who_gets_an_index() -> None:
    rows = train_rows()
    strict = FeatureProcessor(FeatureConfig(min_count=3)).fit(rows)
    loose = FeatureProcessor(FeatureConfig(min_count=1, min_count_by_field={"msno": 3})).fit(rows)
    assert column(strict, strict.transform(rows), "song_id").tolist() == [3, OOV, 3, 3, OOV]
    assert column(loose, loose.transform(rows), "song_id").tolist() == [3, 4, 3, 3, 4]
    assert column(loose, loose.transform(rows), "msno").tolist() == [3, 3, 3, OOV, OOV]


def test_invalid_min_count_is_a_user_error() -> None:
    with pytest.raises(EncoreError, match="min_count"):
        FeatureConfig(min_count=0)
    with pytest.raises(EncoreError, match=r"unknown field.*artist_nmae"):
        FeatureConfig(min_count_by_field={"artist_nmae": 2})


def test_numbers_are_standardised_on_train_with_missing_indicators() -> None:
    processor = FeatureProcessor()
    matrix = processor.fit_transform(train_rows())
    age = column(processor, matrix, "age")
    assert age[3] == 0.0 and column(processor, matrix, "age_missing").tolist() == [0, 0, 0, 1, 0]
    assert column(processor, matrix, "recording_year_missing").tolist() == [0, 0, 0, 0, 1]
    lengths = column(processor, matrix, "song_length")
    assert lengths[:4].mean() == pytest.approx(0.0, abs=1e-6) and lengths[4] == 0.0


def test_flags_reach_the_matrix() -> None:
    rows = plays({"artist_name": None, "composer": None}, {"artist_name": "X", "composer": "X"})
    processor = FeatureProcessor()
    matrix = processor.fit_transform(rows)
    assert column(processor, matrix, "artist_is_composer")[0] < 0
    assert column(processor, matrix, "artist_is_composer")[1] > 0


def test_one_row_transform_matches_the_same_row_in_a_batch() -> None:
    rows = train_rows()
    processor = FeatureProcessor()
    matrix = processor.fit_transform(rows)
    single = processor.transform(rows.iloc[[3]].reset_index(drop=True))
    np.testing.assert_array_equal(single.categorical, matrix.categorical[[3]])
    np.testing.assert_array_equal(single.numeric, matrix.numeric[[3]])


def test_json_round_trip_is_exact(tmp_path: Path) -> None:
    rows = train_rows()
    processor = FeatureProcessor(FeatureConfig(min_count_by_field={"song_id": 1})).fit(rows)
    text = processor.to_json()
    assert FeatureProcessor.from_json(text).to_json() == text
    processor.save(tmp_path / "features.json")
    loaded = FeatureProcessor.load(tmp_path / "features.json")
    assert loaded.to_json() == text
    unseen = plays({"msno": "new", "song_id": "s2", "artist_name": "B feat. Q"})
    for frame in (rows, unseen):
        again, original = loaded.transform(frame), processor.transform(frame)
        np.testing.assert_array_equal(again.numeric, original.numeric)
        np.testing.assert_array_equal(again.categorical, original.categorical)
    assert loaded.cardinalities == processor.cardinalities
    assert loaded.numeric_names == processor.numeric_names


def test_a_file_that_is_not_a_processor_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "features.json"
    path.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(EncoreError, match=r"features\.json"):
        FeatureProcessor.load(path)
    with pytest.raises(EncoreError, match="cannot read"):
        FeatureProcessor.load(tmp_path / "absent.json")
    with pytest.raises(EncoreError, match="not a saved feature processor"):
        FeatureProcessor.from_json("{not json")


def test_missing_column_and_non_numbers_are_user_errors() -> None:
    processor = FeatureProcessor().fit(train_rows())
    with pytest.raises(EncoreError, match=r"lacks column.*isrc"):
        processor.transform(plays({}).drop(columns=["isrc"]))
    bad = plays({}, {})
    bad["bd"] = bad["bd"].astype(object)
    bad.loc[1, "bd"] = "twenty"
    with pytest.raises(EncoreError, match="'bd', row 1: 'twenty'"):
        processor.transform(bad)


def test_an_unfitted_processor_is_a_user_error() -> None:
    with pytest.raises(EncoreError, match="not fitted"):
        FeatureProcessor().transform(plays({}))


def test_fitting_on_no_rows_is_a_user_error() -> None:
    with pytest.raises(EncoreError, match="empty"):
        FeatureProcessor().fit(plays({}).iloc[:0])


def test_plain_columns_give_the_same_features_as_category_columns() -> None:
    processor = FeatureProcessor().fit(train_rows())
    categories = plays({"msno": "u2", "artist_name": "B|  C", "composer": None})
    plain = categories.astype(object)
    plain[["city", "bd"]] = plain[["city", "bd"]].astype(np.int64)
    expected, got = processor.transform(categories), processor.transform(plain)
    np.testing.assert_array_equal(got.categorical, expected.categorical)
    np.testing.assert_array_equal(got.numeric, expected.numeric)


def test_fit_transform_equals_fit_then_transform() -> None:
    rows = train_rows()
    at_once = FeatureProcessor().fit_transform(rows)
    in_two_steps = FeatureProcessor().fit(rows).transform(rows)
    np.testing.assert_array_equal(at_once.categorical, in_two_steps.categorical)
    np.testing.assert_array_equal(at_once.numeric, in_two_steps.numeric)
