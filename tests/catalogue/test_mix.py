"""The candidate score's popularity weight is chosen on the plays themselves: high where
listeners pick songs by popularity alone, low where listeners who share songs share taste."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from encore.catalogue.candidates import WEIGHTS, listener_pools
from encore.catalogue.mix import GRID, chosen_weights
from encore.catalogue.pools import COLISTENING, POPULARITY, Plays
from tests.conftest import Trained

POPULAR_WORLD_SONGS, TASTE_WORLD_SONGS = 5_000, 400


def songs_table(songs: int) -> pd.DataFrame:
    rows = np.arange(songs)
    return pd.DataFrame({
        "artist_name": [f"artist {row % 97}" for row in rows],
        "genre_ids": [str(row % 13) for row in rows],
        "language": (rows % 3).astype(float),
    })  # fmt: skip


def plays_of(listened: list[np.ndarray], songs: int, seed: int) -> Plays:
    """Each listener's songs in a random order through time, every other play replayed."""
    rng = np.random.default_rng(seed)
    listener = np.concatenate([np.full(len(songs), who) for who, songs in enumerate(listened)])
    song = np.concatenate(listened)
    order = rng.permutation(len(song))
    replayed = rng.random(len(song)) < 0.5
    return Plays(listener[order].astype(np.int32), song[order].astype(np.int32),
                 len(listened), songs, replayed)  # fmt: skip


def popularity_world() -> Plays:
    """Listeners draw a few of many songs by popularity alone: nothing else links them, so
    the songs of the listeners who share one are the popular ones plus noise."""
    rng = np.random.default_rng(1)
    weights = 1.0 / np.arange(1, POPULAR_WORLD_SONGS + 1) ** 1.1
    weights /= weights.sum()
    listened = [rng.choice(POPULAR_WORLD_SONGS, 8, replace=False, p=weights) for _ in range(1_500)]
    return plays_of(listened, POPULAR_WORLD_SONGS, 1)


def taste_world() -> Plays:
    """Four groups with songs of their own; the largest group makes its songs the most played
    overall, so popularity offers everyone that group's songs."""
    rng = np.random.default_rng(2)
    sizes, own = (300, 100, 100, 100), np.array_split(np.arange(TASTE_WORLD_SONGS), 4)
    listened = [rng.choice(own[group], 30, replace=False)
                for group, size in enumerate(sizes) for _ in range(size)]  # fmt: skip
    return plays_of(listened, TASTE_WORLD_SONGS, 2)


def test_where_popularity_is_all_there_is_a_high_weight_is_chosen():
    choice = chosen_weights(popularity_world(), songs_table(POPULAR_WORLD_SONGS))
    assert choice.listeners > 500
    assert choice.weights.popularity >= 3.0
    assert choice.hit_rates[choice.weights.popularity] > choice.hit_rates[WEIGHTS.popularity]


def test_where_shared_songs_mean_shared_taste_popularity_stays_low():
    choice = chosen_weights(taste_world(), songs_table(TASTE_WORLD_SONGS))
    assert choice.listeners > 300
    assert choice.weights.popularity <= WEIGHTS.popularity
    assert choice.hit_rates[WEIGHTS.popularity] > 2 * choice.hit_rates[max(GRID)]


def test_the_pools_say_which_part_led_under_the_chosen_weights():
    """Where popularity was chosen the pools' heads are the most played songs, said so;
    where taste is shared they are co-listening's."""
    for plays, songs, leader in ((popularity_world(), POPULAR_WORLD_SONGS, POPULARITY),
                                 (taste_world(), TASTE_WORLD_SONGS, COLISTENING)):  # fmt: skip
        table = songs_table(songs)
        pools = listener_pools(plays, table, chosen_weights(plays, table).weights)
        heads = np.concatenate([pools.sources[start : start + 10]
                                for start in pools.songs.offsets[:-1:50]])  # fmt: skip
        assert np.mean(heads == leader) > 0.8


def test_plays_without_targets_keep_the_default():
    plays = popularity_world()
    unknown = Plays(plays.listener, plays.song, plays.listeners, plays.songs)
    choice = chosen_weights(unknown, songs_table(POPULAR_WORLD_SONGS))
    assert (choice.weights, choice.listeners) == (WEIGHTS, 0)


def test_a_version_says_which_weights_its_pools_were_built_with(trained: Trained, tmp_path: Path):
    folder = trained.write(tmp_path)
    mix = json.loads((folder / "catalogue" / "recommend" / "mix.json").read_text())
    assert mix["popularity_weight"] in GRID
    assert set(mix["hit_rate_at_10"]) in ({str(weight) for weight in GRID}, set())
