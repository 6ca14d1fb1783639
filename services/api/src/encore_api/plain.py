"""A pydantic model's twin that validates into plain dicts, for bodies with many rows.

Validating 10,000 rows into ``Row`` objects takes about twice as long as into dicts, and a
dict holds only the fields its row gives, which is what scoring reads. ``plain_twin`` makes a
TypedDict with the model's fields, their constraints and validators and the model's config,
so pydantic accepts and refuses exactly what the model does, with the same errors
(tests/api/test_api_plain.py checks both on a catalogue of bad bodies). The model stays the
one the OpenAPI document shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import GenericAlias
from typing import Annotated, Any, NotRequired, Required, cast

from pydantic import BaseModel, ConfigDict
from typing_extensions import TypedDict

# Config entries that shape only the JSON schema, which the twin never produces.
_SCHEMA_ONLY = ("json_schema_extra", "title")
# The one error the twin names differently: a row that is not an object.
MODEL_ERROR_TYPES = {"dict_type": "model_type"}


def plain_twin(model: type[BaseModel], nested: Mapping[str, Any] | None = None) -> type[Any]:
    """The TypedDict twin of ``model``; ``nested`` gives a field's type where it holds models
    (``{"rows": list_of(plain_twin(Row))}``); its constraints are kept."""
    nested = nested or {}
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        kind = nested.get(name, info.annotation)
        typed = Annotated[(kind, *info.metadata)] if info.metadata else kind
        fields[name] = Required[typed] if info.is_required() else NotRequired[typed]
    make: Any = TypedDict  # called with a computed name and fields, which mypy cannot check
    twin = make(f"{model.__name__}Fields", fields)
    config = {key: value for key, value in model.model_config.items() if key not in _SCHEMA_ONLY}
    twin.__pydantic_config__ = cast(ConfigDict, config)
    return cast(type[Any], twin)


def list_of(kind: type[Any]) -> Any:
    """``list[kind]`` for a computed ``kind``."""
    return GenericAlias(list, (kind,))
