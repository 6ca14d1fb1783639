"""The selection run's network carried over to the features fitted on every row.

The refit's processor knows more values than the selection run's (listeners and songs of the
newest plays) and has other means and deviations. The carried-over network gives every row
what the selected network gave it: a value both know keeps its vector, a value only the new
vocabulary keeps starts from the vector the selected network used for it (out of
vocabulary), each numeric column's new scaling is folded into the first layer, and what
the selected network lacks (width an embedding gains when its vocabulary grows past a size
step, a share column of a source value new to the vocabulary) starts at zero.
"""

from __future__ import annotations

import torch

from encore.features import FeatureProcessor
from encore.features.vocab import RESERVED, ids_at
from encore.model import EncoreNet, ModelConfig, build_model


def carried_over(
    selected: EncoreNet, old: FeatureProcessor, new: FeatureProcessor, config: ModelConfig
) -> EncoreNet:
    """A network for ``new``'s features that scores as ``selected`` did with ``old``'s."""
    model = build_model(config, new.cardinalities, len(new.numeric_names))
    names = new.categorical_names
    with torch.no_grad():
        for name, source, target in zip(names, selected.table_weights(), model.table_weights(),
                                        strict=True):  # fmt: skip
            target.zero_()
            rows = _old_rows(old, new, name)
            width = min(source.shape[1], target.shape[1])
            target[:, :width] = source[rows, :width]
        _first_layer(selected, model, old, new)
        for source_layer, target_layer in zip(list(selected.layers)[1:], list(model.layers)[1:],
                                              strict=True):  # fmt: skip
            target_layer.load_state_dict(source_layer.state_dict())
    return model


def _old_rows(old: FeatureProcessor, new: FeatureProcessor, name: str) -> torch.Tensor:
    """For each row of the new table, the old table's row that held its value."""
    before, after = old.vocabularies[name], new.vocabularies[name]
    positions = before.index.get_indexer(after.tokens[: after.kept])
    rows = ids_at(positions, before.kept)
    return torch.cat([torch.arange(RESERVED), torch.from_numpy(rows).long()])


def _first_layer(
    selected: EncoreNet, model: EncoreNet, old: FeatureProcessor, new: FeatureProcessor
) -> None:
    source, target = selected.layers[0], model.layers[0]
    assert isinstance(source, torch.nn.Linear) and isinstance(target, torch.nn.Linear)
    target.weight.zero_()
    target.bias.copy_(source.bias)
    old_at = new_at = 0
    for old_width, new_width in zip(selected.embedding_dims, model.embedding_dims, strict=True):
        width = min(old_width, new_width)
        target.weight[:, new_at : new_at + width] = source.weight[:, old_at : old_at + width]
        old_at, new_at = old_at + old_width, new_at + new_width
    old_columns = {name: column for column, name in enumerate(old.numeric_names)}
    for column, name in enumerate(new.numeric_names):
        if name not in old_columns:  # a share of a source value the old vocabulary lacked
            continue
        weight = source.weight[:, old_at + old_columns[name]]
        stretch, shift = _rescaling(old, new, name)
        target.weight[:, new_at + column] = weight * stretch
        target.bias.add_(weight * shift)


def _rescaling(old: FeatureProcessor, new: FeatureProcessor, name: str) -> tuple[float, float]:
    """``(a, b)`` with old-scaled value = a * new-scaled value + b (1, 0 for an indicator)."""
    before, after = old.scales.get(name), new.scales.get(name)
    if before is None or after is None:
        return 1.0, 0.0
    return after.std / before.std, (after.mean - before.mean) / before.std
