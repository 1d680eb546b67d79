"""The diary week of a student: the timetable with its changes, the lessons as held, their
topics and homework, and the student's own grades and absences — what students and parents
open every evening (R-DIARY, issue 5).

Its days are the school's week (Monday to Friday, or to Saturday), and any other day of it
that the calendar makes a working day (a Sunday worked as a Monday, with Monday's timetable)
or that has lessons of the student's. Eight statements whatever the week holds.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, SmallInteger, literal, or_, select, union_all

import model as m
from plugins import relations
from resolvers.context import Context
from resolvers.database import AnyRow, AnySelect
from resolvers.kept import kept
from resolvers.screens import journal_cells
from resolvers.screens.journal_cells import require_visible_kept


@dataclass(frozen=True, slots=True)
class DiaryRows:
    days: list[date]
    days_off: dict[date, str]
    # Days worked instead of another: the ISO weekday whose timetable each follows.
    working_days: dict[date, int]
    lessons: Sequence[AnyRow]
    timetable: Sequence[AnyRow]
    changes: Sequence[AnyRow]
    homework: Sequence[AnyRow]
    grades: Sequence[AnyRow]
    attendance: Sequence[AnyRow]


@dataclass(frozen=True, slots=True)
class DiaryStatements:
    calendar: AnySelect
    lessons: AnySelect
    timetable: AnySelect
    changes: AnySelect
    homework: AnySelect
    grades: AnySelect
    attendance: AnySelect


async def diary_week(ctx: Context, student_id: int, week_of: date) -> DiaryRows:
    school_id, week_length = await require_visible_kept(
        ctx,
        "school",
        {m.Person: student_id},
        lambda: _school(student_id),
        missing="The student is in no class yet: there is no diary to show.",
    )
    monday = week_of - timedelta(days=week_of.weekday())
    key = ("diary week", student_id, school_id, monday)
    statements = kept(ctx, key, lambda: _statements(ctx, student_id, school_id, monday))
    calendar = await ctx.db.columns(statements.calendar)
    working_days = {day: follows for day, _, follows in calendar if follows is not None}
    lesson_rows = await ctx.db.columns(statements.lessons)
    school_week = {monday + timedelta(days=n) for n in range(week_length)}
    return DiaryRows(
        days=sorted(school_week | working_days.keys() | {row[1] for row in lesson_rows}),
        days_off={day: name for day, name, follows in calendar if follows is None},
        working_days=working_days,
        lessons=lesson_rows,
        timetable=await ctx.db.columns(statements.timetable),
        changes=await ctx.db.columns(statements.changes),
        homework=await ctx.db.columns(statements.homework),
        grades=await ctx.db.columns(statements.grades),
        attendance=await ctx.db.columns(statements.attendance),
    )


def _school(student_id: int) -> list[ColumnElement[Any]]:
    """The school of the student's newest class (its week length and days off apply): its id
    and week length."""
    school = (
        select(m.School.id, m.School.week_length)
        .join(m.SchoolClass, m.SchoolClass.school_id == m.School.id)
        .join(m.ClassStudent, m.ClassStudent.school_class_id == m.SchoolClass.id)
        .join(m.SchoolYear, m.SchoolYear.id == m.SchoolClass.school_year_id)
        .where(m.ClassStudent.student_id == student_id)
        .order_by(m.SchoolYear.starts_on.desc())
        .limit(1)
    )
    return [
        school.with_only_columns(m.School.id).scalar_subquery(),
        school.with_only_columns(m.School.week_length).scalar_subquery(),
    ]


def _statements(ctx: Context, student_id: int, school_id: int, monday: date) -> DiaryStatements:
    last = monday + timedelta(days=6)

    groups = relations.groups_of_students(select(literal(student_id)))
    conditions = [m.Lesson.group_id.in_(groups), m.Lesson.held_on.between(monday, last)]
    lessons = journal_cells.lesson_ids(ctx, conditions)
    entry = m.TimetableEntry
    timetable = journal_cells.with_names(
        ctx,
        select(
            entry.id,
            entry.group_id,
            entry.subject_id,
            entry.teacher_id,
            entry.weekday,
            entry.bell_number,
            entry.valid_from,
            entry.valid_to,
        ),
        entry.subject_id,
        entry.teacher_id,
    ).where(
        ctx.loaders.readable(entry),
        entry.group_id.in_(groups),
        entry.valid_from <= last,
        or_(entry.valid_to.is_(None), entry.valid_to >= monday),
    )
    change = m.TimetableChange
    changes = journal_cells.with_names(
        ctx,
        select(
            change.group_id,
            change.on_date,
            change.bell_number,
            change.timetable_entry_id,
            change.kind,
            change.subject_id,
            change.teacher_id,
        ),
        change.subject_id,
        change.teacher_id,
    ).where(
        ctx.loaders.readable(change),
        change.group_id.in_(groups),
        change.on_date.between(monday, last),
    )
    off, working = m.DayOff, m.WorkingDay
    special = union_all(
        select(off.on_date, off.name, literal(None, SmallInteger).label("follows")).where(
            off.school_id == school_id, off.on_date.between(monday, last)
        ),
        select(working.on_date, working.name, working.follows_weekday).where(
            working.school_id == school_id, working.on_date.between(monday, last)
        ),
    )
    return DiaryStatements(
        calendar=special,  # type: ignore[arg-type]
        lessons=journal_cells.lessons_statement(ctx, conditions),
        timetable=timetable.order_by(entry.bell_number, entry.subject_id, entry.id),
        changes=changes.order_by(change.id),
        homework=journal_cells.homework_statement(ctx, lessons, student_id),
        grades=journal_cells.student_grades_statement(ctx, lessons, student_id),
        attendance=journal_cells.attendance_statement(ctx, lessons, student_id),
    )
