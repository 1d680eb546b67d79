"""One day's changes to the timetable (R-TT-1, В.1 #6, А #28): a lesson cancelled, given by a
substitute (замена), in another room, moved to another bell, or an extra lesson — entered by
the deputy or the admin on the day or ahead, and removed again. Each is checked against the
day as changed (nobody in two places at once), audited, and the lessons re-planned in the
same transaction. A moved lesson stays on its day; to another day, cancel it and add an extra
lesson there."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, insert, select

import model as m
from policies.vocabulary import Resource
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.setup.replanning import replan
from resolvers.setup.school_days import school_days
from resolvers.setup.timetable_clashes import WEEKDAYS, check_day
from resolvers.setup.timetable_facts import (
    GroupFacts,
    Slot,
    check_slots,
    from_today,
    group_facts,
    slot_of,
    take_turns,
)
from resolvers.write_checks import require_writes

Kind = m.TimetableChangeKind

# What each kind takes: the fields it needs, and the ones it may have besides.
NEEDS: dict[Kind, frozenset[str]] = {
    Kind.CANCELLED: frozenset(),
    Kind.SUBSTITUTION: frozenset({"teacherId"}),
    Kind.ROOM_CHANGE: frozenset({"roomId"}),
    Kind.MOVED: frozenset({"bellNumber"}),
    Kind.EXTRA: frozenset({"groupId", "subjectId", "teacherId", "bellNumber"}),
}
MAY: dict[Kind, frozenset[str]] = {
    Kind.CANCELLED: frozenset(),
    Kind.SUBSTITUTION: frozenset({"roomId"}),
    Kind.ROOM_CHANGE: frozenset(),
    Kind.MOVED: frozenset({"roomId"}),
    Kind.EXTRA: frozenset({"roomId"}),
}
WORDS = {
    Kind.CANCELLED: "a cancellation",
    Kind.SUBSTITUTION: "a substitute",
    Kind.ROOM_CHANGE: "a room change",
    Kind.MOVED: "a move",
    Kind.EXTRA: "an extra lesson",
}
ONLY_DEPUTIES = "Only the deputy head or the admin change a day's timetable."


@dataclass(frozen=True)
class DayChange:
    kind: Kind
    on_date: date
    entry_id: int | None = None
    group_id: int | None = None
    subject_id: int | None = None
    teacher_id: int | None = None
    room_id: int | None = None
    bell_number: int | None = None
    reason: str | None = None

    def given(self) -> set[str]:
        fields = {
            "groupId": self.group_id,
            "subjectId": self.subject_id,
            "teacherId": self.teacher_id,
            "roomId": self.room_id,
            "bellNumber": self.bell_number,
        }
        return {name for name, value in fields.items() if value is not None}


def _check_fields(change: DayChange) -> None:
    given = change.given()
    missing = sorted(NEEDS[change.kind] - given)
    if missing:
        raise BadUserInput(
            f"{WORDS[change.kind].capitalize()} needs `{missing[0]}`.", field=missing[0]
        )
    extra = sorted(given - NEEDS[change.kind] - MAY[change.kind])
    if extra:
        raise BadUserInput(
            f"{WORDS[change.kind].capitalize()} takes no `{extra[0]}`.", field=extra[0]
        )
    if (change.kind is Kind.EXTRA) != (change.entry_id is None):
        field = "entryId"
        said = "takes no" if change.kind is Kind.EXTRA else "needs"
        raise BadUserInput(f"{WORDS[change.kind].capitalize()} {said} `entryId`.", field=field)


async def change_add(ctx: Context, change: DayChange, *, confirm: bool) -> m.TimetableChange:
    _check_fields(change)
    if change.entry_id is not None:
        entry, group = await _slot(ctx, change.entry_id)
        old = slot_of(entry)
        school_id, year_id, key = entry.school_id, entry.school_year_id, ("entry", entry.id)
        slot = Slot(
            group_id=old.group_id,
            subject_id=old.subject_id,
            teacher_id=change.teacher_id or old.teacher_id,
            room_id=change.room_id or old.room_id,
            weekday=old.weekday,
            bell_number=old.bell_number if change.bell_number is None else change.bell_number,
        )
    else:
        assert change.group_id is not None
        assert change.subject_id is not None
        assert change.teacher_id is not None
        assert change.bell_number is not None
        groups = await group_facts(ctx, [change.group_id])
        if change.group_id not in groups:
            raise NotFound("No such group, or it is not visible to you.", field="groupId")
        group = groups[change.group_id]
        school_id, year_id, key, entry = group.school_id, group.school_year_id, None, None
        slot = Slot(change.group_id, change.subject_id, change.teacher_id, change.room_id,
                    change.on_date.isoweekday(), change.bell_number)  # fmt: skip
    await take_turns(ctx, school_id)
    from_today(ctx, school_id, change.on_date, "onDate")
    weekday = await _on_a_school_day(ctx, school_id, year_id, change.on_date, entry)
    await check_slots(
        ctx, school_id, [slot], {slot.group_id: group}, itemised=False, weekly=entry is not None
    )
    if entry is not None:
        _changes_something(change, entry)
        await _first_of_its_kind(ctx, change)
    row = await _insert(ctx, school_id, change, slot.group_id)
    await check_day(ctx, school_id, change.on_date, weekday, key or ("extra", row.id))
    await record(ctx, [Changed(school_id, m.TimetableChange, row.id, None, snapshot(row))])
    await replan(ctx, school_id, confirm=confirm)
    return row


async def change_remove(ctx: Context, change_id: int, *, confirm: bool) -> None:
    """The change is withdrawn: the day's lesson is as the weekly slot has it again."""
    row = await ctx.db.scalar(
        select(m.TimetableChange).where(
            m.TimetableChange.id == change_id, ctx.loaders.readable(m.TimetableChange)
        )
    )
    if row is None:
        raise NotFound("No such timetable change, or it is not visible to you.")
    await take_turns(ctx, row.school_id)
    from_today(ctx, row.school_id, row.on_date, "changeId")
    await require_writes(
        ctx, Resource.TIMETABLE, m.TimetableChange, [row.id], existing=True, message=ONLY_DEPUTIES
    )
    before = snapshot(row)
    await ctx.db.write(delete(m.TimetableChange).where(m.TimetableChange.id == row.id))
    if row.timetable_entry_id is not None:
        # The slot's lesson is back as the week has it, if the day still gives it.
        entry, _ = await _slot(ctx, row.timetable_entry_id)
        calendar = await school_days(ctx.db, row.school_id, row.on_date, row.on_date)
        if calendar.weekday(entry.school_year_id, row.on_date) == entry.weekday:
            await check_day(ctx, row.school_id, row.on_date, entry.weekday, ("entry", entry.id))
    await record(ctx, [Changed(row.school_id, m.TimetableChange, row.id, before, None)])
    await replan(ctx, row.school_id, confirm=confirm)


async def _slot(ctx: Context, entry_id: int) -> tuple[m.TimetableEntry, GroupFacts]:
    entry = await ctx.db.scalar(
        select(m.TimetableEntry).where(
            m.TimetableEntry.id == entry_id, ctx.loaders.readable(m.TimetableEntry)
        )
    )
    groups = {} if entry is None else await group_facts(ctx, [entry.group_id])
    if entry is None or entry.group_id not in groups:
        raise NotFound("No such timetable slot, or it is not visible to you.", field="entryId")
    return entry, groups[entry.group_id]


async def _on_a_school_day(
    ctx: Context, school_id: int, year_id: int, day: date, entry: m.TimetableEntry | None
) -> int | None:
    """A slot's lesson is changed on a day it is given; an extra lesson is on a day of the
    school year that is not a day off. Answers the weekday whose slots the day follows (a
    moved working day another's; None: no weekly lessons that day)."""
    calendar = await school_days(ctx.db, school_id, day, day)
    if day in calendar.days_off:
        raise BadUserInput(f"{day.isoformat()} is a day off.", field="onDate")
    year = calendar.years.get(year_id)
    if year is None or not year.starts_on <= day <= year.ends_on:
        raise BadUserInput(f"{day.isoformat()} is outside the school year.", field="onDate")
    if entry is None:
        return calendar.weekday(year_id, day)
    holds = entry.valid_from <= day and (entry.valid_to is None or day <= entry.valid_to)
    if not holds or calendar.weekday(year_id, day) != entry.weekday:
        raise BadUserInput(
            f"The slot gives no lesson on {day.isoformat()}: it is on "
            f"{WEEKDAYS[entry.weekday - 1]}, from {entry.valid_from.isoformat()}"
            + ("" if entry.valid_to is None else f" to {entry.valid_to.isoformat()}")
            + ", in term.",
            field="onDate",
        )
    return entry.weekday


def _changes_something(change: DayChange, entry: m.TimetableEntry) -> None:
    if change.kind is Kind.SUBSTITUTION and change.teacher_id == entry.teacher_id:
        raise BadUserInput("The substitute is the slot's own teacher.", field="teacherId")
    if change.kind is Kind.ROOM_CHANGE and change.room_id == entry.room_id:
        raise BadUserInput("The lesson is in that room already.", field="roomId")
    if change.kind is Kind.MOVED and change.bell_number == entry.bell_number:
        raise BadUserInput("The lesson is at that bell already.", field="bellNumber")


async def _first_of_its_kind(ctx: Context, change: DayChange) -> None:
    change_ = m.TimetableChange
    taken = await ctx.db.scalar(
        select(change_.id).where(
            change_.timetable_entry_id == change.entry_id,
            change_.on_date == change.on_date,
            change_.kind == change.kind,
        )
    )
    if taken is not None:
        raise BadUserInput(
            f"The lesson has {WORDS[change.kind]} on {change.on_date.isoformat()} already; "
            "remove that change first.",
            field="kind",
        )


async def _insert(
    ctx: Context, school_id: int, change: DayChange, group_id: int
) -> m.TimetableChange:
    values = {
        "school_id": school_id,
        "on_date": change.on_date,
        "kind": change.kind,
        "timetable_entry_id": change.entry_id,
        "group_id": group_id,
        "subject_id": change.subject_id,
        "teacher_id": change.teacher_id,
        "room_id": change.room_id,
        "bell_number": change.bell_number,
        "reason": change.reason,
    }
    statement = insert(m.TimetableChange).values(**values).returning(m.TimetableChange.id)
    row_id = (await ctx.db.execute(statement)).scalar_one()
    await require_writes(
        ctx, Resource.TIMETABLE, m.TimetableChange, [row_id], existing=False, message=ONLY_DEPUTIES
    )
    return await ctx.db.reload(m.TimetableChange, row_id)
