"""Lessons made from the timetable (R-TT-1, Г.1 #9): every lesson of a school's days exists
before it is given, so that teachers and the class teacher plan topics and homework ahead.

The mechanism is a planner, `plan_lessons(db, school, first, last)`, idempotent: it computes
the lessons the timetable asks for on each school day of the range (`lesson_slots`), compares
them with the lessons there are (`lesson_holdings`), and creates what is missing, re-plans
what changed and deletes what the timetable no longer has. It runs inside every timetable
write (in the write's transaction, so a refused write leaves no lesson), in the server's own
scheduler at start and every day (`server/lesson_scheduler.py`), and as `tabel lessons plan`.
Lessons made on first use were the alternative, and were not taken: every screen that lists
lessons (the diary, the class journal, the control of missing entries, the activity rating,
reports) would have to make them first, inside reads, taking the write lock on SQLite; the
control could not count lessons nobody opened; and a timetable edit could not say which
lessons with entries it breaks, since lessons not yet read would not exist.

What a lesson holds is never silently lost: a lesson that is held, holds journal records
(topic, material, attendance, grades, homework, work types, a grade's history) or was changed
by a person (a substitute recorded, cancelled by hand) is only relinked to its new timetable
slot when nothing else differs; any other change to it is listed in `Planning.would_break`
and left alone unless `confirm`. Confirmed, it is moved or changed with its records, and one
the timetable no longer has is cancelled, never deleted with its records.

Constant SQL per school and range, whatever its number of days: the calendar, the timetable
and its changes (4 statements), the lessons there are (1), then at most a DELETE, two UPDATEs
and an INSERT (each per thousand lessons), the audit trail's INSERT, and the names of the
lessons it would break. Two planners at once are harmless: the insert skips a lesson slot
(group, date, bell) already taken (ON CONFLICT DO NOTHING), updates and deletes touch only
the version of a lesson they read, and the audit trail records what each really wrote.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    cast,
    delete,
    literal,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

import model as m
from model.base import utc_now
from resolvers.audit import Changed, record_as
from resolvers.database import AnyRow, Database
from resolvers.setup.lesson_holdings import REFERRING, Existing, existing_lessons
from resolvers.setup.lesson_slots import Identity, Key, Slot, identity, timetable_slots

# How far ahead lessons exist, at least: teachers plan the coming two weeks (Г.1 #9).
PLAN_AHEAD = timedelta(days=14)

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
    """What one planning did: lessons created, re-planned and deleted; and the lessons holding
    journal records it left as they are (empty when confirmed), for the caller to name."""

    created: int = 0
    changed: int = 0
    deleted: int = 0
    would_break: tuple[Broken, ...] = ()


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
    wanted = await timetable_slots(db, school_id, first, last)
    there = await existing_lessons(db, school_id, first, last)
    plan = _Plan(confirm)
    plan.compare(wanted, there)
    return await plan.apply(db, school_id, actor_id)


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
        self.updates: dict[int, tuple[Existing, dict[str, Any]]] = {}
        self.deletes: list[Existing] = []
        self.broken: list[tuple[Existing, str]] = []

    def compare(self, wanted: dict[Identity, Slot], there: list[Existing]) -> None:
        left = dict(wanted)
        unmatched: list[Existing] = []
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

    def _pair(self, lesson: Existing, slot: Slot) -> None:
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

    def _obsolete(self, lesson: Existing) -> None:
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

    def _keep_slots_unique(self, there: list[Existing]) -> None:
        """A lesson moves only onto a slot no remaining lesson keeps; one that stays put
        keeps its slot first."""
        gone = {lesson.row.id for lesson in self.deletes}
        staying = [lesson for lesson in there if lesson.row.id not in gone]
        kept: dict[Key, int] = {}
        moving: list[tuple[Existing, int]] = []
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
                .where(_read(dict(chunk)), *(~condition for _, condition in REFERRING))
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


async def _described(db: Database, broken: list[tuple[Existing, str]]) -> tuple[Broken, ...]:
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
