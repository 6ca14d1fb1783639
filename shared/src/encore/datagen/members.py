"""members.csv: one row per user, with the real file's quirks.

About 58% of members left their profile empty: bd 0, usually no gender and city 1. The rest
have an age (median 27) and a gender; a few ages are negative or far above 100.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from encore.datagen.ids import random_ids

_EMPTY_PROFILE_SHARE = 0.579
_CITIES = np.array([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22])
_FILLED_CITY_WEIGHTS = np.array(
    [
        6.4,
        1.4,
        12.0,
        18.2,
        6.3,
        0.6,
        2.0,
        2.1,
        1.4,
        1.8,
        3.1,
        21.0,
        4.9,
        10.5,
        0.2,
        1.0,
        1.8,
        0.1,
        0.2,
        1.5,
        10.1,
    ]
)
_EMPTY_CITY_WEIGHTS = np.array([95.0] + [5.0 / 20] * 20)
_VIA = np.array([3, 4, 7, 9, 13, 16])
_EMPTY_VIA_WEIGHTS = np.array([4.7, 48.8, 37.8, 7.8, 0.3, 0.01])
_FILLED_VIA_WEIGHTS = np.array([27.3, 11.2, 12.8, 48.9, 0.06, 0.0])
_REGISTRATION_YEARS = np.arange(2004, 2018)
_REGISTRATION_YEAR_WEIGHTS = np.array(
    [260, 396, 506, 706, 516, 497, 1215, 3070, 1872, 3102, 2699, 4679, 10203, 4682]
)
_LAST_REGISTRATION = np.datetime64("2017-01-31")
_NEGATIVE_AGE_RATE = 6e-5
_OLD_AGE_RATE = 6.4e-4
_OLD_AGES = np.array([1051, 931, 144, 131, 112, 111, 105, 103, 102, 101])


@dataclass(frozen=True)
class Members:
    msno: np.ndarray
    city: np.ndarray
    bd: np.ndarray
    gender: np.ndarray
    registered_via: np.ndarray
    registration: np.ndarray
    expiration: np.ndarray

    def __len__(self) -> int:
        return int(self.msno.size)


def _pick(rng: np.random.Generator, values: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    return rng.choice(values, size=n, p=weights / weights.sum())


def _by_profile(
    rng: np.random.Generator,
    empty: np.ndarray,
    values: np.ndarray,
    empty_weights: np.ndarray,
    filled_weights: np.ndarray,
) -> np.ndarray:
    picked_empty = _pick(rng, values, empty_weights, empty.size)
    picked_filled = _pick(rng, values, filled_weights, empty.size)
    return np.where(empty, picked_empty, picked_filled)


def _ages(rng: np.random.Generator, empty: np.ndarray) -> np.ndarray:
    ages = np.clip(np.rint(rng.lognormal(np.log(27.5), 0.3, empty.size)), 2, 97).astype(np.int64)
    ages[empty] = 0
    filled = np.flatnonzero(~empty)
    n_negative = max(1, round(_NEGATIVE_AGE_RATE * empty.size))
    n_old = max(1, round(_OLD_AGE_RATE * empty.size))
    odd = rng.permutation(filled)[: n_negative + n_old]
    ages[odd[:n_negative]] = -rng.integers(1, 50, size=odd[:n_negative].size)
    ages[odd[n_negative:]] = np.resize(_OLD_AGES, odd[n_negative:].size)
    return ages


def _genders(rng: np.random.Generator, empty: np.ndarray) -> np.ndarray:
    values = np.array(["", "male", "female"], dtype=object)
    empty_pick = _pick(rng, values, np.array([97.5, 1.3, 1.2]), empty.size)
    filled_pick = _pick(rng, values, np.array([2.9, 49.9, 47.2]), empty.size)
    return np.where(empty, empty_pick, filled_pick)


def _registration(rng: np.random.Generator, n: int) -> np.ndarray:
    years = _pick(rng, _REGISTRATION_YEARS, _REGISTRATION_YEAR_WEIGHTS.astype(float), n)
    starts = (years - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    dates = starts + rng.integers(0, 365, size=n).astype("timedelta64[D]")
    capped: np.ndarray = np.minimum(dates, _LAST_REGISTRATION)
    return capped


def _expiration(rng: np.random.Generator, registration: np.ndarray) -> np.ndarray:
    """Most subscriptions run to late 2017; a few lapsed earlier; two real oddities kept."""
    n = registration.size
    ends_2017 = np.datetime64("2017-09-30") + rng.normal(0, 35, n).astype("timedelta64[D]")
    lapsed = registration + rng.integers(1, 900, size=n).astype("timedelta64[D]")
    late = np.datetime64("2018-01-01") + rng.integers(0, 500, size=n).astype("timedelta64[D]")
    kind = rng.choice(3, size=n, p=[0.78, 0.17, 0.05])
    expiration: np.ndarray = np.choose(kind, [ends_2017, lapsed, late])
    expiration = np.maximum(expiration, registration + np.timedelta64(1, "D"))
    expiration[0] = np.datetime64("1970-01-01")
    expiration[n // 2] = registration[n // 2] - np.timedelta64(3, "D")
    return expiration


def generate_members(rng: np.random.Generator, count: int) -> Members:
    empty = rng.random(count) < _EMPTY_PROFILE_SHARE
    registration = _registration(rng, count)
    return Members(
        msno=random_ids(rng, count),
        city=_by_profile(rng, empty, _CITIES, _EMPTY_CITY_WEIGHTS, _FILLED_CITY_WEIGHTS),
        bd=_ages(rng, empty),
        gender=_genders(rng, empty),
        registered_via=_by_profile(rng, empty, _VIA, _EMPTY_VIA_WEIGHTS, _FILLED_VIA_WEIGHTS),
        registration=registration,
        expiration=_expiration(rng, registration),
    )
