"""a parent given the summary statement on paper (§4.14, R-SUMMARY-1)

Revision ID: d5e8a2b4c6f1
Revises: c3d9e1f0a7b2
Create Date: 2026-12-02 17:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d5e8a2b4c6f1"
down_revision: str | None = "c3d9e1f0a7b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.add_column(
            sa.Column("paper_statements", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.drop_column("paper_statements")
