"""The song catalogue: genres, artists and songs (songs.csv and song_extra_info.csv fields)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from encore.datagen import names
from encore.datagen.coded import Coded, coded_by_script
from encore.datagen.credits import artist_names, credit_fields
from encore.datagen.genres import GENRE_IDS, genre_lists, genre_shares
from encore.datagen.ids import random_ids
from encore.datagen.isrc import isrc_codes
from encore.datagen.titles import song_titles

# The real language codes, most common first (shares from the real songs.csv head).
LANGUAGES = np.array([52, 3, -1, 17, 31, 10, 24, 59, 45, 38])
_LANGUAGE_SHARES = np.array([40.6, 20.0, 19.1, 8.0, 5.5, 3.1, 3.1, 0.3, 0.26, 0.04])
# Mandarin and Taiwanese songs dominate what is actually played.
_LANGUAGE_POPULARITY = np.array([1.0, 3.0, 0.6, 0.8, 1.3, 1.6, 1.5, 0.8, 0.8, 0.8])
_MIN_LENGTH, _MAX_LENGTH = 1_393, 10_851_706
_SONGS_PER_TITLE = 2  # titles recur ("Home", "Intro"), so about two songs share one


@dataclass(frozen=True)
class Artists:
    name: np.ndarray
    language: np.ndarray  # index into LANGUAGES
    genre: np.ndarray  # index into GENRE_IDS
    popularity: np.ndarray


@dataclass(frozen=True)
class Songs:
    """Every song id, played or not; row order is songs.csv order."""

    song_id: np.ndarray
    length: np.ndarray
    genre: np.ndarray  # main genre, index into GENRE_IDS
    genre_text: Coded
    artist: np.ndarray
    language: np.ndarray  # index into LANGUAGES; -1 when the file leaves it empty
    composer: Coded
    lyricist: Coded
    title: Coded
    isrc: np.ndarray
    popularity: np.ndarray

    def __len__(self) -> int:
        return int(self.song_id.size)


def generate_artists(rng: np.random.Generator, count: int) -> Artists:
    language = rng.choice(LANGUAGES.size, size=count, p=_LANGUAGE_SHARES / _LANGUAGE_SHARES.sum())
    scripts = names.script_of_language(LANGUAGES[language])
    # A few artists ("Various Artists" first) own many songs; most own a handful.
    popularity = 1.0 / np.arange(1, count + 1) ** 0.75
    popularity[0] = popularity[1:4].sum()
    return Artists(
        name=artist_names(rng, scripts),
        language=language,
        genre=rng.choice(GENRE_IDS.size, size=count, p=genre_shares()),
        popularity=popularity / popularity.sum(),
    )


def _song_lengths(rng: np.random.Generator, n: int) -> np.ndarray:
    spread = np.where(rng.random(n) < 0.03, 1.0, 0.25)
    lengths = np.rint(rng.lognormal(np.log(234_000), spread)).astype(np.int64)
    lengths = np.clip(lengths, _MIN_LENGTH, _MAX_LENGTH)
    lengths[rng.choice(n, size=2, replace=False)] = (_MIN_LENGTH, _MAX_LENGTH)  # real extremes
    return lengths


def _song_languages(rng: np.random.Generator, artist_language: np.ndarray) -> np.ndarray:
    n = artist_language.size
    own = rng.choice(LANGUAGES.size, size=n, p=_LANGUAGE_SHARES / _LANGUAGE_SHARES.sum())
    language = np.where(rng.random(n) < 0.92, artist_language, own)
    language[rng.integers(0, n)] = -1
    return language


def _song_genres(rng: np.random.Generator, artist_genre: np.ndarray) -> np.ndarray:
    own = rng.choice(GENRE_IDS.size, size=artist_genre.size, p=genre_shares())
    return np.where(rng.random(artist_genre.size) < 0.8, artist_genre, own)


def generate_songs(rng: np.random.Generator, count: int, artists: Artists) -> Songs:
    artist = rng.choice(artists.name.size, size=count, p=artists.popularity)
    language = _song_languages(rng, artists.language[artist])
    scripts = names.script_of_language(np.where(language >= 0, LANGUAGES[language], 52))
    genre = _song_genres(rng, artists.genre[artist])
    composer, lyricist = credit_fields(rng, scripts)
    popularity = rng.lognormal(0.0, 1.3, count) * _LANGUAGE_POPULARITY[language]
    popularity *= (artists.popularity[artist] * artists.name.size) ** 0.3
    return Songs(
        song_id=random_ids(rng, count),
        length=_song_lengths(rng, count),
        genre=genre,
        genre_text=genre_lists(rng, genre),
        artist=artist,
        language=language,
        composer=composer,
        lyricist=lyricist,
        title=coded_by_script(rng, scripts, lambda s: song_titles(rng, s), _SONGS_PER_TITLE),
        isrc=isrc_codes(rng, scripts),
        popularity=popularity,
    )
