"""indexes for the head's screens: lessons by school and date, grades and homework by school
and lesson with what the control and the averages read of them

On the demo's SQLite the journal control read every lesson of the school three times over and
looked up each of the school's grades; with these, the lessons of a range come by index and the
grades' and homework's figures from the indexes alone (issue 10). On SQLite the statistics the
query planner uses are gathered too (ANALYZE): a database filled before this revision has them.

Revision ID: 5c1e0f2a9b7d
Revises: afa1815f4a1b
Create Date: 2026-12-02 02:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '5c1e0f2a9b7d'
down_revision: str | None = 'afa1815f4a1b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GRADE_COLUMNS = ['school_id', 'lesson_id', 'on_time', 'work_type_id', 'grade_scale_id', 'mark']


def upgrade() -> None:
    op.create_index('ix_lesson_school_id_held_on', 'lesson', ['school_id', 'held_on'])
    op.create_index('ix_grade_school_id_lesson_id', 'grade', GRADE_COLUMNS)
    op.create_index(
        'ix_homework_school_id_lesson_id', 'homework', ['school_id', 'lesson_id', 'on_time']
    )
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ANALYZE')


def downgrade() -> None:
    op.drop_index('ix_homework_school_id_lesson_id', table_name='homework')
    op.drop_index('ix_grade_school_id_lesson_id', table_name='grade')
    op.drop_index('ix_lesson_school_id_held_on', table_name='lesson')
