"""Member fields of one row: the twin of member.py for a few rows, in plain float arithmetic.

member.py works in float64 numpy arithmetic; Python floats are the same IEEE doubles, and a
calendar date exists for ``datetime.date`` exactly when numpy's month arithmetic accepts it
(both proleptic Gregorian), so the results are the same numbers.
"""

from __future__ import annotations

import datetime
import math
from functools import lru_cache

from encore.features.member import FIRST_VALID_DATE, LAST_VALID_DATE, MAX_AGE, MIN_AGE

_EPOCH = datetime.date(1970, 1, 1).toordinal()


def member_numbers(registration: float, expiration: float, bd: float) -> dict[str, float]:
    """registration_year, expiration_year, membership_days and age (NaN = missing)."""
    registration_days, expiration_days = date_days(registration), date_days(expiration)
    days = expiration_days - registration_days
    return {
        "registration_year": _year_of(registration, registration_days),
        "expiration_year": _year_of(expiration, expiration_days),
        "membership_days": days if days >= 0 else math.nan,
        "age": bd if MIN_AGE <= bd <= MAX_AGE else math.nan,
    }


def date_days(yyyymmdd: float) -> float:
    """Days since 1970-01-01 of a YYYYMMDD number; garbage and placeholder dates -> NaN."""
    # NaN fails the range test, so only plausible dates reach (and fill) the cache.
    if not (FIRST_VALID_DATE <= yyyymmdd <= LAST_VALID_DATE) or not yyyymmdd.is_integer():
        return math.nan
    return _calendar_days(int(yyyymmdd))


@lru_cache(maxsize=1 << 15)
def _calendar_days(number: int) -> float:
    try:
        date = datetime.date(number // 10_000, number // 100 % 100, number % 100)
    except ValueError:
        return math.nan
    return float(date.toordinal() - _EPOCH)


def clear_date_cache() -> None:
    _calendar_days.cache_clear()


def _year_of(yyyymmdd: float, days: float) -> float:
    return math.nan if math.isnan(days) else float(math.floor(yyyymmdd / 10_000))
