"""A raw KKBOX row as the API accepts it, generated from the feature spec's inputs.

The ids are required; every other input is optional. ``Row`` is a TypedDict validated by
pydantic (a row validates into a plain dict holding only the fields it gives, which is what
scoring reads, at half the cost of a model object per row).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, NotRequired, Required, cast

from pydantic import AfterValidator, ConfigDict, Field, TypeAdapter
from typing_extensions import TypedDict

from encore.features.spec import INPUTS, KEYS, ApiType, Date, Id, Input, Real, Text, Whole

EXAMPLE: dict[str, Any] = {
    "msno": "FGtllVqz18RPiwJj/edr2gV78zirAiY/9SmYvia+kCg=",
    "song_id": "BBzumQNXUHKdEBOB7mAJuzok+IJA1c2Ryg/yzTF6tik=",
    "source_system_tab": "explore",
    "source_screen_name": "Explore",
    "source_type": "online-playlist",
}
ID_FIELDS = (KEYS["member"][0], KEYS["song"][0])
IdText = Annotated[str, Field(min_length=1, max_length=Id().max_length)]
ROW_DESCRIPTION = (
    "One play to score. Leave out any field but the two ids: it is filled in from the "
    "catalogue of the model version that answers (every song and listener of the data set it "
    "was trained on); an id that version does not know is scored as a new song or listener."
)


def _real_date(value: int | None) -> int | None:
    if value is None:
        return None
    try:
        dt.date(value // 10_000, value // 100 % 100, value % 100)
    except ValueError:
        raise ValueError(f"{value} is not a date written as YYYYMMDD") from None
    return value


def _typed(api: ApiType) -> Any:
    """The annotated Python type the API validates an input's values with."""
    if isinstance(api, Id):
        return IdText
    if isinstance(api, Text):
        return Annotated[str, Field(max_length=api.max_length)]
    if isinstance(api, Whole):
        return Annotated[int, Field(ge=api.ge, le=api.le)]
    if isinstance(api, Real):
        return Annotated[float, Field(ge=api.ge, le=api.le)]
    assert isinstance(api, Date)
    return Annotated[int, Field(ge=api.ge, le=api.le), AfterValidator(_real_date)]


def _field(item: Input) -> Any:
    described = Field(description=item.description)
    if item.name in ID_FIELDS:
        return Required[Annotated[_typed(item.api), described]]
    return NotRequired[Annotated[_typed(item.api) | None, described]]


def _row_type() -> type[Any]:
    by_name = {item.name: item for item in INPUTS}
    ordered = [by_name[name] for name in ID_FIELDS]
    ordered += [item for item in INPUTS if item.name not in ID_FIELDS]
    make: Any = TypedDict  # called with computed fields, which mypy cannot check
    row = make("Row", {item.name: _field(item) for item in ordered})
    row.__doc__ = ROW_DESCRIPTION
    row.__pydantic_config__ = ConfigDict(
        extra="forbid",
        strict=True,
        allow_inf_nan=False,
        json_schema_extra={"examples": [EXAMPLE], "description": ROW_DESCRIPTION},
    )
    return cast(type[Any], row)


Row = _row_type()
ROW = TypeAdapter(Row)
