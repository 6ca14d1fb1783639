"""`encore worker`: run queued jobs (RQ with REDIS_URL, else straight from the records)."""

from __future__ import annotations

import argparse
import signal
import threading
from socket import gethostname
from typing import TYPE_CHECKING, Any

from encore.commands.options import add_command
from encore.commands.records import ready_settings

if TYPE_CHECKING:
    from encore.jobs import EmbeddedWorker


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "worker",
        "run training, sweep and scoring jobs from the queue",
        "With REDIS_URL and DATABASE_URL set, an RQ worker on the queue ENCORE_QUEUE_NAME "
        "(the trainer container's command; start as many as you like). Without them, "
        "runs the jobs queued in the embedded records database. Running jobs whose "
        "worker died are marked failed first, and version folders that were written but "
        "never registered are adopted (or moved to <artifacts>/rejected if they do not load).",
        run,
    )
    parser.add_argument(
        "--burst", action="store_true", help="stop once the queue is empty instead of waiting"
    )
    parser.add_argument("--name", help="worker name (default worker@<host>.<pid>)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 0 if a worker of this host is registered with the queue (a healthcheck)",
    )


def run(args: argparse.Namespace) -> int:
    if args.check:
        return _check()
    from encore.jobs import EmbeddedWorker, run_rq_worker
    from encore.jobs.context import default_worker_name
    from encore.logs import configure_logging

    configure_logging()
    settings = ready_settings()
    if settings.torch_threads:
        import torch

        torch.set_num_threads(settings.torch_threads)
    if settings.uses_rq():
        run_rq_worker(settings, burst=args.burst, name=args.name)
        return 0
    worker = EmbeddedWorker(settings, name=args.name or default_worker_name("embedded"))
    if args.burst:
        print(f"ran {worker.drain()} job(s)")
        return 0
    _serve_until_signal(worker)
    return 0


def _check() -> int:
    from encore.jobs import RQTransport
    from encore.settings import get_settings

    settings = get_settings()
    if not settings.uses_rq():
        print("embedded mode: jobs run inside `encore serve`; no worker to check")
        return 0
    transport = RQTransport(str(settings.redis_url), settings.queue_name, settings.job_timeout)
    mine = [
        name for name in transport.queue_workers() if name.startswith(f"worker@{gethostname()}.")
    ]
    if mine:
        print(f"registered: {', '.join(sorted(mine))}")
        return 0
    print(f"no worker of {gethostname()} is registered on queue {settings.queue_name}")
    return 1


def _serve_until_signal(worker: EmbeddedWorker) -> None:
    stopped = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stopped.set())
    worker.start()
    stopped.wait()
    worker.stop()
