"""The subject's links (А #16): «предмет-педагог» (who may teach it), «предмет-кабинет» (the
rooms fitted for it) and «предмет-класс» (the classes whose curriculum has it, with the hours a
week). Each is set as a whole from the subject's card: the list given replaces the one there,
in a constant number of statements whatever its length, and every link made, changed or
dropped is audited."""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import case, delete, select, update

import model as m
from policies.vocabulary import Resource
from resolvers import records
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.setup.reference_checks import at, distinct, usable
from resolvers.write_checks import require_writes

TEACHING_ROLES = (m.Role.TEACHER, m.Role.PSYCHOLOGIST)
MAX_HOURS = 12


async def _subject(ctx: Context, subject_id: int) -> m.Subject:
    subject = await ctx.db.scalar(
        select(m.Subject).where(m.Subject.id == subject_id, ctx.loaders.readable(m.Subject))
    )
    if subject is None:
        raise NotFound("No such subject, or it is not visible to you.")
    if subject.archived_at is not None:
        raise BadUserInput(
            f"«{subject.name}» is archived: it is no longer taught.", field="subjectId"
        )
    await require_writes(
        ctx,
        Resource.CURRICULUM,
        m.Subject,
        [subject.id],
        existing=True,
        message="Only the school's admin links subjects to teachers, rooms and classes.",
    )
    return subject


async def _replace(
    ctx: Context,
    entity: type[Any],
    subject: m.Subject,
    key: str,
    wanted: Mapping[int, Mapping[str, Any]],
) -> None:
    """Make the subject's links of `entity` exactly `wanted` (the linked row's id → the link's
    other values): drop the others, change what differs, add what is missing."""
    current = {
        getattr(row, key): row
        for row in await ctx.db.scalars(select(entity).where(entity.subject_id == subject.id))
    }
    gone = [row for linked, row in current.items() if linked not in wanted]
    changed = [
        (row, wanted[linked])
        for linked, row in current.items()
        if linked in wanted and any(getattr(row, c) != v for c, v in wanted[linked].items())
    ]
    changes = []
    if gone:
        changes += [Changed(subject.school_id, entity, row.id, snapshot(row), None) for row in gone]
        await ctx.db.write(delete(entity).where(entity.id.in_([row.id for row in gone])))
    if changed:
        befores = {row.id: snapshot(row) for row, _ in changed}
        for column in {column for _, values in changed for column in values}:
            new_values = {row.id: values[column] for row, values in changed}
            await ctx.db.write(
                update(entity)
                .where(entity.id.in_(list(new_values)))
                .values({column: case(new_values, value=entity.id)})
            )
        for row in await ctx.db.scalars(
            select(entity)
            .where(entity.id.in_(list(befores)))
            .execution_options(populate_existing=True)
        ):
            changes.append(
                Changed(subject.school_id, entity, row.id, befores[row.id], snapshot(row))
            )
    if changes:
        await record(ctx, changes)
    new = [
        {"school_id": subject.school_id, "subject_id": subject.id, key: linked, **values}
        for linked, values in wanted.items()
        if linked not in current
    ]
    if new:
        await records.create(ctx, Resource.CURRICULUM, entity, new)


async def subject_teachers_set(
    ctx: Context, subject_id: int, teacher_ids: Sequence[int]
) -> m.Subject:
    subject = await _subject(ctx, subject_id)
    distinct(teacher_ids, "teacherIds", "A teacher", named=False)
    teachers = set(
        await ctx.db.scalars(
            select(m.SchoolRole.person_id).where(
                m.SchoolRole.person_id.in_(list(teacher_ids)),
                m.SchoolRole.school_id == subject.school_id,
                m.SchoolRole.role.in_(TEACHING_ROLES),
            )
        )
    )
    for item, teacher_id in enumerate(teacher_ids):
        if teacher_id not in teachers:
            raise BadUserInput("Not a teacher of this school.", field="teacherIds", item=item)
    await _replace(ctx, m.SubjectTeacher, subject, "teacher_id", {t: {} for t in teacher_ids})
    return subject


async def subject_rooms_set(ctx: Context, subject_id: int, room_ids: Sequence[int]) -> m.Subject:
    subject = await _subject(ctx, subject_id)
    distinct(room_ids, "roomIds", "A room", named=False)
    await usable(ctx, m.Room, room_ids, subject.school_id, "room", "roomIds")
    await _replace(ctx, m.SubjectRoom, subject, "room_id", {r: {} for r in room_ids})
    return subject


async def subject_classes_set(
    ctx: Context, subject_id: int, hours: Sequence[tuple[int, int]]
) -> m.Subject:
    """`hours`: (class, hours a week) pairs; the classes' curricula get the subject."""
    subject = await _subject(ctx, subject_id)
    class_ids = [class_id for class_id, _ in hours]
    distinct(class_ids, "classId", "A class", named=False)
    for item, (_, per_week) in enumerate(hours):
        if not 0 <= per_week <= MAX_HOURS:
            raise BadUserInput(
                f"A subject has 0 to {MAX_HOURS} hours a week in a class.",
                field="hoursPerWeek",
                **at(item),
            )
    found = set(
        await ctx.db.scalars(
            select(m.SchoolClass.id).where(
                m.SchoolClass.id.in_(class_ids),
                m.SchoolClass.school_id == subject.school_id,
                ctx.loaders.readable(m.SchoolClass),
            )
        )
    )
    for item, class_id in enumerate(class_ids):
        if class_id not in found:
            raise BadUserInput("No such class in this school.", field="classId", item=item)
    wanted = {class_id: {"hours_per_week": per_week} for class_id, per_week in hours}
    await _replace(ctx, m.SubjectClass, subject, "school_class_id", wanted)
    return subject
