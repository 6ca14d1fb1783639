"""The tiny generated data set's files, to archive and upload in every shape a test needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.datasets.archives import files_of


@pytest.fixture(scope="session")
def dataset_files(trained_data: Path) -> dict[str, bytes]:
    return files_of(trained_data)
