import json

import pytest

from encore.errors import EncoreError
from encore.model import PRESETS, ModelConfig
from encore.model.config import AUTO_RATE, LONG_EPOCH_DECAY


def test_config_survives_a_json_round_trip():
    config = ModelConfig(hidden=(64, 32), learning_rate=0.01, split="random")
    restored = ModelConfig.from_dict(json.loads(json.dumps(config.to_dict())))
    assert restored == config
    assert config.to_dict()["hidden"] == [64, 32]


def test_overrides_parse_each_field_as_its_type():
    config = ModelConfig().with_overrides(
        {"batch_size": "1024", "learning_rate": "1e-4", "hidden": "256,128", "split": "random"}
    )
    assert config.batch_size == 1024
    assert config.learning_rate == pytest.approx(1e-4)
    assert config.hidden == (256, 128)
    assert config.split == "random"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("batch_sise", "1024"),  # unknown key
        ("batch_size", "many"),  # not an integer
        ("batch_size", "2.5"),
        ("batch_size", "-1"),
        ("hidden", "64"),  # needs two sizes
        ("dropout", "1.5"),  # out of range
        ("learning_rate", "-1"),
        ("lr_factor", "1"),
        ("split", "sideways"),
    ],
)
def test_a_bad_override_is_a_user_error_naming_the_key(key, value):
    with pytest.raises(EncoreError, match=key):
        ModelConfig().with_overrides({key: value})


@pytest.mark.parametrize(
    ("train_rows", "rows"),
    [(0, 128), (5_000, 128), (12_000, 128), (30_000, 256), (80_000, 1024), (400_000, 4096),
     (5_900_000, 4096)],
)  # fmt: skip
def test_the_auto_batch_gives_about_a_hundred_steps_an_epoch_within_bounds(train_rows, rows):
    assert ModelConfig().batch_size == 0
    assert ModelConfig().batch_rows(train_rows) == rows


def test_an_explicit_batch_size_is_used_as_given():
    assert ModelConfig(batch_size=512).batch_rows(5_900_000) == 512
    assert PRESETS["seed"].batch_rows(12_000) == 800_000


def test_a_saved_config_with_an_unknown_key_is_refused():
    with pytest.raises(EncoreError, match="colour"):
        ModelConfig.from_dict({**ModelConfig().to_dict(), "colour": "blue"})


def test_the_seed_preset_has_the_reports_settings():
    seed = PRESETS["seed"]
    assert seed.batch_size == 800_000
    assert seed.learning_rate == pytest.approx(1e-2)
    assert (seed.early_stopping_patience, seed.min_improvement) == (10, 0.01)
    assert seed.hidden == (32, 16)


def test_every_preset_keeps_the_issues_training_rules():
    for config in PRESETS.values():
        assert (config.max_epochs, config.lr_patience, config.lr_factor) == (100, 3, 0.1)
        assert config.split == "chronological"


@pytest.mark.parametrize("train_rows", [8_000, 12_000, 30_000, 400_000, 600_000])
def test_the_auto_rate_is_the_tuned_one_while_epochs_are_short(train_rows):
    """The sample's, the demo's and the small generated set's runs keep 5e-3."""
    assert ModelConfig().learning_rate == 0
    assert ModelConfig().rate(train_rows) == pytest.approx(AUTO_RATE)


def test_the_auto_rate_falls_for_long_epochs_and_a_set_rate_is_kept():
    full_scale, larger = ModelConfig().rate(5_900_000), ModelConfig().rate(20_000_000)
    assert larger < full_scale < AUTO_RATE / 2
    assert ModelConfig(learning_rate=3e-3).rate(5_900_000) == pytest.approx(3e-3)
    assert ModelConfig(batch_size=128).rate(400_000) < AUTO_RATE / 2, "many small steps"


@pytest.mark.parametrize(
    ("refit_from", "train_rows", "start"),
    [("auto", 12_000, "fresh"), ("auto", 400_000, "fresh"), ("auto", 5_900_000, "selected"),
     ("fresh", 5_900_000, "fresh"), ("selected", 12_000, "selected")],
)  # fmt: skip
def test_the_refit_continues_the_selected_network_only_where_epochs_are_long(
    refit_from, train_rows, start
):
    assert ModelConfig(refit_from=refit_from).refit_start(train_rows) == start


def test_the_tables_keep_the_short_epoch_rate_for_the_first_epochs_of_long_ones():
    config, long_rows = ModelConfig(), 5_900_000
    first = config.fast_table_epochs
    assert config.rate(long_rows) * config.table_boost(long_rows, 1) == pytest.approx(AUTO_RATE)
    assert config.rate(long_rows) * config.table_boost(long_rows, first) == pytest.approx(AUTO_RATE)
    assert config.table_boost(long_rows, first + 1) == 1.0
    assert config.table_boost(400_000, 1) == 1.0, "short epochs: one rate for everything"
    assert ModelConfig(learning_rate=5e-4).table_boost(long_rows, 1) == 1.0, "a set rate is kept"


def test_long_epochs_with_the_auto_rate_take_less_weight_decay():
    config, long_rows = ModelConfig(), 5_900_000
    assert config.decay(400_000) == config.weight_decay, "short epochs keep the tuned decay"
    assert config.decay(long_rows) == pytest.approx(config.weight_decay * LONG_EPOCH_DECAY)
    assert ModelConfig(learning_rate=5e-4).decay(long_rows) == 1e-4, "set rate, set decay"
    assert ModelConfig(weight_decay=0.0).decay(long_rows) == 0.0
