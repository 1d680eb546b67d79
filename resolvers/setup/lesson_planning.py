"""Lessons made from the timetable (R-TT-1, Г.1 #9): every lesson of a school's days exists
before it is given, so that teachers and the class teacher plan topics and homework ahead.

The mechanism is a planner, `plan_lessons(db, school, first, last)`, idempotent: it computes
the lessons the timetable asks for on each school day of the range (`school_days`), applies
the day's timetable changes, compares them with the lessons there are, and creates what is
missing, re-plans what changed and deletes what the timetable no longer has. It runs inside
every timetable write (in the write's transaction, so a refused write leaves no lesson), in
the server's own scheduler at start and every day (`server/lesson_scheduler.py`), and as
`tabel lessons plan`. Lessons made on first use were the alternative, and were not taken:
every screen that lists lessons (the diary, the class journal, the control of missing
entries, the activity rating, reports) would have to make them first, inside reads, with the
write lock that takes on SQLite; and a timetable edit could not say which lessons with
entries it breaks, since lessons not yet read would not exist.

What a lesson holds is never silently lost: a lesson that is held, holds journal records
(topic, material, attendance, grades, homework, work types, a grade's history) or was changed
by a person (a substitute recorded, cancelled by hand) is only relinked to its new timetable
slot when nothing else differs; any other change to it is listed in `Planning.would_break`
and left alone unless `confirm`. Confirmed, it is moved or changed with its records, and one
the timetable no longer has is cancelled, never deleted with its records.

Constant SQL per school and range, whatever its number of days: the calendar (2 statements),
the timetable, its changes, the lessons there are (3), then at most a DELETE, two UPDATEs, an
INSERT (batched by the driver past a thousand rows) and the audit trail's INSERT. Two planners
at once are harmless: the insert skips a lesson slot (group, date, bell) already taken (ON
CONFLICT DO NOTHING), and updates and deletes touch only the version of a lesson they read.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    cast,
    delete,
    exists,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

import model as m
from model.base import utc_now
from resolvers.audit import Changed, record_as
from resolvers.database import AnyRow, Database
from resolvers.setup.school_days import SchoolDays, days, school_days

# How far ahead lessons exist, at least: teachers plan the coming two weeks (Г.1 #9).
PLAN_AHEAD = timedelta(days=14)

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

# What a lesson holds, by the tables that refer to it (any other table that does counts as
# «other journal records»: a lesson something refers to is never deleted).
_HOLDINGS = {
    "grade": "grades",
    "attendance": "attendance",
    "homework": "homework",
    "lesson_work_type": "work types",
    "change": "a grade history",
    "grade_report": "a report of a wrong grade",
}


def _referring() -> list[tuple[str, ColumnElement[bool]]]:
    lesson = m.Lesson.__table__
    found: list[tuple[str, ColumnElement[bool]]] = []
    for table in m.Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is lesson and table is not lesson:
                words = _HOLDINGS.get(table.name, "other journal records")
                found.append((words, exists().where(fk.parent == m.Lesson.id)))
    return found


_REFERRING = _referring()
_REPLANNED = ("bell_number", "subject_id", "teacher_id", "substitute_id", "status")


@dataclass(frozen=True)
class Broken:
    """A lesson holding journal records that the timetable would move, change or remove."""

    lesson_id: int
    group_id: int
    subject_id: int
    held_on: date
    bell_number: int
    holds: tuple[str, ...]
    would: str
    description: str = ""


@dataclass(frozen=True)
class Planning:
    created: int = 0
    changed: int = 0
    deleted: int = 0
    would_break: tuple[Broken, ...] = ()


@dataclass(frozen=True)
class _Lesson:
    row: AnyRow
    holds: tuple[str, ...]

    @property
    def protected(self) -> bool:
        return bool(self.holds)

    @property
    def has_records(self) -> bool:
        return self.row.status is m.LessonStatus.HELD or any(
            hold not in ("held", "changes by hand") for hold in self.holds
        )


async def plan_lessons(
    db: Database,
    school_id: int,
    first: date,
    last: date,
    *,
    confirm: bool = False,
    actor_id: int | None = None,
) -> Planning:
    """Makes the school's lessons from `first` to `last` follow the timetable and its changes.
    `actor_id`: the account whose timetable write this is (None: the scheduler)."""
    calendar = await school_days(db, school_id, first, last)
    wanted = _wanted(calendar, await _entries(db, school_id, first, last),
                     await _changes(db, school_id, first, last), first, last)  # fmt: skip
    there = await _lessons(db, school_id, first, last)
    plan = _Plan(confirm)
    plan.compare(wanted, there)
    return await plan.apply(db, school_id, actor_id)


async def _entries(db: Database, school_id: int, first: date, last: date) -> Sequence[AnyRow]:
    entry = m.TimetableEntry
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
    for day in days(first, last):
        for row in entries:
            if row.valid_from > day or (row.valid_to is not None and row.valid_to < day):
                continue
            if calendar.weekday(row.school_year_id, day) != row.weekday:
                continue
            slot = Slot(row.group_id, day, row.bell_number, row.subject_id, row.teacher_id,
                        None, row.id)  # fmt: skip
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


async def _lessons(db: Database, school_id: int, first: date, last: date) -> list[_Lesson]:
    lesson = m.Lesson
    flags = [
        lesson.status == m.LessonStatus.HELD,
        or_(lesson.topic.is_not(None), lesson.plan_item_id.is_not(None)),
        lesson.material.is_not(None),
        lesson.attendance_taken_at.is_not(None),
        *(condition for _, condition in _REFERRING),
        lesson.updated_by_id.is_not(None),
    ]
    words = ["held", "a topic", "material", "attendance",
             *(name for name, _ in _REFERRING), "changes by hand"]  # fmt: skip
    rows = await db.rows(
        select(
            lesson.id,
            lesson.group_id,
            lesson.held_on,
            lesson.bell_number,
            lesson.subject_id,
            lesson.teacher_id,
            lesson.substitute_id,
            lesson.timetable_entry_id,
            lesson.status,
            lesson.version,
            *flags,
        )
        .where(lesson.school_id == school_id, lesson.held_on.between(first, last))
        .order_by(lesson.id)
    )
    found: list[_Lesson] = []
    for row in rows:
        held = [name for name, flag in zip(words, row[10:], strict=True) if flag]
        found.append(_Lesson(row, tuple(dict.fromkeys(held))))
    return found


def _values(slot: Slot) -> dict[str, Any]:
    return {name: getattr(slot, name) for name in (*_REPLANNED, "timetable_entry_id")}


def _before(row: AnyRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in (*_REPLANNED, "timetable_entry_id")}


# Lessons per UPDATE or DELETE: each names a lesson's id and version, and a value per column
# it changes, within SQLite's 32,766 parameters.
CHUNK = 1000
T = TypeVar("T")


def _chunks(items: list[T]) -> list[list[T]]:
    return [items[start : start + CHUNK] for start in range(0, len(items), CHUNK)]


def _read(versions: dict[int, int]) -> ColumnElement[bool]:
    """The lessons at the versions planning read: one changed meanwhile is left alone."""
    lesson = m.Lesson
    return and_(lesson.id.in_(versions), lesson.version == case(versions, value=lesson.id))


PLANNED = "Planned from the timetable"
PLANNED_CONFIRMED = "Planned from the timetable, confirmed with the lessons' journal records"
_STATE = ("group_id", "held_on", *_REPLANNED, "timetable_entry_id")


def _state(lesson: AnyRow | Slot, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """What the audit trail keeps of a lesson planning made, changed or removed, as JSON."""
    state = {name: getattr(lesson, name) for name in _STATE} | dict(values or {})
    return {
        name: value.isoformat() if isinstance(value, date) else
        value.value if isinstance(value, m.LessonStatus) else value
        for name, value in state.items()
    }  # fmt: skip


def _what(before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    if after.get("status") is m.LessonStatus.CANCELLED:
        return "be cancelled"
    parts = []
    if before["bell_number"] != after["bell_number"]:
        parts.append(f"move to bell {after['bell_number']}")
    if before["subject_id"] != after["subject_id"]:
        parts.append("change its subject")
    if before["teacher_id"] != after["teacher_id"]:
        parts.append("change its teacher")
    if before["substitute_id"] != after["substitute_id"]:
        parts.append("change its substitute")
    if before["status"] != after["status"]:
        parts.append("be given again")
    return " and ".join(parts) or "change"


class _Plan:
    def __init__(self, confirm: bool) -> None:
        self.confirm = confirm
        self.inserts: list[Slot] = []
        self.updates: dict[int, tuple[_Lesson, dict[str, Any]]] = {}
        self.deletes: list[_Lesson] = []
        self.broken: list[tuple[_Lesson, str]] = []

    def compare(self, wanted: dict[Identity, Slot], there: list[_Lesson]) -> None:
        left = dict(wanted)
        unmatched: list[_Lesson] = []
        for lesson in there:
            row = lesson.row
            at = identity(row.timetable_entry_id, (row.group_id, row.held_on, row.bell_number))
            slot = left.pop(at, None)
            if slot is None:
                unmatched.append(lesson)
            else:
                self._pair(lesson, slot)
        by_key = {slot.key: at for at, slot in left.items()}
        for lesson in unmatched:
            row = lesson.row
            taken = by_key.pop((row.group_id, row.held_on, row.bell_number), None)
            if taken is not None:
                self._pair(lesson, left.pop(taken))
            else:
                self._obsolete(lesson)
        self.inserts = list(left.values())
        self._keep_slots_unique(there)

    def _pair(self, lesson: _Lesson, slot: Slot) -> None:
        before = _before(lesson.row)
        after = _values(slot)
        if before["status"] is m.LessonStatus.HELD and slot.status is m.LessonStatus.PLANNED:
            after["status"] = m.LessonStatus.HELD  # the timetable's lesson, as it was given
        changed = {name: value for name, value in after.items() if before[name] != value}
        if not changed:
            return
        if set(changed) == {"timetable_entry_id"} or not lesson.protected or self.confirm:
            self.updates[lesson.row.id] = (lesson, changed)
        else:
            self.broken.append((lesson, _what(before, after)))

    def _obsolete(self, lesson: _Lesson) -> None:
        row = lesson.row
        if lesson.has_records and row.status is m.LessonStatus.CANCELLED:
            return  # cancelled with its records, as confirmed before
        if not lesson.protected:
            self.deletes.append(lesson)
        elif not self.confirm:
            self.broken.append((lesson, "be removed: the timetable no longer has it"))
        elif lesson.has_records:
            self.updates[row.id] = (lesson, {"status": m.LessonStatus.CANCELLED})
        else:
            self.deletes.append(lesson)

    def _keep_slots_unique(self, there: list[_Lesson]) -> None:
        """A lesson moves only onto a slot no remaining lesson keeps; one that stays put
        keeps its slot first."""
        gone = {lesson.row.id for lesson in self.deletes}
        staying = [lesson for lesson in there if lesson.row.id not in gone]
        kept: dict[Key, int] = {}
        moving: list[tuple[_Lesson, int]] = []
        for lesson in staying:
            row = lesson.row
            bell = self.updates.get(row.id, (lesson, {}))[1].get("bell_number", row.bell_number)
            if bell == row.bell_number:
                kept[(row.group_id, row.held_on, bell)] = row.id
            else:
                moving.append((lesson, bell))
        for lesson, bell in moving:
            row = lesson.row
            if (row.group_id, row.held_on, bell) in kept:
                self.updates.pop(row.id)
                self.broken.append((lesson, f"move to bell {bell}, where another lesson stays"))
                bell = row.bell_number
            kept[(row.group_id, row.held_on, bell)] = row.id
        self.inserts = [slot for slot in self.inserts if slot.key not in kept]

    async def apply(self, db: Database, school_id: int, actor_id: int | None) -> Planning:
        deleted = await self._delete(db)
        changed = await self._update(db)
        created = await self._insert(db, school_id, actor_id)
        reason = PLANNED_CONFIRMED if self.confirm else PLANNED
        trail = [
            *(Changed(school_id, m.Lesson, item.row.id, _state(item.row), None, reason=reason)
              for item in self.deletes if item.row.id in deleted),
            *(Changed(school_id, m.Lesson, row_id, _state(item.row),
                      _state(item.row, values), reason=reason)
              for row_id, (item, values) in self.updates.items() if row_id in changed),
            *(Changed(school_id, m.Lesson, row_id, None, _state(slot), reason=reason)
              for row_id, slot in created.items()),
        ]  # fmt: skip
        await record_as(db, actor_id, trail)
        return Planning(
            created=len(created),
            changed=len(changed),
            deleted=len(deleted),
            would_break=await _described(db, self.broken),
        )

    async def _delete(self, db: Database) -> set[int]:
        lesson = m.Lesson
        deleted: set[int] = set()
        for chunk in _chunks([(item.row.id, item.row.version) for item in self.deletes]):
            result = await db.execute(
                delete(lesson)
                .where(_read(dict(chunk)), *(~condition for _, condition in _REFERRING))
                .returning(lesson.id)
            )
            deleted.update(result.scalars())
        return deleted

    async def _update(self, db: Database) -> set[int]:
        lesson = m.Lesson
        updates = [(row_id, item.row.version, values) for row_id, (item, values) in
                   self.updates.items()]  # fmt: skip
        # Movers off their slots first, so that two lessons may swap bells.
        for chunk in _chunks([one for one in updates if "bell_number" in one[2]]):
            await db.write(
                update(lesson)
                .where(_read({row_id: version for row_id, version, _ in chunk}))
                .values(bell_number=-lesson.bell_number)
            )
        changed: set[int] = set()
        for chunk in _chunks(updates):
            columns: dict[str, Any] = {}
            for name in {name for *_, values in chunk for name in values}:
                column = getattr(lesson, name)
                whens = {
                    row_id: cast(literal(values[name], column.type), column.type)
                    for row_id, _, values in chunk
                    if name in values
                }
                columns[name] = case(whens, value=lesson.id, else_=column)
            result = await db.execute(
                update(lesson)
                .where(_read({row_id: version for row_id, version, _ in chunk}))
                .values(**columns, version=lesson.version + 1, updated_at=utc_now())
                .returning(lesson.id)
            )
            changed.update(result.scalars())
        return changed

    async def _insert(self, db: Database, school_id: int, actor_id: int | None) -> dict[int, Slot]:
        """The lessons made, by id: those whose slot no concurrent planner took first."""
        if not self.inserts:
            return {}
        now = utc_now()
        rows = [
            {"school_id": school_id, "group_id": slot.group_id, "held_on": slot.held_on,
             "created_by_id": actor_id, "created_at": now, "version": 1, **_values(slot)}
            for slot in self.inserts
        ]  # fmt: skip
        dialect = db.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        result = await db.execute(
            insert(m.Lesson)
            .on_conflict_do_nothing(index_elements=["group_id", "held_on", "bell_number"])
            .returning(m.Lesson.id, m.Lesson.group_id, m.Lesson.held_on, m.Lesson.bell_number),
            rows,
        )
        slots = {slot.key: slot for slot in self.inserts}
        return {row.id: slots[(row.group_id, row.held_on, row.bell_number)] for row in result.all()}


async def _described(db: Database, broken: list[tuple[_Lesson, str]]) -> tuple[Broken, ...]:
    """The lessons in the school's words: «7А (Группа 1), Математика on 2026-12-03 at bell 3
    holds a topic and grades: it would move to bell 5»."""
    if not broken:
        return ()
    group, school_class, subject = m.Group, m.SchoolClass, m.Subject
    ids = {item.row.id for item, _ in broken}
    names = {
        row.id: row
        for row in await db.rows(
            select(m.Lesson.id, school_class.parallel, school_class.letter, group.kind,
                   group.name, subject.name.label("subject"))
            .join(group, group.id == m.Lesson.group_id)
            .join(school_class, school_class.id == group.school_class_id)
            .join(subject, subject.id == m.Lesson.subject_id)
            .where(m.Lesson.id.in_(ids))
        )
    }  # fmt: skip
    described = []
    for item, would in broken:
        row, name = item.row, names[item.row.id]
        who = f"{name.parallel}{name.letter}"
        if name.kind is m.GroupKind.SUBGROUP:
            who += f" ({name.name})"
        holds = _listed([hold for hold in item.holds if hold != "held"] or ["its record"])
        text = (
            f"{who}, {name.subject} on {row.held_on.isoformat()} at bell {row.bell_number}"
            f"{' was held and' if 'held' in item.holds else ''} holds {holds}: it would {would}"
        )
        described.append(Broken(row.id, row.group_id, row.subject_id, row.held_on,
                                row.bell_number, item.holds, would, text))  # fmt: skip
    return tuple(described)


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
