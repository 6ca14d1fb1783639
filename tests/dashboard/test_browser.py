"""The dashboard in a real browser (Debian's headless Chromium): one browser and one served API
(`encore serve`, embedded mode, with an API key) for the whole module, the tests in the order a
user would go. Screenshots of the main pages go to $ENCORE_SCREENSHOTS_DIR (docs/images when
the README's are refreshed) or the test's temporary folder."""

from __future__ import annotations

import os
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from encore.db import upgrade
from encore.jobs import ModelRegistry
from encore.settings import Settings
from tests.api.conftest import KEY
from tests.dashboard.browser import console_errors, failed_requests, start_browser
from tests.faults.servers import ApiServer
from tests.services import settings_env

pytestmark = pytest.mark.slow
WAIT = 20.0
TRAIN_SECONDS = 180.0
PHONE = (390, 844)
SHOT_HEIGHT = 2400


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("ENCORE_SCREENSHOTS_DIR") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    driver = start_browser()
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def server(
    data_root: Path, versions: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiServer]:
    work = tmp_path_factory.mktemp("dashboard")
    data = work / "data"
    data.mkdir()
    (data / "tiny").symlink_to((data_root / "tiny").resolve())
    settings = Settings(
        data_dir=data, artifacts_dir=work / "artifacts", database_url=None, redis_url=None
    )
    settings.artifacts_dir.mkdir()
    upgrade(settings.records_url())
    registry = ModelRegistry(settings.records_url())
    for folder in versions:
        registry.register(folder)
    env = {**settings_env(settings), "ENCORE_API_KEY": KEY, "ENCORE_MODEL_POLL_SECONDS": "0.2"}
    api = ApiServer(env, work / "api.log")
    try:
        yield api
    finally:
        api.stop()


class Page:
    """The browser on the served API, with the waits a test needs."""

    def __init__(self, driver: Any, server: ApiServer) -> None:
        self.driver = driver
        self.base = server.client.base_url
        self.api = server.client

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)
        self.wait(lambda: self.driver.execute_script("return document.readyState") == "complete")

    def find(self, css: str) -> Any:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def all(self, css: str) -> list[Any]:
        from selenium.webdriver.common.by import By

        return list(self.driver.find_elements(By.CSS_SELECTOR, css))

    def text(self, css: str) -> str:
        """The element's text now, or "" (read in one step: the page may be replacing it)."""
        script = "const e = document.querySelector(arguments[0]); return e ? e.innerText : '';"
        return str(self.driver.execute_script(script, css)).strip()

    def wait(self, check: Any, timeout: float = WAIT, what: str = "the page") -> None:
        deadline = time.monotonic() + timeout
        while not check():
            assert time.monotonic() < deadline, f"{what}: not within {timeout:.0f} s"
            time.sleep(0.05)

    def type_key(self, key: str) -> None:
        if not self.find("#key-box").get_attribute("open"):
            self.find("#key-box summary").click()
        self.find("#key-input").send_keys(key)
        self.find("#key-form button[type=submit]").click()
        self.wait(lambda: self.text("#key-state") == "kept for this session")

    def forget_key(self) -> None:
        self.driver.execute_script("sessionStorage.clear()")

    def shot(self, folder: Path, name: str) -> None:
        """The whole page (up to a few screens), at the window's width."""
        size = self.driver.get_window_size()
        width, height = size["width"], size["height"]
        full = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(width, min(max(full + 140, height), SHOT_HEIGHT))
        try:
            self.driver.save_screenshot(str(folder / f"{name}.png"))
        finally:
            self.driver.set_window_size(width, height)

    def clean_logs(self) -> None:
        console_errors(self.driver)
        failed_requests(self.driver)


@pytest.fixture(scope="module")
def page(browser: Any, server: ApiServer) -> Page:
    return Page(browser, server)


def _versions(page: Page) -> list[dict[str, Any]]:
    status, versions = page.api.get("/models")
    assert status == 200
    return list(versions)


def _predicting_version(page: Page) -> str:
    status, answer = page.api.post("/predict/one", {"msno": "someone", "song_id": "something"})
    assert status == 200, answer
    return str(answer["model_version"])


def test_the_pages_load_with_no_console_error_and_no_failed_request(
    page: Page, shots: Path
) -> None:
    first, second = (v["version"] for v in _versions(page))
    pages = {
        "jobs": "/ui/jobs",
        "datasets": "/ui/datasets",
        "dataset": "/ui/datasets/tiny",
        "models": "/ui/models",
        "model": f"/ui/models/{first}",
        "compare": f"/ui/compare?a={first}&b={second}",
        "try": "/ui/try",
        "docs": "/docs",
        "redoc": "/redoc",
    }
    page.open("/ui/jobs")
    page.clean_logs()
    for name, path in pages.items():
        page.open(path)
        if name == "docs":
            page.wait(lambda: bool(page.all(".swagger-ui .opblock")), what="Swagger UI")
        elif name == "redoc":
            page.wait(lambda: bool(page.all("redoc [data-section-id]")), what="ReDoc")
        else:
            assert page.find("h1").text, path
        assert console_errors(page.driver) == [], path
        assert failed_requests(page.driver) == [], path
        if name in ("datasets", "models", "model", "compare", "try", "docs"):
            page.shot(shots, name)
    page.driver.set_window_size(*PHONE)
    try:
        page.open(f"/ui/models/{first}")
        width = page.driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= PHONE[0], "the page fits a phone's width (tables scroll on their own)"
        page.shot(shots, "model-phone")
    finally:
        page.driver.set_window_size(1280, 900)


def test_without_the_key_changes_are_refused_with_a_clear_message(page: Page) -> None:
    page.open("/ui/models")
    page.forget_key()
    inactive = next(v["version"] for v in _versions(page) if not v["active"])
    page.open(f"/ui/models/{inactive}")
    page.find("#activate-form button").click()
    page.wait(lambda: "Refused" in page.text("#activate-form .status"), what="the refusal")
    message = page.text("#activate-form .status")
    assert message.startswith("Refused: this needs the API key."), message
    assert page.find("#key-box").get_attribute("open"), "the key box opens to ask for it"
    assert page.driver.switch_to.active_element == page.find("#key-input")
    page.open("/ui/jobs")
    page.find("#train-form button[type=submit]").click()
    page.wait(lambda: "Refused" in page.text("#train-form .status"), what="the refusal")
    assert _predicting_version(page) != inactive
    assert page.api.get("/jobs") == (200, [])


def test_activating_another_version_from_its_page_changes_what_predict_answers(
    page: Page, shots: Path
) -> None:
    before = _predicting_version(page)
    other = next(v["version"] for v in _versions(page) if v["version"] != before)
    page.open(f"/ui/models/{other}")
    page.type_key(KEY)
    # The key lives in this tab's session only: no cookie, nothing in local storage.
    assert page.driver.get_cookies() == []
    assert page.driver.execute_script("return window.localStorage.length") == 0
    page.find("#activate-form button").click()
    page.wait(lambda: page.text("#version-state") == "● active", what="the version active")
    page.wait(lambda: _predicting_version(page) == other, what="/predict/one answering with it")
    assert page.text("footer").count(other) == 1
    page.shot(shots, "model-activated")


def test_a_training_job_started_from_the_form_shows_its_progress_and_curves(
    page: Page, shots: Path
) -> None:
    page.open("/ui/jobs")
    page.type_key(KEY)
    form = {"max_epochs": "4", "batch_size": "64", "embedding_dim": "8", "hidden": "32,16"}
    for name, value in form.items():
        page.find(f"#param-{name}").send_keys(value)
    page.clean_logs()
    page.find("#train-form button[type=submit]").click()
    page.wait(lambda: "/ui/jobs/" in page.driver.current_url, what="the job's page")
    job_id = page.driver.current_url.rsplit("/", 1)[1]
    seen: list[str] = []
    deadline = time.monotonic() + TRAIN_SECONDS
    while "succeeded" not in page.text("#job-status"):
        assert "failed" not in page.text("#job-status"), page.text("#live")
        assert time.monotonic() < deadline, f"the job did not succeed: {page.text('#live')}"
        state = f"{page.text('#job-stage')} | {page.text('#epoch-line')}"
        if not seen or seen[-1] != state:
            seen.append(state)
        time.sleep(0.1)
    assert len(seen) >= 3, f"the progress moved without a reload: {seen}"
    assert any("Epoch" in state for state in seen), seen
    assert page.find("#job-status").text == "✓ succeeded"
    assert len(page.all("svg.chart polyline")) >= 4, "loss (train and validation) and AUC"
    assert "succeeded: version" in page.text("#job-log")
    version = page.find("#job-version").text
    assert page.api.get(f"/jobs/{job_id}")[1]["model_version"] == version
    assert console_errors(page.driver) == [] and failed_requests(page.driver) == []
    page.shot(shots, "job")
    page.open("/ui/jobs")
    assert job_id[:8] in page.text("#jobs") and "✓ succeeded" in page.text("#jobs")
    page.shot(shots, "jobs")


def test_a_sweep_started_from_the_form_ends_with_its_figure(page: Page) -> None:
    page.open("/ui/jobs")
    page.type_key(KEY)
    rates = page.find("#sweep-rates")
    rates.clear()
    rates.send_keys("0.01, 0.001")
    page.find("#sweep-epochs").send_keys("2")
    page.find("#sweep-form button[type=submit]").click()
    page.wait(lambda: "/ui/jobs/" in page.driver.current_url, what="the job's page")
    page.wait(lambda: bool(page.all("#sweep-figure")), TRAIN_SECONDS, "the sweep's figure")
    figure = page.find("#sweep-figure")
    assert page.driver.execute_script("return arguments[0].naturalWidth", figure) > 100
    assert "rate 0.01: AUC" in page.text("#live") and "rate 0.001: AUC" in page.text("#live")


def test_the_scoring_form_gives_what_predict_one_gives(
    page: Page, valid_rows: list[dict[str, Any]], shots: Path
) -> None:
    row = {key: valid_rows[0][key] for key in ("msno", "song_id", "source_system_tab")}
    page.open("/ui/try")
    page.forget_key()
    page.find("#try-msno").send_keys(row["msno"])
    page.find("#try-song_id").send_keys(row["song_id"])
    page.find("#try-form details summary").click()
    page.find("#try-source_system_tab").send_keys(row["source_system_tab"])
    page.find("#try-form button[type=submit]").click()
    page.wait(lambda: page.find("#answer").is_displayed(), what="the probability")
    shown = float(page.find("#probability").get_attribute("data-probability"))
    status, answer = page.api.post("/predict/one", row)
    assert status == 200
    assert shown == answer["probability"]
    assert page.text("#probability") == f"{answer['probability']:.6f}"
    assert page.text("#answer-version") == answer["model_version"]
    page.shot(shots, "try")


def test_an_upload_shows_its_progress_and_ends_on_the_data_set_page(
    page: Page, data_root: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "tiny.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for file in sorted((data_root / "tiny").resolve().glob("*.csv")):
            if file.name in ("train.csv", "test.csv", "songs.csv", "members.csv"):
                tar.add(file, arcname=file.name)
    page.open("/ui/datasets")
    page.type_key(KEY)
    page.find("#upload-name").send_keys("uploaded")
    page.find("#upload-file").send_keys(str(archive))
    page.find("#upload-form button[type=submit]").click()
    page.wait(lambda: page.driver.current_url.endswith("/ui/datasets/uploaded"), 120, "import")
    assert page.find("h1").text == "Data set uploaded"
    assert "train.csv" in page.text("table")
