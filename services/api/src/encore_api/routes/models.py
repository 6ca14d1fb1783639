"""The model registry: versions, their curves, and which one answers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi import Path as PathParam
from fastapi.responses import FileResponse

from encore.artifacts import read_manifest
from encore.artifacts.layout import CURVES
from encore.db.tables import ModelVersion
from encore.jobs.views import version_dict
from encore_api.auth import Authorized
from encore_api.deps import State
from encore_api.errors import (
    INVALID,
    NO_VERSION,
    RECORDS_DOWN,
    UNAUTHORIZED,
    Responses,
    documented,
)
from encore_api.schemas import ModelDetail, ModelOut

router = APIRouter(tags=["models"])
Version = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_.-]{1,64}$", description="version")]
# A version name that breaks the pattern is a 422; an unknown one a 404.
ONE_VERSION: Responses = {**INVALID, **NO_VERSION, **RECORDS_DOWN}
REFUSED = documented(
    422,
    "the version name is invalid, or its files do not load (corrupt, incomplete, without its "
    "catalogue); the active version stays",
    "model 20261125T120000Z-1a2b: weights.pt differs from its manifest (corrupt or modified)",
)


@router.get("/models", response_model=list[ModelOut], responses=RECORDS_DOWN)
def list_models(state: State) -> list[dict[str, Any]]:
    """Registered versions, oldest first; exactly one is active."""
    return [_out(record, state) for record in state.registry.versions()]


@router.get("/models/{version}", response_model=ModelDetail, responses=ONE_VERSION)
def get_model(version: Version, state: State) -> dict[str, Any]:
    """A version's manifest (lineage, parameters, final metrics) and a link to its curves."""
    record = state.registry.get(version)
    return {**_out(record, state), "manifest": public_manifest(read_manifest(Path(record.path)))}


@router.get(
    "/models/{version}/curves.png",
    response_class=FileResponse,
    responses={**ONE_VERSION, 200: {"content": {"image/png": {}}}},
)
def get_curves(version: Version, state: State) -> FileResponse:
    """The version's training curves: losses and validation AUC per epoch."""
    return FileResponse(Path(state.registry.get(version).path) / CURVES, media_type="image/png")


@router.post(
    "/models/{version}/activate",
    response_model=ModelOut,
    responses={**UNAUTHORIZED, **ONE_VERSION, **REFUSED},
    dependencies=[Authorized],
)
def activate(version: Version, state: State) -> dict[str, Any]:
    """Make this version the active one (a rollback, for an older one). Its files are
    checked first; a version that does not load is refused and the active one stays."""
    record = state.registry.activate(version)
    state.predictor.refresh()
    state.watcher.poke()
    return _out(record, state)


def _out(record: ModelVersion, state: State) -> dict[str, Any]:
    data = version_dict(record)
    data.pop("path")
    data["serving"] = record.version == state.predictor.version
    data["curves_url"] = f"/models/{record.version}/curves.png"
    return data


def public_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest without the training host's paths: the data set is named, not located."""
    shown = {key: value for key, value in manifest.items() if key != "data_dir"}
    fingerprint = manifest.get("data_fingerprint")
    if isinstance(fingerprint, dict):
        files = [
            {key: value for key, value in entry.items() if key != "path"}
            for entry in fingerprint.get("files", [])
        ]
        shown["data_fingerprint"] = {**fingerprint, "files": files}
    return shown
