"""one audit trail: every write to a school's records in `change`, the grade change log its
grade part

The grade change log (`grade_change`) becomes the rows of kind 'grade' of the trail, with their
entries copied over (the grade's id as `entity_id`, the marks also as the state before and
after); every other write (reference data, people, the journal's other records) adds rows of
kind 'record'. Downgrading keeps the grade part only.

Revision ID: b7a3d1c9e2f4
Revises: 5c1e0f2a9b7d
Create Date: 2026-12-02 04:43:14.662348
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = 'b7a3d1c9e2f4'
down_revision: str | None = '5c1e0f2a9b7d'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
State = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')
GRADE_COLUMNS = (
    'school_id, lesson_id, student_id, work_type_id, action, old_mark, new_mark, '
    'changed_by_id, changed_at, reason, grade_report_id'
)


def _state(column: str) -> str:
    """The mark as the state: {"mark": …}, or NULL when there was none."""
    if op.get_bind().dialect.name == 'postgresql':
        return f"CASE WHEN {column} IS NULL THEN NULL ELSE jsonb_build_object('mark', {column}) END"
    return f"CASE WHEN {column} IS NULL THEN NULL ELSE json_object('mark', {column}) END"


def upgrade() -> None:
    op.create_table(
        'change',
        sa.Column('id', Id, nullable=False),
        sa.Column('school_id', Id, nullable=False),
        sa.Column('kind', sa.Enum('grade', 'record', name='change_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column('entity', sa.String(length=40), nullable=False),
        sa.Column('entity_id', Id, nullable=False),
        sa.Column('action', sa.Enum('created', 'changed', 'deleted', 'archived', name='change_action', native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column('before', State, nullable=True),
        sa.Column('after', State, nullable=True),
        sa.Column('changed_by_id', Id, nullable=True),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reason', sa.String(length=1000), nullable=True),
        sa.Column('lesson_id', Id, nullable=True),
        sa.Column('student_id', Id, nullable=True),
        sa.Column('work_type_id', Id, nullable=True),
        sa.Column('old_mark', sa.String(length=8), nullable=True),
        sa.Column('new_mark', sa.String(length=8), nullable=True),
        sa.Column('grade_report_id', Id, nullable=True),
        sa.CheckConstraint("kind = 'record' OR (lesson_id IS NOT NULL AND student_id IS NOT NULL AND work_type_id IS NOT NULL)", name=op.f('ck_change_grade_change_says_what_grade')),
        sa.ForeignKeyConstraint(['changed_by_id'], ['account.id'], name=op.f('fk_change_changed_by_id_account')),
        sa.ForeignKeyConstraint(['grade_report_id'], ['grade_report.id'], name=op.f('fk_change_grade_report_id_grade_report')),
        sa.ForeignKeyConstraint(['lesson_id'], ['lesson.id'], name=op.f('fk_change_lesson_id_lesson')),
        sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_change_school_id_school')),
        sa.ForeignKeyConstraint(['student_id'], ['person.id'], name=op.f('fk_change_student_id_person')),
        sa.ForeignKeyConstraint(['work_type_id'], ['work_type.id'], name=op.f('fk_change_work_type_id_work_type')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_change')),
    )
    op.execute(
        f"INSERT INTO change (id, kind, entity, entity_id, before, after, {GRADE_COLUMNS}) "
        f"SELECT id, 'grade', 'grade', grade_id, {_state('old_mark')}, {_state('new_mark')}, "
        f"{GRADE_COLUMNS} FROM grade_change"
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("SELECT setval(pg_get_serial_sequence('change', 'id'), coalesce(max(id), 0) + 1, false) FROM change")
    with op.batch_alter_table('change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_changed_at'), ['changed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_changed_by_id'), ['changed_by_id'], unique=False)
        batch_op.create_index('ix_change_entity_entity_id', ['entity', 'entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_grade_report_id'), ['grade_report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_lesson_id'), ['lesson_id'], unique=False)
        batch_op.create_index('ix_change_school_id_changed_at', ['school_id', 'changed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_student_id'), ['student_id'], unique=False)
    op.drop_table('grade_change')


def downgrade() -> None:
    op.create_table(
        'grade_change',
        sa.Column('id', Id, nullable=False),
        sa.Column('school_id', Id, nullable=False),
        sa.Column('grade_id', Id, nullable=False),
        sa.Column('lesson_id', Id, nullable=False),
        sa.Column('student_id', Id, nullable=False),
        sa.Column('work_type_id', Id, nullable=False),
        sa.Column('action', sa.Enum('created', 'changed', 'deleted', name='grade_change_action', native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column('old_mark', sa.String(length=8), nullable=True),
        sa.Column('new_mark', sa.String(length=8), nullable=True),
        sa.Column('changed_by_id', Id, nullable=True),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reason', sa.String(length=1000), nullable=True),
        sa.Column('grade_report_id', Id, nullable=True),
        sa.ForeignKeyConstraint(['changed_by_id'], ['account.id'], name=op.f('fk_grade_change_changed_by_id_account')),
        sa.ForeignKeyConstraint(['grade_report_id'], ['grade_report.id'], name=op.f('fk_grade_change_grade_report_id_grade_report')),
        sa.ForeignKeyConstraint(['lesson_id'], ['lesson.id'], name=op.f('fk_grade_change_lesson_id_lesson')),
        sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_grade_change_school_id_school')),
        sa.ForeignKeyConstraint(['student_id'], ['person.id'], name=op.f('fk_grade_change_student_id_person')),
        sa.ForeignKeyConstraint(['work_type_id'], ['work_type.id'], name=op.f('fk_grade_change_work_type_id_work_type')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_grade_change')),
    )
    op.execute(
        f"INSERT INTO grade_change (id, grade_id, {GRADE_COLUMNS}) "
        f"SELECT id, entity_id, {GRADE_COLUMNS} FROM change WHERE kind = 'grade'"
    )
    with op.batch_alter_table('grade_change', schema=None) as batch_op:
        for column in ('student_id', 'school_id', 'lesson_id', 'grade_report_id', 'grade_id', 'changed_by_id', 'changed_at'):
            batch_op.create_index(batch_op.f(f'ix_grade_change_{column}'), [column], unique=False)
    op.drop_table('change')
