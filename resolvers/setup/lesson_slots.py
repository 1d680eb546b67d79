"""The lessons the timetable asks for: each weekly slot's lesson on every school day it holds
(`school_days`), made by that day's timetable changes — cancelled, given by a substitute, in
another room, moved to another bell, or an extra lesson (R-TT-1, А #28, §4.11)."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import or_, select

import model as m
from resolvers.database import AnyRow, Database
from resolvers.setup.school_days import SchoolDays, days, school_days

Key = tuple[int, date, int]  # a lesson's slot: group, date, bell
Identity = tuple[Any, ...]


@dataclass(frozen=True)
class Slot:
    """What a lesson should be, by the timetable and its changes that day."""

    group_id: int
    held_on: date
    bell_number: int
    subject_id: int
    teacher_id: int
    substitute_id: int | None
    timetable_entry_id: int | None
    status: m.LessonStatus = m.LessonStatus.PLANNED

    @property
    def key(self) -> Key:
        return (self.group_id, self.held_on, self.bell_number)


def identity(entry_id: int | None, key: Key) -> Identity:
    """The same lesson across re-plans: a weekly slot's lesson of a day wherever it moves; an
    extra lesson by its slot."""
    return ("entry", entry_id, key[1]) if entry_id is not None else ("extra", *key)


# How each kind of timetable change makes the day's lesson: from the weekly slot's (None when
# the slot has no lesson that day), or from nothing for an extra lesson. A new kind is a line.
Apply = Callable[[Slot | None, AnyRow], Slot | None]


def _on_slot(change: Callable[[Slot, AnyRow], Slot]) -> Apply:
    return lambda slot, row: None if slot is None else change(slot, row)


def _substitute(slot: Slot, row: AnyRow) -> Slot:
    teacher = row.teacher_id
    return replace(slot, substitute_id=None if teacher == slot.teacher_id else teacher)


def _move(slot: Slot, row: AnyRow) -> Slot:
    return slot if row.bell_number is None else replace(slot, bell_number=row.bell_number)


def _extra(slot: Slot | None, row: AnyRow) -> Slot | None:
    if row.subject_id is None or row.teacher_id is None or row.bell_number is None:
        return slot
    return Slot(row.group_id, row.on_date, row.bell_number, row.subject_id, row.teacher_id,
                None, None)  # fmt: skip


APPLY: Mapping[m.TimetableChangeKind, Apply] = {
    m.TimetableChangeKind.CANCELLED: _on_slot(
        lambda slot, _: replace(slot, status=m.LessonStatus.CANCELLED)
    ),
    m.TimetableChangeKind.SUBSTITUTION: _on_slot(_substitute),
    # A lesson has no room of its own: the day's change says where it is.
    m.TimetableChangeKind.ROOM_CHANGE: _on_slot(lambda slot, _: slot),
    m.TimetableChangeKind.MOVED: _on_slot(_move),
    m.TimetableChangeKind.EXTRA: _extra,
}


async def timetable_slots(
    db: Database, school_id: int, first: date, last: date
) -> dict[Identity, Slot]:
    """The school's lessons from `first` to `last` as the timetable has them: four statements."""
    calendar = await school_days(db, school_id, first, last)
    entries = await _entries(db, school_id, first, last)
    changes = await _changes(db, school_id, first, last)
    return _wanted(calendar, entries, changes, first, last)


async def _entries(db: Database, school_id: int, first: date, last: date) -> Sequence[AnyRow]:
    """The weekly slots holding some day of the range, but for archived groups and subjects:
    hidden from new use, they get no new lessons (and lose those planned without records)."""
    entry = m.TimetableEntry
    in_use = (
        select(m.Group.id)
        .join(m.Subject, m.Subject.id == entry.subject_id)
        .where(
            m.Group.id == entry.group_id,
            m.Group.archived_at.is_(None),
            m.Subject.archived_at.is_(None),
        )
        .exists()
    )
    return await db.rows(
        select(
            entry.id,
            entry.school_year_id,
            entry.group_id,
            entry.subject_id,
            entry.teacher_id,
            entry.weekday,
            entry.bell_number,
            entry.valid_from,
            entry.valid_to,
        )
        .where(
            entry.school_id == school_id,
            entry.valid_from <= last,
            or_(entry.valid_to.is_(None), entry.valid_to >= first),
            in_use,
        )
        .order_by(entry.id)
    )


async def _changes(db: Database, school_id: int, first: date, last: date) -> Sequence[AnyRow]:
    change = m.TimetableChange
    return await db.rows(
        select(
            change.id,
            change.on_date,
            change.kind,
            change.timetable_entry_id,
            change.group_id,
            change.subject_id,
            change.teacher_id,
            change.bell_number,
        )
        .where(change.school_id == school_id, change.on_date.between(first, last))
        .order_by(change.id)
    )


def _wanted(
    calendar: SchoolDays,
    entries: Sequence[AnyRow],
    changes: Sequence[AnyRow],
    first: date,
    last: date,
) -> dict[Identity, Slot]:
    slots: dict[Identity, Slot] = {}
    by_year: dict[int, dict[int, list[AnyRow]]] = {}
    for row in entries:
        by_year.setdefault(row.school_year_id, {}).setdefault(row.weekday, []).append(row)
    for day in days(first, last):
        for year_id, by_weekday in by_year.items():
            weekday = calendar.weekday(year_id, day)
            if weekday is None:
                continue
            for row in by_weekday.get(weekday, ()):
                if row.valid_from <= day and (row.valid_to is None or day <= row.valid_to):
                    slot = Slot(row.group_id, day, row.bell_number, row.subject_id,
                                row.teacher_id, None, row.id)  # fmt: skip
                    slots[identity(row.id, slot.key)] = slot
    for change in changes:
        if change.timetable_entry_id is not None:
            at: Identity = ("entry", change.timetable_entry_id, change.on_date)
            made = APPLY[change.kind](slots.get(at), change)
        else:
            made = APPLY[change.kind](None, change)
            at = identity(None, made.key) if made is not None else ()
        if made is not None:
            slots[at] = made
    # One lesson per slot: a lesson moved or added onto a cancelled one takes its place.
    by_key: dict[Key, Identity] = {}
    for at, slot in sorted(slots.items(), key=lambda item: str(item[0])):
        taken = by_key.get(slot.key)
        if taken is None or slots[taken].status is m.LessonStatus.CANCELLED:
            by_key[slot.key] = at
    return {at: slots[at] for at in by_key.values()}
