"""What each held lesson's journal holds and lacks against its deadlines (R-CONTROL-1): one row
per lesson, in SQL, for the control by teacher and the schools' rating to add up.

A lesson counts from its day on, unless cancelled (a past lesson not yet marked held counts:
it is what lacks its entries). Deadlines are `resolvers.journal.deadlines`' in each school's zone.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Subquery,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    select,
)
from sqlalchemy.orm import InstrumentedAttribute

import model as m
from policies.principal import Principal
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.journal.deadlines import (
    ENTRY_DAYS,
    FINAL_GRADE_DAYS,
    checking_days,
    days_after,
    homework_cutoff,
    local,
)

YEAR_STARTS = (9, 1)  # a school year begins on 1 September
FIRST_GRADE = 1


@dataclass(frozen=True)
class Span:
    """The schools looked at, the lesson days, and each school's date today."""

    school_ids: frozenset[int]
    date_from: date
    date_to: date
    today: dict[int, date]
    homework_due_by: dict[int, date]  # the latest lesson day whose homework is overdue


def span(
    principal: Principal, school_ids: frozenset[int], date_from: date | None, date_to: date | None
) -> Span:
    """Defaults: from the start of the school year to today, in the schools' time zones."""
    now = principal.now or datetime.now(UTC)
    zones = {school: principal.scope(school).timezone for school in school_ids}
    today = {school: local(now, zone).date() for school, zone in zones.items()}
    latest = max(today.values(), default=now.date())
    year = latest.year if (latest.month, latest.day) >= YEAR_STARTS else latest.year - 1
    start = date_from or date(year, *YEAR_STARTS)
    end = date_to or latest
    if start > end:
        raise BadUserInput("The range starts after it ends.", argument="dateFrom")
    return Span(
        school_ids=school_ids,
        date_from=start,
        date_to=end,
        today=today,
        homework_due_by={school: homework_cutoff(now, zone) for school, zone in zones.items()},
    )


def per_school(column: InstrumentedAttribute[int], values: dict[int, date]) -> ColumnElement[Any]:
    """A date that depends on the row's school: a constant for one school, else a CASE."""
    if len(set(values.values())) == 1:
        return literal(next(iter(values.values())), Date())
    return case({school: literal(day, Date()) for school, day in values.items()}, value=column)


def _shifted(values: dict[int, date], days: int) -> dict[int, date]:
    return {school: day - timedelta(days=days) for school, day in values.items()}


def _one_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def responsible(lesson: type[m.Lesson] = m.Lesson) -> ColumnElement[int]:
    """Who fills in a lesson's journal: the substitute who gave it (R-SUB-1), else its teacher."""
    return func.coalesce(lesson.substitute_id, lesson.teacher_id)


def _per_lesson(ctx: Context, entity: type[m.Grade] | type[m.Homework], s: Span) -> Subquery:
    """A lesson's entries of one kind and the late ones among them, for the schools' lessons
    at once (one pass over the table, not a lookup per lesson)."""
    return (
        select(
            entity.lesson_id,
            func.count().label("entries"),
            func.sum(_one_if(entity.on_time == false())).label("late"),
        )
        .where(ctx.loaders.readable(entity), entity.school_id.in_(s.school_ids))
        .group_by(entity.lesson_id)
        .subquery()
    )


def lesson_facts(ctx: Context, s: Span, *conditions: ColumnElement[bool]) -> Subquery:
    lesson, readable = m.Lesson, ctx.loaders.readable
    today = per_school(lesson.school_id, s.today)
    entries_due = lesson.held_on < per_school(lesson.school_id, _shifted(s.today, ENTRY_DAYS))
    declared_ungraded = exists().where(
        m.LessonWorkType.lesson_id == lesson.id,
        m.WorkType.id == m.LessonWorkType.work_type_id,
        days_after(lesson.held_on, checking_days(m.WorkType.checking_days)) < today,
        ~exists().where(
            m.Grade.lesson_id == m.LessonWorkType.lesson_id,
            m.Grade.work_type_id == m.LessonWorkType.work_type_id,
            readable(m.Grade),
        ),
    )
    # First graders get no homework (СанПиН 1.2.3685-21), so none is missing there.
    homework_due = (lesson.held_on <= per_school(lesson.school_id, s.homework_due_by)) & (
        m.SchoolClass.parallel > FIRST_GRADE
    )
    grades = _per_lesson(ctx, m.Grade, s)
    homework = _per_lesson(ctx, m.Homework, s)
    has_homework = homework.c.lesson_id.is_not(None)

    return (
        select(
            lesson.school_id,
            responsible().label("teacher_id"),
            m.Group.school_class_id.label("class_id"),
            lesson.subject_id,
            _one_if(entries_due).label("due"),
            _one_if(entries_due & lesson.topic.is_(None)).label("without_topic"),
            _one_if(entries_due & lesson.attendance_taken_at.is_(None)).label("without_attendance"),
            _one_if(declared_ungraded).label("without_grades"),
            _one_if(homework_due & ~has_homework).label("without_homework"),
            _one_if(lesson.attendance_taken_at.is_not(None)).label("attendance_taken"),
            _one_if(lesson.attendance_on_time == false()).label("late_attendance"),
            func.coalesce(grades.c.entries, 0).label("grades"),
            func.coalesce(grades.c.late, 0).label("late_grades"),
            func.coalesce(homework.c.entries, 0).label("homework"),
            func.coalesce(homework.c.late, 0).label("late_homework"),
        )
        .join(m.Group, m.Group.id == lesson.group_id)
        .outerjoin(grades, grades.c.lesson_id == lesson.id)
        .outerjoin(homework, homework.c.lesson_id == lesson.id)
        .join(m.SchoolClass, m.SchoolClass.id == m.Group.school_class_id)
        .where(
            readable(lesson),
            lesson.school_id.in_(s.school_ids),
            lesson.status != m.LessonStatus.CANCELLED,
            lesson.held_on.between(s.date_from, s.date_to),
            lesson.held_on <= today,
            *conditions,
        )
        .subquery("lesson_facts")
    )


def ended_periods(s: Span) -> ColumnElement[bool]:
    """Periods whose final grades are overdue: ended in the range, 7 days and more ago."""
    ended_by = per_school(m.Period.school_id, _shifted(s.today, FINAL_GRADE_DAYS))
    return and_(
        m.Period.school_id.in_(s.school_ids),
        m.Period.ends_on.between(s.date_from, s.date_to),
        m.Period.ends_on < ended_by,
    )
