"""The model registry on PostgreSQL: one active version, activation, rollback, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from encore.db import session_scope
from encore.db.tables import ModelVersion
from encore.errors import EncoreError
from encore.jobs import ModelRegistry, UnknownVersion
from tests.conftest import Trained


def _version(trained: Trained, artifacts: Path, auc: float) -> Path:
    metrics = {**trained.result.best.as_dict(), "auc": auc}
    return trained.write(artifacts, final_metrics=metrics)


def test_the_first_version_activates_itself_and_later_ones_wait(
    pg_url: str, trained: Trained, tmp_path: Path
) -> None:
    registry = ModelRegistry(pg_url)
    first = registry.register(_version(trained, tmp_path, 0.70))
    second = registry.register(_version(trained, tmp_path, 0.90))
    assert first.active and not second.active
    assert registry.active().version == first.version  # type: ignore[union-attr]
    assert [record.version for record in registry.versions()] == [first.version, second.version]


def test_auto_activation_takes_only_a_better_version(
    pg_url: str, trained: Trained, tmp_path: Path
) -> None:
    registry = ModelRegistry(pg_url, auto_activate=True)
    registry.register(_version(trained, tmp_path, 0.70))
    better = registry.register(_version(trained, tmp_path, 0.80))
    worse = registry.register(_version(trained, tmp_path, 0.75))
    assert better.active and not worse.active


def test_any_version_can_be_activated_and_exactly_one_is_active(
    pg_url: str, trained: Trained, tmp_path: Path
) -> None:
    registry = ModelRegistry(pg_url)
    old = registry.register(_version(trained, tmp_path, 0.70))
    new = registry.register(_version(trained, tmp_path, 0.80))
    registry.activate(new.version)
    registry.activate(old.version)  # rollback
    actives = [record.version for record in registry.versions() if record.active]
    assert actives == [old.version]


def test_the_database_itself_refuses_a_second_active_version(
    pg_url: str, trained: Trained, tmp_path: Path
) -> None:
    registry = ModelRegistry(pg_url)
    registry.register(_version(trained, tmp_path, 0.70))
    with pytest.raises(IntegrityError), session_scope(pg_url) as session:
        session.add(ModelVersion(version="rogue", path="/x", metrics={}, active=True))


def test_a_corrupt_version_is_refused_and_the_active_one_stays(
    pg_url: str, trained: Trained, tmp_path: Path
) -> None:
    registry = ModelRegistry(pg_url)
    good = registry.register(_version(trained, tmp_path, 0.70))
    bad = registry.register(_version(trained, tmp_path, 0.80))
    weights = Path(bad.path) / "weights.pt"
    weights.write_bytes(weights.read_bytes()[:100])
    with pytest.raises(EncoreError, match=r"weights\.pt differs from its manifest"):
        registry.activate(bad.version)
    assert registry.active().version == good.version  # type: ignore[union-attr]


def test_a_version_without_its_catalogue_is_refused_and_the_active_one_stays(
    pg_url: str, trained: Trained, tmp_path: Path
) -> None:
    registry = ModelRegistry(pg_url)
    good = registry.register(_version(trained, tmp_path, 0.70))
    bare = registry.register(trained.write(tmp_path, with_catalogue=False))
    with pytest.raises(EncoreError, match=r"no catalogue \(catalogue/play/codes\.npy"):
        registry.activate(bare.version)
    assert registry.active().version == good.version  # type: ignore[union-attr]


def test_an_unknown_version_is_named_in_the_error(pg_url: str) -> None:
    with pytest.raises(UnknownVersion, match="no registered model version 'nope'"):
        ModelRegistry(pg_url).activate("nope")
