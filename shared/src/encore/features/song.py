"""Song fields derived from the ISRC and the song length.

An ISRC is 12 characters: country (2 letters), registrant (3 letters or digits), year
(2 digits) and serial (5 digits). The year is trusted only when the whole code fits that
layout: in "TWB53966001H" the serial "6001H" is not five digits, so the characters where a
year would be ("96") are not known to be one and the year is missing. The country code
only needs the first two characters to be letters, so that code still gives "TW".
Two-digit years above 17 are 19xx (the data ends in 2017), the others 20xx.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from encore.features.coded import Coded, Floats

ISRC_PATTERN = r"[A-Z]{2}[A-Z0-9]{3}[0-9]{7}"
LAST_20XX_YEAR = 17


def isrc_country(isrc: Coded) -> Coded:
    """Two-letter country code of the ISRC, missing unless both characters are letters."""
    return isrc.map(_country)


def isrc_year(isrc: Coded) -> Floats:
    """Recording year from the ISRC, NaN unless the whole code fits the ISRC layout."""
    return isrc.numbers(_year)


def log_length(song_length: Floats) -> Floats:
    """log1p of the length in milliseconds (1.4 s to 3 h: heavy tail); non-positive -> NaN."""
    positive = np.where(song_length > 0, song_length, np.nan)
    return np.log1p(positive)


def _country(codes: pd.Series) -> pd.Series:
    country = codes.str.strip().str.upper().str[:2]
    return country.where(country.str.fullmatch(r"[A-Z]{2}").fillna(False).astype(bool))


def _year(codes: pd.Series) -> pd.Series:
    upper = codes.str.strip().str.upper()
    fits = upper.str.fullmatch(ISRC_PATTERN).fillna(False).astype(bool)
    two_digits = pd.to_numeric(upper.str[5:7].where(fits), errors="coerce")
    return two_digits + np.where(two_digits > LAST_20XX_YEAR, 1900, 2000)
