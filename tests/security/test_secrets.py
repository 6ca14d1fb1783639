"""No secret in the repository (its files and its history) or in the images (checked
statically: there is no Docker daemon here). No secret in the logs: tests/security/test_security.py.
"""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.security.scanning import (
    PLACEHOLDER,
    added_in_history,
    docker_ignored,
    dockerignore_patterns,
    find_secrets,
    repository_files,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def git_root() -> Path:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    return ROOT


def test_no_file_in_the_repository_holds_a_secret(git_root: Path) -> None:
    findings = []
    for path in repository_files(git_root):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary
        findings += find_secrets(text, str(path.relative_to(git_root)))
    assert findings == [], "\n".join(map(str, findings))


def test_no_commit_ever_added_a_secret(git_root: Path) -> None:
    findings = find_secrets(added_in_history(git_root), "a commit")
    assert findings == [], "\n".join(f"{f.what}: {f.where}" for f in findings)


def test_the_scanner_flags_planted_secrets_and_passes_placeholders() -> None:
    token = _random_key()
    planted = {
        "an AWS access key id": "aws_access_key_id = AKIA" + token[:16].upper(),
        "a private key": "-----BEGIN " + "OPENSSH PRIVATE KEY-----",
        "a GitHub token": "gh = 'ghp_" + token + "'",
        "a password in a URL": f"DATABASE_URL=postgresql://encore:{token}@db:5432/encore",
        "a secret set to a literal": f"ENCORE_API_KEY={token}",
    }
    for what, line in planted.items():
        assert what in [finding.what for finding in find_secrets(line, "planted")], line
    for line in (f'password = "{token}"', f"api_key: {token}", f"export REDIS_TOKEN={token}"):
        assert find_secrets(line, "planted"), line
    # A key that starts with a letter is spelled like a name; its digits give it away (this
    # case failed whenever the random key happened to start with a-f).
    for line in (f"ENCORE_API_KEY=f{token[1:]}", f"postgresql://encore:e{token[1:]}@db/encore"):
        assert find_secrets(line, "planted"), line
    placeholders = [
        "ENCORE_API_KEY=change-me-to-a-long-random-string",
        "POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}",
        "DATABASE_URL=postgresql+psycopg2://encore:...@db:5432/encore",
        'KEY = "test-key-0123456789"; client = ApiClient(url, api_key=KEY)',
        "tokens = tokenize(text)",
    ]
    assert find_secrets("\n".join(placeholders), "placeholders") == []


def _random_key() -> str:
    while PLACEHOLDER.search(key := secrets.token_hex(16)):
        pass  # hex spells no placeholder word but may hold a run like 0123
    return key


def test_git_ignores_the_env_file_and_keys(git_root: Path) -> None:
    def ignored(path: str) -> bool:
        check = ["git", "-C", str(git_root), "check-ignore", "-q", "--no-index", path]
        return subprocess.run(check).returncode == 0

    assert all(map(ignored, [".env", "services/api/.env", "deploy/ec2/server.pem"]))
    assert not ignored(".env.example")


# The images.

KEPT_OUT = [".env", "shared/.env", "services/api/.env.production", "deploy/ec2/key.pem",
            "shared/src/server.key", ".git/config", ".venv/bin/python",
            # data and models, wherever a user puts them
            "kkbox/train.csv", "data/kkbox/songs.csv", "my-data/members.csv",
            "artifacts/models/v1/model.pt", "kkbox.tar.gz", "shared/train.csv",
            "services/api/data/test.csv", "shared/kkbox.zip"]  # fmt: skip
BUILT_FROM = ["constraints.txt", "shared/pyproject.toml", "shared/src/encore/cli.py",
              "services/api/src/encore_api/app.py"]  # fmt: skip
DOCKERFILES = [ROOT / "Dockerfile"]
COPIED_SOURCES = {"constraints.txt", "shared", "shared/pyproject.toml", "services/api",
                  "services/api/pyproject.toml"}  # fmt: skip
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|API_KEY|CREDENTIAL|DATABASE_URL|REDIS_URL", re.I)


def test_the_build_context_leaves_secrets_out() -> None:
    patterns = dockerignore_patterns(ROOT / ".dockerignore")
    assert [path for path in KEPT_OUT if not docker_ignored(path, patterns)] == []
    assert [path for path in BUILT_FROM if docker_ignored(path, patterns)] == []


def test_dockerfiles_copy_only_the_code_and_set_no_secret() -> None:
    copies = 0
    for dockerfile in DOCKERFILES:
        for keyword, arguments in _instructions(dockerfile):
            if keyword in ("COPY", "ADD") and "--from=" not in arguments:
                assert set(arguments.split()[:-1]) <= COPIED_SOURCES, (dockerfile, arguments)
                copies += 1
            if keyword in ("ENV", "ARG"):
                names = re.findall(r"([A-Za-z_]\w*)=", arguments) or arguments.split()[:1]
                assert not [n for n in names if SECRET_NAME.search(n)], (dockerfile, arguments)
    assert copies >= 4


def _instructions(dockerfile: Path) -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", dockerfile.read_text(encoding="utf-8"))
    lines = (line.strip() for line in text.splitlines())
    split = (line.split(None, 1) for line in lines if line and not line.startswith("#"))
    return [(parts[0].upper(), parts[1] if len(parts) > 1 else "") for parts in split]
