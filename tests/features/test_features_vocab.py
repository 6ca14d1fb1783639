"""Vocabularies: reserved indices, min_count, most frequent first."""

from __future__ import annotations

import pandas as pd

from encore.features.coded import Coded, coded_text
from encore.features.vocab import MISSING, OOV, Vocabulary


def coded(*values: str | None) -> Coded:
    return coded_text(pd.Series(values, dtype="category"))


def test_values_below_min_count_are_out_of_vocabulary() -> None:
    vocab = Vocabulary.fit(coded("b", "a", "b", "c", "c", "c"), min_count=2)
    assert vocab.tokens == ["c", "b", "a"]
    assert vocab.size == 5  # padding, out-of-vocabulary, missing, "c", "b"
    assert vocab.ids(coded("c", "b", "a", "never seen", None)).tolist() == [3, 4, OOV, OOV, MISSING]


def test_min_count_one_keeps_every_training_value() -> None:
    vocab = Vocabulary.fit(coded("b", "a", "b"), min_count=1)
    assert vocab.ids(coded("a", "b")).tolist() == [4, 3]
    assert vocab.size == 5


def test_ties_are_ordered_by_value() -> None:
    vocab = Vocabulary.fit(coded("z", "y", "x", "y", "z", "x"), min_count=1)
    assert vocab.tokens == ["x", "y", "z"]


def test_training_counts_include_rare_values_and_zero_for_unseen() -> None:
    vocab = Vocabulary.fit(coded("a", "b", "b", None), min_count=2)
    assert vocab.training_counts(coded("a", "b", "new", None)).tolist() == [1, 2, 0, 0]


def test_categories_absent_from_the_rows_are_not_counted() -> None:
    rows = pd.Series(["a", "b"], dtype=pd.CategoricalDtype(["a", "b", "unused"]))
    vocab = Vocabulary.fit(coded_text(rows), min_count=1)
    assert vocab.tokens == ["a", "b"]


def test_dict_round_trip_keeps_ids() -> None:
    vocab = Vocabulary.fit(coded("a", "b", "b"), min_count=2)
    again = Vocabulary.from_dict(vocab.to_dict(), min_count=2)
    assert again.ids(coded("a", "b", None)).tolist() == vocab.ids(coded("a", "b", None)).tolist()
