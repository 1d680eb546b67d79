"""Who is in a class or group; a whole-class group's students are its class's students."""

from collections import defaultdict
from typing import Any

from sqlalchemy import Select, select, union_all

import model as m
from resolvers.context import Context
from resolvers.database import AnySelect

STUDENT_ORDER = (m.Person.last_name, m.Person.first_name, m.Person.id)


async def class_students(ctx: Context, class_id: int) -> list[m.Person]:
    rows: list[m.Person] = await ctx.loaders.linked(
        m.ClassStudent.school_class_id, m.ClassStudent.student_id, m.Person, *STUDENT_ORDER
    ).load(class_id)
    return rows


def group_membership(group_ids: list[int] | Select[Any]) -> Select[Any]:
    """(group_id, student_id) for the groups given (ids, or a SELECT of them), whole-class
    groups included."""
    whole = (
        select(m.Group.id.label("group_id"), m.ClassStudent.student_id.label("student_id"))
        .join(m.ClassStudent, m.ClassStudent.school_class_id == m.Group.school_class_id)
        .where(m.Group.id.in_(group_ids), m.Group.kind == m.GroupKind.WHOLE_CLASS)
    )
    sub = select(m.GroupStudent.group_id, m.GroupStudent.student_id).where(
        m.GroupStudent.group_id.in_(group_ids)
    )
    return select(union_all(whole, sub).subquery())


async def group_students(ctx: Context, group_id: int) -> list[m.Person]:
    async def load(group_ids: list[int]) -> list[list[m.Person]]:
        membership = group_membership(group_ids).subquery()
        statement: AnySelect = (
            select(membership.c.group_id, m.Person)
            .join(m.Person, m.Person.id == membership.c.student_id)
            .where(ctx.loaders.readable(m.Person))
            .order_by(*STUDENT_ORDER)
        )
        grouped: dict[int, list[m.Person]] = defaultdict(list)
        for gid, person in await ctx.db.rows(statement):
            grouped[gid].append(person)
        return [grouped.get(gid, []) for gid in group_ids]

    rows: list[m.Person] = await ctx.loaders.custom("students_by_group_id", load).load(group_id)
    return rows


async def class_placements(ctx: Context, class_id: int) -> list[m.ClassStudent]:
    """The class's placements whose students the caller may read, by name, then first day."""

    async def load(class_ids: list[int]) -> list[list[m.ClassStudent]]:
        statement = (
            select(m.ClassStudent)
            .join(m.Person, m.Person.id == m.ClassStudent.student_id)
            .where(m.ClassStudent.school_class_id.in_(class_ids), ctx.loaders.readable(m.Person))
            .order_by(*STUDENT_ORDER, m.ClassStudent.starts_on)
        )
        grouped: dict[int, list[m.ClassStudent]] = defaultdict(list)
        for placement in await ctx.db.scalars(statement):
            grouped[placement.school_class_id].append(placement)
        return [grouped.get(class_id, []) for class_id in class_ids]

    rows: list[m.ClassStudent] = await ctx.loaders.custom("placements_by_class_id", load).load(
        class_id
    )
    return rows
