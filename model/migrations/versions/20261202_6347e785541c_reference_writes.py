"""reference writes: archived buildings, rooms, subjects, work types, grade scales and bell
schedules; moved working days; no overlapping school years, nor periods of one kind

On PostgreSQL the overlaps are excluded by the database (btree_gist makes the equality parts
of the exclusion constraints indexable); SQLite has no exclusion constraints, and the writes
check the same inside their transaction.

Revision ID: 6347e785541c
Revises: 2faae7bbe584
Create Date: 2026-12-02 05:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '6347e785541c'
down_revision: str | None = '2faae7bbe584'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ARCHIVABLE = ['building', 'room', 'subject', 'work_type', 'grade_scale', 'bell_schedule']
DAYS = "daterange(starts_on, ends_on, '[]')"


def upgrade() -> None:
    for table in ARCHIVABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('working_day',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('school_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('follows_weekday', sa.SmallInteger(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.CheckConstraint('follows_weekday BETWEEN 1 AND 7', name=op.f('ck_working_day_follows_weekday_range')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_working_day_school_id_school')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_day')),
    sa.UniqueConstraint('school_id', 'on_date', name=op.f('uq_working_day_school_id_on_date'))
    )
    with op.batch_alter_table('working_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_working_day_school_id'), ['school_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS btree_gist')
        op.execute(
            'ALTER TABLE school_year ADD CONSTRAINT ex_school_year_overlap '
            f'EXCLUDE USING gist (school_id WITH =, {DAYS} WITH &&)'
        )
        op.execute(
            'ALTER TABLE period ADD CONSTRAINT ex_period_overlap '
            f'EXCLUDE USING gist (school_year_id WITH =, kind WITH =, {DAYS} WITH &&)'
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        # btree_gist stays: other constraints may use it.
        op.execute('ALTER TABLE period DROP CONSTRAINT ex_period_overlap')
        op.execute('ALTER TABLE school_year DROP CONSTRAINT ex_school_year_overlap')
    with op.batch_alter_table('working_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_working_day_school_id'))
    op.drop_table('working_day')
    for table in reversed(ARCHIVABLE):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('archived_at')
