"""What the app holds for its lifetime: settings, services, the predictor, background workers."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from encore.datasets.store import DatasetStore
from encore.db import ensure_schema
from encore.db.deadline import deadline_in, set_default_seconds
from encore.jobs import EmbeddedWorker, JobService, JobStore, ModelRegistry
from encore.settings import Settings
from encore_api.batching import RowBatcher
from encore_api.predictor import Predictor
from encore_api.telemetry import Telemetry
from encore_api.watcher import ModelWatcher

log = logging.getLogger(__name__)


@dataclass
class AppState:
    settings: Settings
    store: JobStore
    registry: ModelRegistry
    jobs: JobService
    predictor: Predictor
    watcher: ModelWatcher
    telemetry: Telemetry
    datasets: DatasetStore
    one_rows: RowBatcher
    worker: EmbeddedWorker | None = None

    @classmethod
    def build(cls, settings: Settings) -> AppState:
        url = settings.records_url()
        registry = ModelRegistry(url, auto_activate=settings.auto_activate)
        worker = None if settings.uses_rq() else EmbeddedWorker(settings)
        predictor = Predictor(lambda: _active(registry))
        return cls(
            settings=settings,
            store=JobStore(url),
            registry=registry,
            jobs=JobService.from_settings(settings, worker.transport if worker else None),
            predictor=predictor,
            watcher=ModelWatcher(predictor, settings.model_poll_seconds),
            telemetry=Telemetry(),
            datasets=DatasetStore(settings.data_dir),
            one_rows=RowBatcher(predictor, settings.one_row_turns, settings.inline_rows),
            worker=worker,
        )

    def start(self) -> None:
        # Every wait on the records in this process, a request's or the model watcher's.
        set_default_seconds(self.settings.database_timeout)
        embedded = self.worker is not None
        if embedded:
            self.settings.artifacts_dir.mkdir(parents=True, exist_ok=True)
        try:
            with deadline_in():
                ensure_schema(self.settings.records_url(), create=embedded)
        except Exception as exc:  # serve anyway; /ready tells the operator
            log.error("records database not ready: %s", exc)
        try:
            self.datasets.sweep_stale()
        except OSError as exc:  # serve anyway; uploads will say what is wrong
            log.error("cannot tidy the data folder's unfinished uploads: %s", exc)
        self.watcher.start()
        if self.worker is not None:
            self.worker.start()

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
        self.watcher.stop()


def _active(registry: ModelRegistry) -> tuple[str, Path] | None:
    record = registry.active()
    return (record.version, Path(record.path)) if record else None
