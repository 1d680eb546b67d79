"""entries on time, attendance taken, corrections of reports

Every journal entry records whether it was made by its deadline (R-CONTROL-1), a lesson when
its attendance was taken, and a grade change the wrong-grade report it corrected (Е.1).
Existing rows are backfilled by the rules of this revision, in each school's time zone.

Revision ID: fc213a5a8bde
Revises: 8d8a11515892
Create Date: 2026-11-28 16:35:04.021229
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op


revision: str = 'fc213a5a8bde'
down_revision: str | None = '8d8a11515892'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ('attendance', 'final_grade', 'grade', 'homework'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('on_time', sa.Boolean(), nullable=True))

    with op.batch_alter_table('grade_change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('grade_report_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.create_index(batch_op.f('ix_grade_change_grade_report_id'), ['grade_report_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_grade_change_grade_report_id_grade_report'), 'grade_report', ['grade_report_id'], ['id'])

    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attendance_taken_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attendance_on_time', sa.Boolean(), nullable=True))

    _backfill(op.get_bind())

    for table in ('attendance', 'final_grade', 'grade', 'homework'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('on_time', existing_type=sa.Boolean(), nullable=False)
    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_lesson_attendance_taken_on_time'),
            '(attendance_taken_at IS NULL) = (attendance_on_time IS NULL)',
        )


# The rules as this revision knows them (resolvers/journal/deadlines.py may move on; this must not).
ENTRY_DAYS = 2
FINAL_GRADE_DAYS = 7
HOMEWORK_BY = time(18)


def _local(value: Any, zone: str) -> datetime:
    moment: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone))


def _day(value: Any) -> date:
    day: date = date.fromisoformat(value) if isinstance(value, str) else value
    return day


def _by_day(moment: Any, zone: str, due: date) -> bool:
    return _local(moment, zone).date() <= due


def _set(connection: sa.Connection, table: str, column: str, values: list[dict[str, Any]]) -> None:
    if values:
        connection.execute(
            sa.text(f'UPDATE {table} SET {column} = :value WHERE id = :row_id'), values
        )


def _backfill(connection: sa.Connection) -> None:
    zone = 'JOIN school s ON s.id = l.school_id'
    grades = connection.execute(sa.text(
        'SELECT g.id, g.created_at, l.held_on, w.checking_days, s.timezone FROM grade g '
        f'JOIN lesson l ON l.id = g.lesson_id JOIN work_type w ON w.id = g.work_type_id {zone}'
    ))
    _set(connection, 'grade', 'on_time', [
        {'row_id': row_id, 'value': _by_day(
            made, tz, _day(held_on) + timedelta(days=max(ENTRY_DAYS, days)))}
        for row_id, made, held_on, days, tz in grades
    ])
    marks = connection.execute(sa.text(
        'SELECT a.id, a.created_at, l.held_on, s.timezone FROM attendance a '
        f'JOIN lesson l ON l.id = a.lesson_id {zone}'
    ))
    _set(connection, 'attendance', 'on_time', [
        {'row_id': row_id, 'value': _by_day(made, tz, _day(held_on) + timedelta(days=ENTRY_DAYS))}
        for row_id, made, held_on, tz in marks
    ])
    homework = connection.execute(sa.text(
        'SELECT h.id, h.created_at, l.held_on, s.timezone FROM homework h '
        f'JOIN lesson l ON l.id = h.lesson_id {zone}'
    ))
    _set(connection, 'homework', 'on_time', [
        {'row_id': row_id,
         'value': _local(made, tz) <= datetime.combine(_day(held_on), HOMEWORK_BY, ZoneInfo(tz))}
        for row_id, made, held_on, tz in homework
    ])
    finals = connection.execute(sa.text(
        'SELECT f.id, f.created_at, p.ends_on, s.timezone FROM final_grade f '
        'JOIN period p ON p.id = f.period_id JOIN school s ON s.id = f.school_id'
    ))
    _set(connection, 'final_grade', 'on_time', [
        {'row_id': row_id,
         'value': _by_day(made, tz, _day(ends_on) + timedelta(days=FINAL_GRADE_DAYS))}
        for row_id, made, ends_on, tz in finals
    ])
    # Attendance was taken when the first mark was made; a held lesson without marks had
    # everybody present, recorded when the lesson was marked held.
    lessons = connection.execute(sa.text(
        'SELECT l.id, coalesce((SELECT min(a.created_at) FROM attendance a '
        "WHERE a.lesson_id = l.id), CASE WHEN l.status = 'held' "
        'THEN coalesce(l.updated_at, l.created_at) END), l.held_on, s.timezone '
        f'FROM lesson l {zone}'
    ))
    def stored(moment: datetime) -> Any:
        utc = moment.astimezone(UTC)
        # SQLite keeps SQLAlchemy's naive UTC text; PostgreSQL a time-zone-aware timestamp.
        sqlite = connection.dialect.name == 'sqlite'
        return utc.replace(tzinfo=None).strftime('%Y-%m-%d %H:%M:%S.%f') if sqlite else utc

    taken = [
        {'row_id': row_id, 'taken': stored(_local(made, tz)),
         'value': _by_day(made, tz, _day(held_on) + timedelta(days=ENTRY_DAYS))}
        for row_id, made, held_on, tz in lessons
        if made is not None
    ]
    if taken:
        connection.execute(sa.text(
            'UPDATE lesson SET attendance_taken_at = :taken, attendance_on_time = :value '
            'WHERE id = :row_id'
        ), taken)


def downgrade() -> None:
    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_lesson_attendance_taken_on_time'), type_='check')
        batch_op.drop_column('attendance_on_time')
        batch_op.drop_column('attendance_taken_at')

    with op.batch_alter_table('homework', schema=None) as batch_op:
        batch_op.drop_column('on_time')

    with op.batch_alter_table('grade_change', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_grade_change_grade_report_id_grade_report'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_grade_change_grade_report_id'))
        batch_op.drop_column('grade_report_id')

    with op.batch_alter_table('grade', schema=None) as batch_op:
        batch_op.drop_column('on_time')

    with op.batch_alter_table('final_grade', schema=None) as batch_op:
        batch_op.drop_column('on_time')

    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_column('on_time')

