"""Vectorised synthesis of artist, composer and song names in Latin, Chinese, Japanese and Korean.

Every function returns a numpy StringDType array; nothing loops per name in Python.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.dtypes import StringDType

TEXT = StringDType()


def _words(text: str) -> list[str]:
    return text.split()


_LATIN_SYLLABLES = _words(
    "ka lo mi ra ten son bel mar dy an jo el ri chan lee vin so ta ne ro da li ber ton mo "
    "sa ve kin la ny gar ric har ley mon ty al fie ste ven tor ia ed wa ly na ja mes ol iv"
)
_ENGLISH_WORDS = _words(
    "Love Night Heart Rain Dream Fire Summer Home Baby Light Forever Girl Time Dance Sky "
    "Moon Star Blue Lonely Tonight Sweet Wild Little Broken Golden Ocean Goodbye Yesterday "
    "Again Together Stay Run Young Free Shadow Angel Silent Crazy Paradise Memories Road "
    "City Falling Rise Miss Letter Happy Christmas Wish Song Waiting Promise Stranger"
)
_HAN = (
    "我們你的愛情心天人一不是在有夢想時光風雨花月星海雲夜晚春夏秋冬美麗幸福寂寞快樂"
    "回憶永遠相信再見離開等待思念溫柔眼淚微笑青春城市故鄉小王陳林張李黃周吳劉蔡楊許鄭謝"
)
_KANA = (
    "あいうえおかきくけこさしすせそたちつてとなにぬねのまみむめもらりるれろ"
    "アイウエオカキクケコサシスセソ"
)
_HANGUL = "사랑너나우리하늘별밤꿈마음눈물바람시간오늘안녕그대봄여름가을겨울"

CJK_CHINESE, CJK_JAPANESE, CJK_KOREAN, LATIN = 0, 1, 2, 3
SCRIPTS = (LATIN, CJK_CHINESE, CJK_JAPANESE, CJK_KOREAN)
_LANGUAGE_SCRIPTS = {
    3: CJK_CHINESE,
    10: CJK_CHINESE,
    24: CJK_CHINESE,
    17: CJK_JAPANESE,
    31: CJK_KOREAN,
}


def _pool(chars: str | list[str]) -> np.ndarray:
    return np.array(list(chars), dtype=TEXT)


def script_of_language(language: np.ndarray) -> np.ndarray:
    """Which script names of a song in this language are written in (Latin by default)."""
    scripts = np.full(language.size, LATIN)
    for code, script in _LANGUAGE_SCRIPTS.items():
        scripts[language == code] = script
    return scripts


def join_pieces(
    rng: np.random.Generator, pool: np.ndarray, n: int, lengths: np.ndarray, glue: str = ""
) -> np.ndarray:
    """n strings, the i-th made of lengths[i] random pieces of `pool` joined by `glue`."""
    picks = pool[rng.integers(0, pool.size, size=(n, int(lengths.max(initial=1))))]
    out = picks[:, 0].copy()
    for j in range(1, picks.shape[1]):
        out = np.where(lengths > j, np.strings.add(np.strings.add(out, glue), picks[:, j]), out)
    return out


def latin_words(
    rng: np.random.Generator, n: int, syllables: tuple[int, int] = (1, 3)
) -> np.ndarray:
    lengths = rng.integers(syllables[0], syllables[1] + 1, size=n)
    return np.strings.capitalize(join_pieces(rng, _pool(_LATIN_SYLLABLES), n, lengths))


def _by_script(scripts: np.ndarray, makers: dict[int, Callable[[int], np.ndarray]]) -> np.ndarray:
    """Fill each entry with a name from the maker of its script, making only what is needed."""
    out = np.full(scripts.size, "", dtype=TEXT)
    for script, make in makers.items():
        rows = np.flatnonzero(scripts == script)
        if rows.size:
            out[rows] = make(rows.size)
    return out


def person_names(rng: np.random.Generator, scripts: np.ndarray) -> np.ndarray:
    """A personal name per entry, in the given script."""

    def latin(n: int) -> np.ndarray:
        return np.strings.add(np.strings.add(latin_words(rng, n), " "), latin_words(rng, n))

    return _by_script(
        scripts,
        {
            LATIN: latin,
            CJK_CHINESE: lambda n: join_pieces(rng, _pool(_HAN), n, rng.integers(2, 4, size=n)),
            CJK_JAPANESE: lambda n: join_pieces(rng, _pool(_KANA), n, rng.integers(3, 6, size=n)),
            CJK_KOREAN: lambda n: join_pieces(rng, _pool(_HANGUL), n, rng.integers(2, 4, size=n)),
        },
    )


def plain_titles(rng: np.random.Generator, scripts: np.ndarray) -> np.ndarray:
    """A song title per entry: a few English words, or a few CJK characters."""
    return _by_script(
        scripts,
        {
            LATIN: lambda n: join_pieces(
                rng, _pool(_ENGLISH_WORDS), n, rng.integers(1, 4, size=n), " "
            ),
            CJK_CHINESE: lambda n: join_pieces(rng, _pool(_HAN), n, rng.integers(2, 6, size=n)),
            CJK_JAPANESE: lambda n: join_pieces(rng, _pool(_KANA), n, rng.integers(3, 8, size=n)),
            CJK_KOREAN: lambda n: join_pieces(rng, _pool(_HANGUL), n, rng.integers(2, 5, size=n)),
        },
    )


def with_suffix(names: np.ndarray, mask: np.ndarray, suffix: np.ndarray | str) -> np.ndarray:
    return np.where(mask, np.strings.add(names, suffix), names)


def force_some(rng: np.random.Generator, mask: np.ndarray, minimum: int) -> np.ndarray:
    """`mask` with at least `minimum` True entries (so rare quirks exist even in tiny sets)."""
    missing = minimum - int(mask.sum())
    if missing <= 0:
        return mask
    forced = mask.copy()
    forced[rng.choice(np.flatnonzero(~mask), size=missing, replace=False)] = True
    return forced
