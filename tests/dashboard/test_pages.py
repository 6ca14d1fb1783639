"""The dashboard's pages as HTTP answers: every page renders from the records, sends a
Content-Security-Policy that allows this origin only, and answers bad input with a page that
names it. What a browser does with them: test_browser.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from encore.jobs import JobStore
from tests.api.conftest import KEY

READ_KEY = "read-key-0123456789abcdef"
# What a policy may allow: this origin, nothing, inline code (the docs only), data: images.
ALLOWED_SOURCES = {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}


def _pages(client: TestClient) -> list[str]:
    versions = [record["version"] for record in client.get("/models").json()]
    return [
        "/ui/jobs",
        "/ui/datasets",
        "/ui/datasets/tiny",
        "/ui/models",
        *[f"/ui/models/{version}" for version in versions],
        f"/ui/compare?a={versions[0]}&b={versions[1]}",
        "/ui/try",
        "/docs",
        "/redoc",
    ]


def _sources(policy: str) -> dict[str, set[str]]:
    directives = (part.split() for part in policy.split(";") if part.strip())
    return {name: set(values) for name, *values in directives}


def test_every_page_renders_with_a_policy_that_forbids_other_origins(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(register=2)
    for path in _pages(client):
        page = client.get(path)
        assert page.status_code == 200, (path, page.text[-500:])
        assert page.headers["content-type"].startswith("text/html")
        policy = _sources(page.headers["content-security-policy"])
        assert policy["default-src"] == {"'self'"}, path
        assert policy["frame-ancestors"] == {"'none'"}, path
        for directive, sources in policy.items():
            assert sources <= ALLOWED_SOURCES, (path, directive, sources)
        if path.startswith("/ui"):
            assert "'unsafe-inline'" not in policy["script-src"], path
        # Everything the page loads comes from this origin, and is there.
        for link in re.findall(r'(?:src|href)="([^"]+)"', page.text):
            assert not re.match(r"(https?:)?//", link), (path, link)
            if link.startswith("/") and not link.startswith(("/ui/", "/docs", "/redoc")):
                assert client.get(link).status_code == 200, (path, link)
        assert float(page.headers["server-timing"].removeprefix("app;dur=")) > 0


def test_the_docs_load_their_files_from_this_origin(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    for path in ("/docs", "/redoc"):
        scripts = re.findall(r'<script src="([^"]+)"', client.get(path).text)
        assert scripts and all(src.startswith("/docs-assets/") for src in scripts), scripts
        for src in scripts:
            script = client.get(src)
            assert script.status_code == 200 and len(script.content) > 100_000, src
    assert "validatorUrl" in client.get("/docs").text  # no badge fetched from the validator
    assert client.get("/favicon.ico").headers["content-type"] == "image/png"


def test_the_models_page_shows_the_active_version_and_its_cold_start_figures(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(register=2)
    versions = client.get("/models").json()
    active = next(v for v in versions if v["active"])
    page = client.get(f"/ui/models/{active['version']}").text
    assert "● active" in page
    cold = active["metrics"]["cold_start"]
    assert "Cold start" in page and "user unseen" in page
    assert f"{cold['user_unseen']['rows']:,}" in page
    assert active["data_fingerprint"] in page
    listing = client.get("/ui/models").text
    assert listing.count("Activate<span") == 1, "every version but the active one"


def test_a_job_page_shows_its_error_and_its_log(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client()
    store: JobStore = client.app.state.encore.store  # type: ignore[attr-defined]
    job = store.create("train", {"dataset": "tiny"})
    store.note(job.id, "stage: ingest")
    store.fail(job.id, "train.csv, line 7, column bd: 'x' is not an integer")
    store.note(job.id, "failed: train.csv, line 7", level="error")
    page = client.get(f"/ui/jobs/{job.id}").text
    assert "✗ failed" in page
    assert "train.csv, line 7, column bd: &#39;x&#39; is not an integer" in page
    assert "stage: ingest" in page and "Cancel the job" not in page
    listing = client.get("/ui/jobs").text
    assert job.id[:8] in listing and "✗ failed" in listing


def test_bad_input_is_a_page_naming_it(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    unknown = client.get("/ui/jobs/no-such-job")
    assert unknown.status_code == 404 and "no job &#39;no-such-job&#39;" in unknown.text
    assert client.get("/ui/models/nope").status_code == 404
    assert client.get("/ui/datasets/nope").status_code == 404
    bad = client.get("/ui/jobs?limit=0")
    assert bad.status_code == 422
    assert "limit: Input should be greater than or equal to 1" in bad.text
    assert client.get("/ui/compare?a=x").status_code == 422
    assert client.get("/ui/jobs?status=lost").status_code == 422


def test_with_a_read_key_pages_ask_for_it(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    client = make_client(api_key=KEY, read_key=READ_KEY)
    version = client.get("/models", headers={"Authorization": f"Bearer {READ_KEY}"}).json()[0]
    for path in ("/ui/jobs", "/ui/models", f"/ui/models/{version['version']}", "/ui/try"):
        locked = client.get(path)
        assert locked.status_code == 401, path
        assert "needs its read key" in locked.text and version["version"] not in locked.text
        for key in (READ_KEY, KEY):
            opened = client.get(path, headers={"Authorization": f"Bearer {key}"})
            assert opened.status_code == 200 and "data-locked" not in opened.text, path
    assert client.get("/docs").status_code == 200, "the docs stay open"
