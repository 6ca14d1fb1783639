"""Settings from the environment (or a .env file): every variable is listed in .env.example."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ENCORE_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=Path("data"), description="folder holding KKBOX-format data sets"
    )
    artifacts_dir: Path = Field(
        default=Path("artifacts"), description="folder holding model versions (models/<version>/)"
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
