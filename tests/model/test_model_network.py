import torch

from encore.model import EncoreNet, ModelConfig, build_model, embedding_size

CARDINALITIES = [1000, 40, 5]


def batch(rows: int = 8) -> tuple[torch.Tensor, torch.Tensor]:
    categorical = torch.stack([torch.randint(0, size, (rows,)) for size in CARDINALITIES], 1)
    return categorical, torch.randn(rows, 3)


def test_forward_gives_one_logit_per_row():
    model = build_model(ModelConfig(), CARDINALITIES, numeric_features=3)
    assert model(*batch(8)).shape == (8,)


def test_embedding_sizes_grow_with_the_vocabulary_up_to_the_configured_bound():
    model = EncoreNet(ModelConfig(embedding_dim=10), CARDINALITIES, numeric_features=3)
    dims = model.embedding_dims
    assert dims == [10, embedding_size(40, 10), embedding_size(5, 10)]
    assert dims[2] < dims[1] <= 10


def test_the_same_seed_builds_the_same_weights():
    first = build_model(ModelConfig(seed=3), CARDINALITIES, 3).state_dict()
    second = build_model(ModelConfig(seed=3), CARDINALITIES, 3).state_dict()
    other = build_model(ModelConfig(seed=4), CARDINALITIES, 3).state_dict()
    assert all(torch.equal(first[name], second[name]) for name in first)
    assert not all(torch.equal(first[name], other[name]) for name in first)


def test_the_saved_config_rebuilds_a_model_that_takes_the_weights():
    config = ModelConfig(hidden=(16, 8), embedding_dim=4)
    trained = build_model(config, CARDINALITIES, 3)
    rebuilt = EncoreNet(ModelConfig.from_dict(config.to_dict()), CARDINALITIES, 3)
    rebuilt.load_state_dict(trained.state_dict())
    trained.eval()
    rebuilt.eval()
    inputs = batch(4)
    assert torch.equal(trained(*inputs), rebuilt(*inputs))
