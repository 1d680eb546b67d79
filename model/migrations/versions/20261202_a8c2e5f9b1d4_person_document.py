"""a person's identity document, personal data as their birth date is (R-PD-1)

Revision ID: a8c2e5f9b1d4
Revises: f7b1d4e8a3c6
Create Date: 2026-12-02 18:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a8c2e5f9b1d4"
down_revision: str | None = "f7b1d4e8a3c6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("document", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.drop_column("document")
