"""personal data as its own resource: address, a published work contact, why a consent was
withdrawn, and whose personal data each logged request read (R-PD-1)

Revision ID: d5e8a2b7c410
Revises: e4a7c2d9f1b3
Create Date: 2026-12-02 17:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d5e8a2b7c410"
down_revision: str | None = "e4a7c2d9f1b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("work_contact", sa.String(length=200), nullable=True))
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawal_reason", sa.String(length=500), nullable=True))
    op.create_table(
        "personal_data_read",
        sa.Column("id", Id, nullable=False),
        sa.Column("query_log_id", Id, nullable=False),
        sa.Column("person_id", Id, nullable=False),
        sa.Column("fields", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_personal_data_read_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["query_log_id"],
            ["query_log.id"],
            name=op.f("fk_personal_data_read_query_log_id_query_log"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_data_read")),
    )
    op.create_index(op.f("ix_personal_data_read_person_id"), "personal_data_read", ["person_id"])
    op.create_index(
        op.f("ix_personal_data_read_query_log_id"), "personal_data_read", ["query_log_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_personal_data_read_query_log_id"), table_name="personal_data_read")
    op.drop_index(op.f("ix_personal_data_read_person_id"), table_name="personal_data_read")
    op.drop_table("personal_data_read")
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.drop_column("withdrawal_reason")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("work_contact")
        batch_op.drop_column("address")
