"""a municipality's operator: a role held over a whole municipality, who opens its schools;
a КТП is archived, not deleted, once lessons took up its topics

Revision ID: b7c41e09d2a5
Revises: b4c1a55e0d21
Create Date: 2026-12-02 05:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7c41e09d2a5"
down_revision: str | None = "b4c1a55e0d21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "municipality_role",
        sa.Column("id", Id, nullable=False),
        sa.Column("person_id", Id, nullable=False),
        sa.Column("municipality_id", Id, nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_municipality_role_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_municipality_role_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_municipality_role")),
        sa.UniqueConstraint(
            "person_id",
            "municipality_id",
            "role",
            name=op.f("uq_municipality_role_person_id_municipality_id_role"),
        ),
    )
    op.create_index(
        op.f("ix_municipality_role_municipality_id"), "municipality_role", ["municipality_id"]
    )
    op.create_index(op.f("ix_municipality_role_person_id"), "municipality_role", ["person_id"])
    with op.batch_alter_table("plan") as plan:
        plan.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan") as plan:
        plan.drop_column("archived_at")
    op.drop_index(op.f("ix_municipality_role_person_id"), table_name="municipality_role")
    op.drop_index(op.f("ix_municipality_role_municipality_id"), table_name="municipality_role")
    op.drop_table("municipality_role")
