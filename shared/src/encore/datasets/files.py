"""Which files a data set may hold, and the file an archive member or a source file becomes."""

from __future__ import annotations

from pathlib import PurePosixPath

from encore.datagen.files import LABELS_FILE, ORACLE_FILE, TRAIN_ORACLE_FILE
from encore.datasets.errors import DatasetRefused
from encore.schema import INPUT_SPECS, SUBMISSION_SPEC

# The five KKBOX files, Kaggle's sample submission, and what `encore datagen` writes beside
# them for `encore evaluate`.
ACCEPTED = (
    *(spec.filename for spec in INPUT_SPECS),
    SUBMISSION_SPEC.filename,
    ORACLE_FILE,
    LABELS_FILE,
    TRAIN_ORACLE_FILE,
)
# Folders some archivers add that never hold data (macOS).
IGNORED_FOLDERS = ("__MACOSX",)


def member_file(path: str) -> str | None:
    """The data set file that `path` (a name inside an archive or a source folder) becomes,
    or None for one to leave out (hidden files, macOS metadata). The folders in `path` do not
    matter, but a path that climbs out (`..`, absolute) or a file no data set holds is refused.
    """
    parts = PurePosixPath(path.replace("\\", "/")).parts
    if path.startswith(("/", "\\")) or ".." in parts or (parts and parts[0].endswith(":")):
        raise DatasetRefused(f"{path}: a path that leaves the data set's folder")
    if not parts or parts[0] in IGNORED_FOLDERS or parts[-1].startswith("."):
        return None
    if parts[-1] not in ACCEPTED:
        raise DatasetRefused(
            f"{path}: not a file of a KKBOX data set (accepted: {', '.join(ACCEPTED)})"
        )
    return parts[-1]
