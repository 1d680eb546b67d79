"""Ending and making weekly slots, as every timetable write does: a slot that held before a
date ends the day before it (history kept), one that was to start later is withdrawn; new
slots are inserted in one statement, judged by the policies as written. Each audited."""

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

import model as m
from policies.vocabulary import Resource
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import Conflict
from resolvers.setup.timetable_facts import Slot
from resolvers.write_checks import require_writes

EXCLUSION_VIOLATION = "23P01"  # PostgreSQL's SQLSTATE
MAY_NOT = "Your roles do not allow writing this timetable: its classes are not yours."


async def retire(
    ctx: Context, entries: Sequence[m.TimetableEntry], valid_from: date
) -> tuple[int, int]:
    """The slots hold no more from `valid_from`: those that held before end the day before,
    the others are withdrawn; their changes from then on go with them. Audited; answers how
    many ended and how many were withdrawn. At most five statements."""
    if not entries:
        return 0, 0
    entry, change = m.TimetableEntry, m.TimetableChange
    ending = [e for e in entries if e.valid_from < valid_from]
    withdrawn = [e for e in entries if e.valid_from >= valid_from]
    ids = [e.id for e in entries]
    gone_changes = list(
        await ctx.db.scalars(
            select(change).where(
                change.timetable_entry_id.in_(ids),
                or_(
                    change.on_date >= valid_from,
                    change.timetable_entry_id.in_([e.id for e in withdrawn]),
                ),
            )
        )
    )
    # The states before, read before the statements below change what the session holds.
    audit = [Changed(c.school_id, change, c.id, snapshot(c), None) for c in gone_changes]
    last = valid_from - timedelta(days=1)
    for e in ending:
        before = snapshot(e)
        audit.append(
            Changed(e.school_id, entry, e.id, before, {**before, "valid_to": last.isoformat()})
        )
    audit.extend(Changed(e.school_id, entry, e.id, snapshot(e), None) for e in withdrawn)
    if gone_changes:
        await ctx.db.write(delete(change).where(change.id.in_([c.id for c in gone_changes])))
    if ending:
        await ctx.db.write(
            update(entry).where(entry.id.in_([e.id for e in ending])).values(valid_to=last)
        )
    if withdrawn:
        gone = [e.id for e in withdrawn]
        # Their lessons stay, each at its group, day and bell, for the planner to match with
        # the slot that replaces it there (or to remove).
        await ctx.db.write(
            update(m.Lesson)
            .where(m.Lesson.timetable_entry_id.in_(gone))
            .values(timetable_entry_id=None)
        )
        await ctx.db.write(delete(entry).where(entry.id.in_(gone)))
    await record(ctx, audit)
    return len(ending), len(withdrawn)


async def insert_slots(
    ctx: Context,
    school_id: int,
    year_id: int,
    slots: Sequence[Slot],
    valid_from: date,
    valid_to: date | None = None,
) -> list[m.TimetableEntry]:
    """The slots inserted in one statement, allowed (the policies judge them as written),
    audited, in the order given."""
    if not slots:
        return []
    rows = [
        {"school_id": school_id, "school_year_id": year_id, "group_id": s.group_id,
         "subject_id": s.subject_id, "teacher_id": s.teacher_id, "room_id": s.room_id,
         "weekday": s.weekday, "bell_number": s.bell_number, "valid_from": valid_from,
         "valid_to": valid_to}
        for s in slots
    ]  # fmt: skip
    entry = m.TimetableEntry
    # Not `sort_by_parameter_order`: on SQLite that inserts row by row. A group has one slot
    # per weekday and bell (checked before), which finds each row's place in the order given.
    statement = insert(entry).returning(entry.id)
    try:
        ids = list((await ctx.db.execute(statement, rows)).scalars())
    except IntegrityError as error:
        if getattr(error.orig, "sqlstate", None) != EXCLUSION_VIOLATION:
            raise
        raise Conflict(
            "The timetable was changed meanwhile: a teacher, room or group of these slots was "
            "booked at the same bell; reload and try again."
        ) from None
    await require_writes(ctx, Resource.TIMETABLE, entry, ids, existing=False, message=MAY_NOT)
    made = {
        (e.group_id, e.weekday, e.bell_number): e
        for e in await ctx.db.scalars(
            select(entry).where(entry.id.in_(ids)).execution_options(populate_existing=True)
        )
    }
    entries = [made[(s.group_id, s.weekday, s.bell_number)] for s in slots]
    await record(ctx, [Changed(school_id, entry, e.id, None, snapshot(e)) for e in entries])
    return entries
