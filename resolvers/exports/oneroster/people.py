"""The export's people: who is placed in or lists in the groups, who teaches them, the roles
held in the school, the parents, and the people themselves with what the caller reads of them.
A person is read through the `person` rules in a statement of their own: a row filter's
subqueries would correlate with a link table joined beside it."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

import model as m
from policies.vocabulary import Resource
from resolvers.context import Context
from resolvers.exports.oneroster.reads import chunks


async def readable_people(ctx: Context, ids: set[int]) -> set[int]:
    r = ctx.loaders.readable
    found: set[int] = set()
    for chunk in chunks(sorted(ids)):
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
    for chunk in chunks(sorted(whole)):
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
    for chunk in chunks(sub):
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
    for chunk in chunks(sorted(children)):
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
    r = ctx.loaders.readable
    for chunk in chunks(ids):
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
