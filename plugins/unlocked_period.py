"""`unlocked_period`: journal rows of a period whose final grades are not yet set (R-LOCK-1)."""

from sqlalchemy import ColumnElement, exists
from sqlalchemy.orm import InstrumentedAttribute

import model as m
from plugins.base import Condition, Scope


def reopened() -> ColumnElement[bool]:
    """The admin has reopened the final grade's group, subject and period, not closed since."""
    return exists().where(
        m.PeriodReopening.group_id == m.FinalGrade.group_id,
        m.PeriodReopening.subject_id == m.FinalGrade.subject_id,
        m.PeriodReopening.period_id == m.FinalGrade.period_id,
        m.PeriodReopening.closed_at.is_(None),
    )


def lesson_unlocked() -> ColumnElement[bool]:
    """No final grade is set for the lesson's group and subject in a period holding its date,
    unless the admin has reopened that period for them."""
    return ~exists().where(
        m.FinalGrade.group_id == m.Lesson.group_id,
        m.FinalGrade.subject_id == m.Lesson.subject_id,
        m.Period.id == m.FinalGrade.period_id,
        m.Lesson.held_on.between(m.Period.starts_on, m.Period.ends_on),
        ~reopened(),
    )


def via_lesson_unlocked(lesson_id: InstrumentedAttribute[int]) -> ColumnElement[bool]:
    return exists().where(m.Lesson.id == lesson_id, lesson_unlocked())


def _final_grade(scope: Scope) -> ColumnElement[bool]:
    # A set final grade is part of the locked journal (Д.2): it changes only while the admin
    # has the period reopened. Setting a student's final grade the first time is no change
    # (the condition guards existing final grades only), so the period's grades can be set.
    return reopened()


unlocked_period = Condition(
    name="unlocked_period",
    in_words="until the period's final grades lock it",
    description="journal entries of periods whose final grades are not set yet, or that the "
    "admin reopened; a set final grade changes only in a reopened period",
    refusal="PERIOD_LOCKED",
    renderers={
        m.Lesson: lambda scope: lesson_unlocked(),
        m.Grade: lambda scope: via_lesson_unlocked(m.Grade.lesson_id),
        m.Attendance: lambda scope: via_lesson_unlocked(m.Attendance.lesson_id),
        m.Homework: lambda scope: via_lesson_unlocked(m.Homework.lesson_id),
        m.FinalGrade: _final_grade,
    },
    guards_existing_only=frozenset({m.FinalGrade}),
)
