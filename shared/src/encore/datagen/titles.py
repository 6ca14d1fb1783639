"""Song names for song_extra_info.csv, with the decorations that make CSV quoting matter."""

from __future__ import annotations

import numpy as np

from encore.datagen.names import LATIN, force_some, person_names, plain_titles

# (suffix kind, rate): every kind appears at least once, even in a tiny catalogue.
_FEAT, _LIVE, _PIPE, _COMMA, _QUOTE, _NEWLINE = range(6)
_RATES = (0.03, 0.02, 0.03, 0.005, 0.008, 0.0001)


def _suffixes(rng: np.random.Generator, kind: int, scripts: np.ndarray) -> np.ndarray:
    n = scripts.size
    if kind == _FEAT:
        return np.strings.add(np.strings.add(" (feat. ", person_names(rng, np.full(n, LATIN))), ")")
    if kind == _LIVE:
        return np.full(n, " (Live)", dtype=np.dtypes.StringDType())
    glue = {_PIPE: "| ", _COMMA: ", ", _QUOTE: ' (From "', _NEWLINE: "\n"}[kind]
    tail = np.strings.add(glue, plain_titles(rng, scripts))
    return np.strings.add(tail, '")') if kind == _QUOTE else tail


def song_titles(rng: np.random.Generator, scripts: np.ndarray) -> np.ndarray:
    titles = plain_titles(rng, scripts)
    draw = rng.random(titles.size)
    low = 0.0
    for kind, rate in enumerate(_RATES):
        chosen = force_some(rng, (draw >= low) & (draw < low + rate), 1)
        rows = np.flatnonzero(chosen)
        titles[rows] = np.strings.add(titles[rows], _suffixes(rng, kind, scripts[rows]))
        low += rate
    return titles
