"""Listening sessions: who played what, from where, in time order (train first, then test).

Cold start is planted exactly: a fixed share of test rows belongs to users who never appear in
train, and another share to songs that never appear in train.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from encore.datagen.sizes import COLD_SONG_ROW_SHARE, COLD_USER_ROW_SHARE, Sizes

MEAN_SESSION_LENGTH = 8
_REDRAWS = 10
_WEIGHTED_REDRAWS = 3


Groups = list[tuple[np.ndarray, np.ndarray]]  # (pool of entities, mask of slots it fills)


@dataclass(frozen=True)
class Roster:
    """Which users and songs may appear in train only, in both, or in test only."""

    train_only_users: np.ndarray
    shared_users: np.ndarray
    test_only_users: np.ndarray
    train_only_songs: np.ndarray
    shared_songs: np.ndarray
    test_only_songs: np.ndarray


@dataclass(frozen=True)
class Plays:
    user: np.ndarray  # index into members
    song: np.ndarray  # index into songs
    context: np.ndarray  # index into the context table
    time: np.ndarray  # 0 at the first train play, close to 1 at the last test play

    def __len__(self) -> int:
        return int(self.user.size)


def _weighted_subset(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """k distinct indices drawn with probability proportional to weight (exponential race)."""
    keys = rng.exponential(size=weights.size) / weights
    return np.argpartition(keys, k - 1)[:k] if k < weights.size else np.arange(weights.size)


def make_roster(rng: np.random.Generator, sizes: Sizes, song_popularity: np.ndarray) -> Roster:
    users = rng.permutation(sizes.members)
    first_shared, first_test_only = sizes.train_only_users, sizes.members - sizes.test_only_users
    played = rng.permutation(_weighted_subset(rng, song_popularity, sizes.played_songs))
    test_only = played[: sizes.test_only_songs]
    rest = played[sizes.test_only_songs :]
    shared_pick = _weighted_subset(rng, song_popularity[rest], sizes.shared_songs)
    shared_mask = np.zeros(rest.size, dtype=bool)
    shared_mask[shared_pick] = True
    return Roster(
        train_only_users=users[:first_shared],
        shared_users=users[first_shared:first_test_only],
        test_only_users=users[first_test_only:],
        train_only_songs=rest[~shared_mask],
        shared_songs=rest[shared_mask],
        test_only_songs=test_only,
    )


def _covering_choice(
    rng: np.random.Generator, pool: np.ndarray, weights: np.ndarray, n: int
) -> np.ndarray:
    """n draws from pool by weight, each pool member drawn at least once when n allows."""
    if n <= pool.size:
        chosen: np.ndarray = pool[_weighted_subset(rng, weights, n)]
        return chosen[rng.permutation(n)]
    extra = rng.choice(pool, size=n - pool.size, p=weights / weights.sum())
    return rng.permutation(np.concatenate([pool, extra]))


def _session_lengths(rng: np.random.Generator, rows: int) -> np.ndarray:
    lengths = rng.geometric(1 / MEAN_SESSION_LENGTH, size=rows // MEAN_SESSION_LENGTH * 2 + 8)
    ends = np.cumsum(lengths)
    count = int(np.searchsorted(ends, rows)) + 1
    lengths = lengths[:count].copy()
    lengths[-1] -= int(ends[count - 1]) - rows
    return lengths


def _split_by_rows(rng: np.random.Generator, lengths: np.ndarray, cold_rows: int) -> np.ndarray:
    """Mark random sessions as cold until they hold about `cold_rows` rows."""
    order = rng.permutation(lengths.size)
    within = np.cumsum(lengths[order]) <= cold_rows
    cold = np.zeros(lengths.size, dtype=bool)
    cold[order[within]] = True
    return cold


def _fill(rng: np.random.Generator, groups: Groups, weights: np.ndarray) -> np.ndarray:
    """One entity per slot: groups are (pool of entities, mask of the slots that pool fills)."""
    filled = np.zeros(groups[0][1].size, dtype=np.int64)
    for pool, slots in groups:
        filled[slots] = _covering_choice(rng, pool, weights[pool], int(slots.sum()))
    return filled


def _repeats(user: np.ndarray, song: np.ndarray) -> np.ndarray:
    """Rows whose (user, song) pair already occurred earlier in the same file."""
    pair = user.astype(np.int64) * (int(song.max(initial=0)) + 1) + song
    _, first = np.unique(pair, return_index=True)
    repeated = np.ones(pair.size, dtype=bool)
    repeated[first] = False
    return repeated


def _distinct_pairs(
    rng: np.random.Generator,
    user: np.ndarray,
    song: np.ndarray,
    groups: Groups,
    weights: np.ndarray,
) -> np.ndarray:
    """Redraw songs of repeated pairs from the same pool, as a real file lists each user-song
    pair once. First occurrences stay, so every song keeps a play. Later rounds draw evenly,
    since a heavy listener may already have played most popular songs of a small pool."""
    song = song.copy()
    for round_ in range(_REDRAWS):
        repeated = _repeats(user, song)
        if not repeated.any():
            break
        for pool, slots in groups:
            rows = np.flatnonzero(repeated & slots)
            shares = weights[pool] / weights[pool].sum() if round_ < _WEIGHTED_REDRAWS else None
            song[rows] = rng.choice(pool, size=rows.size, p=shares)
    return song


@dataclass(frozen=True)
class Population:
    roster: Roster
    activity: np.ndarray  # how much each member listens
    popularity: np.ndarray  # how often each song is picked


@dataclass(frozen=True)
class Window:
    """A file's place on the timeline, and how its plays were started."""

    rows: int
    first_row: int
    total_rows: int
    context_share: np.ndarray


def _plays(
    rng: np.random.Generator,
    population: Population,
    window: Window,
    sessions: tuple[np.ndarray, Groups],
    song_groups: Groups,
) -> Plays:
    lengths, user_groups = sessions
    context = rng.choice(window.context_share.size, size=lengths.size, p=window.context_share)
    user = np.repeat(_fill(rng, user_groups, population.activity), lengths)
    popularity = population.popularity
    first_draw = _fill(rng, song_groups, popularity)
    return Plays(
        user=user,
        song=_distinct_pairs(rng, user, first_draw, song_groups, popularity),
        context=np.repeat(context, lengths),
        time=(window.first_row + np.arange(window.rows)) / window.total_rows,
    )


def train_plays(rng: np.random.Generator, population: Population, window: Window) -> Plays:
    roster = population.roster
    lengths = _session_lengths(rng, window.rows)
    users = np.concatenate([roster.train_only_users, roster.shared_users])
    songs = np.concatenate([roster.train_only_songs, roster.shared_songs])
    every_session = np.ones(lengths.size, dtype=bool)
    song_groups = [(songs, np.ones(window.rows, dtype=bool))]
    return _plays(rng, population, window, (lengths, [(users, every_session)]), song_groups)


def test_plays(rng: np.random.Generator, population: Population, window: Window) -> Plays:
    """Test plays, with exact shares of rows from users and songs never seen in train."""
    roster, rows = population.roster, window.rows
    lengths = _session_lengths(rng, rows)
    cold = _split_by_rows(rng, lengths, round(COLD_USER_ROW_SHARE * rows))
    user_groups = [(roster.test_only_users, cold), (roster.shared_users, ~cold)]
    cold_rows = np.zeros(rows, dtype=bool)
    cold_rows[rng.permutation(rows)[: round(COLD_SONG_ROW_SHARE * rows)]] = True
    song_groups = [(roster.test_only_songs, cold_rows), (roster.shared_songs, ~cold_rows)]
    return _plays(rng, population, window, (lengths, user_groups), song_groups)
