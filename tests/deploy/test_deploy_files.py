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
COMPOSE_ONLY = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "ENCORE_RELEASE",
                "ENCORE_DOMAIN", "ENCORE_TLS", "ENCORE_PUBLISH_ADDRESS", "ENCORE_HTTPS_PORT",
                "ENCORE_HTTP_PORT", "ENCORE_TORCH_PIP_ARGS", "ENCORE_BUILD_NETWORK"}  # fmt: skip
DOCKERFILE = ROOT / "Dockerfile"


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
    assert used >= COMPOSE_ONLY


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


def _stages() -> dict[str, str]:
    """The Dockerfile's stages by name, each with its instructions."""
    parts = re.split(r"^FROM ", DOCKERFILE.read_text(encoding="utf-8"), flags=re.M)[1:]
    return {part.split(None, 3)[2]: part for part in parts}


def test_one_dockerfile_builds_both_services_as_a_non_root_user_with_a_healthcheck() -> None:
    stages = _stages()
    assert stages["runtime"].startswith("python:3.11-slim AS runtime")
    assert "USER encore" in stages["runtime"]
    for target, command in (("api", "encore serve"), ("trainer", "encore worker")):
        assert stages[target].startswith(f"runtime AS {target}"), target
        assert "HEALTHCHECK" in stages[target] and "USER" not in stages[target], target
        assert command in stages[target].replace('", "', " "), target
    # Dependencies are installed before, and apart from, the code: a code change leaves the
    # dependency layers (and the runtime's copy of the venv) cached.
    assert "pip install -c constraints.txt" in stages["deps"]
    assert "COPY shared shared" not in stages["deps"] and "COPY shared shared" in stages["wheels"]
    runtime = stages["runtime"]
    assert runtime.index("COPY --from=deps /opt/venv") < runtime.index("COPY --from=wheels")


def test_the_build_takes_torch_from_an_argument_defaulting_to_the_cpu_index() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert "# syntax" not in text  # BuildKit would fetch a frontend image from Docker Hub
    assert 'ARG TORCH_PIP_ARGS=""' in text
    default = "${TORCH_PIP_ARGS:---index-url https://download.pytorch.org/whl/cpu}"
    assert f'RUN pip install {default} "torch==2.13.0"' in text
    for name in ("migrate", "api", "trainer"):
        build = _compose()["services"][name]["build"]
        assert build["dockerfile"] == "Dockerfile" and build["target"] in ("api", "trainer")
        assert build["args"] == {"TORCH_PIP_ARGS": "${ENCORE_TORCH_PIP_ARGS:-}"}


def test_only_the_https_proxy_is_published_and_the_api_writes_data_sets() -> None:
    services = _compose()["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    ports = [port.rsplit(":", 1)[1] for port in services["proxy"]["ports"]]
    assert ports == ["443", "80"]
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    assert "tls {$TLS_ISSUER}" in caddyfile and "reverse_proxy api:8000" in caddyfile
    for name in ("api", "trainer"):  # uploads are staged by the API, published by a worker
        assert "data:/data" in services[name]["volumes"], name


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
