"""Model versions on disk: ``<artifacts>/models/<version>/``, each one self-contained.

A version folder holds weights.pt (the network's state_dict), features.json (the fitted feature
processor), config.json (the ModelConfig), metrics.json (per-epoch metrics), curves.png and
manifest.json (lineage: version, creation time, code version, every parameter, final metrics,
a fingerprint of the input files, and the size and SHA-256 of every other file).

Writing is atomic: the files go into ``models/.tmp-<random>/``, manifest.json last, and the
folder is renamed to its version name only when complete. A crashed or killed run leaves at
most a ``.tmp-`` folder, which listing ignores and ``clean_partial`` removes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# Eager: the submodule of the same name would otherwise shadow the function once imported.
from encore.artifacts.fingerprint import fingerprint
from encore.artifacts.location import artifacts_dir, models_dir
from encore.lazy import lazy_attributes

if TYPE_CHECKING:
    from encore.artifacts.reader import (
        LoadedModel,
        VersionInfo,
        list_versions,
        load_version,
        read_manifest,
        resolve_model,
    )
    from encore.artifacts.writer import clean_partial, write_version

__all__ = [
    "LoadedModel",
    "VersionInfo",
    "artifacts_dir",
    "clean_partial",
    "fingerprint",
    "list_versions",
    "load_version",
    "models_dir",
    "read_manifest",
    "resolve_model",
    "write_version",
]
# Imported on first use: serving a version never needs the writer (and its matplotlib).
__getattr__ = lazy_attributes(
    __name__,
    {
        "LoadedModel": "reader",
        "VersionInfo": "reader",
        "list_versions": "reader",
        "load_version": "reader",
        "read_manifest": "reader",
        "resolve_model": "reader",
        "clean_partial": "writer",
        "write_version": "writer",
    },
)
