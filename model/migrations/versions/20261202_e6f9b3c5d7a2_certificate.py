"""certified statements: what tabel generated and vouches for, found by its checksum

Revision ID: e6f9b3c5d7a2
Revises: d5e8a2b4c6f1
Create Date: 2026-12-02 18:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e6f9b3c5d7a2"
down_revision: str | None = "d5e8a2b4c6f1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "certificate",
        sa.Column("id", Id, nullable=False),
        sa.Column("school_id", Id, nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "attestation_summary",
                name="certificate_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("generated_by_id", Id, nullable=True),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["generated_by_id"], ["account.id"], name=op.f("fk_certificate_generated_by_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_certificate_school_id_school")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate")),
    )
    op.create_index(op.f("ix_certificate_checksum"), "certificate", ["checksum"])
    op.create_index(op.f("ix_certificate_school_id"), "certificate", ["school_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_certificate_school_id"), table_name="certificate")
    op.drop_index(op.f("ix_certificate_checksum"), table_name="certificate")
    op.drop_table("certificate")
