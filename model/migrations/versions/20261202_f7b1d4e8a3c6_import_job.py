"""imports run as jobs: their progress and outcome

Revision ID: f7b1d4e8a3c6
Revises: d5e8a2b7c410
Create Date: 2026-12-02 17:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "f7b1d4e8a3c6"
down_revision: str | None = "d5e8a2b7c410"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
State = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
UNDER_WAY = sa.text("status IN ('queued', 'running')")


def upgrade() -> None:
    op.create_table(
        "import_job",
        sa.Column("id", Id, nullable=False),
        sa.Column("school_id", Id, nullable=False),
        sa.Column("started_by_id", Id, nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_bytes", sa.Integer(), nullable=False),
        sa.Column("commit", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "queued", "running", "succeeded", "failed",
                name="import_job_status", native_enum=False, create_constraint=True, length=32,
            ),
            nullable=False,
        ),  # fmt: skip
        sa.Column(
            "phase",
            sa.Enum(
                "read", "validate", "write",
                name="import_phase", native_enum=False, create_constraint=True, length=32,
            ),
            nullable=True,
        ),  # fmt: skip
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message", sa.String(length=1000), nullable=True),
        sa.Column("report", State, nullable=True),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_import_job_school_id_school")
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"], ["account.id"], name=op.f("fk_import_job_started_by_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_job")),
    )
    op.create_index(op.f("ix_import_job_school_id"), "import_job", ["school_id"])
    op.create_index(op.f("ix_import_job_started_by_id"), "import_job", ["started_by_id"])
    op.create_index(
        "uq_import_job_under_way",
        "import_job",
        ["school_id"],
        unique=True,
        sqlite_where=UNDER_WAY,
        postgresql_where=UNDER_WAY,
    )


def downgrade() -> None:
    op.drop_index("uq_import_job_under_way", table_name="import_job")
    op.drop_index(op.f("ix_import_job_started_by_id"), table_name="import_job")
    op.drop_index(op.f("ix_import_job_school_id"), table_name="import_job")
    op.drop_table("import_job")
