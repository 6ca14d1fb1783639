"""ISRC year and country, member dates and ages."""

from __future__ import annotations

import numpy as np
import pandas as pd

from encore.features import member, song
from encore.features.coded import Coded, coded_text


def isrc(*codes: str | None) -> Coded:
    return coded_text(pd.Series(codes, dtype="category"))


def countries(*codes: str | None) -> list[str | None]:
    country = song.isrc_country(isrc(*codes))
    return list(country.per_row(np.asarray(country.values, dtype=object), None))


def test_isrc_year_uses_characters_5_and_6_with_the_19xx_cutoff() -> None:
    years = song.isrc_year(isrc("USSM11301446", "TWA530887303", "QMZSY1700015", "GBAYE1800001"))
    assert years.tolist() == [2013.0, 2008.0, 2017.0, 1918.0]


def test_isrc_with_a_letter_in_its_serial_still_gives_year_and_country() -> None:
    # Serial "6001H" is not five digits, but the year field "96" is where the standard puts it.
    assert song.isrc_year(isrc("TWB53966001H")).tolist() == [1996.0]
    assert countries("TWB53966001H") == ["TW"]


def test_isrc_not_fitting_the_pattern_gives_missing() -> None:
    years = song.isrc_year(isrc("US-SM1-13-01446", "USSM113014", "12SM11301446", None))
    assert np.isnan(years).all()
    assert countries("12SM11301446", None, "usSM11301446") == [None, None, "US"]


def test_song_length_is_logged_and_nonpositive_is_missing() -> None:
    lengths = song.log_length(np.array([234_000.0, 0.0, np.nan]))
    assert lengths[0] == np.log1p(234_000.0)
    assert np.isnan(lengths[1:]).all()


def test_age_keeps_5_to_80_only() -> None:
    ages = member.age(np.array([27.0, 0.0, 1051.0, -38.0, 4.0, 81.0, 5.0, 80.0, np.nan]))
    expected = [27.0, np.nan, np.nan, np.nan, np.nan, np.nan, 5.0, 80.0, np.nan]
    np.testing.assert_array_equal(ages, expected)


def test_years_and_membership_days_from_yyyymmdd() -> None:
    registration = np.array([20150101.0, 20170105.0, 20160231.0, 20110820.0])
    expiration = np.array([20160101.0, 20170101.0, 20170101.0, 19700101.0])
    registered, expires = member.date_days(registration), member.date_days(expiration)
    np.testing.assert_array_equal(
        member.membership_days(registered, expires), [365.0, np.nan, np.nan, np.nan]
    )
    np.testing.assert_array_equal(
        member.year_of(registration, registered), [2015, 2017, np.nan, 2011]
    )
    np.testing.assert_array_equal(member.year_of(expiration, expires), [2016, 2017, 2017, np.nan])


def test_garbage_dates_are_missing() -> None:
    days = member.date_days(np.array([20171301.0, 20170230.0, 1.5, -20170101.0, np.nan, 1e12]))
    assert np.isnan(days).all()
