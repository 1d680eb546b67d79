"""reports and exports run as jobs: the queue, the files in chunks, the download key

Revision ID: 0ff48120430a
Revises: a8c2e5f9b1d4
Create Date: 2026-12-03 06:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0ff48120430a"
down_revision: str | None = "a8c2e5f9b1d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
State = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
WAITING = sa.text("status IN ('queued', 'running')")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "report_job",
        sa.Column("id", Id, nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("arguments", State, nullable=False),
        sa.Column("requested_by_id", Id, nullable=False),
        sa.Column("token_id", Id, nullable=True),
        sa.Column("school_id", Id, nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "queued", "running", "succeeded", "failed", "expired",
                name="report_job_status", native_enum=False, create_constraint=True, length=32,
            ),
            nullable=False,
        ),  # fmt: skip
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("message", sa.String(length=1000), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("media_type", sa.String(length=128), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("queued_at", When, nullable=False),
        sa.Column("started_at", When, nullable=True),
        sa.Column("finished_at", When, nullable=True),
        sa.Column("expires_at", When, nullable=True),
        sa.Column("worker", sa.String(length=128), nullable=True),
        sa.Column("lease_until", When, nullable=True),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["account.id"], name=op.f("fk_report_job_requested_by_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_report_job_school_id_school")
        ),
        sa.ForeignKeyConstraint(
            ["token_id"], ["auth_token.id"], name=op.f("fk_report_job_token_id_auth_token"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_job")),
    )
    op.create_index(op.f("ix_report_job_requested_by_id"), "report_job", ["requested_by_id"])
    op.create_index(op.f("ix_report_job_school_id"), "report_job", ["school_id"])
    op.create_index(
        "ix_report_job_waiting",
        "report_job",
        ["queued_at"],
        sqlite_where=WAITING,
        postgresql_where=WAITING,
    )
    op.create_table(
        "report_chunk",
        sa.Column("job_id", Id, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["report_job.id"], name=op.f("fk_report_chunk_job_id_report_job"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("job_id", "seq", name=op.f("pk_report_chunk")),
    )
    op.create_table(
        "report_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("secret", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_key")),
    )


def downgrade() -> None:
    op.drop_table("report_key")
    op.drop_table("report_chunk")
    op.drop_index("ix_report_job_waiting", table_name="report_job")
    op.drop_index(op.f("ix_report_job_school_id"), table_name="report_job")
    op.drop_index(op.f("ix_report_job_requested_by_id"), table_name="report_job")
    op.drop_table("report_job")
