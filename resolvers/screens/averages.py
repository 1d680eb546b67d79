"""Averages and weighted averages of grades per student and subject (R-SUMMARY-1), computed in
one place, in SQL, so that every screen and report shows the same figures."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import ColumnElement, and_, func, select

import model as m
from resolvers.context import Context
from resolvers.database import AnySelect
from resolvers.errors import BadUserInput
from resolvers.journal.lessons import JournalFilter, lesson_conditions

CENT = Decimal("0.01")


@dataclass(frozen=True)
class GradeAverage:
    student_id: int
    subject_id: int
    average: Decimal
    weighted_average: Decimal
    grade_count: int


def averages_statement(condition: ColumnElement[bool], f: JournalFilter) -> AnySelect:
    """Per student and subject: the sum and count of the marks' values, and their sum weighted
    by the work types' weights with the sum of those weights («зачёт» and other valueless
    marks do not count). Sums, not averages: the division is exact, in Decimal, below."""
    per = m.Grade.student_id
    value = m.GradeScaleMark.value
    weight = m.WorkType.weight
    counted = value.is_not(None)
    return (
        select(
            per,
            m.Lesson.subject_id,
            func.sum(value),
            func.count(value),
            func.sum(value * weight),
            func.sum(weight),
        )
        .select_from(m.Grade)
        .join(m.Lesson, m.Lesson.id == m.Grade.lesson_id)
        .join(m.Group, m.Group.id == m.Lesson.group_id)
        .join(m.WorkType, m.WorkType.id == m.Grade.work_type_id)
        .join(
            m.GradeScaleMark,
            and_(
                m.GradeScaleMark.grade_scale_id == m.Grade.grade_scale_id,
                m.GradeScaleMark.mark == m.Grade.mark,
            ),
        )
        .where(condition, counted, *lesson_conditions(f, by_student_groups=False))
        .where(*([m.Grade.student_id == f.student_id] if f.student_id is not None else []))
        .group_by(per, m.Lesson.subject_id)
        .order_by(per, m.Lesson.subject_id)
    )


def class_sums_statement(condition: ColumnElement[bool], f: JournalFilter) -> AnySelect:
    """The sums of `averages_statement` per the lessons' class and subject, for a school: summed
    per lesson first (from the grades' index, in lesson order, only the filter's lessons), then
    per class and subject over those lessons — on the demo's SQLite a third of the time of
    summing each of the school's grades into its class and subject at once."""
    value = m.GradeScaleMark.value
    weight = m.WorkType.weight
    lessons = select(m.Lesson.id).where(*lesson_conditions(f, by_student_groups=False))
    per_lesson = (
        select(
            m.Grade.lesson_id.label("lesson_id"),
            func.sum(value).label("total"),
            func.count(value).label("counted"),
            func.sum(value * weight).label("weighted"),
            func.sum(weight).label("weights"),
        )
        .join(m.WorkType, m.WorkType.id == m.Grade.work_type_id)
        .join(
            m.GradeScaleMark,
            and_(
                m.GradeScaleMark.grade_scale_id == m.Grade.grade_scale_id,
                m.GradeScaleMark.mark == m.Grade.mark,
            ),
        )
        .where(condition, value.is_not(None), m.Grade.lesson_id.in_(lessons))
        .group_by(m.Grade.lesson_id)
        .subquery("per_lesson")
    )
    sums = per_lesson.c
    return (
        select(
            m.Group.school_class_id,
            m.Lesson.subject_id,
            func.sum(sums.total),
            func.sum(sums.counted),
            func.sum(sums.weighted),
            func.sum(sums.weights),
        )
        .select_from(per_lesson)
        .join(m.Lesson, m.Lesson.id == sums.lesson_id)
        .join(m.Group, m.Group.id == m.Lesson.group_id)
        .group_by(m.Group.school_class_id, m.Lesson.subject_id)
        .order_by(m.Group.school_class_id, m.Lesson.subject_id)
    )


def mean(total: object, count: object) -> Decimal:
    quotient = Decimal(str(total)) / Decimal(str(count))
    return quotient.quantize(CENT, rounding=ROUND_HALF_UP)


async def grade_averages(ctx: Context, f: JournalFilter) -> list[GradeAverage]:
    if f.class_id is None and f.group_id is None and f.student_id is None:
        raise BadUserInput("Averages need a class, a group or a student.", argument="filter")
    statement = averages_statement(ctx.loaders.readable(m.Grade), f)
    return [
        GradeAverage(student, subject, mean(total, count), mean(weighted, weights), count)
        for student, subject, total, count, weighted, weights in await ctx.db.rows(statement)
    ]
