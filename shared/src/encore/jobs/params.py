"""What each job kind accepts, validated before a job is recorded or queued."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from encore.datasets.names import check_dataset_name
from encore.errors import EncoreError
from encore.model import PRESETS, ModelConfig
from encore.model.config import PARAMS, Param

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
        description="configuration values overriding the preset's; every key, its type, "
        "limits and default (the default preset's) is listed in the schema",
        examples=[{"learning_rate": 0.001, "max_epochs": 20}],
        json_schema_extra=lambda schema: schema.update(params_schema()),
    )

    @field_validator("dataset")
    @classmethod
    def _plain_name(cls, name: str) -> str:
        return check_dataset_name(name)

    @field_validator("params")
    @classmethod
    def _known_values(cls, values: dict[str, Any]) -> dict[str, Any]:
        try:
            ModelConfig().with_values(values)
        except EncoreError as exc:
            raise ValueError(str(exc).removeprefix("model config: ")) from None
        return values

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


# At most this many data set names in an error message.
MAX_LISTED = 10


class UnknownDataset(EncoreError):
    """No data set of that name; the message names data sets, never the server's folders
    (`data_dir` is there for a local caller, such as the CLI, to show)."""

    def __init__(self, message: str, data_dir: Path) -> None:
        super().__init__(message)
        self.data_dir = data_dir


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
        known = dataset_names(root)
        listing = ", ".join(known[:MAX_LISTED]) + (", ..." if len(known) > MAX_LISTED else "")
        raise UnknownDataset(
            f"dataset {name!r}: no such folder in the data folder (ENCORE_DATA_DIR); "
            f"data sets there: {listing or 'none'}",
            root,
        )
    return folder


def dataset_names(root: Path) -> list[str]:
    """The data sets under `root`: its folders, hidden ones left out, sorted."""
    try:
        return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return []


def validate(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    """The parameters as stored with the job: checked, defaults filled in."""
    if kind not in PARAMS_BY_KIND:
        raise EncoreError(f"unknown job kind {kind!r} (known: {', '.join(PARAMS_BY_KIND)})")
    try:
        parsed = PARAMS_BY_KIND[kind].model_validate(raw)
    except ValidationError as exc:
        raise EncoreError(_first_error(exc)) from None
    return parsed.model_dump()


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg'].removeprefix('Value error, ')}"


def params_schema() -> dict[str, Any]:
    """The JSON schema of /train's `params`: one property per configuration value."""
    defaults = ModelConfig().to_dict()
    properties = {
        param.name: {
            **_value_schema(param),
            "default": defaults[param.name],
            "description": f"{param.about}; {param.valid}",
        }
        for param in PARAMS
    }
    return {"type": "object", "properties": properties, "additionalProperties": False}


def _value_schema(param: Param) -> dict[str, Any]:
    if param.kind == "pair":
        item = {"type": "integer", "minimum": param.ge}
        return {"type": "array", "items": item, "minItems": 2, "maxItems": 2}
    if param.kind == "choice":
        return {"type": "string", "enum": list(param.choices)}
    if param.kind == "bool":
        return {"type": "boolean"}
    bounds = {"minimum": param.ge, "exclusiveMinimum": param.gt, "exclusiveMaximum": param.lt}
    kind = {"type": "integer" if param.kind == "int" else "number"}
    return kind | {key: value for key, value in bounds.items() if value is not None}
