"""Debian's headless Chromium driven through its own chromedriver (Selenium), with nothing
downloaded: the driver's path is given, so Selenium Manager never runs."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_NAMES = ("chromium", "chromium-browser")
# A laptop's window; phones are checked by resizing.
WINDOW = (1280, 900)


def chromium() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Chromium is not installed (apt-get install chromium chromium-driver)")


def start_browser() -> Any:
    binary = chromium()
    if not CHROMEDRIVER.is_file():
        pytest.skip(f"{CHROMEDRIVER} is missing (apt-get install chromium-driver)")
    os.environ["SE_AVOID_STATS"] = "true"  # Selenium sends no usage statistics
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))


def console_errors(driver: Any) -> list[str]:
    """The console's errors since the last call (a failed request is one too)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def failed_requests(driver: Any) -> list[str]:
    """Requests since the last call that failed or answered 4xx/5xx."""
    failed = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.loadingFailed" and not params.get("canceled"):
            failed.append(f"{params.get('errorText')} ({params.get('type')})")
        elif message["method"] == "Network.responseReceived":
            response = params["response"]
            if response["status"] >= 400:
                failed.append(f"{response['status']} {response['url']}")
    return failed
