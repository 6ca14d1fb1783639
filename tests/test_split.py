import pytest

from encore import split
from encore.errors import EncoreError


def test_chronological_split_validates_on_the_latest_rows():
    train, valid = split.chronological(10, 0.2)
    assert train.tolist() == list(range(8))
    assert valid.tolist() == [8, 9]


def test_random_split_is_seeded_and_covers_every_row_once():
    train, valid = split.random(100, 0.2, seed=3)
    again_train, _ = split.random(100, 0.2, seed=3)
    other_train, _ = split.random(100, 0.2, seed=4)
    assert len(valid) == 20
    assert sorted(train.tolist() + valid.tolist()) == list(range(100))
    assert train.tolist() == sorted(train.tolist())
    assert train.tolist() == again_train.tolist()
    assert train.tolist() != other_train.tolist()


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1, 1.5])
def test_a_fraction_outside_zero_and_one_is_refused(fraction):
    with pytest.raises(EncoreError, match="between 0 and 1"):
        split.chronological(10, fraction)


def test_too_few_rows_to_split_is_refused():
    with pytest.raises(EncoreError, match="too few"):
        split.chronological(2, 0.1)
