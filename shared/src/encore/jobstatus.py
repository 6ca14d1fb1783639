"""Job kinds and statuses: plain names, importable without the database layer."""

JOB_KINDS = ("train", "sweep", "score", "import")
QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED = (
    "queued",
    "running",
    "succeeded",
    "failed",
    "cancelled",
)
JOB_STATUSES = (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED)
FINISHED_STATUSES = (SUCCEEDED, FAILED, CANCELLED)
