"""The admin keeps the classes (А #17): parallel, letter, class teacher, home room, bells; a
class comes with its whole-class group, and one that journal data refers to is archived. A
class teacher sets their own class up too (Г.1 #6), all but who its class teacher is."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, or_, select, update

import model as m
from model.base import utc_now
from policies.vocabulary import Resource
from resolvers import records
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.people.names import class_name
from resolvers.write_checks import require_writes

CLASS_WORDS = "Only the school's admin keeps the classes."
SETTINGS_WORDS = "Only the school's admin, or the class teacher of this class, sets it up."
APPOINTING_WORDS = "Only the school's admin appoints or changes a class's class teacher."
WHOLE_CLASS = "Весь класс"
MAX_LETTER = 4  # the width of school_class.letter
TEACHING = (m.Role.TEACHER.value, m.Role.PSYCHOLOGIST.value)


@dataclass(frozen=True)
class ClassEntry:
    school_year_id: int
    parallel: int
    letter: str
    class_teacher_id: int | None = None
    room_id: int | None = None
    bell_schedule_id: int | None = None
    period_kind: m.PeriodKind = m.PeriodKind.QUARTER


def _letter(value: str) -> str:
    letter = value.strip().upper()
    if not letter:
        raise BadUserInput("A class needs its letter, e.g. «А».", field="letter")
    if len(letter) > MAX_LETTER:
        raise BadUserInput(
            f"A class's letter has at most {MAX_LETTER} characters, e.g. «А».", field="letter"
        )
    return letter


def _parallel(value: int) -> int:
    if not 1 <= value <= 11:
        raise BadUserInput("A parallel is a year of study, 1 to 11.", field="parallel")
    return value


async def _name_free(
    ctx: Context, year: m.SchoolYear, parallel: int, letter: str, except_id: int | None = None
) -> None:
    taken = select(m.SchoolClass.id).where(
        m.SchoolClass.school_year_id == year.id,
        m.SchoolClass.parallel == parallel,
        m.SchoolClass.letter == letter,
        m.SchoolClass.id != (except_id or 0),
    )
    if await ctx.db.scalar(taken) is not None:
        raise BadUserInput(f"{parallel}{letter} of {year.name} is there already.", field="letter")


async def teacher_of(ctx: Context, school_id: int, person_id: int, field: str) -> None:
    """The person teaches at the school (a class teacher is one of its teachers)."""
    teaches = exists().where(
        m.SchoolRole.person_id == person_id,
        m.SchoolRole.school_id == school_id,
        m.SchoolRole.role.in_(TEACHING),
    )
    if not await ctx.db.scalar(select(teaches)):
        raise BadUserInput("A class teacher must teach at this school.", field=field)


async def _year(ctx: Context, year_id: int) -> m.SchoolYear:
    year = await ctx.db.scalar(
        select(m.SchoolYear).where(m.SchoolYear.id == year_id, ctx.loaders.readable(m.SchoolYear))
    )
    if year is None:
        raise BadUserInput(
            "No such school year, or it is not visible to you.", field="schoolYearId"
        )
    return year


async def _links(ctx: Context, school_id: int, values: dict[str, Any]) -> None:
    if values.get("class_teacher_id") is not None:
        await teacher_of(ctx, school_id, values["class_teacher_id"], "classTeacherId")
    await records.require_usable(ctx, m.Room, [values.get("room_id")], field="roomId", what="room")
    await records.require_usable(
        ctx,
        m.BellSchedule,
        [values.get("bell_schedule_id")],
        field="bellScheduleId",
        what="bell schedule",
    )


async def class_create(ctx: Context, entry: ClassEntry) -> m.SchoolClass:
    year = await _year(ctx, entry.school_year_id)
    parallel, letter = _parallel(entry.parallel), _letter(entry.letter)
    await _name_free(ctx, year, parallel, letter)
    row = {
        "school_id": year.school_id,
        "school_year_id": year.id,
        "parallel": parallel,
        "letter": letter,
        "class_teacher_id": entry.class_teacher_id,
        "room_id": entry.room_id,
        "bell_schedule_id": entry.bell_schedule_id,
        "period_kind": entry.period_kind,
    }
    await _links(ctx, year.school_id, row)
    (school_class,) = await records.create(
        ctx, Resource.SCHOOL_CLASS, m.SchoolClass, [row], message=CLASS_WORDS
    )
    whole = {
        "school_id": year.school_id,
        "school_class_id": school_class.id,
        "kind": m.GroupKind.WHOLE_CLASS,
        "name": WHOLE_CLASS,
    }
    await records.create(ctx, Resource.GROUP, m.Group, [whole], message=CLASS_WORDS)
    return school_class


async def _class(ctx: Context, class_id: int) -> tuple[m.SchoolClass, m.SchoolYear]:
    found = (
        await ctx.db.rows(
            select(m.SchoolClass, m.SchoolYear)
            .join(m.SchoolYear, m.SchoolYear.id == m.SchoolClass.school_year_id)
            .where(m.SchoolClass.id == class_id, ctx.loaders.readable(m.SchoolClass))
        )
    ) or None
    if found is None:
        raise NotFound("No such class, or it is not visible to you.")
    school_class, year = found[0]
    return school_class, year


async def class_update(ctx: Context, class_id: int, values: dict[str, Any]) -> m.SchoolClass:
    """Correct a class; `values` holds only what changes (null clears a link)."""
    school_class, year = await _class(ctx, class_id)
    if not values:
        raise BadUserInput("Nothing to change.", argument="input")
    teacher = values.get("class_teacher_id", school_class.class_teacher_id)
    if teacher != school_class.class_teacher_id:
        # Who the class teacher is stays the admin's (А #17): the class's other settings are
        # its class teacher's too, this one not.
        await require_writes(
            ctx,
            Resource.SCHOOL_CLASS,
            m.SchoolClass,
            [school_class.id],
            existing=True,
            message=APPOINTING_WORDS,
        )
    if "parallel" in values:
        values["parallel"] = _parallel(values["parallel"])
    if "letter" in values:
        values["letter"] = _letter(values["letter"])
    if "parallel" in values or "letter" in values:
        await _name_free(
            ctx,
            year,
            values.get("parallel", school_class.parallel),
            values.get("letter", school_class.letter),
            except_id=school_class.id,
        )
    await _links(ctx, school_class.school_id, values)
    return await records.change(
        ctx,
        Resource.CLASS_SETTINGS,
        m.SchoolClass,
        school_class.id,
        values,
        what=f"The class {class_name(school_class)}",
        message=SETTINGS_WORDS,
    )


def class_in_use(class_id: int) -> ColumnElement[bool]:
    """Students were placed in it, or its groups have lessons or a timetable."""
    groups = select(m.Group.id).where(m.Group.school_class_id == class_id)
    return or_(
        exists().where(m.ClassStudent.school_class_id == class_id),
        exists().where(m.Lesson.group_id.in_(groups)),
        exists().where(m.TimetableEntry.group_id.in_(groups)),
    )


async def class_remove(ctx: Context, class_id: int) -> records.Removal:
    """A class nobody was placed in and nothing was taught to is deleted with its groups;
    any other is archived, its groups with it, and stays in every report."""
    school_class, _ = await _class(ctx, class_id)
    what = f"The class {class_name(school_class)}"
    in_use = class_in_use(school_class.id)
    groups = list(
        await ctx.db.scalars(select(m.Group).where(m.Group.school_class_id == school_class.id))
    )
    await require_writes(
        ctx,
        Resource.SCHOOL_CLASS,
        m.SchoolClass,
        [school_class.id],
        existing=True,
        message=CLASS_WORDS,
    )
    if not await ctx.db.scalar(select(in_use)):
        members = list(
            await ctx.db.scalars(
                select(m.GroupStudent).where(m.GroupStudent.group_id.in_([g.id for g in groups]))
            )
        )
        await records_delete(ctx, school_class.school_id, [*members, *groups])
    removal = await records.remove(
        ctx,
        Resource.SCHOOL_CLASS,
        m.SchoolClass,
        school_class.id,
        in_use=in_use,
        what=what,
        message=CLASS_WORDS,
    )
    active = [group for group in groups if group.archived_at is None]
    if removal is records.Removal.ARCHIVED and active:
        before = {group.id: snapshot(group) for group in active}
        await ctx.db.write(
            update(m.Group).where(m.Group.id.in_(before)).values(archived_at=utc_now())
        )
        archived = await ctx.db.scalars(
            select(m.Group).where(m.Group.id.in_(before)).execution_options(populate_existing=True)
        )
        await record(
            ctx,
            [
                Changed(
                    group.school_id,
                    m.Group,
                    group.id,
                    before[group.id],
                    snapshot(group),
                    action=m.ChangeAction.ARCHIVED,
                )
                for group in archived
            ],
        )
    return removal


async def records_delete(ctx: Context, school_id: int, rows: list[Any]) -> None:
    """Deletes rows a removal takes with it (a class's groups, a group's members), audited;
    the removal's own check decides whether the caller may."""
    for entity in (m.GroupStudent, m.Group):
        ids = [row.id for row in rows if isinstance(row, entity)]
        if ids:
            await ctx.db.write(delete(entity).where(entity.id.in_(ids)))
    await record(ctx, [Changed(school_id, type(row), row.id, snapshot(row), None) for row in rows])
