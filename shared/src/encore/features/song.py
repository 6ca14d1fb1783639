"""Song fields derived from the ISRC and the song length.

An ISRC is 12 characters: country (2 letters), registrant (3 letters or digits), year
(2 digits) and serial (5 digits). The year needs only a 12-character code whose year
characters are digits: in "TWB53966001H" the serial "6001H" is not five digits, but the year
field ("96", so 1996) sits where the standard puts it, and the serial does not matter here.
Codes of another length (dashes, truncation) give no year. The country code needs the first
two characters to be letters. Two-digit years above 17 are 19xx (the data ends in 2017), the
others 20xx.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from encore.features.coded import Coded, Floats

YEAR_LAYOUT = r"[A-Z]{2}[A-Z0-9]{3}[0-9]{2}[A-Z0-9]{5}"
LAST_20XX_YEAR = 17


def isrc_country(isrc: Coded) -> Coded:
    """Two-letter country code of the ISRC, missing unless both characters are letters."""
    return isrc.map(_country)


def isrc_year(isrc: Coded) -> Floats:
    """Recording year from the ISRC, NaN unless the code has the ISRC layout around its year."""
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
    fits = upper.str.fullmatch(YEAR_LAYOUT).fillna(False).astype(bool)
    two_digits = pd.to_numeric(upper.str[5:7].where(fits), errors="coerce")
    return two_digits + np.where(two_digits > LAST_20XX_YEAR, 1900, 2000)
