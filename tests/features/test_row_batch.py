"""The column path of transform_records (rowbatch.py): many records coded column by column
give the matrix transform gives, whatever mix of given and left-out fields they hold."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from typing import Any

import pandas as pd
import pytest
from play_rows import DEFAULTS
from test_fast_rows import assert_matches_transform, frame_of, tiny  # noqa: F401

from encore.catalogue.lookup import SONG_SIDE
from encore.errors import EncoreError
from encore.features import FeatureMatrix, FeatureProcessor, rowcodes
from encore.features.rowbatch import code_batch
from encore.schema import MEMBER_FIELDS

INTEGRAL = ("song_length", "city", "bd", "registered_via", "registration_init_time",
            "expiration_date")  # fmt: skip


def api_shaped(record: Mapping[str, Any]) -> dict[str, Any]:
    """A row as the API hands it over: only the fields given, whole numbers as ints."""
    shaped = {}
    for key, value in record.items():
        if key == "target" or value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        shaped[key] = int(value) if key in INTEGRAL else value
    return shaped


def coder_of(processor: FeatureProcessor) -> Any:
    processor.transform_records([DEFAULTS, DEFAULTS])  # builds the lookup tables
    return processor._tables().coder


# Parts new to the caches: derived one by one, or all together through derive (rowparts.py).
DERIVED = pytest.mark.parametrize("together_from", [1, 10**9], ids=["together", "one by one"])


@pytest.fixture
def fresh(
    tiny: tuple[FeatureProcessor, pd.DataFrame],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    together_from: int,
) -> FeatureProcessor:
    """A copy of the fitted processor with empty caches, deriving new parts as asked."""
    monkeypatch.setattr(rowcodes, "BATCH_DERIVE_PARTS", together_from)
    return FeatureProcessor.from_json(tiny[0].to_json())


@DERIVED
def test_api_shaped_rows_match_transform_on_the_column_path(
    tiny: tuple[FeatureProcessor, pd.DataFrame],  # noqa: F811
    fresh: FeatureProcessor,
) -> None:
    processor, valid = fresh, tiny[1]
    rows = [api_shaped(record) for record in valid.to_dict("records")[:300]]
    rows += random.Random(7).sample(rows, 100)  # songs and listeners seen twice in a batch
    for row in rows[::7]:  # some rows give only what a client usually sends
        for key in [key for key in row if key not in ("msno", "song_id", "source_type")]:
            del row[key]
    assert_matches_transform(processor, rows)
    assert code_batch(coder_of(processor), rows) is not None  # it took the column path
    assert_matches_transform(processor, rows)  # and again, from the caches


@DERIVED
def test_a_song_given_differently_in_one_batch_is_coded_per_row(fresh: FeatureProcessor) -> None:
    processor = fresh
    bare = {"msno": "user-a", "song_id": "song-a"}
    rows = [
        DEFAULTS,
        bare,
        {**bare, "genre_ids": "465|1259"},
        {**bare, "genre_ids": None, "song_length": 234_000},
        {**bare, "song_length": 234_000.0},
        {**bare, "song_length": 0, "genre_ids": "465"},  # no length, as transform reads it
        {**bare, "language": 52, "bd": 31, "gender": "male"},
        {**bare, "city": 1, "expiration_date": 20_170_101},
        {**DEFAULTS, "source_type": None, "source_system_tab": ""},
    ]
    assert_matches_transform(processor, rows)
    assert code_batch(coder_of(processor), rows) is not None
    batch = processor.transform_records(rows)
    for row, record in enumerate(rows):
        alone = processor.transform_records([record])
        assert_same_row(alone, batch, row)


def assert_same_row(alone: FeatureMatrix, batch: FeatureMatrix, row: int) -> None:
    assert alone.categorical[0].tolist() == batch.categorical[row].tolist()
    assert alone.numeric[0].tolist() == batch.numeric[row].tolist()


@pytest.mark.parametrize("odd", [True, pd.NA, 3 + 0j], ids=["bool", "pandas NA", "complex"])
def test_values_the_column_path_does_not_take_go_row_by_row(
    tiny: tuple[FeatureProcessor, pd.DataFrame],  # noqa: F811
    odd: Any,
) -> None:
    """A bool equals 1 as a cache key, pd.NA compares to nothing: such a batch is coded
    row by row, where a bool or a complex number is an error naming its row."""
    processor, _ = tiny
    rows = [DEFAULTS, {**DEFAULTS, "bd": odd}]
    assert code_batch(coder_of(processor), rows) is None
    if odd is pd.NA:  # missing, as None is
        assert_matches_transform(processor, [DEFAULTS, {**DEFAULTS, "bd": None}])
        expected = processor.transform(frame_of([DEFAULTS, {**DEFAULTS, "bd": None}]))
        assert processor.transform_records(rows).numeric.tolist() == expected.numeric.tolist()
    else:
        with pytest.raises(EncoreError, match="'bd', row 1"):
            processor.transform_records(rows)


def test_a_number_in_a_text_column_is_coded_as_its_own_text(
    tiny: tuple[FeatureProcessor, pd.DataFrame],  # noqa: F811
) -> None:
    """465 == 465.0, but as genres they are "465" and "465.0": a batch with an int in a text
    column is coded row by row, so the two are never grouped as one song part."""
    processor, _ = tiny
    rows = [{**DEFAULTS, "genre_ids": 465.0}, {**DEFAULTS, "genre_ids": 465}]
    as_texts = [{**DEFAULTS, "genre_ids": "465.0"}, {**DEFAULTS, "genre_ids": "465"}]
    assert code_batch(coder_of(processor), rows) is None
    batch, expected = processor.transform_records(rows), processor.transform_records(as_texts)
    assert expected.categorical[0].tolist() != expected.categorical[1].tolist()
    assert batch.categorical.tolist() == expected.categorical.tolist()
    assert batch.numeric.tolist() == expected.numeric.tolist()


@DERIVED
def test_bare_rows_completed_from_a_catalogue_match_the_completed_rows(
    tiny: tuple[FeatureProcessor, pd.DataFrame],  # noqa: F811
    fresh: FeatureProcessor,
) -> None:
    """Rows of ids and sources, the rest filled in by a catalogue's ``complete`` (as the API
    does), give the matrix of the completed rows; a value a row gives wins."""
    full = [api_shaped(record) for record in tiny[1].to_dict("records")[:200]]
    songs = {row["song_id"]: row for row in full}
    members = {row["msno"]: row for row in full}

    def complete(record: Mapping[str, Any]) -> dict[str, Any]:
        song, member = songs.get(record["song_id"], {}), members.get(record["msno"], {})
        filled = {key: song.get(key) for key in SONG_SIDE}
        filled |= {key: member.get(key) for key in MEMBER_FIELDS}
        return filled | {key: value for key, value in record.items() if value is not None}

    own = ("msno", "song_id", "source_type")
    bare = [{key: row[key] for key in own if key in row} for row in full]
    bare[3] = {**bare[3], "artist_name": "Someone Else", "bd": 44}
    expected = [complete(row) for row in bare]
    fresh.complete_records_with(complete)
    assert_matches_transform_of(fresh, bare, expected)
    assert_matches_transform_of(fresh, bare, expected)  # from the caches


def assert_matches_transform_of(
    processor: FeatureProcessor, records: list[dict[str, Any]], completed: list[dict[str, Any]]
) -> None:
    expected = processor.transform(frame_of(completed))
    got = processor.transform_records(records)
    assert got.categorical.tolist() == expected.categorical.tolist()
    assert got.numeric.tolist() == expected.numeric.tolist()
