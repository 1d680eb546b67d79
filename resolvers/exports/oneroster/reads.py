"""What the export reads, each statement with the caller's row filters (`Loaders.readable`):
rows the principal may not see are never loaded. The school's frame — its calendar, classes,
people and their placements, bounded by the school's size — is read whole; the journal — its
grades and final grades, as large as the school's years — in keyset pages (`pages`)."""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, union

import model as m
from resolvers.context import Context
from resolvers.database import AnyRow, AnySelect

PAGE = 2000


async def pages(
    ctx: Context, statement: AnySelect, keys: Sequence[Any], size: int = PAGE
) -> AsyncIterator[AnyRow]:
    """The statement's rows in the order of `keys` (unique together, the statement's first
    columns), `size` at a time: each page starts after the last row of the one before."""
    last: tuple[Any, ...] | None = None
    while True:
        page = statement if last is None else statement.where(_after(keys, last))
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


async def readable_people(ctx: Context, ids: set[int]) -> set[int]:
    r = ctx.loaders.readable
    found: set[int] = set()
    for chunk in _chunks(sorted(ids)):
        found |= set(
            await ctx.db.scalars(select(m.Person.id).where(m.Person.id.in_(chunk), r(m.Person)))
        )
    return found


@dataclass(frozen=True)
class Member:
    group_id: int
    student_id: int
    starts_on: date | None
    ends_on: date | None


async def members(ctx: Context, groups: list[m.Group]) -> list[Member]:
    """The readable students of the groups: a whole class's placements (with their dates), a
    subgroup's list."""
    found: list[Member] = []
    whole = {g.school_class_id: g.id for g in groups if g.kind is m.GroupKind.WHOLE_CLASS}
    for chunk in _chunks(sorted(whole)):
        rows = await ctx.db.rows(
            select(
                m.ClassStudent.school_class_id,
                m.ClassStudent.student_id,
                m.ClassStudent.starts_on,
                m.ClassStudent.ends_on,
            ).where(m.ClassStudent.school_class_id.in_(chunk))
        )
        found += [Member(whole[c], s, b, e) for c, s, b, e in rows]
    sub = sorted(g.id for g in groups if g.kind is m.GroupKind.SUBGROUP)
    for chunk in _chunks(sub):
        rows = await ctx.db.rows(
            select(m.GroupStudent.group_id, m.GroupStudent.student_id).where(
                m.GroupStudent.group_id.in_(chunk)
            )
        )
        found += [Member(g, s, None, None) for g, s in rows]
    readable = await readable_people(ctx, {f.student_id for f in found})
    return sorted(
        (f for f in found if f.student_id in readable), key=lambda f: (f.group_id, f.student_id)
    )


async def teaching(ctx: Context, school_id: int) -> dict[tuple[int, int], dict[int, int]]:
    """Per group × subject, its readable teachers and how many of its lessons each has (the
    timetable's teachers with none yet count 0)."""
    r = ctx.loaders.readable
    by_class: dict[tuple[int, int], dict[int, int]] = {}
    rows = await ctx.db.rows(
        select(m.Lesson.group_id, m.Lesson.subject_id, m.Lesson.teacher_id, func.count())
        .where(m.Lesson.school_id == school_id, r(m.Lesson))
        .group_by(m.Lesson.group_id, m.Lesson.subject_id, m.Lesson.teacher_id)
    )
    for group_id, subject_id, teacher_id, lessons in rows:
        by_class.setdefault((group_id, subject_id), {})[teacher_id] = lessons
    rows = await ctx.db.rows(
        select(m.TimetableEntry.group_id, m.TimetableEntry.subject_id, m.TimetableEntry.teacher_id)
        .where(m.TimetableEntry.school_id == school_id, r(m.TimetableEntry))
        .distinct()
    )
    for group_id, subject_id, teacher_id in rows:
        by_class.setdefault((group_id, subject_id), {}).setdefault(teacher_id, 0)
    readable = await readable_people(ctx, {t for c in by_class.values() for t in c})
    return {
        key: {t: n for t, n in counts.items() if t in readable} for key, counts in by_class.items()
    }


async def school_roles(ctx: Context, school_id: int) -> list[tuple[int, str]]:
    """The readable roles held in the school by readable people."""
    r = ctx.loaders.readable
    rows = await ctx.db.rows(
        select(m.SchoolRole.person_id, m.SchoolRole.role)
        .where(m.SchoolRole.school_id == school_id, r(m.SchoolRole))
        .order_by(m.SchoolRole.person_id, m.SchoolRole.role)
    )
    readable = await readable_people(ctx, {p for p, _ in rows})
    return [(person_id, role) for person_id, role in rows if person_id in readable]


async def guardians(ctx: Context, children: set[int]) -> list[tuple[int, int, m.Kinship]]:
    """(parent, child, kinship) of the children, the parents readable."""
    found: list[tuple[int, int, m.Kinship]] = []
    for chunk in _chunks(sorted(children)):
        rows = await ctx.db.rows(
            select(m.Guardianship.parent_id, m.Guardianship.child_id, m.Guardianship.kinship)
            .where(m.Guardianship.child_id.in_(chunk))
            .order_by(m.Guardianship.parent_id, m.Guardianship.child_id)
        )
        found += [(p, c, k) for p, c, k in rows]
    readable = await readable_people(ctx, {p for p, _, _ in found})
    return [g for g in found if g[0] in readable]


@dataclass(frozen=True)
class Person:
    row: m.Person
    login: str | None
    active: bool
    personal: bool  # the caller reads the person's personal data


async def people(ctx: Context, ids: list[int]) -> AsyncIterator[list[Person]]:
    """The people, a page at a time, with their logins where the caller reads accounts and
    whether the caller reads their personal data (R-PD-1)."""
    from policies.vocabulary import Resource

    r = ctx.loaders.readable
    for chunk in _chunks(ids):
        rows = await ctx.db.scalars(
            select(m.Person).where(m.Person.id.in_(chunk), r(m.Person)).order_by(m.Person.id)
        )
        accounts = {
            person_id: (login, active)
            for person_id, login, active in await ctx.db.rows(
                select(m.Account.person_id, m.Account.login, m.Account.is_active).where(
                    m.Account.person_id.in_(chunk), r(m.Account)
                )
            )
        }
        personal = set(
            await ctx.db.scalars(
                select(m.Person.id).where(
                    m.Person.id.in_(chunk), r(m.Person, Resource.PERSONAL_DATA)
                )
            )
        )
        yield [
            Person(
                row,
                accounts.get(row.id, (None, True))[0],
                accounts.get(row.id, (None, True))[1],
                row.id in personal,
            )
            for row in rows
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
    async for row in pages(ctx, statement, keys):
        page.append(row)
        if len(page) == PAGE:
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
    return pages(ctx, statement, keys)


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]
