"""What a timetable write checks before it writes: that its groups, subjects, teachers and
rooms are the school's and in use, its weekdays and bells the school's, its dates from today
on; and the lock that makes one school's timetable writes take turns on PostgreSQL (so that
a day's changes, which no constraint can see, are checked against what is committed)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Integer, cast, func, select, true

import model as m
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.setup.timetable_clashes import Booking, Key

TIMETABLE_LOCK = 11  # the first key of a school's advisory lock: its timetable
TEACHING_ROLES = (m.Role.TEACHER.value, m.Role.PSYCHOLOGIST.value)


@dataclass(frozen=True)
class Slot:
    """A weekly slot as written: this group, subject, teacher, room, weekday and bell."""

    group_id: int
    subject_id: int
    teacher_id: int
    room_id: int | None
    weekday: int
    bell_number: int


@dataclass(frozen=True)
class GroupFacts:
    school_id: int
    class_id: int
    whole_class: bool
    school_year_id: int
    bell_schedule_id: int | None


async def take_turns(ctx: Context, school_id: int) -> None:
    """Until the transaction ends, the school's other timetable writes wait (PostgreSQL; on
    SQLite every write transaction holds the write lock already)."""
    if ctx.db.session.get_bind().dialect.name == "postgresql":
        lock = func.pg_advisory_xact_lock(TIMETABLE_LOCK, cast(school_id, Integer))
        await ctx.db.execute(select(lock))


def school_today(ctx: Context, school_id: int) -> date:
    return ctx.require_principal().scope(school_id).today


def from_today(ctx: Context, school_id: int, day: date, field: str) -> date:
    """`day` is today or later, in the school's time zone; answers today."""
    today = school_today(ctx, school_id)
    if day < today:
        raise BadUserInput(
            f"The timetable changes from today ({today.isoformat()}) on, not in the past.",
            field=field,
        )
    return today


async def group_facts(ctx: Context, group_ids: Sequence[int]) -> dict[int, GroupFacts]:
    rows = await ctx.db.rows(
        select(
            m.Group.id,
            m.Group.school_id,
            m.Group.school_class_id,
            m.Group.kind,
            m.SchoolClass.school_year_id,
            m.SchoolClass.bell_schedule_id,
        )
        .join(m.SchoolClass, m.SchoolClass.id == m.Group.school_class_id)
        .where(
            m.Group.id.in_(list(set(group_ids))), ctx.loaders.readable(m.Group), _usable(m.Group)
        )
    )
    return {
        row[0]: GroupFacts(
            school_id=row[1],
            class_id=row[2],
            whole_class=row[3] is m.GroupKind.WHOLE_CLASS,
            school_year_id=row[4],
            bell_schedule_id=row[5],
        )
        for row in rows
    }


def _usable(entity: type[Any]) -> ColumnElement[bool]:
    """Not archived, for the tables that archive what is in use (hidden from new use)."""
    archived = getattr(entity, "archived_at", None)
    return true() if archived is None else archived.is_(None)


def _where(itemised: bool, item: int) -> dict[str, int]:
    return {"item": item} if itemised else {}


async def check_slots(
    ctx: Context,
    school_id: int,
    slots: Sequence[Slot],
    groups: dict[int, GroupFacts],
    *,
    itemised: bool,
    weekly: bool = True,
) -> None:
    """Every slot's subject, teacher and room are the school's and in use, its teacher
    teaches there, its weekday (`weekly`: of a weekly slot) a day of the school's week and
    its bell one of its class's bells. Five statements, however many slots."""
    week = await ctx.db.scalar(select(m.School.week_length).where(m.School.id == school_id))
    subjects = set(
        await ctx.db.scalars(
            select(m.Subject.id).where(
                m.Subject.id.in_({s.subject_id for s in slots}),
                m.Subject.school_id == school_id,
                _usable(m.Subject),
            )
        )
    )
    teachers = set(
        await ctx.db.scalars(
            select(m.SchoolRole.person_id).where(
                m.SchoolRole.person_id.in_({s.teacher_id for s in slots}),
                m.SchoolRole.school_id == school_id,
                m.SchoolRole.role.in_(TEACHING_ROLES),
            )
        )
    )
    rooms = set(
        await ctx.db.scalars(
            select(m.Room.id).where(
                m.Room.id.in_({s.room_id for s in slots if s.room_id is not None}),
                m.Room.school_id == school_id,
                _usable(m.Room),
            )
        )
    )
    schedules = {g.bell_schedule_id for g in groups.values() if g.bell_schedule_id is not None}
    bells = set(
        await ctx.db.rows(
            select(m.Bell.bell_schedule_id, m.Bell.number).where(
                m.Bell.bell_schedule_id.in_(schedules)
            )
        )
    )
    for item, slot in enumerate(slots):
        where = _where(itemised, item)
        if slot.subject_id not in subjects:
            raise BadUserInput("No such subject in this school.", field="subjectId", **where)
        if slot.teacher_id not in teachers:
            raise BadUserInput("The teacher must teach at this school.", field="teacherId", **where)
        if slot.room_id is not None and slot.room_id not in rooms:
            raise BadUserInput("No such room in this school.", field="roomId", **where)
        if weekly and not 1 <= slot.weekday <= (week or 5):
            raise BadUserInput(
                f"The school works {week} days a week: weekdays are 1 (Monday) to {week}.",
                field="weekday",
                **where,
            )
        schedule = groups[slot.group_id].bell_schedule_id
        if schedule is not None and (schedule, slot.bell_number) not in bells:
            raise BadUserInput(
                f"The class's bell schedule has no bell {slot.bell_number}.",
                field="bellNumber",
                **where,
            )
        if schedule is None and not 0 <= slot.bell_number <= 12:
            raise BadUserInput("Bells are numbered 0 to 12.", field="bellNumber", **where)


def booking(slot: Slot, group: GroupFacts, key: Key | None = None) -> Booking:
    return Booking(
        group_id=slot.group_id,
        class_id=group.class_id,
        whole_class=group.whole_class,
        subject_id=slot.subject_id,
        teacher_id=slot.teacher_id,
        room_id=slot.room_id,
        bell_number=slot.bell_number,
        key=key,
    )


def slot_of(entry: m.TimetableEntry) -> Slot:
    return Slot(
        group_id=entry.group_id,
        subject_id=entry.subject_id,
        teacher_id=entry.teacher_id,
        room_id=entry.room_id,
        weekday=entry.weekday,
        bell_number=entry.bell_number,
    )
