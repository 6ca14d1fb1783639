"""The catalogue's tables, from the joined training plays."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from encore.schema import EXTRA_FIELDS, MEMBER_FIELDS, SONG_FIELDS

# How many of the most played songs are kept as recommendation candidates.
POPULAR_SONGS = 2_000


@dataclass(frozen=True)
class CatalogueTables:
    songs: pd.DataFrame  # song_id, then the songs.csv and song_extra_info.csv fields
    members: pd.DataFrame  # msno, then the members.csv fields
    popular: pd.DataFrame  # song_id, plays: the most played songs, most played first
    played: pd.DataFrame  # msno, song_id: who played each popular song


def build_catalogue(plays: pd.DataFrame, popular_songs: int = POPULAR_SONGS) -> CatalogueTables:
    """Tables from consolidated plays (encore.ingest.consolidate), first row per id."""
    songs = _first_per_key(plays, "song_id", (*SONG_FIELDS, *EXTRA_FIELDS))
    members = _first_per_key(plays, "msno", MEMBER_FIELDS)
    top = plays["song_id"].value_counts(sort=True).head(popular_songs)
    top = top[top > 0]
    popular = pd.DataFrame({"song_id": top.index.astype(str), "plays": top.to_numpy()})
    among = plays["song_id"].isin(popular["song_id"])
    pairs = plays.loc[among, ["msno", "song_id"]].drop_duplicates(ignore_index=True)
    played = pairs.astype({"msno": str, "song_id": str})
    return CatalogueTables(songs, members, popular, played)


def _first_per_key(plays: pd.DataFrame, key: str, fields: tuple[str, ...]) -> pd.DataFrame:
    table = plays[[key, *fields]].drop_duplicates(subset=key, keep="first")
    return table.reset_index(drop=True)
