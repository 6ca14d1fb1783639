"""A raw KKBOX row as the API accepts it: ids required, every other field optional."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

Text = Annotated[str, Field(max_length=1_000)]
Id = Annotated[str, Field(min_length=1, max_length=200)]


def _real_date(value: int | None) -> int | None:
    if value is None:
        return None
    try:
        dt.date(value // 10_000, value // 100 % 100, value % 100)
    except ValueError:
        raise ValueError(f"{value} is not a date written as YYYYMMDD") from None
    return value


Date = Annotated[int, Field(ge=19_000_101, le=22_001_231), AfterValidator(_real_date)]

EXAMPLE: dict[str, Any] = {
    "msno": "FGtllVqz18RPiwJj/edr2gV78zirAiY/9SmYvia+kCg=",
    "song_id": "BBzumQNXUHKdEBOB7mAJuzok+IJA1c2Ryg/yzTF6tik=",
    "source_system_tab": "explore",
    "source_screen_name": "Explore",
    "source_type": "online-playlist",
}


class Row(BaseModel):
    """One play to score. Leave out any field but the two ids: it is filled in from the
    catalogue of the model version that answers (the songs and listeners it was trained on);
    an id that version never saw is scored as a new song or listener."""

    model_config = ConfigDict(
        extra="forbid", strict=True, allow_inf_nan=False, json_schema_extra={"examples": [EXAMPLE]}
    )

    msno: Id = Field(description="listener id")
    song_id: Id = Field(description="song id")
    source_system_tab: Text | None = Field(
        None, description="tab the play came from, e.g. my library"
    )
    source_screen_name: Text | None = Field(
        None, description="screen name, e.g. Local playlist more"
    )
    source_type: Text | None = Field(None, description="entry point, e.g. local-library")
    song_length: int | None = Field(None, ge=0, le=100_000_000, description="milliseconds")
    genre_ids: Text | None = Field(None, description="genre ids separated by |, e.g. 465|1259")
    artist_name: Text | None = Field(None, description="artists, separated by |")
    composer: Text | None = Field(None, description="composers, separated by |")
    lyricist: Text | None = Field(None, description="lyricists, separated by |")
    language: float | None = Field(
        None, ge=-1, le=1_000, description="language code, e.g. 3, 52, -1"
    )
    name: Text | None = Field(None, description="song name")
    isrc: Text | None = Field(None, description="ISRC code, e.g. TWB531410010")
    city: int | None = Field(None, ge=0, le=1_000, description="listener's city code")
    bd: int | None = Field(
        None, ge=-10_000, le=10_000, description="age as KKBOX records it (outliers are kept)"
    )
    gender: Text | None = Field(None, description="male, female, or left out")
    registered_via: int | None = Field(None, ge=0, le=1_000, description="registration method")
    registration_init_time: Date | None = Field(None, description="YYYYMMDD")
    expiration_date: Date | None = Field(None, description="YYYYMMDD")

    def given(self) -> dict[str, Any]:
        """The row's fields by name, None where left out: the model's own dict, not a copy
        (scoring copies it before filling in what was left out), so read it, never change it."""
        return self.__dict__
