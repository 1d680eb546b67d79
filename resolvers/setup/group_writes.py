"""Splitting a class into subgroups (Г.1 #6, А #17): the class teacher for their own class, a
teacher for the subject they teach it, the admin for all. A subgroup's students are students
placed in its class; a whole-class group's are the class's own, and it goes with the class."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import exists, insert, or_, select

import model as m
from policies.vocabulary import Resource
from resolvers import records
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.setup.class_writes import records_delete
from resolvers.write_checks import require_writes

GROUP_WORDS = (
    "A class teacher splits their own class; a teacher, a class they teach for that subject; "
    "the admin, any."
)


def _name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise BadUserInput("A group needs its name, e.g. «Английский, 1 подгруппа».", field="name")
    return name


async def _name_free(ctx: Context, class_id: int, name: str, except_id: int = 0) -> None:
    taken = select(m.Group.id).where(
        m.Group.school_class_id == class_id, m.Group.name == name, m.Group.id != except_id
    )
    if await ctx.db.scalar(taken) is not None:
        raise BadUserInput(f"The class has a group «{name}» already.", field="name")


async def _placed(
    ctx: Context, class_id: int, student_ids: Sequence[int], field: str = "studentIds"
) -> None:
    if len(set(student_ids)) != len(student_ids):
        raise BadUserInput("A student is listed twice.", field=field)
    placed = set(
        await ctx.db.scalars(
            select(m.ClassStudent.student_id).where(
                m.ClassStudent.school_class_id == class_id,
                m.ClassStudent.student_id.in_(student_ids),
            )
        )
    )
    for item, student_id in enumerate(student_ids):
        if student_id not in placed:
            raise BadUserInput("Not a student of the group's class.", field=field, item=item)


async def _add_members(
    ctx: Context, group: m.Group, student_ids: Sequence[int]
) -> list[m.GroupStudent]:
    if not student_ids:
        return []
    rows = list(
        (
            await ctx.db.execute(
                insert(m.GroupStudent).returning(m.GroupStudent),
                [{"group_id": group.id, "student_id": s} for s in student_ids],
            )
        ).scalars()
    )
    await record(
        ctx, [Changed(group.school_id, m.GroupStudent, r.id, None, snapshot(r)) for r in rows]
    )
    return rows


async def group_create(
    ctx: Context, class_id: int, name: str, subject_id: int | None, student_ids: Sequence[int]
) -> m.Group:
    school_class = await ctx.db.scalar(
        select(m.SchoolClass).where(
            m.SchoolClass.id == class_id, ctx.loaders.readable(m.SchoolClass)
        )
    )
    if school_class is None:
        raise NotFound("No such class, or it is not visible to you.", field="classId")
    if school_class.archived_at is not None:
        raise BadUserInput("The class is archived: it gets no new groups.", field="classId")
    name = _name(name)
    await _name_free(ctx, class_id, name)
    await records.require_usable(ctx, m.Subject, [subject_id], field="subjectId", what="subject")
    await _placed(ctx, class_id, student_ids)
    row = {
        "school_id": school_class.school_id,
        "school_class_id": class_id,
        "kind": m.GroupKind.SUBGROUP,
        "name": name,
        "subject_id": subject_id,
    }
    (group,) = await records.create(ctx, Resource.GROUP, m.Group, [row], message=GROUP_WORDS)
    await _add_members(ctx, group, student_ids)
    return group


async def _subgroup(ctx: Context, group_id: int) -> m.Group:
    group = await ctx.db.scalar(
        select(m.Group).where(m.Group.id == group_id, ctx.loaders.readable(m.Group))
    )
    if group is None:
        raise NotFound("No such group, or it is not visible to you.", argument="groupId")
    if group.kind is m.GroupKind.WHOLE_CLASS:
        raise BadUserInput(
            "The whole class is kept with the class itself: its students are the class's.",
            argument="groupId",
        )
    return group


async def group_update(ctx: Context, group_id: int, values: dict[str, Any]) -> m.Group:
    group = await _subgroup(ctx, group_id)
    if not values:
        raise BadUserInput("Nothing to change.", argument="input")
    if "name" in values:
        values["name"] = _name(values["name"])
        await _name_free(ctx, group.school_class_id, values["name"], group.id)
    if "subject_id" in values:
        await records.require_usable(
            ctx, m.Subject, [values["subject_id"]], field="subjectId", what="subject"
        )
    return await records.change(
        ctx, Resource.GROUP, m.Group, group.id, values, what="The group", message=GROUP_WORDS
    )


async def group_students_set(ctx: Context, group_id: int, student_ids: Sequence[int]) -> m.Group:
    """The subgroup's students become exactly those listed: who is added and who removed is
    audited; the same statements for any size."""
    group = await _subgroup(ctx, group_id)
    await require_writes(
        ctx, Resource.GROUP, m.Group, [group.id], existing=True, message=GROUP_WORDS
    )
    await _placed(ctx, group.school_class_id, student_ids)
    current = list(
        await ctx.db.scalars(select(m.GroupStudent).where(m.GroupStudent.group_id == group.id))
    )
    wanted = set(student_ids)
    gone = [row for row in current if row.student_id not in wanted]
    kept = {row.student_id for row in current}
    await records_delete(ctx, group.school_id, gone)
    await _add_members(ctx, group, [s for s in student_ids if s not in kept])
    return group


async def group_remove(ctx: Context, group_id: int) -> records.Removal:
    """A subgroup without lessons or timetable is deleted with its list; else archived."""
    group = await _subgroup(ctx, group_id)
    await require_writes(
        ctx, Resource.GROUP, m.Group, [group.id], existing=True, message=GROUP_WORDS
    )
    in_use = or_(
        exists().where(m.Lesson.group_id == group.id),
        exists().where(m.TimetableEntry.group_id == group.id),
    )
    if not await ctx.db.scalar(select(in_use)):
        members = list(
            await ctx.db.scalars(select(m.GroupStudent).where(m.GroupStudent.group_id == group.id))
        )
        await records_delete(ctx, group.school_id, members)
    return await records.remove(
        ctx,
        Resource.GROUP,
        m.Group,
        group.id,
        in_use=in_use,
        what="The group",
        message=GROUP_WORDS,
    )
