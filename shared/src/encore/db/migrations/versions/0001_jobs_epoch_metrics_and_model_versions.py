"""Jobs, per-epoch metrics and model versions.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    _create_jobs()
    _create_epoch_metrics()
    _create_model_versions()


def downgrade() -> None:
    op.drop_table("model_versions")
    op.drop_table("epoch_metrics")
    op.drop_table("jobs")


def _create_jobs() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("dataset", sa.String(255)),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("started_at", STAMP),
        sa.Column("finished_at", STAMP),
        sa.Column("error", sa.Text()),
        sa.Column("worker", sa.String(255)),
        sa.Column("pid", sa.Integer()),
        sa.Column("rq_id", sa.String(64)),
        sa.Column("stage", sa.String(64)),
        sa.Column("epoch", sa.Integer()),
        sa.Column("max_epochs", sa.Integer()),
        sa.Column("metrics", sa.JSON()),
        sa.Column("result", sa.JSON()),
        sa.Column("model_version", sa.String(64)),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_jobs_status", "jobs", ["status"])


def _create_epoch_metrics() -> None:
    op.create_table(
        "epoch_metrics",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "job_id", sa.String(36), sa.ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("run", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        *[
            sa.Column(name, sa.Float(), nullable=False)
            for name in (
                "train_loss",
                "valid_loss",
                "auc",
                "accuracy",
                "precision",
                "recall",
                "learning_rate",
                "seconds",
                "rows_per_second",
            )
        ],
        sa.Column("recorded_at", STAMP, nullable=False),
    )
    op.create_index("ix_epoch_metrics_job_id", "epoch_metrics", ["job_id"])
    op.create_index(
        "uq_epoch_metrics_run", "epoch_metrics", ["job_id", "run", "epoch"], unique=True
    )


def _create_model_versions() -> None:
    op.create_table(
        "model_versions",
        sa.Column("version", sa.String(64), primary_key=True),
        sa.Column("job_id", sa.String(36), sa.ForeignKey("jobs.id", ondelete="SET NULL")),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("data_fingerprint", sa.String(64)),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("activated_at", STAMP),
    )
    op.create_index("ix_model_versions_created_at", "model_versions", ["created_at"])
    # At most one active version: a unique index over the rows where active is true.
    op.create_index(
        "uq_model_versions_one_active",
        "model_versions",
        ["active"],
        unique=True,
        postgresql_where=sa.text("active"),
        sqlite_where=sa.text("active"),
    )
