"""KKBOX-style identifiers: standard base64 of 32 random bytes (44 characters, one "=")."""

from __future__ import annotations

import numpy as np

_ALPHABET = np.frombuffer(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", dtype=np.uint8
)
_RAW_BYTES = 32
_ID_CHARS = 44


def _base64_rows(raw: np.ndarray) -> np.ndarray:
    """Base64-encode each row of a (n, 32) uint8 array at once; returns (n, 44) uint8."""
    padded = np.zeros((raw.shape[0], _RAW_BYTES + 1), dtype=np.uint8)
    padded[:, :_RAW_BYTES] = raw
    first, second, third = (padded[:, i::3] for i in range(3))
    sextets = np.empty((raw.shape[0], first.shape[1], 4), dtype=np.uint8)
    sextets[..., 0] = first >> 2
    sextets[..., 1] = ((first & 3) << 4) | (second >> 4)
    sextets[..., 2] = ((second & 15) << 2) | (third >> 6)
    sextets[..., 3] = third & 63
    chars = np.take(_ALPHABET, sextets.reshape(raw.shape[0], -1))
    chars[:, -1] = ord("=")
    return chars


def _distinct_raw(rng: np.random.Generator, count: int) -> np.ndarray:
    """(count, 32) random bytes whose first 8 bytes differ row to row (so the ids differ)."""
    raw = np.empty((0, _RAW_BYTES), dtype=np.uint8)
    while raw.shape[0] < count:
        missing = count - raw.shape[0]
        fresh = np.frombuffer(rng.bytes(missing * _RAW_BYTES), dtype=np.uint8)
        raw = np.concatenate([raw, fresh.reshape(missing, _RAW_BYTES)])
        prefix = np.ascontiguousarray(raw[:, :8]).view(np.uint64).ravel()
        _, first = np.unique(prefix, return_index=True)
        raw = raw[np.sort(first)]
    return raw


def random_ids(rng: np.random.Generator, count: int) -> np.ndarray:
    """`count` distinct ids as a bytes array (dtype S44)."""
    chars = _base64_rows(_distinct_raw(rng, count))
    return np.ascontiguousarray(chars).view(f"S{_ID_CHARS}").ravel()
