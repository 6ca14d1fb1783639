"""ISRC codes: country (2) + registrant (3) + two-digit year + serial (5), 12 characters."""

from __future__ import annotations

import numpy as np

from encore.datagen.names import CJK_CHINESE, CJK_JAPANESE, CJK_KOREAN, LATIN

_ALNUM = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", dtype=np.uint8)
_DIGITS = np.frombuffer(b"0123456789", dtype=np.uint8)
_COUNTRIES: dict[int, tuple[tuple[bytes, float], ...]] = {
    CJK_CHINESE: ((b"TW", 60), (b"HK", 25), (b"CN", 5), (b"QM", 6), (b"MY", 2), (b"SG", 2)),
    CJK_JAPANESE: ((b"JP", 95), (b"US", 5)),
    CJK_KOREAN: ((b"KR", 90), (b"US", 10)),
    LATIN: (
        (b"US", 45),
        (b"GB", 20),
        (b"DE", 6),
        (b"FR", 6),
        (b"TC", 6),
        (b"QM", 5),
        (b"NL", 3),
        (b"IT", 3),
        (b"CA", 2),
        (b"AU", 2),
        (b"SE", 2),
    ),
}
MISSING_RATE = 0.06
MALFORMED_RATE = 0.0003


def _countries(rng: np.random.Generator, scripts: np.ndarray) -> np.ndarray:
    codes = np.zeros((scripts.size, 2), dtype=np.uint8)
    for script, table in _COUNTRIES.items():
        rows = np.flatnonzero(scripts == script)
        values, weights = zip(*table, strict=True)
        shares = np.asarray(weights, dtype=float) / sum(weights)
        chosen = np.array(values, dtype="S2")[rng.choice(len(values), size=rows.size, p=shares)]
        codes[rows] = chosen.view(np.uint8).reshape(-1, 2)
    return codes


def _years(rng: np.random.Generator, n: int) -> np.ndarray:
    """Two ASCII digits per row; recent years are far more common, a tail back to 1950."""
    year = np.clip(2017 - np.floor(rng.exponential(7.0, n)).astype(int), 1950, 2017) % 100
    return np.stack([_DIGITS[year // 10], _DIGITS[year % 10]], axis=1)


def isrc_codes(rng: np.random.Generator, scripts: np.ndarray) -> np.ndarray:
    """One ISRC (bytes) per song; about 6% empty and a handful not fitting the pattern."""
    n = scripts.size
    chars = np.empty((n, 12), dtype=np.uint8)
    chars[:, :2] = _countries(rng, scripts)
    chars[:, 2:5] = _ALNUM[rng.integers(0, _ALNUM.size, size=(n, 3))]
    chars[:, 5:7] = _years(rng, n)
    chars[:, 7:] = _DIGITS[rng.integers(0, 10, size=(n, 5))]
    codes = np.ascontiguousarray(chars).view("S12").ravel()
    kind = rng.random(n)
    malformed = np.flatnonzero(kind < MALFORMED_RATE)
    if n > 1 and malformed.size == 0:
        malformed = np.array([n - 1])
    codes = codes.astype("S13")
    codes[malformed] = np.strings.add(np.strings.slice(codes[malformed], 0, 10), b"-X")
    codes[(kind >= MALFORMED_RATE) & (kind < MALFORMED_RATE + MISSING_RATE)] = b""
    return codes
