"""Member fields: registration and expiration years, membership length and age."""

from __future__ import annotations

import numpy as np
import pandas as pd

from encore.features.coded import Floats

# KKBOX started in 2004; earlier dates are placeholders such as the 19700101 epoch.
FIRST_VALID_DATE = 20000101
LAST_VALID_DATE = 21001231
MIN_AGE = 5
MAX_AGE = 80


def date_days(yyyymmdd: Floats) -> Floats:
    """Days since 1970-01-01 of YYYYMMDD numbers; garbage and placeholder dates -> NaN."""
    codes, distinct = pd.factorize(yyyymmdd)  # a few thousand dates for millions of rows
    days: Floats = np.append(_days_since_epoch(distinct), np.nan)[codes]
    return days


def year_of(yyyymmdd: Floats, days: Floats) -> Floats:
    """Calendar year of a YYYYMMDD number, NaN where its ``date_days`` are NaN."""
    return np.where(np.isnan(days), np.nan, np.floor(yyyymmdd / 10_000))


def membership_days(registration_days: Floats, expiration_days: Floats) -> Floats:
    """Days from registration to expiration; negative or missing -> NaN."""
    days = expiration_days - registration_days
    return np.where(days >= 0, days, np.nan)


def age(bd: Floats) -> Floats:
    """Age from bd; 0 (unknown), negatives and values outside 5..80 (e.g. 1051) -> NaN."""
    return np.where((bd >= MIN_AGE) & (bd <= MAX_AGE), bd, np.nan)


def _days_since_epoch(yyyymmdd: Floats) -> Floats:
    plausible = (yyyymmdd >= FIRST_VALID_DATE) & (yyyymmdd <= LAST_VALID_DATE)
    plausible &= yyyymmdd == np.floor(yyyymmdd)
    number = np.where(plausible, yyyymmdd, FIRST_VALID_DATE).astype(np.int64)
    year, month, day = number // 10_000, number // 100 % 100, number % 100
    months = (year - 1970) * 12 + np.clip(month, 1, 12) - 1
    first_day = months.astype("datetime64[M]").astype("datetime64[D]")
    next_first_day = (months + 1).astype("datetime64[M]").astype("datetime64[D]")
    date = first_day + (day - 1)
    real = plausible & (month >= 1) & (month <= 12) & (day >= 1) & (date < next_first_day)
    return np.where(real, date.astype(np.int64), np.nan)
