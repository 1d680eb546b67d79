"""placements with dates: a student's class placements are their history, one class of a
school year at a time

`class_student` gains the school year of its class (a composite foreign key keeps the two
together) and the dates the placement starts and ends (null: the year's start, its end); a
check keeps the end after the start. PostgreSQL excludes two placements of one student in
one year that overlap (btree_gist for the equality parts); SQLite's writers check it in their
transaction. Existing placements are of their class's year, for the whole of it. Classes and
groups that journal data refers to are archived, not deleted (`archived_at`).

Revision ID: b4c1a55e0d21
Revises: 6347e785541c
Create Date: 2026-12-02 05:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'b4c1a55e0d21'
down_revision: str | None = '6347e785541c'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    with op.batch_alter_table('study_group', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('school_class', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(
            'uq_school_class_id_school_year_id', ['id', 'school_year_id']
        )
    with op.batch_alter_table('class_student', schema=None) as batch_op:
        batch_op.add_column(sa.Column('school_year_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.add_column(sa.Column('starts_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('ends_on', sa.Date(), nullable=True))
    op.execute(
        'UPDATE class_student SET school_year_id = (SELECT school_class.school_year_id '
        'FROM school_class WHERE school_class.id = class_student.school_class_id)'
    )
    with op.batch_alter_table('class_student', schema=None) as batch_op:
        batch_op.alter_column(
            'school_year_id',
            existing_type=sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
            nullable=False,
        )
        batch_op.create_index(
            batch_op.f('ix_class_student_school_year_id'), ['school_year_id'], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_class_student_school_year_id_school_year'),
            'school_year',
            ['school_year_id'],
            ['id'],
        )
        batch_op.create_foreign_key(
            'fk_class_student_class_of_the_year',
            'school_class',
            ['school_class_id', 'school_year_id'],
            ['id', 'school_year_id'],
        )
        batch_op.create_check_constraint(
            'ends_after_it_starts', 'starts_on IS NULL OR ends_on IS NULL OR ends_on >= starts_on'
        )
    if postgres:
        op.execute('CREATE EXTENSION IF NOT EXISTS btree_gist')
        op.execute(
            'ALTER TABLE class_student ADD CONSTRAINT ex_class_student_one_class_at_a_time '
            'EXCLUDE USING gist (student_id WITH =, school_year_id WITH =, '
            "daterange(starts_on, ends_on, '[]') WITH &&)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(
            'ex_class_student_one_class_at_a_time', 'class_student', type_='exclude'
        )
    with op.batch_alter_table('class_student', schema=None) as batch_op:
        batch_op.drop_constraint('ck_class_student_ends_after_it_starts', type_='check')
        batch_op.drop_constraint('fk_class_student_class_of_the_year', type_='foreignkey')
        batch_op.drop_constraint(
            batch_op.f('fk_class_student_school_year_id_school_year'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_class_student_school_year_id'))
        batch_op.drop_column('ends_on')
        batch_op.drop_column('starts_on')
        batch_op.drop_column('school_year_id')
    with op.batch_alter_table('school_class', schema=None) as batch_op:
        batch_op.drop_constraint('uq_school_class_id_school_year_id', type_='unique')
        batch_op.drop_column('archived_at')
    with op.batch_alter_table('study_group', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
