"""Settings from the environment (or a .env file): every variable is listed in .env.example."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from encore import urls
from encore.errors import EncoreError

SQLITE_FILE = "encore.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ENCORE_", env_file=".env", extra="ignore", populate_by_name=True
    )

    data_dir: Path = Field(
        default=Path("data"), description="folder holding KKBOX-format data sets"
    )
    artifacts_dir: Path = Field(
        default=Path("artifacts"), description="folder holding model versions (models/<version>/)"
    )
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "ENCORE_DATABASE_URL"),
        description="SQLAlchemy URL of the job and model records (else SQLite in artifacts_dir)",
    )
    redis_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("REDIS_URL", "ENCORE_REDIS_URL"),
        description="Redis for the RQ job queue (else jobs run in a thread of `encore serve`)",
    )
    api_key: str | None = Field(default=None, description="bearer key for mutating API calls")
    read_key: str | None = Field(
        default=None,
        description="bearer key for reading (predictions, records); unset: reads are open",
    )
    queue_name: str = Field(default="encore", description="the RQ queue jobs go to")
    job_timeout: int = Field(
        default=4 * 3600, ge=1, description="seconds a job may run before RQ stops it"
    )
    auto_activate: bool = Field(
        default=False,
        description="activate a new version when its validation AUC beats the active one's",
    )
    max_rows: int = Field(default=10_000, ge=1, description="rows per /predict request")
    inline_rows: int = Field(
        default=64,
        ge=0,
        description="requests of at most this many rows are scored on the event loop; larger "
        "ones in a worker thread, so that they do not hold up the small ones",
    )
    one_row_turns: int = Field(
        default=2,
        ge=0,
        le=10,
        description="turns of the event loop a /predict/one request waits for others to be "
        "scored with it in one batch (more throughput under load); 0: each row alone",
    )
    max_body_bytes: int = Field(
        default=8 * 1024 * 1024, ge=1024, description="largest request body the API reads"
    )
    max_upload_bytes: int = Field(
        default=4 * 1024**3,
        ge=1024,
        description="largest data set upload, as sent and once unpacked",
    )
    cors_origins: str = Field(
        default="", description="comma-separated origins allowed by CORS (none: CORS off)"
    )
    model_poll_seconds: float = Field(
        default=2.0, gt=0, description="how often the API looks for a newly activated version"
    )
    database_timeout: float = Field(
        default=2.0,
        gt=0,
        le=60,
        description="seconds an API request may wait on the records database before it "
        "answers 503 (a stalled server); workers and commands allow 30",
    )
    torch_threads: int = Field(
        default=0, ge=0, description="torch threads per process (0: torch's default)"
    )

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, url: str | None) -> str | None:
        return urls.database_url(url) if url else None

    @field_validator("redis_url")
    @classmethod
    def _supported_redis(cls, url: str | None) -> str | None:
        return urls.redis_url(url) if url else None

    def records_url(self) -> str:
        """DATABASE_URL, or an SQLite file beside the models when none is set."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.artifacts_dir / SQLITE_FILE).resolve()}"

    def uses_rq(self) -> bool:
        """True with both REDIS_URL and DATABASE_URL; False with neither (embedded mode)."""
        if self.redis_url and not self.database_url:
            raise EncoreError(
                "REDIS_URL is set but DATABASE_URL is not: workers sharing a queue need a "
                "shared database (set DATABASE_URL, or unset REDIS_URL for embedded mode)"
            )
        return bool(self.redis_url)


def load_settings() -> Settings:
    """The settings from the environment; EncoreError naming the variable at fault."""
    try:
        return Settings()
    except ValidationError as exc:  # the URL checks raise EncoreError themselves
        error = exc.errors()[0]
        message = str(error["msg"]).removeprefix("Value error, ")
        raise EncoreError(f"{_variable(error['loc'])}: {message}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()


def _variable(location: tuple[int | str, ...]) -> str:
    """The environment variable a setting is read from (`max_rows` is ENCORE_MAX_ROWS)."""
    name = str(location[0]) if location else ""
    field = Settings.model_fields.get(name)
    alias = field.validation_alias if field else None
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return name if name.isupper() else f"ENCORE_{name.upper()}"
