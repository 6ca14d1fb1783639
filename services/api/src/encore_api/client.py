"""A small JSON-over-HTTP client (standard library only), for the demo and operators' scripts."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from encore.errors import EncoreError

FINISHED = ("succeeded", "failed", "cancelled")


@dataclass(frozen=True)
class ApiClient:
    base_url: str
    api_key: str | None = None
    timeout: float = 30.0

    def get(self, path: str) -> tuple[int, Any]:
        return self._call("GET", path, None)

    def post(self, path: str, body: Any = None) -> tuple[int, Any]:
        return self._call("POST", path, body)

    def follow_job(
        self, job_id: str, on_change: Callable[[dict[str, Any]], None], timeout: float = 600
    ) -> dict[str, Any]:
        """Poll the job until it ends, calling `on_change` whenever its status, stage or
        completed epochs move."""
        deadline, last = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            _, job = self.get(f"/jobs/{job_id}")
            if (job["status"], job["stage"], job.get("epoch")) != last:
                last = (job["status"], job["stage"], job.get("epoch"))
                on_change(job)
            if job["status"] in FINISHED:
                return dict(job)
            time.sleep(0.25)
        raise EncoreError(f"job {job_id} did not finish within {timeout:.0f} s")

    def _call(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.api_key:
            request.add_header("Authorization", f"Bearer {self.api_key}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")


def free_port() -> int:
    """A loopback port nothing listens on now (for the demo, tests and benchmarks)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
