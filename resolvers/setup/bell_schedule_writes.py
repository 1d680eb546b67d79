"""The admin enters the bell schedules (А #15): each with its bells, numbered, in order and not
overlapping, set as a whole; a schedule classes followed is archived, never deleted."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from itertools import pairwise

from sqlalchemy import case, delete, exists, select, update

import model as m
from policies.vocabulary import Resource
from resolvers import records
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.setup.reference_checks import existing, filled, names_free, school
from resolvers.write_checks import require_writes

MAX_NUMBER = 12


@dataclass(frozen=True)
class BellEntry:
    number: int
    starts_at: time
    ends_at: time


def _times(bell: BellEntry) -> str:
    return f"{bell.starts_at:%H:%M}–{bell.ends_at:%H:%M}"


def checked_bells(bells: Sequence[BellEntry]) -> list[BellEntry]:
    """Numbered 0 to 12, each once; each bell ends after it starts, and starts when the bell
    numbered before it has ended."""
    if not bells:
        raise BadUserInput("A bell schedule has at least one bell.", field="bells")
    for item, bell in enumerate(bells):
        if not 0 <= bell.number <= MAX_NUMBER:
            raise BadUserInput(f"Bells are numbered 0 to {MAX_NUMBER}.", field="number", item=item)
        if not bell.starts_at < bell.ends_at:
            raise BadUserInput(
                f"Bell {bell.number} ends after it starts.", field="endsAt", item=item
            )
    by_number: dict[int, int] = {}
    for item, bell in enumerate(bells):
        if bell.number in by_number:
            raise BadUserInput(f"Bell {bell.number} is listed twice.", field="number", item=item)
        by_number[bell.number] = item
    ordered = sorted(bells, key=lambda bell: bell.number)
    for before, bell in pairwise(ordered):
        if bell.starts_at < before.ends_at:
            raise BadUserInput(
                f"Bell {bell.number} ({_times(bell)}) overlaps bell {before.number} "
                f"({_times(before)}): a bell starts after the one before it has ended.",
                field="startsAt",
                item=by_number[bell.number],
            )
    return ordered


async def bell_schedule_create(
    ctx: Context, school_id: int, name: str, bells: Sequence[BellEntry]
) -> m.BellSchedule:
    found = await school(ctx, school_id)
    name = filled(name, "name", "A bell schedule's name")
    ordered = checked_bells(bells)
    among = m.BellSchedule.school_id == found.id
    await names_free(ctx, m.BellSchedule, among, [name], "A bell schedule")
    (schedule,) = await records.create(
        ctx, Resource.CALENDAR, m.BellSchedule, [{"school_id": found.id, "name": name}]
    )
    await records.create(ctx, Resource.CALENDAR, m.Bell, _rows(schedule, ordered))
    return schedule


def _rows(schedule: m.BellSchedule, bells: Sequence[BellEntry]) -> list[dict[str, object]]:
    return [
        {
            "school_id": schedule.school_id,
            "bell_schedule_id": schedule.id,
            "number": bell.number,
            "starts_at": bell.starts_at,
            "ends_at": bell.ends_at,
        }
        for bell in bells
    ]


async def _timetabled(ctx: Context, schedule: m.BellSchedule, numbers: Sequence[int]) -> int | None:
    """A bell of `numbers` the timetable of a class following the schedule still uses."""
    return await ctx.db.scalar(
        select(m.TimetableEntry.bell_number)
        .join(m.Group, m.Group.id == m.TimetableEntry.group_id)
        .join(m.SchoolClass, m.SchoolClass.id == m.Group.school_class_id)
        .where(
            m.SchoolClass.bell_schedule_id == schedule.id,
            m.TimetableEntry.bell_number.in_(list(numbers)),
            m.TimetableEntry.valid_to.is_(None),
        )
        .order_by(m.TimetableEntry.bell_number)
        .limit(1)
    )


async def _set_bells(ctx: Context, schedule: m.BellSchedule, bells: list[BellEntry]) -> None:
    current = {
        bell.number: bell
        for bell in await ctx.db.scalars(
            select(m.Bell).where(m.Bell.bell_schedule_id == schedule.id)
        )
    }
    wanted = {bell.number: bell for bell in bells}
    gone = [bell for number, bell in current.items() if number not in wanted]
    if (
        gone
        and (used := await _timetabled(ctx, schedule, [bell.number for bell in gone])) is not None
    ):
        raise BadUserInput(
            f"The timetable of a class following «{schedule.name}» has lessons at bell {used}: "
            "it stays until the timetable changes.",
            field="bells",
        )
    changed = [
        bell
        for number, bell in current.items()
        if number in wanted
        and (bell.starts_at, bell.ends_at) != (wanted[number].starts_at, wanted[number].ends_at)
    ]
    changes = [Changed(schedule.school_id, m.Bell, bell.id, snapshot(bell), None) for bell in gone]
    if gone:
        await ctx.db.write(delete(m.Bell).where(m.Bell.id.in_([bell.id for bell in gone])))
    if changed:
        befores = {bell.id: snapshot(bell) for bell in changed}
        ids = list(befores)
        await ctx.db.write(
            update(m.Bell)
            .where(m.Bell.id.in_(ids))
            .values(
                starts_at=case(
                    {b.id: wanted[b.number].starts_at for b in changed}, value=m.Bell.id
                ),
                ends_at=case({b.id: wanted[b.number].ends_at for b in changed}, value=m.Bell.id),
            )
        )
        for bell in await ctx.db.scalars(
            select(m.Bell).where(m.Bell.id.in_(ids)).execution_options(populate_existing=True)
        ):
            changes.append(
                Changed(schedule.school_id, m.Bell, bell.id, befores[bell.id], snapshot(bell))
            )
    if changes:
        await record(ctx, changes)
    new = [bell for number, bell in wanted.items() if number not in current]
    if new:
        await records.create(ctx, Resource.CALENDAR, m.Bell, _rows(schedule, new))


async def bell_schedule_update(
    ctx: Context, schedule_id: int, name: str | None, bells: Sequence[BellEntry] | None
) -> m.BellSchedule:
    schedule: m.BellSchedule = await existing(ctx, m.BellSchedule, schedule_id, "bell schedule")
    if name is None and bells is None:
        raise BadUserInput("Nothing to change.", argument="input")
    ordered = None if bells is None else checked_bells(bells)
    if name is not None:
        name = filled(name, "name", "A bell schedule's name")
        among = m.BellSchedule.school_id == schedule.school_id
        await names_free(
            ctx, m.BellSchedule, among, [name], "A bell schedule", except_id=schedule.id
        )
        schedule = await records.change(
            ctx, Resource.CALENDAR, m.BellSchedule, schedule.id, {"name": name}
        )
    else:
        await require_writes(ctx, Resource.CALENDAR, m.BellSchedule, [schedule.id], existing=True)
    if ordered is not None:
        await _set_bells(ctx, schedule, ordered)
    return schedule


async def bell_schedule_remove(ctx: Context, schedule_id: int) -> records.Removal:
    """A schedule no class follows goes with its bells (audited); one a class followed, this
    year or before, is archived with them."""
    schedule: m.BellSchedule = await existing(ctx, m.BellSchedule, schedule_id, "bell schedule")
    in_use = exists().where(m.SchoolClass.bell_schedule_id == schedule.id)
    if not await ctx.db.scalar(select(in_use)):
        await require_writes(ctx, Resource.CALENDAR, m.BellSchedule, [schedule.id], existing=True)
        bells = await ctx.db.scalars(select(m.Bell).where(m.Bell.bell_schedule_id == schedule.id))
        if bells:
            await record(
                ctx, [Changed(schedule.school_id, m.Bell, b.id, snapshot(b), None) for b in bells]
            )
            await ctx.db.write(delete(m.Bell).where(m.Bell.bell_schedule_id == schedule.id))
    return await records.remove(ctx, Resource.CALENDAR, m.BellSchedule, schedule.id, in_use=in_use)
