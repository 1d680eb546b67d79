"""compromise reports: an account reported compromised since a moment, and the voiding of what
it did since then (R-ACC-2, R-ACC-3)

Revision ID: e5a8c2f14d7b
Revises: e6f9b3c5d7a2
Create Date: 2026-12-02 17:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "e5a8c2f14d7b"
down_revision: str | None = "e6f9b3c5d7a2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "compromise",
        sa.Column("id", Id, nullable=False),
        sa.Column("school_id", Id, nullable=False),
        sa.Column("account_id", Id, nullable=False),
        sa.Column("noticed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("reported_by_id", Id, nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("voided_by_id", Id, nullable=True),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "noticed_at <= reported_at", name=op.f("ck_compromise_noticed_before_reported")
        ),
        sa.CheckConstraint(
            "(voided_at IS NULL) = (voided_by_id IS NULL)",
            name=op.f("ck_compromise_voided_by_whom"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_compromise_account_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"], ["account.id"], name=op.f("fk_compromise_reported_by_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_compromise_school_id_school")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["account.id"], name=op.f("fk_compromise_voided_by_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compromise")),
    )
    op.create_index(op.f("ix_compromise_account_id"), "compromise", ["account_id"])
    op.create_index(op.f("ix_compromise_school_id"), "compromise", ["school_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_compromise_school_id"), table_name="compromise")
    op.drop_index(op.f("ix_compromise_account_id"), table_name="compromise")
    op.drop_table("compromise")
