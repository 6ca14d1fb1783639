"""The feature processor: fitted on training plays only, then applied unchanged anywhere.

``fit_parts`` learns, from the training plays, a vocabulary per categorical field, the share
tables and a mean and deviation per numeric column, and returns the coded parts of the tables
it was given; ``part`` codes any other table of a part with what was learnt, and
``transform`` does both steps for a frame of joined plays. The fields, their order and
their derivations all come from spec.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from encore.errors import EncoreError
from encore.features.coded import Coded, Singles
from encore.features.config import FeatureConfig
from encore.features.evaluate import Evaluation
from encore.features.parts import FeatureMatrix, PartArrays, gather
from encore.features.rows import Rows, rows_of
from encore.features.scaling import Scale
from encore.features.spec import (
    CATEGORICAL,
    PARTS,
    Field,
    Part,
    PlayCount,
    Shares,
    categorical_of,
    fields_of,
)
from encore.features.stats import ShareTable
from encore.features.vocab import Vocabulary

FORMAT = "encore-features"
VERSION = 2
SHARES = tuple(entry for part in PARTS for entry in fields_of(part) if isinstance(entry, Shares))

Parts = dict[Part, PartArrays]


class FeatureProcessor:
    """``fit_parts`` on training plays (or ``load``), then ``part`` or ``transform``."""

    def __init__(self, config: FeatureConfig | None = None) -> None:
        self.config = config or FeatureConfig()
        self.vocabularies: dict[str, Vocabulary] = {}
        self.shares: dict[str, ShareTable] = {}
        self.scales: dict[str, Scale] = {}

    def fit_parts(self, rows: Rows) -> Parts:
        """Learn from ``rows`` (the training plays) and code their tables' parts."""
        if len(rows) == 0:
            raise EncoreError("features: cannot fit on an empty training frame")
        evaluations = {part: Evaluation(part, rows.tables[part], self) for part in PARTS}
        self._fit_vocabularies(evaluations, rows.at)
        self._fit_shares(evaluations, rows.at)
        self.scales = {}
        for part, evaluation in evaluations.items():
            names = self.numeric_names_of(part)
            for name, (raw, indicator) in zip(names, _numeric_values(evaluation), strict=True):
                if not indicator:
                    self.scales[name] = Scale.fit(raw[rows.at[part]])
        return {part: self._coded(evaluation) for part, evaluation in evaluations.items()}

    def fit(self, frame: pd.DataFrame) -> FeatureProcessor:
        """``fit_parts`` on a frame of joined training plays."""
        self.fit_parts(rows_of(frame))
        return self

    def fit_transform(self, frame: pd.DataFrame) -> FeatureMatrix:
        rows = rows_of(frame)
        return gather(self.fit_parts(rows), rows.at)

    def transform(self, frame: pd.DataFrame) -> FeatureMatrix:
        """Features of a frame of joined plays; unseen values map to out-of-vocabulary."""
        rows = rows_of(frame)
        return gather(self.parts(rows.tables), rows.at)

    def parts(self, tables: Mapping[Part, pd.DataFrame]) -> Parts:
        return {part: self.part(part, tables[part]) for part in PARTS}

    def part(self, part: Part, table: pd.DataFrame) -> PartArrays:
        """The coded part of every row of ``table`` (the part's input columns)."""
        self._require_fitted()
        return self._coded(Evaluation(part, table, self))

    @property
    def is_fitted(self) -> bool:
        return bool(self.scales)

    @property
    def categorical_names(self) -> list[str]:
        return [name for part in PARTS for name in categorical_of(part)]

    @property
    def cardinalities(self) -> list[int]:
        """Indices per categorical field, padding, out-of-vocabulary and missing included."""
        self._require_fitted()
        return [self.vocabularies[name].size for name in self.categorical_names]

    @property
    def numeric_names(self) -> list[str]:
        self._require_fitted()
        return [name for part in PARTS for name in self.numeric_names_of(part)]

    def numeric_names_of(self, part: Part) -> list[str]:
        """The part's numeric columns in order: each missable field followed by its
        ``_missing`` indicator, each share field by one column per source index."""
        names: list[str] = []
        for entry in fields_of(part):
            if isinstance(entry, Shares):
                tokens = self.vocabularies[entry.source].token_names()
                names += [f"{entry.name}={token}" for token in tokens]
            elif isinstance(entry, PlayCount) or entry.kind == "numeric":
                names.append(entry.name)
                if isinstance(entry, Field) and entry.missable:
                    names.append(f"{entry.name}_missing")
        return names

    def to_json(self) -> str:
        self._require_fitted()
        payload = {
            "format": FORMAT,
            "version": VERSION,
            "config": self.config.to_dict(),
            "layout": self._layout(),
            "vocabularies": {name: v.to_dict() for name, v in self.vocabularies.items()},
            "shares": {name: table.to_dict() for name, table in self.shares.items()},
            "scales": {name: [s.mean, s.std] for name, s in self.scales.items()},
        }
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> FeatureProcessor:
        try:
            return cls._from_payload(json.loads(text))
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            raise EncoreError(f"features: not a saved feature processor ({exc})") from None

    def save(self, path: Path) -> None:
        try:
            Path(path).write_text(self.to_json(), encoding="utf-8")
        except OSError as exc:
            raise EncoreError(f"features: cannot write {path}: {exc.strerror}") from None

    @classmethod
    def load(cls, path: Path) -> FeatureProcessor:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise EncoreError(f"features: cannot read {path}: {exc}") from None
        try:
            return cls.from_json(text)
        except EncoreError as exc:
            raise EncoreError(f"{path}: {exc}") from None

    def _fit_vocabularies(
        self, evaluations: Mapping[Part, Evaluation], at: Mapping[Part, npt.NDArray[np.intp]]
    ) -> None:
        self.vocabularies = {}
        for field in CATEGORICAL:
            coded: Coded = evaluations[field.part].field(field.name)
            played = Coded(coded.codes[at[field.part]], coded.values)
            self.vocabularies[field.name] = Vocabulary.fit(
                played, self.config.min_count_for(field.name)
            )

    def _fit_shares(
        self, evaluations: Mapping[Part, Evaluation], at: Mapping[Part, npt.NDArray[np.intp]]
    ) -> None:
        self.shares = {}
        for entry in SHARES:
            keys, sources = self.vocabularies[entry.key], self.vocabularies[entry.source]
            source_part = next(f.part for f in CATEGORICAL if f.name == entry.source)
            key_rows = keys.positions(evaluations[entry.part].field(entry.key))[at[entry.part]]
            source_rows = sources.ids(evaluations[source_part].field(entry.source))
            self.shares[entry.name] = ShareTable.fit(
                key_rows, source_rows[at[source_part]], len(keys.tokens), sources.size
            )

    def _coded(self, evaluation: Evaluation) -> PartArrays:
        fields = categorical_of(evaluation.part)
        codes = np.empty((len(evaluation), len(fields)), dtype=np.int32)
        for j, name in enumerate(fields):
            codes[:, j] = self.vocabularies[name].ids(evaluation.field(name))
        names = self.numeric_names_of(evaluation.part)
        numeric = np.empty((len(evaluation), len(names)), dtype=np.float32)
        for j, (name, (raw, indicator)) in enumerate(
            zip(names, _numeric_values(evaluation), strict=True)
        ):
            numeric[:, j] = raw if indicator else self.scales[name].apply(raw)
        return PartArrays(codes, numeric)

    def _layout(self) -> dict[str, dict[str, list[str]]]:
        return {
            part: {
                "categorical": list(categorical_of(part)),
                "numeric": self.numeric_names_of(part),
            }
            for part in PARTS
        }

    def _require_fitted(self) -> None:
        if not self.is_fitted:
            raise EncoreError("features: the processor is not fitted: fit it or load one")

    @classmethod
    def _from_payload(cls, payload: dict[str, Any]) -> FeatureProcessor:
        if payload.get("format") != FORMAT or payload.get("version") != VERSION:
            raise ValueError(
                f"expected format {FORMAT!r} version {VERSION} (a version written by another "
                "release of Encore: train it again)"
            )
        processor = cls(FeatureConfig.from_dict(payload["config"]))
        vocabularies = payload["vocabularies"]
        processor.vocabularies = {
            name: Vocabulary.from_dict(vocabularies[name], processor.config.min_count_for(name))
            for name in processor.categorical_names
        }
        processor.shares = {
            entry.name: ShareTable.from_dict(
                payload["shares"][entry.name], processor.vocabularies[entry.source].size
            )
            for entry in SHARES
        }
        processor.scales = {
            name: Scale(float(mean), float(std)) for name, (mean, std) in payload["scales"].items()
        }
        if processor._layout() != payload["layout"]:
            raise ValueError("its fields differ from this release's feature spec: train it again")
        return processor


def _numeric_values(evaluation: Evaluation) -> Iterator[tuple[Singles, bool]]:
    """Every numeric column of the part before scaling, in ``numeric_names_of``'s order,
    with whether it is a missing indicator (0/1, never scaled)."""
    for entry in fields_of(evaluation.part):
        if isinstance(entry, Shares):
            yield from ((column, False) for column in evaluation.field(entry.name))
        elif isinstance(entry, PlayCount) or entry.kind == "numeric":
            raw = evaluation.numbers(entry.name)
            yield raw, False
            if isinstance(entry, Field) and entry.missable:
                indicator: Singles = np.isnan(raw).astype(np.float32)
                yield indicator, True
