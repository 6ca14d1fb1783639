"""How many rows each table gets: the real KKBOX proportions, scaled to a train row count."""

from __future__ import annotations

from dataclasses import dataclass

FULL_TRAIN_ROWS = 7_377_418
SCALES = {"tiny": 5_000, "small": 500_000, "full": FULL_TRAIN_ROWS}
MIN_ROWS = 100
MAX_ROWS = 20_000_000

# Real full-scale counts (../shared/kkbox-sample/README.md).
_TEST_ROWS = 2_556_790
_MEMBERS = 34_403
_TRAIN_USERS = 30_755
_TEST_USERS = 25_131
_SONGS = 2_296_320
_EXTRA_ROWS = 2_295_971
_TRAIN_SONGS = 359_966
_TEST_SONGS = 224_753
_PLAYED_SONGS = 419_839
_SONGS_MISSING_FROM_CATALOGUE = 40
COLD_USER_ROW_SHARE = 0.072
COLD_SONG_ROW_SHARE = 0.125

_MIN_MEMBERS = 150
# Small sets keep more distinct songs than a strict proportion would, so that heavy listeners
# do not run out of songs they have not played yet.
_MIN_PLAYED_SONGS = 3_000
_MIN_PLAYED_SHARE_OF_ROWS = 0.2


@dataclass(frozen=True)
class Sizes:
    """Row and entity counts for one generated data set."""

    train_rows: int
    test_rows: int
    members: int
    train_only_users: int
    test_only_users: int
    catalogue_songs: int
    extra_rows: int
    train_only_songs: int
    shared_songs: int
    test_only_songs: int
    uncatalogued_songs: int

    @property
    def shared_users(self) -> int:
        return self.members - self.train_only_users - self.test_only_users

    @property
    def played_songs(self) -> int:
        return self.train_only_songs + self.shared_songs + self.test_only_songs


def _part(total: int, share: float, floor: int = 1) -> int:
    return max(floor, round(total * share))


def sizes_for(train_rows: int) -> Sizes:
    """Scale every count in proportion to `train_rows`, with floors so tiny sets keep each kind."""
    factor = train_rows / FULL_TRAIN_ROWS
    members = max(_MIN_MEMBERS, round(_MEMBERS * factor))
    floor = min(_MIN_PLAYED_SONGS, round(train_rows * _MIN_PLAYED_SHARE_OF_ROWS))
    played = max(floor, round(_PLAYED_SONGS * factor))
    test_only_songs = _part(played, (_PLAYED_SONGS - _TRAIN_SONGS) / _PLAYED_SONGS)
    train_only_songs = _part(played, (_PLAYED_SONGS - _TEST_SONGS) / _PLAYED_SONGS)
    catalogue = round(played * _SONGS / _PLAYED_SONGS)
    return Sizes(
        train_rows=train_rows,
        test_rows=max(MIN_ROWS // 2, round(_TEST_ROWS * factor)),
        members=members,
        train_only_users=_part(members, (_MEMBERS - _TEST_USERS) / _MEMBERS),
        test_only_users=_part(members, (_MEMBERS - _TRAIN_USERS) / _MEMBERS),
        catalogue_songs=catalogue,
        extra_rows=catalogue - _part(catalogue, (_SONGS - _EXTRA_ROWS) / _SONGS),
        train_only_songs=train_only_songs,
        shared_songs=played - train_only_songs - test_only_songs,
        test_only_songs=test_only_songs,
        uncatalogued_songs=_part(played, _SONGS_MISSING_FROM_CATALOGUE / _PLAYED_SONGS),
    )
