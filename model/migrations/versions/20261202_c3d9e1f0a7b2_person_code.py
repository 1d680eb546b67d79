"""a person's code in their school: a list of people imported again finds whom it entered

Revision ID: c3d9e1f0a7b2
Revises: b7c41e09d2a5
Create Date: 2026-12-02 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3d9e1f0a7b2"
down_revision: str | None = "b7c41e09d2a5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "person_code",
        sa.Column("id", Id, nullable=False),
        sa.Column("school_id", Id, nullable=False),
        sa.Column("person_id", Id, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_code_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_person_code_school_id_school")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_code")),
        sa.UniqueConstraint("school_id", "code", name=op.f("uq_person_code_school_id_code")),
        sa.UniqueConstraint(
            "school_id", "person_id", name=op.f("uq_person_code_school_id_person_id")
        ),
    )
    op.create_index(op.f("ix_person_code_person_id"), "person_code", ["person_id"])
    op.create_index(op.f("ix_person_code_school_id"), "person_code", ["school_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_person_code_school_id"), table_name="person_code")
    op.drop_index(op.f("ix_person_code_person_id"), table_name="person_code")
    op.drop_table("person_code")
