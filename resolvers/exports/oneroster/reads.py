"""What the export reads, each statement with the caller's row filters (`Loaders.readable`):
rows the principal may not see are never loaded. The school's frame — its calendar, classes,
people and their placements, bounded by the school's size — is read whole; the journal — its
grades and final grades, as large as the school's years — in keyset pages (`pages`)."""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, union

import model as m
from resolvers.context import Context
from resolvers.database import AnyRow, AnySelect

PAGE = 2000


async def pages(
    ctx: Context, statement: AnySelect, keys: Sequence[Any], size: int | None = None
) -> AsyncIterator[AnyRow]:
    """The statement's rows in the order of `keys` (unique together, the statement's first
    columns), `size` (`PAGE`) at a time: each page starts after the last row of the one before."""
    size = size or PAGE
    last: tuple[Any, ...] | None = None
    while True:
        # The first key's bound on its own lets an index on it start the page where it starts.
        page = statement
        if last is not None:
            page = statement.where(keys[0] >= last[0], _after(keys, last))
        rows = await ctx.db.rows(page.order_by(*keys).limit(size))
        for row in rows:
            yield row
        if len(rows) < size:
            return
        last = tuple(rows[-1][: len(keys)])


def _after(keys: Sequence[Any], values: tuple[Any, ...]) -> ColumnElement[bool]:
    head, *rest = keys
    if not rest:
        return head > values[0]  # type: ignore[no-any-return]
    return or_(head > values[0], and_(head == values[0], _after(rest, values[1:])))


@dataclass(frozen=True)
class Frame:
    school: m.School
    municipality: m.Municipality | None
    region: m.Region | None
    years: list[m.SchoolYear]
    periods: list[m.Period]


async def frame(ctx: Context, school_id: int, school_year_id: int | None) -> Frame | None:
    r = ctx.loaders.readable
    school = await ctx.db.scalar(select(m.School).where(m.School.id == school_id, r(m.School)))
    if school is None:
        return None
    municipality = await ctx.db.scalar(
        select(m.Municipality).where(m.Municipality.id == school.municipality_id, r(m.Municipality))
    )
    region = None
    if municipality is not None:
        region = await ctx.db.scalar(
            select(m.Region).where(m.Region.id == municipality.region_id, r(m.Region))
        )
    years_query = select(m.SchoolYear).where(m.SchoolYear.school_id == school_id, r(m.SchoolYear))
    if school_year_id is not None:
        years_query = years_query.where(m.SchoolYear.id == school_year_id)
    years = list(await ctx.db.scalars(years_query.order_by(m.SchoolYear.starts_on)))
    periods = list(
        await ctx.db.scalars(
            select(m.Period)
            .where(m.Period.school_year_id.in_([y.id for y in years]), r(m.Period))
            .order_by(m.Period.school_year_id, m.Period.starts_on, m.Period.kind, m.Period.id)
        )
    )
    return Frame(school, municipality, region, years, periods)


@dataclass(frozen=True)
class TaughtClass:
    """A OneRoster class: a group (a whole class or a subgroup) taught one subject."""

    group: m.Group
    school_class: m.SchoolClass
    subject: m.Subject

    @property
    def key(self) -> tuple[int, int]:
        return (self.group.id, self.subject.id)


async def classes(ctx: Context, school_id: int, year_ids: list[int]) -> list[TaughtClass]:
    """Every group × subject the journal, the final grades, the timetable or the curriculum
    has, of the readable groups, classes, subjects of the years exported. Each table is read
    with its own filter, in a statement of its own (a filter's subqueries correlate with
    whatever else the statement joins)."""
    r = ctx.loaders.readable
    whole = m.Group.kind == m.GroupKind.WHOLE_CLASS
    wholes = select(m.Group.id, m.Group.school_class_id).where(whole).subquery()
    pairs = await ctx.db.rows(
        select(
            union(
                select(m.Lesson.group_id, m.Lesson.subject_id).where(
                    m.Lesson.school_id == school_id, r(m.Lesson)
                ),
                select(m.FinalGrade.group_id, m.FinalGrade.subject_id).where(
                    m.FinalGrade.school_id == school_id, r(m.FinalGrade)
                ),
                select(m.TimetableEntry.group_id, m.TimetableEntry.subject_id).where(
                    m.TimetableEntry.school_id == school_id, r(m.TimetableEntry)
                ),
                select(wholes.c.id, m.SubjectClass.subject_id)
                .join(wholes, wholes.c.school_class_id == m.SubjectClass.school_class_id)
                .where(m.SubjectClass.school_id == school_id, r(m.SubjectClass)),
            ).subquery()
        )
    )
    group_ids = sorted({g for g, _ in pairs})
    groups = {
        g.id: g
        for g in await ctx.db.scalars(
            select(m.Group).where(
                m.Group.id.in_(group_ids), m.Group.school_id == school_id, r(m.Group)
            )
        )
    }
    school_classes = {
        c.id: c
        for c in await ctx.db.scalars(
            select(m.SchoolClass).where(
                m.SchoolClass.id.in_(sorted({g.school_class_id for g in groups.values()})),
                m.SchoolClass.school_year_id.in_(year_ids),
                r(m.SchoolClass),
            )
        )
    }
    subjects = {
        s.id: s
        for s in await ctx.db.scalars(
            select(m.Subject).where(m.Subject.id.in_(sorted({s for _, s in pairs})), r(m.Subject))
        )
    }
    return [
        TaughtClass(groups[g], school_classes[groups[g].school_class_id], subjects[s])
        for g, s in sorted(set(pairs))
        if g in groups and groups[g].school_class_id in school_classes and s in subjects
    ]


async def work_types(ctx: Context, school_id: int) -> list[m.WorkType]:
    r = ctx.loaders.readable
    return list(
        await ctx.db.scalars(
            select(m.WorkType)
            .where(m.WorkType.school_id == school_id, r(m.WorkType))
            .order_by(m.WorkType.id)
        )
    )


@dataclass(frozen=True)
class Scale:
    scale: m.GradeScale
    marks: list[tuple[str, Decimal | None]]  # in the scale's order

    @property
    def values(self) -> dict[str, Decimal | None]:
        return dict(self.marks)


async def scales(ctx: Context, school_id: int) -> dict[int, Scale]:
    r = ctx.loaders.readable
    found = {
        s.id: Scale(s, [])
        for s in await ctx.db.scalars(
            select(m.GradeScale).where(m.GradeScale.school_id == school_id, r(m.GradeScale))
        )
    }
    rows = await ctx.db.rows(
        select(m.GradeScaleMark.grade_scale_id, m.GradeScaleMark.mark, m.GradeScaleMark.value)
        .where(m.GradeScaleMark.grade_scale_id.in_(list(found)), r(m.GradeScaleMark))
        .order_by(m.GradeScaleMark.grade_scale_id, m.GradeScaleMark.position)
    )
    for scale_id, mark, value in rows:
        found[scale_id].marks.append((mark, value))
    return found


def chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]
