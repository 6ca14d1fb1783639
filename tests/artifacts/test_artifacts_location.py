from pathlib import Path

from encore.artifacts import artifacts_dir, fingerprint


def test_an_explicit_folder_wins_over_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ENCORE_ARTIFACTS_DIR", str(tmp_path / "from-env"))
    assert artifacts_dir(tmp_path / "explicit") == tmp_path / "explicit"
    assert artifacts_dir(None) == tmp_path / "from-env"


def test_without_a_setting_artifacts_go_to_the_working_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("ENCORE_ARTIFACTS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert artifacts_dir(None) == Path("artifacts")


def test_a_fingerprint_follows_content_not_location(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
        (folder / "train.csv").write_text("msno,song_id\nu,s\n")
    same = fingerprint([first / "train.csv"]), fingerprint([second / "train.csv"])
    assert same[0]["sha256"] == same[1]["sha256"]
    assert same[0]["files"][0]["bytes"] == len("msno,song_id\nu,s\n")
    (second / "train.csv").write_text("msno,song_id\nu,t\n")
    assert fingerprint([second / "train.csv"])["sha256"] != same[0]["sha256"]
