"""Settings of the feature processor, saved with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from encore.errors import EncoreError
from encore.features.spec import CATEGORICAL_NAMES


@dataclass(frozen=True)
class FeatureConfig:
    """``min_count``: training rows a value needs to get its own index (else out-of-vocabulary).

    The default 2 keeps values seen once out of the vocabulary, so the out-of-vocabulary
    index is trained on real rows and means something for songs and users first seen later.
    ``min_count_by_field`` overrides it per categorical field, e.g. {"song_id": 5}.
    """

    min_count: int = 2
    min_count_by_field: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.min_count_by_field) - set(CATEGORICAL_NAMES))
        if unknown:
            raise EncoreError(f"features: min_count_by_field names unknown field(s) {unknown}")
        for name, value in {"min_count": self.min_count, **self.min_count_by_field}.items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise EncoreError(f"features: min_count for {name} must be an integer >= 1")

    def min_count_for(self, name: str) -> int:
        return self.min_count_by_field.get(name, self.min_count)

    def to_dict(self) -> dict[str, Any]:
        return {"min_count": self.min_count, "min_count_by_field": dict(self.min_count_by_field)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureConfig:
        return cls(int(data["min_count"]), dict(data["min_count_by_field"]))
