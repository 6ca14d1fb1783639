"""The whole stack for real (scripts/stack-test): build the images, bring the stack up with a
throw-away .env and project name, and run a user's day through the HTTPS proxy on loopback:
upload a generated data set, train, follow the job, activate, /predict and /predict/one,
restart the API and get the same answers, SIGKILL the trainer mid-job and see that job failed
and the next one succeed with no crash loop, `down` and `up` and find jobs, versions and data
sets kept. Prints one JSON summary on stdout (progress on stderr) and tears everything down.

Standard library only (Python 3.11+), so that it runs before any venv exists. Needs Docker
with the compose plugin, the base images (python:3.11-slim, postgres:15, redis:7, caddy:2),
and root (to SIGKILL the trainer's process as the kernel's OOM killer would: `docker kill`
would count as a manual stop and disable the restart).

Where torch comes from: ENCORE_TORCH_PIP_ARGS (and ENCORE_BUILD_NETWORK) if set; else
PyTorch's CPU index if it answers; else the torch wheel in the folder pip's configuration
names as find-links, served on loopback for the build.
"""

from __future__ import annotations

import argparse
import csv
import functools
import http.server
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TORCH_INDEX = "https://download.pytorch.org/whl/cpu/"
TORCH_WHEEL = re.compile(r"torch-2\.13\.0(\+cpu)?-cp311-[^\"<>/]*\.whl")
# Where a wheel server may already run (a fixed address keeps the build's cache valid); else
# one is started on a free port for the build.
WHEEL_SERVER = "http://127.0.0.1:8765/"
DATASET = "day"
# A quick model on tiny data; the default preset on small data (the memory figures).
QUICK = {"max_epochs": 3, "batch_size": 256, "hidden": [32, 16], "embedding_dim": 8}
ENDLESS = {**QUICK, "max_epochs": 100, "early_stopping_patience": 100, "lr_patience": 100}
SERVICES = ("postgres", "redis", "api", "trainer", "proxy")
UP_SECONDS = 300
JOB_SECONDS = 1800


class StackTestFailed(Exception):
    pass


def log(message: str) -> None:
    print(f"stack-test: {message}", file=sys.stderr, flush=True)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise StackTestFailed(message)


def wait_for(what: str, probe: Callable[[], Any], seconds: float, every: float = 1.0) -> Any:
    """Call `probe` until it returns something truthy; StackTestFailed after `seconds`."""
    deadline = time.monotonic() + seconds
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = probe()
        except (OSError, ValueError, KeyError) as exc:
            last = exc
        else:
            if last:
                return last
        time.sleep(every)
    raise StackTestFailed(f"{what}: not within {seconds:.0f} s (last: {str(last)[:300]})")


# --- Docker and compose ----------------------------------------------------------------------


def run(command: list[str], stdin: bytes | None = None, check_ok: bool = True) -> bytes:
    done = subprocess.run(command, input=stdin, capture_output=True)
    if check_ok and done.returncode != 0:
        tail = (done.stderr or done.stdout).decode(errors="replace").strip()[-2000:]
        raise StackTestFailed(f"{' '.join(command[:6])} ...: exit {done.returncode}: {tail}")
    return done.stdout


@dataclass
class Stack:
    project: str
    env_file: Path
    env: dict[str, str]

    def compose(self, *args: str, stdin: bytes | None = None, check_ok: bool = True) -> bytes:
        base = ["docker", "compose", "--project-directory", str(ROOT), "-p", self.project]
        base += ["-f", str(ROOT / "docker-compose.yml"), "--env-file", str(self.env_file)]
        return run([*base, *args], stdin, check_ok)

    def container(self, service: str) -> str:
        return f"{self.project}-{service}-1"

    def inspect(self, service: str, template: str) -> str:
        output = run(["docker", "inspect", "-f", template, self.container(service)])
        return output.decode().strip()

    def images(self) -> list[str]:
        tag = self.env["ENCORE_RELEASE"]
        return [f"encore-api:{tag}", f"encore-trainer:{tag}"]


def write_env(folder: Path, torch_args: str, build_network: str) -> dict[str, str]:
    """A throw-away .env: random secrets, a read key, the proxy on free loopback ports."""
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    values = {
        "POSTGRES_PASSWORD": secrets.token_hex(16),
        "ENCORE_API_KEY": secrets.token_hex(24),
        "ENCORE_READ_KEY": secrets.token_hex(24),
        "ENCORE_DOMAIN": "localhost",
        "ENCORE_TLS": "internal",
        "ENCORE_PUBLISH_ADDRESS": "127.0.0.1",
        "ENCORE_HTTPS_PORT": str(free_port()),
        "ENCORE_HTTP_PORT": str(free_port()),
        "ENCORE_RELEASE": f"stack-test-{secrets.token_hex(4)}",
        "ENCORE_TORCH_PIP_ARGS": torch_args,
        "ENCORE_BUILD_NETWORK": build_network,
    }
    for key, value in values.items():
        text = re.sub(rf"^{key}=.*$", f"{key}={value}", text, flags=re.M)
    (folder / ".env").write_text(text, encoding="utf-8")
    (folder / ".env").chmod(0o600)
    return dict(re.findall(r"^([A-Z_]+)=(.*)$", text, flags=re.M))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- Where torch comes from ------------------------------------------------------------------


@contextmanager
def torch_source() -> Iterator[tuple[str, str, str]]:
    """(pip arguments, build network, what they are) for the build, serving a local wheel
    folder on loopback while the build runs when that is the way."""
    if "ENCORE_TORCH_PIP_ARGS" in os.environ:
        network = os.environ.get("ENCORE_BUILD_NETWORK", "default")
        yield os.environ["ENCORE_TORCH_PIP_ARGS"], network, "ENCORE_TORCH_PIP_ARGS"
        return
    if _answers(TORCH_INDEX):
        yield "", "default", TORCH_INDEX
        return
    if _serves_torch(WHEEL_SERVER):  # docker-here's `setup --serve-wheels`, say
        yield f"--find-links {WHEEL_SERVER}", "host", f"the wheel server at {WHEEL_SERVER}"
        return
    folder = _local_wheels()
    check(folder is not None, f"{TORCH_INDEX} does not answer, pip names no local torch wheel")
    assert folder is not None
    with _served(folder) as url:
        yield f"--find-links {url}", "host", f"{folder} served at {url}"


def _serves_torch(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as listing:
            return bool(TORCH_WHEEL.search(listing.read().decode(errors="replace")))
    except (OSError, ValueError):
        return False


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except (OSError, ValueError):
        return False


def _local_wheels() -> Path | None:
    for key in ("global.find-links", ":env:.find-links"):
        done = subprocess.run(
            [sys.executable, "-m", "pip", "config", "get", key], capture_output=True, text=True
        )
        for entry in done.stdout.split():
            folder = Path(entry.removeprefix("file://"))
            if folder.is_dir() and any(TORCH_WHEEL.fullmatch(p.name) for p in folder.iterdir()):
                return folder
    return None


@contextmanager
def _served(folder: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    port = int(WHEEL_SERVER.rsplit(":", 1)[1].strip("/"))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError:  # taken: any free port (the build's torch layer is then not reused)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


# --- The API through the proxy ---------------------------------------------------------------


@dataclass
class Api:
    base: str
    context: ssl.SSLContext
    api_key: str
    read_key: str

    def call(
        self, method: str, path: str, body: Any = None, key: str | None = "read"
    ) -> tuple[int, Any]:
        raw = isinstance(body, bytes)
        data = body if raw else None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        kind = "application/octet-stream" if raw else "application/json"
        request.add_header("Content-Type", kind)
        if key is not None:
            secret = self.read_key if key == "read" else self.api_key
            request.add_header("Authorization", f"Bearer {secret}")
        try:
            with urllib.request.urlopen(request, timeout=60, context=self.context) as answer:
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def ok(self, method: str, path: str, body: Any = None, key: str | None = "read") -> Any:
        status, answer = self.call(method, path, body, key)
        check(status < 300, f"{method} {path}: {status} {answer}")
        return answer

    def follow(self, job_id: str, done: Callable[[dict[str, Any]], bool], seconds: float) -> Any:
        """The job, once `done` holds for it."""

        def probe() -> Any:
            job = self.ok("GET", f"/jobs/{job_id}")
            return job if done(job) else None

        return wait_for(f"job {job_id}", probe, seconds)


def ended(job: dict[str, Any]) -> bool:
    return job["status"] in ("succeeded", "failed", "cancelled")


# --- Memory: docker stats while the stack runs -----------------------------------------------


@dataclass
class MemorySampler:
    """Peak memory of each service per phase, from `docker stats`, sampled in a thread."""

    stack: Stack
    phase: str = "start"
    peaks: dict[str, dict[str, float]] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        threading.Thread(target=self._loop, daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        names = [self.stack.container(service) for service in SERVICES]
        while not self._stop.is_set():
            done = subprocess.run(
                ["docker", "stats", "--no-stream", "--format", "{{json .}}", *names],
                capture_output=True,
                text=True,
            )
            for line in done.stdout.splitlines():
                self._note(json.loads(line))

    def _note(self, stats: dict[str, str]) -> None:
        service = stats["Name"].removeprefix(f"{self.stack.project}-").rsplit("-", 1)[0]
        used = _mebibytes(stats["MemUsage"].split("/")[0])
        phase = self.peaks.setdefault(self.phase, {})
        phase[service] = max(phase.get(service, 0.0), used)


def _mebibytes(text: str) -> float:
    number, unit = re.fullmatch(r"\s*([\d.]+)\s*([KMG]?i?B)\s*", text).groups()  # type: ignore[union-attr]
    scale = {"B": 1 / 2**20, "KiB": 1 / 1024, "kB": 1 / 1024, "MiB": 1, "MB": 1, "GiB": 1024}
    return round(float(number) * scale.get(unit, 1), 1)


# --- The day ---------------------------------------------------------------------------------


@dataclass
class Day:
    stack: Stack
    scale: str
    folder: Path
    sampler: MemorySampler
    facts: dict[str, Any] = field(default_factory=dict)
    steps: list[dict[str, Any]] = field(default_factory=list)
    api: Api | None = None
    rows: list[dict[str, str]] = field(default_factory=list)

    def step(self, name: str, action: Callable[[], Any]) -> None:
        log(f"{name} ...")
        self.sampler.phase = name
        started = time.monotonic()
        try:
            result = action()
        finally:
            seconds = round(time.monotonic() - started, 1)
        self.steps.append({"step": name, "seconds": seconds, **(result or {})})
        log(f"{name}: done in {seconds} s")

    @property
    def client(self) -> Api:
        assert self.api is not None
        return self.api


def build(day: Day) -> dict[str, Any]:
    day.stack.compose("build")
    sizes = {
        image.split(":")[0]: int(run(["docker", "image", "inspect", "-f", "{{.Size}}", image]))
        for image in day.stack.images()
    }
    return {"image_bytes": sizes}


def bring_up(day: Day) -> dict[str, Any]:
    day.stack.compose("up", "-d")
    ca = day.folder / "ca.crt"

    def fetch_ca() -> bool:
        path = "/data/caddy/pki/authorities/local/root.crt"
        pem = day.stack.compose("exec", "-T", "proxy", "cat", path, check_ok=False)
        ca.write_bytes(pem)
        return pem.startswith(b"-----BEGIN CERTIFICATE-----")

    wait_for("Caddy's root certificate", fetch_ca, UP_SECONDS, every=2)
    env = day.stack.env
    context = ssl.create_default_context(cafile=str(ca))  # verified: no insecure shortcut
    day.api = Api(
        f"https://localhost:{env['ENCORE_HTTPS_PORT']}", context,
        env["ENCORE_API_KEY"], env["ENCORE_READ_KEY"],
    )  # fmt: skip
    healthy = lambda: day.client.call("GET", "/health")[0] == 200  # noqa: E731
    wait_for("/health through the proxy", healthy, UP_SECONDS)
    published = day.stack.inspect("api", "{{json .NetworkSettings.Ports}}")
    check(json.loads(published) == {"8000/tcp": None}, f"the API is published: {published}")
    refused = day.client.call("GET", "/jobs", key=None)[0]
    check(refused == 401, f"a read without the read key answered {refused}")
    return {"api_published_on_host": False, "read_without_key": refused}


def upload(day: Day) -> dict[str, Any]:
    script = f"encore datagen --scale {day.scale} --out /tmp/g >&2 && tar -czf - -C /tmp/g ."
    archive = day.stack.compose("run", "--rm", "-T", "--no-deps", "trainer", "sh", "-c", script)
    path = day.folder / f"{DATASET}.tar.gz"
    path.write_bytes(archive)
    day.rows = _test_rows(archive, 20)
    refused = day.client.call("PUT", "/datasets/not-an-archive", b"x" * 600, key="api")[0]
    check(refused == 422, f"a body that is no archive answered {refused}")
    dataset = _curl_upload(day, path)
    check(dataset["name"] == DATASET and dataset["profile"] is not None, f"upload: {dataset}")
    listed = [d["name"] for d in day.client.ok("GET", "/datasets")]
    check(listed == [DATASET], f"data sets after the upload: {listed}")
    train_rows = dataset["profile"]["files"]["train.csv"]["records"]
    return {"archive_bytes": len(archive), "train_rows": train_rows, "refused_non_archive": 422}


def _curl_upload(day: Day, path: Path) -> Any:
    """The runbook's upload step, as written there (curl -T, the CA, ?wait)."""
    env = day.stack.env
    url = f"https://localhost:{env['ENCORE_HTTPS_PORT']}/datasets/{DATASET}?wait=1800"
    command = ["curl", "-sS", "--fail-with-body", "--cacert", str(day.folder / "ca.crt")]
    command += ["-H", f"Authorization: Bearer {env['ENCORE_API_KEY']}", "-T", str(path), url]
    return json.loads(run(command))


def _test_rows(archive: bytes, count: int) -> list[dict[str, str]]:
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("test.csv"))
        handle = tar.extractfile(member)
        assert handle is not None
        reader = csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8"))
        rows = [row for _, row in zip(range(count), reader, strict=False)]
    return [{k: v for k, v in row.items() if k != "id" and v != ""} for row in rows]


def train_and_activate(day: Day) -> dict[str, Any]:
    params = QUICK if day.scale == "tiny" else {}
    accepted = day.client.ok("POST", "/train", {"dataset": DATASET, "params": params}, key="api")
    job = day.client.follow(accepted["job_id"], ended, JOB_SECONDS)
    check(job["status"] == "succeeded", f"training: {job['status']} {job['error']}")
    version = job["model_version"]
    day.client.ok("POST", f"/models/{version}/activate", key="api")
    wait_for("the version serving", lambda: _ready_version(day) == version, 60)
    day.facts["version"] = version
    auc = job["metrics"]["auc"]
    return {"job": job["id"], "version": version, "epochs": job["epoch"], "auc": auc}


def _ready_version(day: Day) -> str | None:
    status, ready = day.client.call("GET", "/ready", key=None)
    return ready.get("model_version") if status == 200 else None


def predict(day: Day) -> dict[str, Any]:
    answers = _answers_now(day)
    day.facts["answers"] = answers
    return {"rows": len(day.rows), "first_probability": answers["batch"][0]}


def _answers_now(day: Day) -> dict[str, Any]:
    batch = day.client.ok("POST", "/predict", {"rows": day.rows})
    one = day.client.ok("POST", "/predict/one", day.rows[0])
    check(batch["model_version"] == one["model_version"] == day.facts["version"], "version")
    probabilities = [p["probability"] for p in batch["predictions"]]
    gap = abs(one["probability"] - probabilities[0])  # float32 one row, float64 batches
    check(gap < 1e-6, f"/predict/one differs from /predict by {gap}")
    return {"batch": probabilities, "one": one["probability"]}


def restart_api(day: Day) -> dict[str, Any]:
    day.stack.compose("restart", "api")
    serving = lambda: _ready_version(day) == day.facts["version"]  # noqa: E731
    wait_for("the API ready again", serving, UP_SECONDS)
    same = _answers_now(day) == day.facts["answers"]
    check(same, "the answers changed across an API restart")
    return {"same_answers": same}


def kill_trainer(day: Day) -> dict[str, Any]:
    doomed = day.client.ok("POST", "/train", {"dataset": DATASET, "params": ENDLESS}, key="api")
    day.client.follow(doomed["job_id"], lambda job: (job["epoch"] or 0) >= 1, JOB_SECONDS)
    restarts = int(day.stack.inspect("trainer", "{{.RestartCount}}"))
    pid = int(day.stack.inspect("trainer", "{{.State.Pid}}"))
    killed_at = time.monotonic()
    os.kill(pid, signal.SIGKILL)  # the container's pid 1, as the OOM killer would
    job = day.client.follow(doomed["job_id"], ended, 300)
    failed_after = round(time.monotonic() - killed_at, 1)
    check(job["status"] == "failed", f"the killed job ended {job['status']}")
    following = day.client.ok("POST", "/train", {"dataset": DATASET, "params": QUICK}, key="api")
    next_job = day.client.follow(following["job_id"], ended, JOB_SECONDS)
    check(next_job["status"] == "succeeded", f"the next job: {next_job['status']}")
    after = int(day.stack.inspect("trainer", "{{.RestartCount}}")) - restarts
    logs = day.stack.compose("logs", "trainer").decode(errors="replace")
    looped = logs.count("There exists an active worker")
    check(after == 1 and looped == 0, f"{after} restarts, {looped} refusals: a crash loop")
    return {
        "killed_job_error": job["error"],
        "killed_job_failed_after_seconds": failed_after,
        "trainer_restarts": after,
        "name_refusals": looped,
        "cleared_own_registration": "cleared the registration its earlier process left" in logs,
        "next_job": next_job["status"],
    }


def down_and_up(day: Day) -> dict[str, Any]:
    before = _records(day)
    day.stack.compose("down")
    day.stack.compose("up", "-d")
    serving = lambda: _ready_version(day) == day.facts["version"]  # noqa: E731
    wait_for("the API ready after up", serving, UP_SECONDS)
    after = _records(day)
    check(after == before, f"records changed across down/up: {before} -> {after}")
    same = _answers_now(day) == day.facts["answers"]
    check(same, "the answers changed across down/up")
    kept = {"jobs": len(after["jobs"]), "versions": len(after["versions"])}
    return {**kept, "datasets": after["datasets"]}


def _records(day: Day) -> dict[str, Any]:
    jobs = sorted((j["id"], j["status"]) for j in day.client.ok("GET", "/jobs"))
    versions = sorted((m["version"], m["active"]) for m in day.client.ok("GET", "/models"))
    datasets = [d["name"] for d in day.client.ok("GET", "/datasets")]
    return {"jobs": jobs, "versions": versions, "datasets": datasets}


# --- Putting it together ---------------------------------------------------------------------


def limits(stack: Stack) -> dict[str, float]:
    config = json.loads(stack.compose("config", "--format", "json"))
    return {
        name: round(int(service["mem_limit"]) / 2**20, 1)
        for name, service in config["services"].items()
        if service.get("mem_limit")
    }


def teardown(stack: Stack) -> None:
    log("tearing down")
    stack.compose("down", "-v", "--remove-orphans", check_ok=False)
    run(["docker", "image", "rm", *stack.images()], check_ok=False)


def day_of(stack: Stack, scale: str, folder: Path) -> dict[str, Any]:
    sampler = MemorySampler(stack)
    day = Day(stack, scale, folder, sampler)
    summary: dict[str, Any] = {"project": stack.project, "scale": scale}
    started = time.monotonic()
    try:
        day.step("build", lambda: build(day))
        sampler.start()
        for name, action in (
            ("up", bring_up), ("upload", upload), ("train", train_and_activate),
            ("predict", predict), ("restart_api", restart_api),
            ("kill_trainer", kill_trainer), ("down_up", down_and_up),
        ):  # fmt: skip
            day.step(name, functools.partial(action, day))
        summary["passed"] = True
    except Exception as exc:  # any failure ends the day; the summary says where and why
        error = f"{type(exc).__name__}: {exc}" if not isinstance(exc, StackTestFailed) else str(exc)
        summary |= {"passed": False, "failed_at": day.sampler.phase, "error": error}
    finally:
        sampler.stop()
    summary |= {
        "seconds": round(time.monotonic() - started, 1),
        "steps": day.steps,
        "memory_limits_mib": limits(stack),
        "memory_peaks_mib": sampler.peaks,
    }
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["tiny", "small"], default="tiny",
                        help="the generated data set (small: for the memory figures)")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="leave the stack up afterwards")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("stack-test: run as root (it SIGKILLs the trainer's process)", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="encore-stack-test-"))
    with torch_source() as how:
        env = write_env(folder, how[0], how[1])
        stack = Stack(f"encorestacktest{secrets.token_hex(3)}", folder / ".env", env)
        try:
            summary = {"torch_from": how[2], **day_of(stack, args.scale, folder)}
        finally:
            if args.keep:
                log(f"left up: docker compose -p {stack.project} --env-file {folder}/.env ...")
            else:
                teardown(stack)
                shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(summary, indent=2))
    return 0 if summary["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
