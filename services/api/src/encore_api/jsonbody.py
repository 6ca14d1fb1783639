"""A request body parsed and validated in one pass by pydantic (``validate_json``).

FastAPI decodes a JSON body into Python objects with json.loads and then validates those;
pydantic reading the bytes itself is faster for the large bodies of /predict (figures in
docs/benchmarks.md). A route that takes its body this way declares it in OpenAPI with
``documented_body`` (the schema is added to the components by ``add_body_schemas``) and reads
it with ``parsed_body``; errors are the same 422 as FastAPI's, naming the field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter, ValidationError

Body = TypeVar("Body")
REFERENCE = "#/components/schemas/{model}"


def documented_body(name: str) -> dict[str, Any]:
    """The route's ``openapi_extra``: a required JSON body of the schema ``name`` (one of
    those ``add_body_schemas`` adds)."""
    schema = {"$ref": REFERENCE.format(model=name)}
    content = {"application/json": {"schema": schema}}
    return {"requestBody": {"required": True, "content": content}}


def add_body_schemas(app: FastAPI, bodies: dict[str, TypeAdapter[Any]]) -> None:
    """Put the schema of each body by name (and the schemas it uses) into the OpenAPI
    components."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()  # FastAPI keeps it as app.openapi_schema: completed here once
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, adapter in bodies.items():
            body = adapter.json_schema(ref_template=REFERENCE, mode="validation")
            for used, definition in body.pop("$defs", {}).items():
                components.setdefault(used, definition)
            components[name] = body
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


async def parsed_body(
    request: Request,
    validate_json: Callable[[bytes], Body],
) -> Body:
    """The request's body read by `validate_json` (a TypeAdapter's), or a 422 naming the
    field."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise RequestValidationError(
            [_error("send the body as JSON (Content-Type: application/json)")]
        )
    try:
        return validate_json(await request.body())
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False)
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in errors]
        ) from None


def _error(message: str) -> dict[str, Any]:
    return {"type": "content_type", "loc": ("body",), "msg": message, "input": None}
