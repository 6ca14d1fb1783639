"""The deployment files: compose validates, the template lints, every script passes shellcheck,
and the settings the code reads, .env.example and the compose file agree."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from encore.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
SCRIPTS = [
    *sorted(path for path in (ROOT / "scripts").iterdir() if path.suffix != ".py"),
    ROOT / ".ci" / "run",
    ROOT / "deploy" / "ec2" / "user-data.sh",
]
# Read by the compose file (or Postgres's image), not by Encore's code.
COMPOSE_ONLY = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "ENCORE_API_PORT",
                "ENCORE_RELEASE"}  # fmt: skip


def _tool(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if path is None:
        pytest.skip(f"{name} is not installed (scripts/test installs it where it can)")
    return path


def _env_keys(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.split("=", 1)[0] for line in lines if re.match(r"^[A-Z_]+=", line)}


def _setting_names() -> set[str]:
    names = set()
    for name, field in Settings.model_fields.items():
        choices = getattr(field.validation_alias, "choices", None)
        names.add(choices[0] if choices else f"ENCORE_{name.upper()}")
    return names


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return loaded


def test_every_setting_is_in_env_example_and_nothing_else_is() -> None:
    assert _setting_names() <= _env_keys(ENV_EXAMPLE)
    assert _env_keys(ENV_EXAMPLE) - _setting_names() == COMPOSE_ONLY


def test_compose_interpolates_only_documented_variables() -> None:
    used = set(re.findall(r"\$\{([A-Z_]+)", COMPOSE.read_text(encoding="utf-8")))
    assert used <= _env_keys(ENV_EXAMPLE)
    assert COMPOSE_ONLY - {"ENCORE_API_PORT", "ENCORE_RELEASE"} <= used


def test_compose_gives_containers_only_real_settings() -> None:
    settings = _setting_names()
    for name, service in _compose()["services"].items():
        passed = set(service.get("environment", {}))
        ours = {key for key in passed if key.startswith("ENCORE_") or key.endswith("_URL")}
        assert ours <= settings, name


def test_every_secret_stops_compose_when_missing() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    for secret in ("POSTGRES_PASSWORD", "ENCORE_API_KEY", "POSTGRES_USER", "POSTGRES_DB"):
        assert re.search(rf"(?<!\$)\$\{{{secret}:\?[^}}]+\}}", text), secret
        assert not re.search(rf"(?<!\$)\$\{{{secret}(:-|\}})", text), secret


def test_docker_compose_config_accepts_the_stack(tmp_path: Path) -> None:
    compose = _tool("docker-compose")
    result = _compose_config(compose, ENV_EXAMPLE.read_text(encoding="utf-8"), tmp_path)
    assert result.returncode == 0, result.stderr


def test_docker_compose_config_names_a_missing_secret(tmp_path: Path) -> None:
    compose = _tool("docker-compose")
    without = re.sub(r"^POSTGRES_PASSWORD=.*\n", "", ENV_EXAMPLE.read_text(), flags=re.M)
    result = _compose_config(compose, without, tmp_path)
    assert result.returncode != 0
    assert "set POSTGRES_PASSWORD in .env" in result.stderr


def test_the_cloudformation_template_lints() -> None:
    result = subprocess.run(
        [_tool("cfn-lint"), str(ROOT / "deploy" / "ec2" / "encore.yaml")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_every_script_passes_shellcheck(script: Path) -> None:
    result = subprocess.run([_tool("shellcheck"), str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_images_run_as_a_non_root_user_with_a_healthcheck() -> None:
    for dockerfile in (ROOT / "services" / "api" / "Dockerfile",
                       ROOT / "services" / "trainer" / "Dockerfile"):  # fmt: skip
        text = dockerfile.read_text(encoding="utf-8")
        final_stage = text.rsplit("\nFROM ", 1)[1]
        assert "USER encore" in final_stage and "HEALTHCHECK" in final_stage, dockerfile
        assert "download.pytorch.org/whl/cpu" in text, dockerfile
        # Dependencies are installed before the code is copied in.
        assert text.index("pip install -c constraints.txt") < text.index("COPY shared shared")


def _compose_config(
    compose: str, env_text: str, tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    env_file = tmp_path / "compose.env"
    env_file.write_text(env_text, encoding="utf-8")
    clean = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    return subprocess.run(
        [compose, "--env-file", str(env_file), "-f", str(COMPOSE), "config", "-q"],
        capture_output=True, text=True, env=clean, cwd=tmp_path,
    )  # fmt: skip
