"""The head's school overview: per class and subject in a period, the averages and how fully
the journal was kept (issue 5, R-CONTROL-1) — five statements for the whole school."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, case, exists, func, or_, select

import model as m
from resolvers import journal_cells
from resolvers.averages import averages_statement, mean
from resolvers.context import Context
from resolvers.database import AnyRow
from resolvers.grade_grid import require_visible
from resolvers.journal import JournalFilter, lesson_conditions


@dataclass(frozen=True, slots=True)
class OverviewRow:
    class_id: int
    subject_id: int
    average: Decimal | None
    weighted_average: Decimal | None
    grade_count: int
    lessons_held: int
    lessons_without_topic: int
    lessons_without_homework: int


@dataclass(frozen=True, slots=True)
class OverviewRows:
    rows: list[OverviewRow]
    classes: Sequence[AnyRow]
    subjects: Sequence[AnyRow]


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


async def school_overview(ctx: Context, school_id: int, period_id: int) -> OverviewRows:
    await require_visible(ctx, {m.School: school_id, m.Period: period_id})
    f = JournalFilter(school_id=school_id, period_id=period_id)
    held = m.Lesson.status == m.LessonStatus.HELD
    no_topic = or_(m.Lesson.topic.is_(None), m.Lesson.topic == "")
    no_homework = ~exists().where(m.Homework.lesson_id == m.Lesson.id)
    lessons = (
        select(
            m.Group.school_class_id,
            m.Lesson.subject_id,
            _count(held),
            _count(held & no_topic),
            _count(held & no_homework),
        )
        .join(m.Group, m.Group.id == m.Lesson.group_id)
        .where(ctx.loaders.readable(m.Lesson), *lesson_conditions(f, by_student_groups=False))
        .group_by(m.Group.school_class_id, m.Lesson.subject_id)
    )
    sums = {
        (class_id, subject_id): (total, count, weighted, weights)
        for class_id, subject_id, total, count, weighted, weights in await ctx.db.rows(
            averages_statement(ctx.loaders.readable(m.Grade), f, per=m.Group.school_class_id)
        )
    }
    rows = []
    for class_id, subject_id, lessons_held, no_topics, no_homeworks in await ctx.db.rows(lessons):
        total, count, weighted, weights = sums.get((class_id, subject_id), (None, 0, None, None))
        rows.append(
            OverviewRow(
                class_id=class_id,
                subject_id=subject_id,
                average=mean(total, count) if count else None,
                weighted_average=mean(weighted, weights) if count else None,
                grade_count=count,
                lessons_held=lessons_held,
                lessons_without_topic=no_topics,
                lessons_without_homework=no_homeworks,
            )
        )
    class_ids = select(m.Group.school_class_id).where(
        m.Group.id.in_(journal_cells.of_lessons(m.Lesson.group_id, _lessons(ctx, f)))
    )
    classes = (
        select(m.SchoolClass.id, m.SchoolClass.parallel, m.SchoolClass.letter)
        .where(ctx.loaders.readable(m.SchoolClass), m.SchoolClass.id.in_(class_ids))
        .order_by(m.SchoolClass.parallel, m.SchoolClass.letter)
    )
    subject_ids = journal_cells.of_lessons(m.Lesson.subject_id, _lessons(ctx, f))
    return OverviewRows(
        rows=rows,
        classes=await ctx.db.rows(classes),
        subjects=await journal_cells.subjects(ctx, subject_ids),
    )


def _lessons(ctx: Context, f: JournalFilter) -> Select[Any]:
    return journal_cells.lesson_ids(ctx, lesson_conditions(f, by_student_groups=False))
