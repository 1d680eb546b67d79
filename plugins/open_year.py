"""`open_year`: rows of a school year that is not closed (R-YEAR-1). A closed year's journal,
timetable, classes and placements are read-only history: every write into it is refused,
whoever makes it, and reads go on. The write probe (`policies/writes.py`) adds this condition
to every write rule of a table it knows, so no rule can forget it; the admin reopens a year
(`schoolYearReopen`) to correct it."""

from typing import Any

from sqlalchemy import ColumnElement, exists
from sqlalchemy.orm import InstrumentedAttribute

import model as m
from plugins.base import Condition, Renderer, Scope

CLOSED_WORDS = (
    "The school year is closed: its journal is kept as read-only history. The school's admin "
    "may reopen it to correct it."
)


def year_open(year_id: Any) -> ColumnElement[bool]:
    return ~exists().where(m.SchoolYear.id == year_id, m.SchoolYear.closed_at.is_not(None))


def day_open(school_id: Any, on: Any) -> ColumnElement[bool]:
    """No closed year of the school holds the day."""
    return ~exists().where(
        m.SchoolYear.school_id == school_id,
        m.SchoolYear.closed_at.is_not(None),
        on >= m.SchoolYear.starts_on,
        on <= m.SchoolYear.ends_on,
    )


def _lesson() -> ColumnElement[bool]:
    return day_open(m.Lesson.school_id, m.Lesson.held_on)


def _via_lesson(lesson_id: InstrumentedAttribute[int]) -> Renderer:
    def render(scope: Scope) -> ColumnElement[bool]:
        return exists().where(m.Lesson.id == lesson_id, _lesson())

    return render


def _via_class(class_id: InstrumentedAttribute[int]) -> Renderer:
    def render(scope: Scope) -> ColumnElement[bool]:
        return ~exists().where(
            m.SchoolClass.id == class_id,
            m.SchoolYear.id == m.SchoolClass.school_year_id,
            m.SchoolYear.closed_at.is_not(None),
        )

    return render


def _via_period(period_id: InstrumentedAttribute[int]) -> Renderer:
    def render(scope: Scope) -> ColumnElement[bool]:
        return ~exists().where(
            m.Period.id == period_id,
            m.SchoolYear.id == m.Period.school_year_id,
            m.SchoolYear.closed_at.is_not(None),
        )

    return render


def _of_year(year_id: InstrumentedAttribute[int]) -> Renderer:
    return lambda scope: year_open(year_id)


def _grade_report(scope: Scope) -> ColumnElement[bool]:
    return exists().where(m.Lesson.id == m.GradeReport.lesson_id, _lesson())


open_year = Condition(
    name="open_year",
    in_words="while its school year is open",
    description="rows of a school year that is not closed; every write rule holds it (a "
    "closed year's journal, timetable, classes and placements are read-only history)",
    refusal="PERIOD_LOCKED",
    words=CLOSED_WORDS,
    renderers={
        m.Lesson: lambda scope: _lesson(),
        m.Grade: _via_lesson(m.Grade.lesson_id),
        m.Attendance: _via_lesson(m.Attendance.lesson_id),
        m.Homework: _via_lesson(m.Homework.lesson_id),
        m.GradeReport: _grade_report,
        m.FinalGrade: _via_period(m.FinalGrade.period_id),
        m.PeriodReopening: _via_period(m.PeriodReopening.period_id),
        m.Period: _of_year(m.Period.school_year_id),
        m.TimetableEntry: _of_year(m.TimetableEntry.school_year_id),
        m.TimetableChange: lambda scope: day_open(
            m.TimetableChange.school_id, m.TimetableChange.on_date
        ),
        m.Plan: _of_year(m.Plan.school_year_id),
        m.SchoolClass: _of_year(m.SchoolClass.school_year_id),
        m.ClassStudent: _of_year(m.ClassStudent.school_year_id),
        m.Group: _via_class(m.Group.school_class_id),
        m.SubjectClass: _via_class(m.SubjectClass.school_class_id),
    },
)
