"""Missing values, cold start and targets happen at about the real rates."""

from __future__ import annotations

import pytest
from generated_sets import RATES, TINY, tables


def _empty_share(values: list[str]) -> float:
    return sum(v == "" for v in values) / len(values)


@pytest.mark.parametrize(
    ("table", "name", "real_rate", "tolerance"),
    [
        ("songs", "genre_ids", 0.041, 0.015),
        ("songs", "composer", 0.467, 0.03),
        ("songs", "lyricist", 0.847, 0.03),
        ("song_extra_info", "isrc", 0.06, 0.015),
        ("members", "gender", 0.579, 0.1),
        ("train", "source_screen_name", 0.056, 0.04),
    ],
)
def test_missing_rates_are_near_the_real_ones(
    table: str, name: str, real_rate: float, tolerance: float
) -> None:
    assert _empty_share(tables(*RATES)[table].col(name)) == pytest.approx(real_rate, abs=tolerance)


def test_the_word_null_and_empty_fields_both_occur() -> None:
    tabs = tables(*RATES)["train"].col("source_system_tab")
    assert "null" in tabs and "" in tabs


def test_test_rows_with_unseen_users_and_songs() -> None:
    train, test = tables(*RATES)["train"], tables(*RATES)["test"]
    seen_users, seen_songs = set(train.col("msno")), set(train.col("song_id"))
    rows = len(test.rows)
    unseen_users = sum(u not in seen_users for u in test.col("msno")) / rows
    unseen_songs = sum(s not in seen_songs for s in test.col("song_id")) / rows
    assert unseen_users == pytest.approx(0.072, abs=0.015)
    assert unseen_songs == pytest.approx(0.125, abs=0.01)


def test_train_positive_rate_is_near_the_real_one() -> None:
    targets = tables(*RATES)["train"].col("target")
    assert set(targets) == {"0", "1"}
    assert targets.count("1") / len(targets) == pytest.approx(0.5035, abs=0.02)


def test_every_player_is_a_member_and_a_few_songs_are_uncatalogued() -> None:
    members = set(tables(*RATES)["members"].col("msno"))
    catalogue = set(tables(*RATES)["songs"].col("song_id"))
    train, test = tables(*RATES)["train"], tables(*RATES)["test"]
    assert set(train.col("msno")) | set(test.col("msno")) <= members
    played = set(train.col("song_id")) | set(test.col("song_id"))
    assert 1 <= len(played - catalogue) <= 5
    assert len(catalogue) > 5 * len(played)


def test_extra_info_covers_slightly_fewer_songs_than_songs_csv() -> None:
    songs = tables(*RATES)["songs"].col("song_id")
    extra = tables(*RATES)["song_extra_info"].col("song_id")
    assert set(extra) < set(songs)
    assert len(songs) - len(extra) <= max(1, len(songs) // 1000)


def test_test_ids_count_from_zero_and_submission_matches() -> None:
    ids = tables(*RATES)["test"].col("id")
    assert ids == [str(i) for i in range(len(ids))]
    submission = tables(*RATES)["sample_submission"]
    assert submission.col("id") == ids
    assert set(submission.col("target")) == {"0.5"}


def test_each_user_song_pair_is_listed_once_per_file() -> None:
    for name in ("train", "test"):
        table = tables(*TINY)[name]
        pairs = list(zip(table.col("msno"), table.col("song_id"), strict=True))
        assert len(set(pairs)) == len(pairs), name


def test_library_plays_are_replayed_far_more_often_than_radio_plays() -> None:
    train = tables(*RATES)["train"]
    pairs = list(zip(train.col("source_type"), train.col("target"), strict=True))

    def replay_rate(source: str) -> float:
        targets = [target for kind, target in pairs if kind == source]
        return targets.count("1") / len(targets)

    assert replay_rate("local-library") - replay_rate("radio") > 0.25
