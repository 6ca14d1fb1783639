import json
import re
from pathlib import Path

import numpy as np
import pytest
import torch

from encore.artifacts import list_versions, load_version, read_manifest, resolve_model
from encore.artifacts.fingerprint import file_digest
from encore.catalogue import CATALOGUE_DIR, Columns
from encore.errors import EncoreError
from encore.features import FeatureProcessor
from encore.ingest import consolidate, load_dataset
from encore.training import predict_proba

FILES = {"weights.pt", "features.json", "config.json", "metrics.json", "curves.png"}


def test_a_version_holds_every_file_and_its_lineage(trained, tmp_path):
    folder = trained.write(tmp_path, data_fingerprint={"sha256": "abc"}, split="chronological")
    assert folder.parent == tmp_path / "models"
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{4}", folder.name)
    assert {p.name for p in folder.iterdir()} == FILES | {"manifest.json", CATALOGUE_DIR}
    manifest = read_manifest(folder)
    assert manifest["version"] == folder.name
    assert manifest["created_at"].startswith(folder.name[:4])
    assert manifest["code"]["encore"]
    assert manifest["config"] == trained.config.to_dict()
    assert manifest["data_fingerprint"] == {"sha256": "abc"}
    assert manifest["split"] == "chronological"
    assert manifest["final_metrics"]["auc"] == trained.result.best.auc
    stored = (folder / CATALOGUE_DIR).rglob("*")
    catalogue = {str(path.relative_to(folder)) for path in stored if path.is_file()}
    assert {"catalogue/song/codes.npy", "catalogue/member/keys.npy"} <= catalogue
    assert set(manifest["files"]) == FILES | catalogue
    metrics = json.loads((folder / "metrics.json").read_text())
    assert metrics == [epoch.as_dict() for epoch in trained.result.history]


def test_save_then_load_gives_identical_predictions(trained, tmp_path):
    loaded = load_version(trained.write(tmp_path))
    dataset = load_dataset(trained.data_dir)
    plays = consolidate(dataset.train, dataset)
    before = predict_proba(trained.result.model, trained.data.processor.transform(plays))
    after = predict_proba(loaded.model, loaded.processor.transform(plays))
    np.testing.assert_array_equal(after, before)
    np.testing.assert_allclose(loaded.probabilities(Columns.of_frame(plays)), before, atol=1e-6)
    assert loaded.config == trained.config
    assert not loaded.model.training


def test_versions_sort_by_creation_and_latest_is_the_newest(trained, tmp_path):
    written = [trained.write(tmp_path) for _ in range(3)]
    versions = list_versions(tmp_path)
    assert [v.path for v in versions] == written
    assert resolve_model("latest", tmp_path) == written[-1]
    assert resolve_model(written[0].name, tmp_path) == written[0]
    assert resolve_model(str(written[1]), tmp_path / "elsewhere") == written[1]


def test_the_caller_cannot_overwrite_what_the_manifest_guarantees(trained, tmp_path):
    with pytest.raises(ValueError, match="version"):
        trained.write(tmp_path, version="mine")


def test_an_unknown_version_is_refused_naming_it(trained, tmp_path):
    trained.write(tmp_path)
    with pytest.raises(EncoreError, match="'20990101T000000Z-0000' is neither a folder"):
        resolve_model("20990101T000000Z-0000", tmp_path)


def test_latest_without_any_version_says_how_to_get_one(tmp_path):
    with pytest.raises(EncoreError, match=r"no model versions in .*encore train"):
        resolve_model("latest", tmp_path)


def test_a_folder_that_is_not_a_version_is_refused(tmp_path):
    with pytest.raises(EncoreError, match=r"not a model version \(no manifest.json"):
        load_version(tmp_path)
    with pytest.raises(EncoreError, match="no such folder"):
        load_version(tmp_path / "missing")


def test_corrupt_weights_are_refused(trained, tmp_path):
    folder = trained.write(tmp_path)
    weights = folder / "weights.pt"
    weights.write_bytes(weights.read_bytes()[:100])
    with pytest.raises(EncoreError, match=r"weights\.pt differs from its manifest"):
        load_version(folder)


def test_weights_with_nan_are_refused(trained, tmp_path):
    folder = trained.write(tmp_path)
    state = torch.load(folder / "weights.pt", weights_only=True)
    name = next(iter(state))
    state[name][0] = float("nan")
    torch.save(state, folder / "weights.pt")
    _rewrite_manifest_digests(folder)
    with pytest.raises(EncoreError, match=rf"weights\.pt holds NaN or infinite values \({name}"):
        load_version(folder)


def test_weights_are_loaded_without_running_pickled_code(trained, tmp_path):
    folder = trained.write(tmp_path)
    # A pickle that would build a FeatureProcessor (any object): refused by weights_only.
    torch.save({"payload": FeatureProcessor()}, folder / "weights.pt")
    _rewrite_manifest_digests(folder)
    with pytest.raises(EncoreError, match=r"weights\.pt cannot be loaded"):
        load_version(folder)


def test_a_missing_file_is_named(trained, tmp_path):
    folder = trained.write(tmp_path)
    (folder / "features.json").unlink()
    with pytest.raises(EncoreError, match=r"features\.json is missing"):
        load_version(folder)


def _rewrite_manifest_digests(folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    for name, entry in manifest["files"].items():
        entry["bytes"] = (folder / name).stat().st_size
        entry["sha256"] = file_digest(folder / name)
    (folder / "manifest.json").write_text(json.dumps(manifest))


def test_a_version_with_an_unreadable_manifest_is_not_listed(trained, tmp_path):
    good, broken = trained.write(tmp_path), trained.write(tmp_path)
    (broken / "manifest.json").write_text("{not json")
    assert [v.path for v in list_versions(tmp_path)] == [good]
    with pytest.raises(EncoreError, match=r"manifest\.json cannot be read"):
        load_version(broken)
