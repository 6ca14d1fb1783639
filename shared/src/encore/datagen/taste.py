"""The planted model: the true replay probability of every play.

Log-odds = intercept + scale * (source context effect + user replay propensity (member fields,
activity and a personal part) + personal extra propensity for local sources + song popularity
+ user x (genre + artist + language) affinity through a few latent factors + time drift).
Everything hangs on fields a model can see in the five files, so the signal is learnable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from encore.datagen.catalogue import LANGUAGES, Songs
from encore.datagen.genres import GENRE_IDS
from encore.datagen.members import Members
from encore.datagen.sources import ContextTable

TARGET_TRAIN_RATE = 0.5035
# Knobs of the planted model (log-odds units, before the whole is rescaled to LOGIT_SD).
# LOGIT_SD sets how predictable targets are: 1.4 puts the oracle's AUC near 0.80.
LOGIT_SD = 1.4
DRIFT = -0.25  # change of the log-odds from the first train play to the last test play
FACTORS = 4
# A user's taste = a taste shared by everyone (easy to learn: it acts as genre, artist and
# language main effects) + a personal part (learnt from that user's plays only).
SHARED_TASTE_SD, PERSONAL_TASTE_SD = 0.75, 0.45
GENRE_FACTOR_SD, ARTIST_FACTOR_SD, LANGUAGE_FACTOR_SD = 1.0, 0.25, 0.7
PERSONAL_BIAS_SD = 0.3
LOCAL_BIAS_SD = 0.25  # extra replay propensity for one's own library and playlists
MEMBER_EFFECT_SCALE = 1.5
ACTIVITY_EFFECT = 0.25  # heavier listeners replay more
POPULARITY_EFFECT = 0.6
_VIA_EFFECTS = np.zeros(17)
_VIA_EFFECTS[[3, 4, 7, 9, 13]] = [0.15, -0.2, 0.2, 0.05, -0.3]


@dataclass(frozen=True)
class PlantedModel:
    user_bias: np.ndarray
    user_local_bias: np.ndarray
    user_factors: np.ndarray
    song_effect: np.ndarray
    song_style: np.ndarray
    context_effect: np.ndarray
    context_is_local: np.ndarray
    scale: float = 1.0
    intercept: float = 0.0


def _standardised(values: np.ndarray) -> np.ndarray:
    spread = values.std()
    scaled: np.ndarray = (values - values.mean()) / (spread if spread > 0 else 1.0)
    return scaled


def member_effect(rng: np.random.Generator, members: Members) -> np.ndarray:
    """Small effects of age, registration channel, city, gender and subscription length."""
    age = members.bd.astype(float)
    known_age = (age > 0) & (age <= 100)
    effect = np.where(known_age, -0.02 * (np.clip(age, 10, 60) - 28), 0.0)
    effect += _VIA_EFFECTS[members.registered_via]
    city_effects = rng.normal(0, 0.15, size=23)
    city_effects[1] = 0.0
    effect += city_effects[members.city]
    effect += 0.05 * ((members.gender == "female").astype(float) - (members.gender == "male"))
    days = (members.expiration - members.registration).astype(np.int64)
    effect += 0.1 * _standardised(np.log1p(np.clip(days, 0, None)))
    return effect


def song_styles(rng: np.random.Generator, songs: Songs, artists: int) -> np.ndarray:
    """Each song's position in taste space: its genre, artist and language factors."""
    scale = 1 / np.sqrt(FACTORS)
    genre = rng.normal(0, GENRE_FACTOR_SD * scale, size=(GENRE_IDS.size, FACTORS))
    artist = rng.normal(0, ARTIST_FACTOR_SD * scale, size=(artists, FACTORS))
    language = rng.normal(0, LANGUAGE_FACTOR_SD * scale, size=(LANGUAGES.size + 1, FACTORS))
    language[-1] = 0.0  # index -1: language left empty in the file
    shown_genre = (songs.genre_text.codes >= 0)[:, None]
    styles: np.ndarray = genre[songs.genre] * shown_genre
    styles += artist[songs.artist] + language[songs.language]
    return styles


def plant(
    rng: np.random.Generator,
    members: Members,
    activity: np.ndarray,
    catalogue: tuple[Songs, int],
    contexts: ContextTable,
) -> PlantedModel:
    """Draw the planted model's parameters; `catalogue` is (songs, number of artists)."""
    n = len(members)
    songs, artists = catalogue
    bias = MEMBER_EFFECT_SCALE * member_effect(rng, members)
    bias += ACTIVITY_EFFECT * _standardised(np.log(activity))
    shared_taste = rng.normal(0, SHARED_TASTE_SD, size=FACTORS)
    return PlantedModel(
        user_bias=bias + rng.normal(0, PERSONAL_BIAS_SD, n),
        user_local_bias=rng.normal(0, LOCAL_BIAS_SD, n),
        user_factors=shared_taste + rng.normal(0, PERSONAL_TASTE_SD, size=(n, FACTORS)),
        song_effect=POPULARITY_EFFECT * _standardised(np.log(songs.popularity)),
        song_style=song_styles(rng, songs, artists),
        context_effect=contexts.effect,
        context_is_local=contexts.is_local,
    )
