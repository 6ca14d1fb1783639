"""Request and response bodies (the Row itself is in rows.py)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from typing_extensions import TypedDict

from encore.catalogue.pools import POOL
from encore_api.rows import EXAMPLE, Row
from encore_api.rows import IdText as Id


class PredictRequest(TypedDict):
    rows: Annotated[
        list[Row],  # type: ignore[valid-type]
        Field(
            min_length=1,
            description="plays to score; at most ENCORE_MAX_ROWS (10,000) per request",
        ),
    ]


PredictRequest.__pydantic_config__ = ConfigDict(  # type: ignore[attr-defined]
    extra="forbid", json_schema_extra={"examples": [{"rows": [EXAMPLE]}]}
)
PREDICT_REQUEST = TypeAdapter(PredictRequest)


class Prediction(BaseModel):
    probability: float = Field(description="probability of a replay within a month")
    label: Literal[0, 1] = Field(description="1 when the probability is at least 0.5")


VERSION = "20261125T120000Z-1a2b"


class PredictResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"model_version": VERSION, "predictions": [{"probability": 0.73, "label": 1}]}
            ]
        }
    )

    model_version: str = Field(description="the version that produced every prediction")
    predictions: list[Prediction] = Field(description="one per row, in the rows' order")


class OneResponse(Prediction):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"model_version": VERSION, "probability": 0.73, "label": 1}]
        }
    )

    model_version: str = Field(description="the version that produced the prediction")


class RecommendRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"msno": EXAMPLE["msno"], "k": 5}]},
    )

    msno: Id = Field(description="the listener")
    k: int = Field(10, ge=1, le=POOL, description=f"how many songs to return (at most {POOL})")
    candidates: list[Id] | None = Field(
        None,
        min_length=1,
        max_length=1_000,
        description="songs to choose from, ranked by the model's probability alone (as /predict "
        "scores them); default: the listener's candidates stored with the answering version "
        "(co-listening, their artists and genres, popularity; their member profile's most "
        "played songs for a listener without plays), ranked with the model",
    )
    include_played: bool = Field(
        False, description="also offer the songs the listener played in training"
    )
    source_system_tab: str | None = Field(
        None, description="context for every candidate play, e.g. discover", max_length=1_000
    )
    source_screen_name: str | None = Field(
        None,
        description="context for every candidate play, e.g. Discover Feature",
        max_length=1_000,
    )
    source_type: str | None = Field(
        None, description="context for every candidate play, e.g. online-playlist", max_length=1_000
    )


class Recommendation(BaseModel):
    song_id: str = Field(description="a recommended song")
    probability: float = Field(description="probability the listener plays it again within a month")
    source: str = Field(
        description="where the song came from: co-listening (listeners who play the same songs "
        "play it), artist (an artist the listener plays), taste (their genres and languages), "
        "popularity, profile (most played by members of their city and age), played (they "
        "played it in training), given (the request's candidates)"
    )
    candidate_score: float = Field(
        description="how strongly the source proposes it, 1 for the listener's best candidate "
        "(the probability itself for given candidates)"
    )


class RecommendResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "model_version": VERSION,
                    "msno": EXAMPLE["msno"],
                    "recommendations": [
                        {
                            "song_id": EXAMPLE["song_id"],
                            "probability": 0.81,
                            "source": "co-listening",
                            "candidate_score": 0.92,
                        }
                    ],
                }
            ]
        }
    )

    model_version: str = Field(description="the version that scored the candidates")
    msno: str = Field(description="the listener")
    recommendations: list[Recommendation] = Field(description="best first")


class JobAccepted(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"job_id": "0b7c1e2a-4d7e-4a4c-9d1e-3f1c2b6a9e10", "status": "queued"}]
        }
    )

    job_id: str = Field(description="follow it at /jobs/{job_id}")
    status: str = Field(description="the job's status: queued")


class EpochOut(BaseModel):
    run: int = Field(description="0, or the learning rate's index in a sweep")
    epoch: int = Field(description="1-based epoch number")
    train_loss: float = Field(description="mean binary cross-entropy on the training split")
    valid_loss: float = Field(description="binary cross-entropy on the validation split")
    auc: float = Field(description="validation ROC AUC")
    accuracy: float = Field(description="validation accuracy at threshold 0.5")
    precision: float = Field(description="validation precision at threshold 0.5")
    recall: float = Field(description="validation recall at threshold 0.5")
    learning_rate: float = Field(description="Adam's learning rate during the epoch")
    seconds: float = Field(description="wall time of the epoch, validation included")
    rows_per_second: float = Field(description="training rows per second")


class ProgressOut(BaseModel):
    epoch: int = Field(description="the epoch under way (one more than the epochs completed)")
    max_epochs: int = Field(description="the epoch limit of the run")
    rows_done: int = Field(description="training rows done in this epoch")
    rows_total: int = Field(description="training rows in an epoch")
    rows_per_second: float = Field(description="training speed in this epoch")
    epoch_seconds_left: float | None = Field(description="until this epoch's training ends")
    run_seconds_left_at_most: float | None = Field(
        description="until the last epoch allowed ends, at this speed; early stopping can end "
        "the run sooner"
    )


class JobOut(BaseModel):
    id: str = Field(description="job id")
    kind: str = Field(description="train, sweep, score or import")
    status: str = Field(description="queued, running, succeeded, failed or cancelled")
    dataset: str | None = Field(description="the data set's folder name")
    params: dict[str, Any] = Field(description="the parameters as validated, defaults filled in")
    stage: str | None = Field(
        description="the phase: ingest, features, training, registering; at the end done, "
        "failed or cancelled"
    )
    epoch: int | None = Field(description="how many epochs are completed")
    max_epochs: int | None = Field(description="the epoch limit of the run")
    progress: ProgressOut | None = Field(
        None, description="while training: the epoch under way (null between phases)"
    )
    metrics: dict[str, Any] | None = Field(
        description="while running, the last completed epoch's metrics; once a train job "
        "succeeded, its kept epoch's (the version's, as GET /models shows them)"
    )
    model_version: str | None = Field(
        description="the version a train job registered, or a score job used"
    )
    result: dict[str, Any] | None = Field(
        description="what the job produced: for train the version, its metrics, the kept "
        "epoch, the epochs run and whether training stopped early; files are named relative "
        "to the artifacts folder (a sweep's figure, a score's submission)"
    )
    error: str | None = Field(description="why the job failed, in one line")
    worker: str | None = Field(description="the worker that ran it")
    cancel_requested: bool = Field(
        description="a cancel was asked for; a running job stops at its next check"
    )
    created_at: str = Field(description="when it was submitted (ISO 8601, UTC)")
    started_at: str | None = Field(description="when a worker took it")
    finished_at: str | None = Field(description="when it ended")
    epochs: list[EpochOut] | None = Field(
        None, description="per-epoch metrics (in GET /jobs/{job_id} only)"
    )


class LogLineOut(BaseModel):
    at: str = Field(description="when it was logged (ISO 8601, UTC)")
    level: str = Field(description="info or error")
    message: str = Field(description="what happened: a stage, an epoch's figures, the end")


class ModelOut(BaseModel):
    version: str = Field(description="version name (creation time and a random suffix)")
    job_id: str | None = Field(description="the job that trained it")
    metrics: dict[str, Any] = Field(
        description="final metrics: those of the best epoch on the validation split, with "
        "`cold_start`: AUC and rows where the user, the song or both were unseen in training"
    )
    data_fingerprint: str | None = Field(
        description="SHA-256 over the training files' names, sizes and digests"
    )
    active: bool = Field(description="whether this is the active version (exactly one is)")
    created_at: str = Field(description="when it was registered")
    activated_at: str | None = Field(description="when it was last activated")
    serving: bool = Field(description="whether this API process is answering with it now")
    curves_url: str = Field(description="its training curves as a PNG")


class ModelDetail(ModelOut):
    manifest: dict[str, Any] = Field(
        description="the version's manifest.json: lineage, every parameter, file digests"
    )


class Problem(BaseModel):
    """Every error: a readable message, and for validation errors the details."""

    message: str = Field(description="what went wrong, naming the field where one is at fault")
    detail: Any = Field(None, description="for validation errors, every error with its field")


class DatasetOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "kkbox",
                    "files": {"train.csv": 971677352, "songs.csv": 221828666},
                    "bytes": 1193506018,
                    "imported_at": "2026-11-25T12:00:00+00:00",
                    "job_id": "0b7c1e2a-4d7e-4a4c-9d1e-3f1c2b6a9e10",
                }
            ]
        }
    )

    name: str = Field(description="the data set's name, as /train names it")
    files: dict[str, int] = Field(description="each file with its size in bytes")
    bytes: int = Field(description="the files' total size in bytes")
    imported_at: str | None = Field(
        description="when it was imported (ISO 8601, UTC); null for a folder put there by hand"
    )
    job_id: str | None = Field(description="the import job that brought it in, if one did")


class DatasetDetail(DatasetOut):
    profile: dict[str, Any] | None = Field(
        description="the `encore inspect` profile: records per file, users, songs, join "
        "coverage, cold start, missing values, target rate; null for a folder put there by "
        "hand until `encore datasets show NAME` profiles it"
    )


class ImportAccepted(JobAccepted):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "job_id": "0b7c1e2a-4d7e-4a4c-9d1e-3f1c2b6a9e10",
                    "status": "queued",
                    "dataset": "kkbox",
                }
            ]
        }
    )

    dataset: str = Field(description="the data set the import publishes when it succeeds")
