"""The export's journal: the school's grades and final grades in keyset pages, never whole."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

import model as m
from resolvers.context import Context
from resolvers.database import AnyRow
from resolvers.exports.oneroster import reads


@dataclass(frozen=True)
class Lesson:
    group_id: int
    subject_id: int
    held_on: date
    topic: str | None


async def grades(ctx: Context, school_id: int) -> AsyncIterator[tuple[AnyRow, Lesson]]:
    """The school's readable grades of readable lessons, by lesson, work type and student,
    each with its lesson."""
    r = ctx.loaders.readable
    lessons = select(m.Lesson.id).where(m.Lesson.school_id == school_id, r(m.Lesson))
    statement = select(
        m.Grade.lesson_id, m.Grade.work_type_id, m.Grade.student_id, m.Grade.id,
        m.Grade.grade_scale_id, m.Grade.mark, m.Grade.comment, m.Grade.created_at,
        m.Grade.updated_at,
    ).where(m.Grade.school_id == school_id, r(m.Grade), m.Grade.lesson_id.in_(lessons))  # fmt: skip
    keys = [m.Grade.lesson_id, m.Grade.work_type_id, m.Grade.student_id]
    page: list[AnyRow] = []
    async for row in reads.pages(ctx, statement, keys):
        page.append(row)
        if len(page) == reads.PAGE:
            for found in await _with_lessons(ctx, page):
                yield found
            page = []
    for found in await _with_lessons(ctx, page):
        yield found


async def _with_lessons(ctx: Context, grades: list[AnyRow]) -> list[tuple[AnyRow, Lesson]]:
    if not grades:
        return []
    rows = await ctx.db.rows(
        select(m.Lesson.id, m.Lesson.group_id, m.Lesson.subject_id, m.Lesson.held_on,
               m.Lesson.topic).where(m.Lesson.id.in_(sorted({g.lesson_id for g in grades})))
    )  # fmt: skip
    lessons = {i: Lesson(g, s, h, t) for i, g, s, h, t in rows}
    return [(grade, lessons[grade.lesson_id]) for grade in grades]


def final_grades(ctx: Context, school_id: int) -> AsyncIterator[AnyRow]:
    """The school's readable final grades, by group, subject, period and student."""
    r = ctx.loaders.readable
    statement = select(
        m.FinalGrade.group_id, m.FinalGrade.subject_id, m.FinalGrade.period_id,
        m.FinalGrade.student_id, m.FinalGrade.id, m.FinalGrade.grade_scale_id,
        m.FinalGrade.mark, m.FinalGrade.special, m.FinalGrade.created_at,
        m.FinalGrade.updated_at,
    ).where(m.FinalGrade.school_id == school_id, r(m.FinalGrade))  # fmt: skip
    keys = [
        m.FinalGrade.group_id, m.FinalGrade.subject_id, m.FinalGrade.period_id,
        m.FinalGrade.student_id,
    ]  # fmt: skip
    return reads.pages(ctx, statement, keys)
