"""What each job kind accepts, validated before a job is recorded or queued."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from encore.datasets.names import check_dataset_name
from encore.errors import EncoreError
from encore.model import PRESETS, ModelConfig

DEFAULT_LEARNING_RATES = [1e-1, 1e-2, 1e-3, 1e-4]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TrainParams(_Strict):
    """Train one model on a data set and register it as a new version."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"dataset": "kkbox", "preset": "default", "params": {"max_epochs": 20}}]
        },
    )

    dataset: str = Field(
        description="folder name under ENCORE_DATA_DIR holding the KKBOX files",
        examples=["kkbox"],
        min_length=1,
        max_length=255,
    )
    preset: Literal["default", "seed"] = Field(
        default="default", description="starting hyperparameters: ours, or the report's"
    )
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="ModelConfig fields overriding the preset",
        examples=[{"learning_rate": 0.001, "max_epochs": 20}],
    )

    @field_validator("dataset")
    @classmethod
    def _plain_name(cls, name: str) -> str:
        return check_dataset_name(name)

    def build_config(self) -> ModelConfig:
        return PRESETS[self.preset].with_values(self.params)


class SweepParams(TrainParams):
    """Train one model per learning rate and draw the report's figure 2."""

    learning_rates: list[float] = Field(
        default_factory=lambda: list(DEFAULT_LEARNING_RATES),
        min_length=1,
        max_length=10,
        description="one model per learning rate",
    )

    @field_validator("learning_rates")
    @classmethod
    def _in_range(cls, rates: list[float]) -> list[float]:
        if any(not 0 < rate < 10 for rate in rates):
            raise ValueError("every learning rate must be between 0 and 10")
        return rates


class ScoreParams(_Strict):
    """Score a test.csv-format file with a registered version into a submission file."""

    dataset: str = Field(
        min_length=1, max_length=255, description="folder name under ENCORE_DATA_DIR"
    )
    model_version: str | None = Field(default=None, description="a version; default: the active")
    input: str = Field(default="test.csv", description="file in the data set to score")

    @field_validator("dataset", "input")
    @classmethod
    def _plain_name(cls, name: str) -> str:
        return check_dataset_name(name)


class ImportParams(_Strict):
    """Unpack and validate an uploaded archive, then publish it as a data set."""

    dataset: str = Field(min_length=1, max_length=255, description="the new data set's name")
    upload: str = Field(
        min_length=1, max_length=255, description="the staging folder the API wrote the body to"
    )

    @field_validator("dataset", "upload")
    @classmethod
    def _plain_name(cls, name: str) -> str:
        return check_dataset_name(name)


PARAMS_BY_KIND: dict[str, type[_Strict]] = {
    "train": TrainParams,
    "sweep": SweepParams,
    "score": ScoreParams,
    "import": ImportParams,
}
# Kinds whose data set must exist when they are submitted (an import brings its own).
READS_DATASET = ("train", "sweep", "score")


def resolve_dataset(data_dir: Path, name: str) -> Path:
    """The data set's folder: a plain name directly under `data_dir`.

    A plain name cannot climb out of `data_dir`; a symlink the operator put there is followed.
    """
    root = data_dir.resolve()
    folder = root / check_dataset_name(name)
    try:
        found = folder.is_dir()
    except OSError as exc:  # a name the file system refuses: as good as absent
        raise EncoreError(f"dataset {name!r}: {exc.strerror}") from None
    if not found:
        raise EncoreError(f"dataset {name!r}: no such folder in {root}")
    return folder


def validate(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    """The parameters as stored with the job: checked, defaults filled in."""
    if kind not in PARAMS_BY_KIND:
        raise EncoreError(f"unknown job kind {kind!r} (known: {', '.join(PARAMS_BY_KIND)})")
    try:
        parsed = PARAMS_BY_KIND[kind].model_validate(raw)
        if isinstance(parsed, TrainParams):
            parsed.build_config()
    except ValidationError as exc:
        raise EncoreError(_first_error(exc)) from None
    return parsed.model_dump()


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg'].removeprefix('Value error, ')}"
