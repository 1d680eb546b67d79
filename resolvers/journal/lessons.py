"""Reading the journal: lessons and what was recorded in them, filtered as clients need."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Date,
    Select,
    and_,
    bindparam,
    exists,
    false,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import InstrumentedAttribute

import model as m
from plugins import relations
from resolvers.context import Context
from resolvers.listing import equal, listing
from resolvers.pagination import Page


@dataclass(frozen=True)
class JournalFilter:
    school_id: int | None = None
    class_id: int | None = None
    group_id: int | None = None
    subject_id: int | None = None
    teacher_id: int | None = None
    student_id: int | None = None
    period_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def _student(student_id: int) -> Select[tuple[int]]:
    return select(literal(student_id))


def _day(day: date) -> BindParameter[date]:
    """A date written into the statement's text rather than sent as a parameter: PostgreSQL
    keeps a generic plan for a prepared statement, and a plan made without knowing the dates
    does not know how many lessons they hold (a whole school's period at 20 schools took
    nested loops 3× slower). A range of dates is then one prepared statement of its own."""
    return bindparam(None, day, type_=Date, literal_execute=True)


def lesson_conditions(f: JournalFilter, *, by_student_groups: bool) -> list[ColumnElement[bool]]:
    """Conditions on `lesson` for a filter; `by_student_groups` keeps the student's lessons."""
    conditions = [
        *equal(m.Lesson.school_id, f.school_id),
        *equal(m.Lesson.group_id, f.group_id),
        *equal(m.Lesson.subject_id, f.subject_id),
    ]
    if f.class_id is not None:
        conditions.append(
            m.Lesson.group_id.in_(select(m.Group.id).where(m.Group.school_class_id == f.class_id))
        )
    if f.teacher_id is not None:
        conditions.append(
            or_(m.Lesson.teacher_id == f.teacher_id, m.Lesson.substitute_id == f.teacher_id)
        )
    if f.period_id is not None:
        period = select(m.Period.starts_on, m.Period.ends_on).where(m.Period.id == f.period_id)
        conditions.append(
            m.Lesson.held_on.between(
                period.with_only_columns(m.Period.starts_on).scalar_subquery(),
                period.with_only_columns(m.Period.ends_on).scalar_subquery(),
            )
        )
    if f.date_from is not None:
        conditions.append(m.Lesson.held_on >= _day(f.date_from))
    if f.date_to is not None:
        conditions.append(m.Lesson.held_on <= _day(f.date_to))
    if by_student_groups and f.student_id is not None:
        groups = relations.groups_of_students(_student(f.student_id))
        conditions.append(m.Lesson.group_id.in_(groups))
    return conditions


def of_lessons(
    lesson_id: InstrumentedAttribute[int], f: JournalFilter
) -> list[ColumnElement[bool]]:
    """Rows hanging off a lesson, kept when their lesson passes the filter."""
    lesson_filter = lesson_conditions(f, by_student_groups=False)
    if not lesson_filter:
        return []
    return [lesson_id.in_(select(m.Lesson.id).where(*lesson_filter))]


def day_start(day: date, timezone: str, *, days_after: int = 0) -> datetime:
    """The school's midnight starting a day, to compare a date filter with a UTC timestamp."""
    midnight = datetime.combine(day + timedelta(days=days_after), time(), ZoneInfo(timezone))
    return midnight.astimezone(UTC)


def recorded_between(
    ctx: Context,
    school_id: InstrumentedAttribute[int],
    moment: InstrumentedAttribute[datetime],
    date_from: date | None,
    date_to: date | None,
) -> list[ColumnElement[bool]]:
    """Rows recorded on the school's dates `date_from` to `date_to`, each school by its own
    midnight: one condition per school the caller holds a role in, in the same statement."""
    if date_from is None and date_to is None:
        return []
    principal = ctx.require_principal()
    per_school = []
    for school in sorted(principal.school_ids):
        timezone = principal.scope(school).timezone
        bounds = [school_id == school]
        if date_from is not None:
            bounds.append(moment >= day_start(date_from, timezone))
        if date_to is not None:
            bounds.append(moment < day_start(date_to, timezone, days_after=1))
        per_school.append(and_(*bounds))
    return [or_(*per_school) if per_school else false()]


def _visible_student(ctx: Context, f: JournalFilter) -> list[ColumnElement[bool]]:
    """A student filter only narrows to a student the caller may see: it must not become a
    way to learn which groups someone else is in."""
    if f.student_id is None:
        return []
    return [exists().where(m.Person.id == f.student_id, ctx.loaders.readable(m.Person))]


_LESSON_ORDER = (m.Lesson.held_on, m.Lesson.bell_number)


async def lessons(
    ctx: Context,
    f: JournalFilter,
    status: m.LessonStatus | None,
    first: int | None,
    after: str | None,
) -> Page[m.Lesson]:
    conditions = [
        *lesson_conditions(f, by_student_groups=True),
        *equal(m.Lesson.status, status),
        *_visible_student(ctx, f),
    ]
    return await listing(ctx, m.Lesson, conditions, _LESSON_ORDER, first=first, after=after)


async def grades(
    ctx: Context, f: JournalFilter, work_type_id: int | None, first: int | None, after: str | None
) -> Page[m.Grade]:
    conditions = [
        *of_lessons(m.Grade.lesson_id, f),
        *equal(m.Grade.student_id, f.student_id),
        *equal(m.Grade.work_type_id, work_type_id),
    ]
    return await listing(ctx, m.Grade, conditions, (m.Grade.lesson_id,), first=first, after=after)


async def attendance(
    ctx: Context,
    f: JournalFilter,
    kind: m.AttendanceKind | None,
    first: int | None,
    after: str | None,
) -> Page[m.Attendance]:
    conditions = [
        *of_lessons(m.Attendance.lesson_id, f),
        *equal(m.Attendance.student_id, f.student_id),
        *equal(m.Attendance.kind, kind),
    ]
    order = (m.Attendance.lesson_id,)
    return await listing(ctx, m.Attendance, conditions, order, first=first, after=after)


async def homework(
    ctx: Context, f: JournalFilter, first: int | None, after: str | None
) -> Page[m.Homework]:
    conditions = [*of_lessons(m.Homework.lesson_id, f), *_visible_student(ctx, f)]
    if f.student_id is not None:
        conditions.append(relations.homework_for_students(_student(f.student_id)))
    order = (m.Homework.due_on,)
    return await listing(ctx, m.Homework, conditions, order, first=first, after=after)


async def final_grades(
    ctx: Context, f: JournalFilter, first: int | None, after: str | None
) -> Page[m.FinalGrade]:
    conditions = [
        *equal(m.FinalGrade.school_id, f.school_id),
        *equal(m.FinalGrade.subject_id, f.subject_id),
        *equal(m.FinalGrade.student_id, f.student_id),
        *equal(m.FinalGrade.period_id, f.period_id),
        *equal(m.FinalGrade.group_id, f.group_id),
    ]
    if f.class_id is not None:
        conditions.append(
            m.FinalGrade.group_id.in_(
                select(m.Group.id).where(m.Group.school_class_id == f.class_id)
            )
        )
    order = (m.FinalGrade.period_id, m.FinalGrade.subject_id, m.FinalGrade.student_id)
    return await listing(ctx, m.FinalGrade, conditions, order, first=first, after=after)
