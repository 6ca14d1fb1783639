"""Prometheus metrics: requests and latency by route and status, rows predicted, the active
model version, jobs by status."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


class Telemetry:
    """One registry per app, so that several apps in one process (tests) do not collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "encore_http_requests_total",
            "HTTP requests",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "encore_http_request_seconds",
            "HTTP request latency",
            ["route", "method"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.rows = Counter(
            "encore_rows_predicted_total",
            "rows scored by /predict, /predict/one, /recommend",
            registry=self.registry,
        )
        self.model = Gauge(
            "encore_model_serving",
            "1 for the model version this process answers with",
            ["version"],
            registry=self.registry,
        )
        self.jobs = Gauge(
            "encore_jobs",
            "jobs by status, from the records database",
            ["status"],
            registry=self.registry,
        )

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route, method).observe(seconds)

    def serving(self, version: str | None) -> None:
        self.model.clear()
        if version:
            self.model.labels(version).set(1)

    def job_counts(self, counts: dict[str, int]) -> None:
        for status, count in counts.items():
            self.jobs.labels(status).set(count)

    def render(self) -> bytes:
        return generate_latest(self.registry)
