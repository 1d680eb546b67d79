"""Writing the weekly timetable (R-TT-1, В.1 #5, А #21, Г.1 #7): a whole week of classes or
groups replaced from a date, and one slot added, corrected or ended from a date.

History is kept: a slot that held before the date ends the day before it (`valid_to`) and a
new one starts on it; only a slot that was to start on the date or later, and so never held,
is withdrawn (deleted, its lessons left for the planner to re-plan). Each write is all or
nothing, in a constant number of statements for any number of slots, checked against the
policies on the slots it ends and on those it makes (a class teacher: their own class's), and
against double booking inside the transaction (`timetable_clashes`); then the lessons of the
coming two weeks are re-planned in the same transaction (`replanning`), and every slot and
change it ended, withdrew or made is in the audit trail."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, or_, select

import model as m
from policies.vocabulary import Resource
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.setup.replanning import replan
from resolvers.setup.timetable_clashes import check_dated, check_weekly
from resolvers.setup.timetable_facts import (
    GroupFacts,
    Slot,
    booking,
    check_slots,
    from_today,
    group_facts,
    slot_of,
    take_turns,
)
from resolvers.setup.timetable_slots import MAY_NOT, insert_slots, retire
from resolvers.write_checks import require_writes

MAX_SLOTS = 2500  # a school's week: 60 classes × 35 lessons, and their subgroups' splits
MAX_CLASSES = 100
MAX_GROUPS = 1000


@dataclass(frozen=True)
class SlotChanges:
    """What to change in a slot; None keeps it (`no_room` takes the room away)."""

    subject_id: int | None = None
    teacher_id: int | None = None
    room_id: int | None = None
    no_room: bool = False
    weekday: int | None = None
    bell_number: int | None = None


@dataclass(frozen=True)
class Replaced:
    entries: list[m.TimetableEntry]  # the new slots, in the order given
    ended: int  # slots that held before the date and end the day before
    withdrawn: int  # slots that were to start on the date or later


async def timetable_set(
    ctx: Context,
    class_ids: Sequence[int],
    group_ids: Sequence[int],
    valid_from: date,
    slots: Sequence[Slot],
    *,
    confirm: bool,
) -> Replaced:
    """The timetable of the classes' groups and of the groups given is `slots` from
    `valid_from` on, whatever it was."""
    if not class_ids and not group_ids:
        raise BadUserInput("Name the classes or groups whose timetable this is.", field="classIds")
    targets = await _targets(ctx, class_ids, group_ids)
    school_id, year_id = _one_year(targets.values())
    await _open(ctx, school_id, year_id, valid_from)
    for item, slot in enumerate(slots):
        if slot.group_id not in targets:
            raise BadUserInput(
                "The group is not among the classes and groups whose timetable is replaced.",
                field="groupId",
                item=item,
            )
    await check_slots(ctx, school_id, slots, targets, itemised=True)
    current = await _current(ctx, m.TimetableEntry.group_id.in_(list(targets)), valid_from)
    await require_writes(
        ctx, Resource.TIMETABLE, m.TimetableEntry, [e.id for e in current], existing=True,
        message=MAY_NOT,
    )  # fmt: skip
    ended, withdrawn = await retire(ctx, current, valid_from)
    new = [(slot.weekday, booking(slot, targets[slot.group_id], ("new", i)))
           for i, slot in enumerate(slots)]  # fmt: skip
    await check_weekly(ctx, school_id, valid_from, new, itemised=True)
    await check_dated(ctx, school_id, year_id, valid_from, new, itemised=True)
    entries = await insert_slots(ctx, school_id, year_id, slots, valid_from)
    await replan(ctx, school_id, confirm=confirm)
    return Replaced(entries=entries, ended=ended, withdrawn=withdrawn)


async def entry_add(
    ctx: Context, slot: Slot, valid_from: date, *, confirm: bool
) -> m.TimetableEntry:
    groups = await group_facts(ctx, [slot.group_id])
    if slot.group_id not in groups:
        raise NotFound("No such group, or it is not visible to you.")
    group = groups[slot.group_id]
    await _open(ctx, group.school_id, group.school_year_id, valid_from)
    await check_slots(ctx, group.school_id, [slot], groups, itemised=False)
    booked = [(slot.weekday, booking(slot, group))]
    await check_weekly(ctx, group.school_id, valid_from, booked, itemised=False)
    await check_dated(
        ctx, group.school_id, group.school_year_id, valid_from, booked, itemised=False
    )
    [entry] = await insert_slots(ctx, group.school_id, group.school_year_id, [slot], valid_from)
    await replan(ctx, group.school_id, confirm=confirm)
    return entry


async def entry_change(
    ctx: Context, entry_id: int, valid_from: date, changes: SlotChanges, *, confirm: bool
) -> m.TimetableEntry:
    """The slot as changed from `valid_from` on: the old one ends the day before."""
    entry, group = await _entry(ctx, entry_id, valid_from)
    old, until = slot_of(entry), entry.valid_to
    slot = Slot(
        group_id=old.group_id,
        subject_id=changes.subject_id or old.subject_id,
        teacher_id=changes.teacher_id or old.teacher_id,
        room_id=None if changes.no_room else (changes.room_id or old.room_id),
        weekday=changes.weekday or old.weekday,
        bell_number=old.bell_number if changes.bell_number is None else changes.bell_number,
    )
    if slot == old:
        raise BadUserInput("Nothing to change.", argument="input")
    await check_slots(ctx, group.school_id, [slot], {slot.group_id: group}, itemised=False)
    await retire(ctx, [entry], valid_from)
    booked = [(slot.weekday, booking(slot, group))]
    await check_weekly(ctx, group.school_id, valid_from, booked, itemised=False)
    await check_dated(
        ctx, group.school_id, entry.school_year_id, valid_from, booked, itemised=False
    )
    [new] = await insert_slots(
        ctx, group.school_id, entry.school_year_id, [slot], valid_from, until
    )
    await replan(ctx, group.school_id, confirm=confirm)
    return new


async def entry_end(
    ctx: Context, entry_id: int, valid_from: date, *, confirm: bool
) -> m.TimetableEntry | None:
    """No such lesson from `valid_from` on: the slot as it ends, or None when it never held."""
    entry, group = await _entry(ctx, entry_id, valid_from)
    ended, _ = await retire(ctx, [entry], valid_from)
    await replan(ctx, group.school_id, confirm=confirm)
    return await ctx.db.reload(m.TimetableEntry, entry.id) if ended else None


async def _entry(
    ctx: Context, entry_id: int, valid_from: date
) -> tuple[m.TimetableEntry, GroupFacts]:
    """The slot to change from `valid_from` (NOT_FOUND unless readable), which must hold then;
    the caller may write it."""
    entry = await ctx.db.scalar(
        select(m.TimetableEntry).where(
            m.TimetableEntry.id == entry_id, ctx.loaders.readable(m.TimetableEntry)
        )
    )
    if entry is None:
        raise NotFound("No such timetable slot, or it is not visible to you.")
    groups = await group_facts(ctx, [entry.group_id])
    if entry.group_id not in groups:
        raise NotFound("No such timetable slot, or it is not visible to you.")
    await _open(ctx, entry.school_id, entry.school_year_id, valid_from)
    await require_writes(
        ctx, Resource.TIMETABLE, m.TimetableEntry, [entry.id], existing=True, message=MAY_NOT
    )
    if valid_from < entry.valid_from or (
        entry.valid_to is not None and valid_from > entry.valid_to
    ):
        held = f"{entry.valid_from.isoformat()} to {_end(entry.valid_to)}"
        raise BadUserInput(f"The slot holds from {held}: change it within.", field="validFrom")
    return entry, groups[entry.group_id]


def _end(day: date | None) -> str:
    return "further notice" if day is None else day.isoformat()


async def _targets(
    ctx: Context, class_ids: Sequence[int], group_ids: Sequence[int]
) -> dict[int, GroupFacts]:
    classes = set(
        await ctx.db.scalars(
            select(m.SchoolClass.id).where(
                m.SchoolClass.id.in_(list(class_ids)), ctx.loaders.readable(m.SchoolClass)
            )
        )
    )
    for item, class_id in enumerate(class_ids):
        if class_id not in classes:
            raise NotFound(
                "No such class, or it is not visible to you.", field="classIds", item=item
            )
    of_classes = list(
        await ctx.db.scalars(select(m.Group.id).where(m.Group.school_class_id.in_(classes)))
    )
    targets = await group_facts(ctx, [*of_classes, *group_ids])
    for item, group_id in enumerate(group_ids):
        if group_id not in targets:
            raise NotFound(
                "No such group, or it is not visible to you.", field="groupIds", item=item
            )
    return targets


def _one_year(groups: Iterable[GroupFacts]) -> tuple[int, int]:
    years = {(g.school_id, g.school_year_id) for g in groups}
    if len(years) != 1:
        raise BadUserInput(
            "One school year's classes at a time: the classes and groups given are of several.",
            field="classIds",
        )
    [(school_id, year_id)] = years
    return school_id, year_id


async def _open(ctx: Context, school_id: int, year_id: int, valid_from: date) -> None:
    """The school's timetable writes take turns; `valid_from` is today or later, in the year."""
    await take_turns(ctx, school_id)
    from_today(ctx, school_id, valid_from, "validFrom")
    year = await ctx.db.scalar(select(m.SchoolYear).where(m.SchoolYear.id == year_id))
    assert year is not None
    if not year.starts_on <= valid_from <= year.ends_on:
        raise BadUserInput(
            f"The school year {year.name} runs from {year.starts_on.isoformat()} to "
            f"{year.ends_on.isoformat()}: the timetable changes within it.",
            field="validFrom",
        )


async def _current(
    ctx: Context, which: ColumnElement[bool], valid_from: date
) -> list[m.TimetableEntry]:
    """The slots (of `which`) holding on `valid_from` or later."""
    entry = m.TimetableEntry
    return list(
        await ctx.db.scalars(
            select(entry)
            .where(which, or_(entry.valid_to.is_(None), entry.valid_to >= valid_from))
            .order_by(entry.id)
        )
    )
