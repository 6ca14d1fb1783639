"""artist_name, composer and lyricist fields: several names joined the way the real files do."""

from __future__ import annotations

import numpy as np

from encore.datagen.coded import Coded, coded_by_script
from encore.datagen.names import (
    CJK_CHINESE,
    LATIN,
    TEXT,
    force_some,
    person_names,
    with_suffix,
)

COMPOSER_MISSING = 0.467
LYRICIST_MISSING = 0.847
_CREDIT_SEPARATORS = (
    ("| ", 70.0),
    ("|  ", 10.0),
    ("|", 5.0),
    ("/", 9.0),
    (";", 3.0),
    (" & ", 2.0),
    ("、", 1.0),
)
_ARTIST_SEPARATORS = (
    (" & ", 40.0),
    ("| ", 20.0),
    ("|  ", 5.0),
    (" feat. ", 10.0),
    (" and ", 10.0),
    ("/", 10.0),
    ("、", 3.0),
    ("; ", 2.0),
)
_SONGS_PER_CREDIT = 6
_CREDIT_COUNT_SHARES = np.array([75.0, 14.0, 6.0, 3.0, 2.0])


def _join_names(
    rng: np.random.Generator,
    first: np.ndarray,
    others: list[np.ndarray],
    count: np.ndarray,
    separators: tuple[tuple[str, float], ...],
) -> np.ndarray:
    """Join count[i] names (first, others[0], ...) with one separator drawn per entry."""
    seps, weights = zip(*separators, strict=True)
    shares = np.asarray(weights) / sum(weights)
    sep = np.array(seps, dtype=TEXT)[rng.choice(len(seps), size=first.size, p=shares)]
    out = first
    for j, name in enumerate(others, start=1):
        out = np.where(count > j, np.strings.add(np.strings.add(out, sep), name), out)
    return out


def _with_nicknames(rng: np.random.Generator, people: np.ndarray, rate: float) -> np.ndarray:
    """Some names carry a quoted nickname, e.g. Aliaune "Akon" Thiam (quotes get doubled)."""
    rows = np.flatnonzero(force_some(rng, rng.random(people.size) < rate, 1))
    nickname = person_names(rng, np.full(rows.size, LATIN))
    out = people.copy()
    out[rows] = np.strings.add(np.strings.add(np.strings.add(out[rows], ' "'), nickname), '"')
    return out


def artist_names(rng: np.random.Generator, scripts: np.ndarray) -> np.ndarray:
    """Artists: one name, or a few joined by "&", "|  ", " feat. ", "/", ...; many CJK ones."""
    n = scripts.size
    main = person_names(rng, scripts)
    english = person_names(rng, np.full(n, LATIN))
    bilingual = (scripts == CJK_CHINESE) & (rng.random(n) < 0.5)
    main = with_suffix(main, bilingual, np.strings.add(np.strings.add(" (", english), ")"))
    count = np.where(rng.random(n) < 0.05, rng.integers(2, 4, size=n), 1)
    count = np.where(force_some(rng, count > 1, min(n, 3)), np.maximum(count, 2), 1)
    others = [person_names(rng, scripts) for _ in range(2)]
    joined = _join_names(rng, main, others, count, _ARTIST_SEPARATORS)
    joined[0] = "Various Artists"
    return joined.astype(TEXT)


def _credits(rng: np.random.Generator, scripts: np.ndarray) -> np.ndarray:
    """Credit strings: one to five people joined by "| ", "|  ", "/", ";", ..."""
    n = scripts.size
    count = rng.choice(np.arange(1, 6), size=n, p=_CREDIT_COUNT_SHARES / _CREDIT_COUNT_SHARES.sum())
    count = np.where(force_some(rng, count > 1, min(n, 5)), np.maximum(count, 2), 1)
    people = [_with_nicknames(rng, person_names(rng, scripts), 0.005)]
    people += [person_names(rng, scripts) for _ in range(4)]
    return _join_names(rng, people[0], people[1:], count, _CREDIT_SEPARATORS)


def credit_fields(rng: np.random.Generator, scripts: np.ndarray) -> tuple[Coded, Coded]:
    """(composer, lyricist) per song. Lyricist often repeats the composer."""
    n = scripts.size
    composer = coded_by_script(rng, scripts, lambda s: _credits(rng, s), _SONGS_PER_CREDIT)
    own = coded_by_script(rng, scripts, lambda s: _credits(rng, s), _SONGS_PER_CREDIT)
    same = rng.random(n) < 0.4
    lyricist = Coded(
        np.concatenate([composer.vocab, own.vocab]),
        np.where(same, composer.codes, composer.vocab.size + own.codes),
    )
    return (
        composer.blank_where(rng.random(n) < COMPOSER_MISSING),
        lyricist.blank_where(rng.random(n) < LYRICIST_MISSING),
    )
