"""Name and genre lists: real separators only, stripped pieces, honest flags."""

from __future__ import annotations

import numpy as np
import pandas as pd

from encore.features import text
from encore.features.coded import Coded, coded_text


def coded(*values: str | None) -> Coded:
    return coded_text(pd.Series(values, dtype="category"))


def decoded(field: Coded) -> list[str | None]:
    return list(field.per_row(np.asarray(field.values, dtype=object), None))


def artist_heads(*names: str | None) -> text.ListHead:
    return text.list_head(coded(*names), text.NAME_SEPARATORS)


def test_and_inside_a_name_does_not_split() -> None:
    heads = artist_heads("Brandon Flowers", "Pamela Anderson", "Band of Horses")
    assert decoded(heads.first) == ["Brandon Flowers", "Pamela Anderson", "Band of Horses"]
    assert decoded(heads.second) == [None, None, None]


def test_and_as_a_word_splits_in_any_case() -> None:
    heads = artist_heads("Simon and Garfunkel", "Belle And Sebastian")
    assert decoded(heads.first) == ["Simon", "Belle"]
    assert decoded(heads.second) == ["Garfunkel", "Sebastian"]


def test_pipe_with_two_spaces_gives_stripped_names_and_more_flag() -> None:
    heads = artist_heads("TEDDY|  FUTURE BOUNCE|  Bekuh BOOM", "A|  B")
    assert decoded(heads.first) == ["TEDDY", "A"]
    assert decoded(heads.second) == ["FUTURE BOUNCE", "B"]
    assert heads.more_than_two.tolist() == [True, False]


def test_every_real_separator_splits() -> None:
    heads = artist_heads("A/B", "A & B", "A、B", "A; B", "A feat. B", "A Feat B", "A feat.B")
    assert decoded(heads.first) == ["A"] * 7
    assert decoded(heads.second) == ["B"] * 7


def test_feat_at_a_word_start_only() -> None:
    heads = artist_heads("Feathers", "The Feathers", "Defeat")
    assert decoded(heads.first) == ["Feathers", "The Feathers", "Defeat"]
    assert text.has_featuring(coded("Feathers", "The Feathers", "Defeat")).tolist() == [
        False,
        False,
        False,
    ]


def test_empty_pieces_are_dropped() -> None:
    heads = artist_heads("|  A||  B|  ", "  ")
    assert decoded(heads.first) == ["A", None]
    assert decoded(heads.second) == ["B", None]
    assert heads.more_than_two.tolist() == [False, False]


def test_featuring_flag_is_case_insensitive_and_false_when_missing() -> None:
    flags = text.has_featuring(coded("A feat. B", "A Feat B", "A (featuring B)", "A", None))
    assert flags.tolist() == [True, True, True, False, False]


def test_genres_split_on_pipes_only() -> None:
    heads = text.list_head(coded("465|1609|2022", "458", None), text.GENRE_SEPARATOR)
    assert decoded(heads.first) == ["465", "458", None]
    assert decoded(heads.second) == ["1609", None, None]
    assert heads.more_than_two.tolist() == [True, False, False]


def test_missing_names_never_equal_each_other() -> None:
    artists = coded(None, "Jay Chou", "Jay Chou", None)
    composers = coded(None, None, "jay chou", "Jay Chou")
    lyricists = coded(None, "Jay Chou", None, None)
    names = text.canonical_names(artists)
    assert text.credited(names, composers).tolist() == [0, 0, 1, 0]
    assert text.credited(names, lyricists).tolist() == [0, 1, 0, 0]


def test_credits_ignore_separator_style_and_spaces() -> None:
    artists = coded("TEDDY|  Bekuh BOOM", "A", "A|  B")
    composers = coded("teddy | bekuh boom", "B", "A")
    assert text.credited(text.canonical_names(artists), composers).tolist() == [1, 0, 0]


def test_a_value_only_one_side_holds_is_not_equal_to_missing() -> None:
    # "B" is absent from the composer values: it must not match a missing composer.
    is_composer = text.credited(text.canonical_names(coded("B", "A")), coded(None, "A"))
    assert is_composer.tolist() == [0, 1]
