"""No teacher, room or group in two places at once (R-TT-1), checked inside the write's
transaction on both engines and said in the school's words ("Иванова И.И. already teaches 7А
at bell 3 on Tuesdays"). On PostgreSQL the exclusion constraints of `timetable_entry` hold the
weekly slots too; SQLite has none, and its write transactions hold the write lock from their
start, so what is checked here stays true until the commit.

A group clashes with itself, and a whole class with each of its subgroups (the class's
students are in both); two subgroups of one class may have lessons at one bell (a split)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import aliased

import model as m
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.setup.school_days import school_days

Key = tuple[str, int]  # ("entry", slot id), ("extra", change id), ("new", item)
WEEKDAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


@dataclass(frozen=True)
class Booking:
    """A lesson a slot (or a day's change) holds: its group, teacher and room at a bell."""

    group_id: int
    class_id: int
    whole_class: bool
    subject_id: int
    teacher_id: int
    room_id: int | None
    bell_number: int
    key: Key | None = None  # what it comes from: a booking is not compared with itself

    def clash(self, other: "Booking") -> str | None:
        """The field of this booking that `other` takes at the same bell; None when none."""
        if self.bell_number != other.bell_number or self.key == other.key:
            return None
        if self.teacher_id == other.teacher_id:
            return "teacherId"
        if self.room_id is not None and self.room_id == other.room_id:
            return "roomId"
        same_class = self.class_id == other.class_id
        if self.group_id == other.group_id or (
            same_class and (self.whole_class or other.whole_class)
        ):
            return "groupId"
        return None


async def _names(
    ctx: Context, persons: Iterable[int], groups: Iterable[int], rooms: Iterable[int]
) -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
    people = await ctx.db.rows(
        select(m.Person.id, m.Person.last_name, m.Person.first_name, m.Person.middle_name).where(
            m.Person.id.in_(list(persons))
        )
    )
    classes = await ctx.db.rows(
        select(m.Group.id, m.Group.kind, m.Group.name, m.SchoolClass.parallel, m.SchoolClass.letter)
        .join(m.SchoolClass, m.SchoolClass.id == m.Group.school_class_id)
        .where(m.Group.id.in_(list(groups)))
    )
    places = await ctx.db.rows(select(m.Room.id, m.Room.name).where(m.Room.id.in_(list(rooms))))
    return (
        {row[0]: person_short(row[1], row[2], row[3]) for row in people},
        {
            row[0]: f"{row[3]}{row[4]}"
            + ("" if row[1] is m.GroupKind.WHOLE_CLASS else f" ({row[2]})")
            for row in classes
        },
        {row[0]: row[1] for row in places},
    )


def person_short(last: str, first: str, middle: str | None) -> str:
    """«Иванова И.И.»: the last name and initials."""
    return f"{last} {first[:1]}." + (f"{middle[:1]}." if middle else "")


async def refuse_clash(
    ctx: Context, mine: Booking, theirs: Booking, field: str, when: str, **details: object
) -> None:
    """Raise the clash between `mine` (being written) and `theirs`, in the school's words."""
    teachers, groups, rooms = await _names(
        ctx,
        {mine.teacher_id, theirs.teacher_id},
        {mine.group_id, theirs.group_id},
        {r for r in (mine.room_id, theirs.room_id) if r is not None},
    )
    at = f"at bell {mine.bell_number} {when}"
    if field == "teacherId":
        message = f"{teachers[mine.teacher_id]} already teaches {groups[theirs.group_id]} {at}."
    elif field == "roomId":
        assert mine.room_id is not None
        room = rooms[mine.room_id]
        message = f"Room {room} is taken by {groups[theirs.group_id]} {at}."
    else:
        message = (
            f"{groups[mine.group_id]} already has a lesson {at} "
            f"({groups[theirs.group_id]}, {teachers[theirs.teacher_id]})."
        )
    raise BadUserInput(message, field=field, **details)


async def check_weekly(
    ctx: Context,
    school_id: int,
    valid_from: date,
    new: Sequence[tuple[int, Booking]],
    *,
    itemised: bool,
) -> None:
    """The new slots (each with its weekday) clash with no slot of the school still holding
    on `valid_from` or later, nor with each other; `itemised`: errors name the input item.
    Two statements, however many slots."""
    if not new:
        return
    entry = m.TimetableEntry
    pairs = {(weekday, booking.bell_number) for weekday, booking in new}
    classes = {booking.class_id for _, booking in new}
    teachers = {booking.teacher_id for _, booking in new}
    rooms = {booking.room_id for _, booking in new if booking.room_id is not None}
    held = await ctx.db.rows(
        select(
            entry.id,
            entry.weekday,
            entry.group_id,
            m.Group.school_class_id,
            m.Group.kind,
            entry.subject_id,
            entry.teacher_id,
            entry.room_id,
            entry.bell_number,
        )
        .join(m.Group, m.Group.id == entry.group_id)
        .where(
            entry.school_id == school_id,
            or_(entry.valid_to.is_(None), entry.valid_to >= valid_from),
            tuple_(entry.weekday, entry.bell_number).in_(sorted(pairs)),
            or_(
                entry.teacher_id.in_(teachers),
                entry.room_id.in_(rooms),
                m.Group.school_class_id.in_(classes),
            ),
        )
    )
    seen: dict[tuple[int, int], list[Booking]] = {}
    for row in held:
        booking = Booking(
            group_id=row[2],
            class_id=row[3],
            whole_class=row[4] is m.GroupKind.WHOLE_CLASS,
            subject_id=row[5],
            teacher_id=row[6],
            room_id=row[7],
            bell_number=row[8],
            key=("entry", row[0]),
        )
        seen.setdefault((row[1], row[8]), []).append(booking)
    for item, (weekday, booking) in enumerate(new):
        slot = (weekday, booking.bell_number)
        for other in seen.get(slot, []):
            if (field := booking.clash(other)) is not None:
                details = {"item": item} if itemised else {}
                when = f"on {WEEKDAYS[weekday - 1]}"
                await refuse_clash(ctx, booking, other, field, when, **details)
        seen.setdefault(slot, []).append(booking)


async def _changed(
    ctx: Context, school_id: int, first: date, last: date | None = None
) -> dict[date, list[tuple[Key, Booking | None]]]:
    """Per day from `first` (to `last`), the lessons the day's changes make: a slot's lesson
    with its substitute, room and bell that day (None: cancelled), and the extra lessons.
    One statement."""
    change, entry = m.TimetableChange, aliased(m.TimetableEntry)
    rows = await ctx.db.rows(
        select(change, m.Group.school_class_id, m.Group.kind, entry.subject_id,
               entry.teacher_id, entry.room_id, entry.bell_number)
        .join(m.Group, m.Group.id == change.group_id)
        .outerjoin(entry, entry.id == change.timetable_entry_id)
        .where(change.school_id == school_id, change.on_date >= first,
               change.on_date <= (last or date.max))
        .order_by(change.id)
    )  # fmt: skip
    days: dict[date, dict[Key, Booking | None]] = {}
    for row, class_id, kind, subject_id, teacher_id, room_id, bell_number in rows:
        lessons = days.setdefault(row.on_date, {})
        key: Key = ("extra", row.id)
        if row.timetable_entry_id is not None:
            key = ("entry", row.timetable_entry_id)
            if key in lessons and lessons[key] is None:
                continue  # cancelled that day, whatever else changes
            base = lessons.get(key) or Booking(row.group_id, class_id,
                                               kind is m.GroupKind.WHOLE_CLASS, subject_id,
                                               teacher_id, room_id, bell_number, key)  # fmt: skip
            if row.kind is m.TimetableChangeKind.CANCELLED:
                lessons[key] = None
                continue
        else:
            whole = kind is m.GroupKind.WHOLE_CLASS
            base = Booking(row.group_id, class_id, whole, row.subject_id, row.teacher_id,
                           row.room_id, row.bell_number, key)  # fmt: skip
        lessons[key] = replace(
            base,
            subject_id=row.subject_id or base.subject_id,
            teacher_id=row.teacher_id or base.teacher_id,
            room_id=row.room_id or base.room_id,
            bell_number=row.bell_number or base.bell_number,
        )
    return {day: list(lessons.items()) for day, lessons in days.items()}


async def check_dated(
    ctx: Context,
    school_id: int,
    year_id: int,
    valid_from: date,
    new: Sequence[tuple[int, Booking]],
    *,
    itemised: bool,
) -> None:
    """The new weekly slots (of the school year `year_id`) clash with no lesson a day's change
    makes on a day that follows their weekday, from `valid_from` on (a substitute, a moved or
    an extra lesson). One statement, and the calendar's two when there are such changes."""
    if not new:
        return
    changed = await _changed(ctx, school_id, valid_from)
    if not changed:
        return
    calendar = await school_days(ctx.db, school_id, valid_from, max(changed))
    for day, lessons in sorted(changed.items()):
        for item, (weekday, booking) in enumerate(new):
            if weekday != calendar.weekday(year_id, day):
                continue
            for _, other in lessons:
                if other is not None and (field := booking.clash(other)) is not None:
                    details = {"item": item} if itemised else {}
                    await refuse_clash(ctx, booking, other, field, f"on {day.isoformat()}",
                                       **details)  # fmt: skip


async def check_day(
    ctx: Context, school_id: int, day: date, weekday: int | None, touched: Key
) -> None:
    """The lesson `touched` (("entry", slot id) or ("extra", change id)) clashes with no other
    lesson of the school on `day`, once the day's changes are applied: the slots of the
    weekday it follows (`weekday`; None: no weekly lessons that day), less the cancelled, with
    their substitutes, rooms and bells, and the extra lessons. Two statements."""
    entry = m.TimetableEntry
    slots = await ctx.db.rows(
        select(
            entry.id,
            entry.group_id,
            m.Group.school_class_id,
            m.Group.kind,
            entry.subject_id,
            entry.teacher_id,
            entry.room_id,
            entry.bell_number,
        )
        .join(m.Group, m.Group.id == entry.group_id)
        .where(
            entry.school_id == school_id,
            entry.weekday == (weekday or 0),
            entry.valid_from <= day,
            or_(entry.valid_to.is_(None), entry.valid_to >= day),
        )
    )
    bookings: dict[Key, Booking] = {
        ("entry", row[0]): Booking(
            group_id=row[1],
            class_id=row[2],
            whole_class=row[3] is m.GroupKind.WHOLE_CLASS,
            subject_id=row[4],
            teacher_id=row[5],
            room_id=row[6],
            bell_number=row[7],
            key=("entry", row[0]),
        )
        for row in slots
    }
    for key, changed in (await _changed(ctx, school_id, day, day)).get(day, []):
        if changed is None:
            bookings.pop(key, None)
        elif key[0] == "extra" or key in bookings:
            bookings[key] = changed
    mine = bookings.get(touched)
    if mine is None:
        return
    for other in bookings.values():
        if (field := mine.clash(other)) is not None:
            await refuse_clash(ctx, mine, other, field, f"on {day.isoformat()}")
