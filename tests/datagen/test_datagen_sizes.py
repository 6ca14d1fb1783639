"""Table sizes: the real counts at full scale, sensible proportions below it."""

from __future__ import annotations

from encore.datagen.sizes import SCALES, sizes_for


def test_full_scale_has_the_real_counts() -> None:
    sizes = sizes_for(SCALES["full"])
    assert sizes.train_rows == 7_377_418
    assert sizes.test_rows == 2_556_790
    assert sizes.members == 34_403
    assert sizes.members - sizes.test_only_users == 30_755  # users in train
    assert sizes.members - sizes.train_only_users == 25_131  # users in test
    assert sizes.catalogue_songs == 2_296_320
    assert sizes.extra_rows == 2_295_971
    assert sizes.played_songs == 419_839
    assert sizes.played_songs - sizes.test_only_songs == 359_966  # songs in train
    assert sizes.played_songs - sizes.train_only_songs == 224_753  # songs in test
    assert 20 <= sizes.uncatalogued_songs <= 60


def test_smaller_scales_keep_the_proportions() -> None:
    full, small = sizes_for(SCALES["full"]), sizes_for(SCALES["small"])
    ratio = small.train_rows / full.train_rows
    for name in ("test_rows", "members", "catalogue_songs", "played_songs"):
        assert abs(getattr(small, name) / getattr(full, name) - ratio) < 0.01 * ratio + 1e-3, name


def test_tiny_sets_still_have_every_kind_of_user_and_song() -> None:
    sizes = sizes_for(100)
    assert sizes.test_rows >= 50
    assert min(sizes.train_only_users, sizes.shared_users, sizes.test_only_users) >= 1
    assert min(sizes.train_only_songs, sizes.shared_songs, sizes.test_only_songs) >= 1
    assert sizes.uncatalogued_songs >= 1
    assert sizes.catalogue_songs > sizes.played_songs
