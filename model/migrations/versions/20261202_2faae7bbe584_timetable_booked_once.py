"""the timetable books every teacher, room and group once per bell: exclusion constraints over
the slots' validity on PostgreSQL (SQLite checks in the write's transaction); one change of a
kind per lesson and day

Revision ID: 2faae7bbe584
Revises: b7a3d1c9e2f4
Create Date: 2026-12-02 05:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '2faae7bbe584'
down_revision: str | None = 'b7a3d1c9e2f4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BOOKED = ('teacher', 'room', 'group')
ONE_OF_A_KIND = 'uq_timetable_change_timetable_entry_id_on_date_kind'
WHAT_CHANGES = (
    "(kind = 'extra') = (timetable_entry_id IS NULL)"
    " AND (kind <> 'extra' OR (subject_id IS NOT NULL AND teacher_id IS NOT NULL"
    " AND bell_number IS NOT NULL))"
    " AND (kind <> 'substitution' OR teacher_id IS NOT NULL)"
    " AND (kind <> 'room_change' OR room_id IS NOT NULL)"
    " AND (kind <> 'moved' OR bell_number IS NOT NULL)"
)


def upgrade() -> None:
    with op.batch_alter_table('timetable_change', schema=None) as batch_op:
        batch_op.create_unique_constraint(ONE_OF_A_KIND, ['timetable_entry_id', 'on_date', 'kind'])
        batch_op.create_check_constraint(op.f('ck_timetable_change_what_changes'), WHAT_CHANGES)
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('CREATE EXTENSION IF NOT EXISTS btree_gist')
    for what in BOOKED:
        op.execute(
            f'ALTER TABLE timetable_entry ADD CONSTRAINT ex_timetable_entry_{what}_booked_once '
            f'EXCLUDE USING gist (school_id WITH =, {what}_id WITH =, weekday WITH =, '
            "bell_number WITH =, daterange(valid_from, valid_to, '[]') WITH &&)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for what in BOOKED:
            op.execute(
                f'ALTER TABLE timetable_entry DROP CONSTRAINT ex_timetable_entry_{what}_booked_once'
            )
    with op.batch_alter_table('timetable_change', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_timetable_change_what_changes'), type_='check')
        batch_op.drop_constraint(ONE_OF_A_KIND, type_='unique')
