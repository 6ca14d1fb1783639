"""The rows of each output file, as writer columns (no strings built per row here)."""

from __future__ import annotations

import numpy as np

from encore.datagen.catalogue import LANGUAGES, Artists, Songs
from encore.datagen.coded import Coded
from encore.datagen.members import Members
from encore.datagen.plays import Plays
from encore.datagen.sources import ContextTable
from encore.datagen.writer import Column

_DIGITS = 1_000_000


def _text(values: np.ndarray | list[str]) -> np.ndarray:
    return np.asarray(values, dtype=str).astype(np.dtypes.StringDType())


def _numbers(values: np.ndarray) -> np.ndarray:
    return np.asarray(values).astype(np.int64).astype("S")


def _dates(values: np.ndarray) -> np.ndarray:
    iso = np.datetime_as_string(values.astype("datetime64[D]"), unit="D").astype("S10")
    return np.strings.replace(iso, b"-", b"")


def play_columns(
    plays: Plays, members: Members, songs: Songs, contexts: ContextTable
) -> list[Column]:
    """msno, song_id and the three source fields of each play."""
    return [
        Coded(members.msno, plays.user),
        Coded(songs.song_id, plays.song),
        Coded(_text(contexts.system_tab), plays.context),
        Coded(_text(contexts.screen_name), plays.context),
        Coded(_text(contexts.source_type), plays.context),
    ]


def train_columns(
    plays: Plays, target: np.ndarray, members: Members, songs: Songs, contexts: ContextTable
) -> list[Column]:
    return [*play_columns(plays, members, songs, contexts), Coded(np.array([b"0", b"1"]), target)]


def test_columns(
    plays: Plays, members: Members, songs: Songs, contexts: ContextTable
) -> list[Column]:
    return [_numbers(np.arange(len(plays))), *play_columns(plays, members, songs, contexts)]


def song_columns(songs: Songs, rows: np.ndarray, artists: Artists) -> list[Column]:
    return [
        Coded(songs.song_id, rows),
        _numbers(songs.length[rows]),
        Coded(songs.genre_text.vocab, songs.genre_text.codes[rows]),
        Coded(artists.name, songs.artist[rows]),
        Coded(songs.composer.vocab, songs.composer.codes[rows]),
        Coded(songs.lyricist.vocab, songs.lyricist.codes[rows]),
        Coded(_text(LANGUAGES), songs.language[rows]),
    ]


def extra_columns(songs: Songs, rows: np.ndarray) -> list[Column]:
    return [
        Coded(songs.song_id, rows),
        Coded(songs.title.vocab, songs.title.codes[rows]),
        songs.isrc[rows],
    ]


def member_columns(members: Members) -> list[Column]:
    gender = np.select([members.gender == "male", members.gender == "female"], [0, 1], -1)
    return [
        members.msno,
        _numbers(members.city),
        _numbers(members.bd),
        Coded(_text(["male", "female"]), gender),
        _numbers(members.registered_via),
        _dates(members.registration),
        _dates(members.expiration),
    ]


def _probability_text(probability: np.ndarray) -> np.ndarray:
    millionths = np.clip(np.rint(probability * _DIGITS), 1, _DIGITS - 1).astype(np.int64)
    return np.strings.add(b"0.", np.strings.zfill(millionths.astype("S"), 6))


def label_columns(target: np.ndarray, probability: np.ndarray) -> list[Column]:
    return [
        _numbers(np.arange(target.size)),
        Coded(np.array([b"0", b"1"]), target),
        _probability_text(probability),
    ]


def submission_columns(rows: int) -> list[Column]:
    return [_numbers(np.arange(rows)), Coded(np.array([b"0.5"]), np.zeros(rows, dtype=np.int64))]
