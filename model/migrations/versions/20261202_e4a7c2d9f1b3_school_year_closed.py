"""a school year can be closed: its journal becomes read-only history (R-YEAR-1)

Revision ID: e4a7c2d9f1b3
Revises: e5a8c2f14d7b
Create Date: 2026-12-02 17:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e4a7c2d9f1b3"
down_revision: str | None = "e5a8c2f14d7b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("school_year", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("closed_by_id", Id, nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_school_year_closed_by_id_account"), "account", ["closed_by_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("school_year", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_school_year_closed_by_id_account"), type_="foreignkey"
        )
        batch_op.drop_column("closed_by_id")
        batch_op.drop_column("closed_at")
