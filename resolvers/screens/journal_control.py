"""The control of how journals are kept (R-CONTROL-1, Б #10–11, В #3–4): per teacher, class and
subject, what is missing past its deadline and what was entered late. Two statements whatever
the school's size: the lessons' figures, and the missing term and final grades."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, exists, false, func, or_, select

import model as m
from policies.vocabulary import Resource
from resolvers.context import Context
from resolvers.database import AnySelect
from resolvers.errors import NotFound
from resolvers.screens.journal_facts import (
    FIRST_GRADE,
    Span,
    ended_periods,
    lesson_facts,
    responsible,
    span,
)
from resolvers.setup.classes import group_membership

Key = tuple[int, int, int]  # teacher, class, subject


@dataclass
class ControlRow:
    teacher_id: int
    class_id: int
    subject_id: int
    lessons_held: int = 0
    lessons_without_topic: int = 0
    lessons_without_attendance: int = 0
    lessons_without_grades: int = 0
    lessons_without_homework: int = 0
    late_grades: int = 0
    late_attendance: int = 0
    late_homework: int = 0
    missing_final_grades: int = 0


@dataclass(frozen=True)
class ControlFilter:
    school_id: int
    date_from: date | None = None
    date_to: date | None = None
    teacher_id: int | None = None
    class_id: int | None = None


_SUMMED = ("without_topic", "without_attendance", "without_grades", "without_homework",
           "late_grades", "late_attendance", "late_homework")  # fmt: skip


async def journal_control(ctx: Context, f: ControlFilter) -> list[ControlRow]:
    principal = ctx.require_principal()
    if f.school_id not in ctx.policy.report_schools(principal, Resource.JOURNAL_CONTROL):
        raise NotFound("No such school, or you do not control its journals.")
    s = span(principal, frozenset({f.school_id}), f.date_from, f.date_to)
    conditions: list[ColumnElement[bool]] = []
    if f.teacher_id is not None:
        conditions.append(responsible() == f.teacher_id)
    if f.class_id is not None:
        conditions.append(m.Group.school_class_id == f.class_id)
    facts = lesson_facts(ctx, s, *conditions)
    key = (facts.c.teacher_id, facts.c.class_id, facts.c.subject_id)
    statement = select(*key, func.count(), *(func.sum(facts.c[name]) for name in _SUMMED)).group_by(
        *key
    )
    rows: dict[Key, ControlRow] = {}
    for teacher, class_id, subject, held, *sums in await ctx.db.rows(statement):
        rows[(teacher, class_id, subject)] = ControlRow(
            teacher, class_id, subject, held, *(int(value) for value in sums)
        )
    for teacher, class_id, subject, missing in await ctx.db.rows(_missing_final_grades(ctx, s, f)):
        row = rows.setdefault((teacher, class_id, subject), ControlRow(teacher, class_id, subject))
        row.missing_final_grades = missing
    return [rows[k] for k in sorted(rows)]


def _missing_final_grades(ctx: Context, s: Span, f: ControlFilter) -> AnySelect:
    """Per teacher, class and subject: the students without a term grade (of the class's kind
    of period) or a year grade 7 days after the period ended (R-FINAL-1). The teacher is who
    taught the group the subject in that period; no grade is expected «без аттестации», nor in
    the first grade (безотметочное обучение)."""
    lesson, readable = m.Lesson, ctx.loaders.readable
    taught = (
        select(
            lesson.teacher_id, lesson.group_id, lesson.subject_id, m.Period.id.label("period_id")
        )
        .distinct()
        .join(m.Period, lesson.held_on.between(m.Period.starts_on, m.Period.ends_on))
        .join(m.Group, m.Group.id == lesson.group_id)
        .join(m.SchoolClass, m.SchoolClass.id == m.Group.school_class_id)
        .join(m.Subject, m.Subject.id == lesson.subject_id)
        .where(
            readable(lesson),
            m.Period.school_id == lesson.school_id,
            or_(m.Period.kind == m.SchoolClass.period_kind, m.Period.kind == m.PeriodKind.YEAR),
            ended_periods(s),
            lesson.status != m.LessonStatus.CANCELLED,
            m.SchoolClass.parallel > FIRST_GRADE,
            m.Subject.no_attestation == false(),
            *([lesson.teacher_id == f.teacher_id] if f.teacher_id is not None else []),
            *([m.Group.school_class_id == f.class_id] if f.class_id is not None else []),
        )
        .cte("taught")
    )
    # A CTE: the lessons are read once, not again for each of the two uses below.
    members = group_membership(select(taught.c.group_id)).subquery("members")
    graded = exists().where(
        m.FinalGrade.student_id == members.c.student_id,
        m.FinalGrade.subject_id == taught.c.subject_id,
        m.FinalGrade.period_id == taught.c.period_id,
        readable(m.FinalGrade),
    )
    key = (taught.c.teacher_id, m.Group.school_class_id, taught.c.subject_id)
    return (
        select(*key, func.count())
        .select_from(taught)
        .join(members, members.c.group_id == taught.c.group_id)
        .join(m.Group, m.Group.id == taught.c.group_id)
        .where(~graded)
        .group_by(*key)
    )
