"""The head's school overview: per class and subject in a period, the averages and how fully
the journal was kept (issue 5, R-CONTROL-1) — three statements for the whole school."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select

import model as m
from resolvers.context import Context
from resolvers.database import AnySelect
from resolvers.journal.lessons import JournalFilter, lesson_conditions
from resolvers.kept import kept
from resolvers.screens.averages import class_sums_statement, mean
from resolvers.screens.journal_cells import require_visible_in_period


@dataclass(frozen=True, slots=True)
class OverviewRow:
    class_id: int
    class_name: str | None  # null where the caller may not read the class
    subject_id: int
    subject_name: str | None  # the same for the subject
    average: Decimal | None
    weighted_average: Decimal | None
    grade_count: int
    lessons_held: int
    lessons_without_topic: int
    lessons_without_homework: int


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


async def school_overview(ctx: Context, school_id: int, period_id: int) -> list[OverviewRow]:
    starts_on, ends_on = await require_visible_in_period(ctx, {m.School: school_id}, period_id)
    f = JournalFilter(school_id=school_id, date_from=starts_on, date_to=ends_on)
    lessons, class_sums = kept(ctx, ("school overview", f), lambda: _statements(ctx, f))
    sums = {
        (class_id, subject_id): (total, int(count), weighted, weights)
        for class_id, subject_id, total, count, weighted, weights in await ctx.db.columns(
            class_sums
        )
    }
    overview = []
    for row in await ctx.db.columns(lessons):
        class_id, subject_id, parallel, letter, subject_name, lessons_held, *gaps = row
        total, count, weighted, weights = sums.get((class_id, subject_id), (None, 0, None, None))
        overview.append(
            OverviewRow(
                class_id=class_id,
                class_name=None if parallel is None else f"{parallel}{letter}",
                subject_id=subject_id,
                subject_name=subject_name,
                average=mean(total, count) if count else None,
                weighted_average=mean(weighted, weights) if count else None,
                grade_count=count,
                lessons_held=lessons_held,
                lessons_without_topic=gaps[0],
                lessons_without_homework=gaps[1],
            )
        )
    return overview


def _statements(ctx: Context, f: JournalFilter) -> tuple[AnySelect, AnySelect]:
    """The lessons per class and subject with their gaps; the grades' sums per class and
    subject."""
    held = m.Lesson.status == m.LessonStatus.HELD
    no_topic = or_(m.Lesson.topic.is_(None), m.Lesson.topic == "")
    # The school's homework only: without it, PostgreSQL hashed every school's homework.
    no_homework = ~exists().where(
        m.Homework.lesson_id == m.Lesson.id, m.Homework.school_id == f.school_id
    )
    school_class = and_(
        m.SchoolClass.id == m.Group.school_class_id, ctx.loaders.readable(m.SchoolClass)
    )
    subject = and_(m.Subject.id == m.Lesson.subject_id, ctx.loaders.readable(m.Subject))
    names = (m.SchoolClass.parallel, m.SchoolClass.letter, m.Subject.name)
    lessons = (
        select(
            m.Group.school_class_id,
            m.Lesson.subject_id,
            *names,
            _count(held),
            _count(held & no_topic),
            _count(held & no_homework),
        )
        .join(m.Group, m.Group.id == m.Lesson.group_id)
        .outerjoin(m.SchoolClass, school_class)
        .outerjoin(m.Subject, subject)
        .where(ctx.loaders.readable(m.Lesson), *lesson_conditions(f, by_student_groups=False))
        .group_by(m.Group.school_class_id, m.Lesson.subject_id, *names)
        .order_by(*names, m.Lesson.subject_id)
    )
    return lessons, class_sums_statement(ctx.loaders.readable(m.Grade), f)
