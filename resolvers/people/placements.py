"""Placing students in classes (А #20, R-PEOPLE-1): enrol, move and leave, with dates.

A placement is only ever ended, never rewritten: a student's placements are their history, and
the journals of a class they left keep them. One class of a school year at a time: PostgreSQL
excludes overlapping placements (a racing write is CONFLICT); every write checks the same in its
transaction (SQLite's writers take the lock in turn). A whole class is placed in one call, in
the same few statements whatever its size.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

import model as m
from policies.vocabulary import Resource
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, NotFound
from resolvers.people.names import class_name, day, short_name
from resolvers.write_checks import require_writes

EXCLUSION_VIOLATION = "23P01"  # PostgreSQL's SQLSTATE


@dataclass(frozen=True)
class PlacementEntry:
    """One student of a bulk placement: `on` is the first day in the class (enrol, move; None
    when enrolling: the year's first day) or the last one (leave)."""

    student_id: int
    on: date | None = None


@dataclass
class _Batch:
    school_class: m.SchoolClass
    year: m.SchoolYear
    entries: Sequence[PlacementEntry]
    students: dict[int, m.Person]
    placements: dict[int, list[tuple[m.ClassStudent, m.SchoolClass]]]

    def starts(self, placement: m.ClassStudent) -> date:
        return placement.starts_on or self.year.starts_on

    def ends(self, placement: m.ClassStudent) -> date:
        return placement.ends_on or self.year.ends_on

    def named(self, entry: PlacementEntry) -> str:
        return short_name(self.students[entry.student_id])

    def in_this_class(self, student_id: int) -> m.ClassStudent | None:
        for placement, school_class in self.placements.get(student_id, []):
            if school_class.id == self.school_class.id:
                return placement
        return None


async def _batch(
    ctx: Context, class_id: int, entries: Sequence[PlacementEntry], *, dated: bool
) -> _Batch:
    found = (
        await ctx.db.rows(
            select(m.SchoolClass, m.SchoolYear)
            .join(m.SchoolYear, m.SchoolYear.id == m.SchoolClass.school_year_id)
            .where(m.SchoolClass.id == class_id, ctx.loaders.readable(m.SchoolClass))
        )
    ) or None
    if found is None:
        raise NotFound("No such class, or it is not visible to you.", argument="classId")
    school_class, year = found[0]
    if school_class.archived_at is not None:
        raise BadUserInput(
            "The class is archived: it stays in the records, but takes no students.",
            argument="classId",
        )
    message = "Only the school's admin places students in classes."
    await require_writes(
        ctx, Resource.SCHOOL_CLASS, m.SchoolClass, [class_id], existing=True, message=message
    )
    if not entries:
        raise BadUserInput("List at least one student.", argument="students")
    seen: set[int] = set()
    for item, entry in enumerate(entries):
        if entry.student_id in seen:
            raise BadUserInput("The student is listed twice.", field="studentId", item=item)
        seen.add(entry.student_id)
        if dated and entry.on is None:
            raise BadUserInput("Give the day.", field="on", item=item)
        if entry.on is not None and not year.starts_on <= entry.on <= year.ends_on:
            raise BadUserInput(
                f"The day is outside the school year {year.name} "
                f"({day(year.starts_on)}–{day(year.ends_on)}).",
                field="on",
                item=item,
            )
    ids = [entry.student_id for entry in entries]
    students = {
        person.id: person
        for person in await ctx.db.scalars(
            select(m.Person).where(
                m.Person.id.in_(ids),
                m.Person.id.in_(
                    select(m.SchoolRole.person_id).where(
                        m.SchoolRole.school_id == school_class.school_id,
                        m.SchoolRole.role == m.Role.STUDENT.value,
                    )
                ),
            )
        )
    }
    for item, entry in enumerate(entries):
        if entry.student_id not in students:
            raise BadUserInput(
                "Not a student of this school (a `Person` holding its student role).",
                field="studentId",
                item=item,
            )
    placements: dict[int, list[tuple[m.ClassStudent, m.SchoolClass]]] = {}
    for placement, other in await ctx.db.rows(
        select(m.ClassStudent, m.SchoolClass)
        .join(m.SchoolClass, m.SchoolClass.id == m.ClassStudent.school_class_id)
        .where(m.ClassStudent.student_id.in_(ids), m.ClassStudent.school_year_id == year.id)
        .order_by(m.ClassStudent.starts_on)
    ):
        placements.setdefault(placement.student_id, []).append((placement, other))
    return _Batch(school_class, year, entries, students, placements)


def _returning_refused(batch: _Batch, entry: PlacementEntry, item: int) -> None:
    earlier = batch.in_this_class(entry.student_id)
    if earlier is not None:
        raise BadUserInput(
            f"{batch.named(entry)} was placed in {class_name(batch.school_class)} already "
            f"({day(batch.starts(earlier))}–{day(batch.ends(earlier))}); a class is entered "
            "once a year.",
            field="studentId",
            item=item,
        )


async def students_enrol(
    ctx: Context, class_id: int, entries: Sequence[PlacementEntry]
) -> list[m.ClassStudent]:
    """Places students who are in no class of the year from the day given on (зачисление)."""
    batch = await _batch(ctx, class_id, entries, dated=False)
    rows = []
    for item, entry in enumerate(entries):
        starts_on = entry.on or batch.year.starts_on
        _returning_refused(batch, entry, item)
        for placement, other in batch.placements.get(entry.student_id, []):
            if batch.ends(placement) >= starts_on:
                raise BadUserInput(
                    f"{batch.named(entry)} is in {class_name(other)} from "
                    f"{day(batch.starts(placement))}: move them instead.",
                    field="studentId",
                    item=item,
                )
        rows.append({"starts_on": starts_on, "ends_on": None, "student_id": entry.student_id})
    return await _place(ctx, batch, rows, [])


async def students_move(
    ctx: Context, class_id: int, entries: Sequence[PlacementEntry]
) -> list[m.ClassStudent]:
    """Moves students from their class of the year into this one (перевод): the old placement
    ends the day before `on`, the new one starts on it (and ends when the old one was to)."""
    batch = await _batch(ctx, class_id, entries, dated=True)
    rows, ended = [], []
    for item, entry in enumerate(entries):
        assert entry.on is not None
        _returning_refused(batch, entry, item)
        current = [
            (placement, other)
            for placement, other in batch.placements.get(entry.student_id, [])
            if batch.starts(placement) <= entry.on <= batch.ends(placement)
        ]
        if not current:
            raise BadUserInput(
                f"{batch.named(entry)} is in no class of {batch.year.name} on {day(entry.on)}: "
                "enrol them instead.",
                field="studentId",
                item=item,
            )
        placement, other = current[0]
        if batch.starts(placement) == entry.on:
            raise BadUserInput(
                f"{batch.named(entry)} entered {class_name(other)} on {day(entry.on)}: a move "
                "takes effect the day after at the earliest.",
                field="on",
                item=item,
            )
        ended.append((placement, entry.on - timedelta(days=1)))
        rows.append(
            {"starts_on": entry.on, "ends_on": placement.ends_on, "student_id": entry.student_id}
        )
    others = {placement.school_class_id for placement, _ in ended}
    await require_writes(ctx, Resource.SCHOOL_CLASS, m.SchoolClass, others, existing=True)
    return await _place(ctx, batch, rows, ended)


async def students_leave(
    ctx: Context, class_id: int, entries: Sequence[PlacementEntry]
) -> list[m.ClassStudent]:
    """Ends students' placements in the class on the last day given (выбытие)."""
    batch = await _batch(ctx, class_id, entries, dated=True)
    ended = []
    for item, entry in enumerate(entries):
        assert entry.on is not None
        placement = batch.in_this_class(entry.student_id)
        if placement is None:
            raise BadUserInput(
                f"{batch.named(entry)} is not in {class_name(batch.school_class)}.",
                field="studentId",
                item=item,
            )
        if entry.on < batch.starts(placement):
            raise BadUserInput(
                f"{batch.named(entry)} entered {class_name(batch.school_class)} on "
                f"{day(batch.starts(placement))}, after that day.",
                field="on",
                item=item,
            )
        if placement.ends_on is not None and placement.ends_on <= entry.on:
            raise BadUserInput(
                f"{batch.named(entry)} left {class_name(batch.school_class)} on "
                f"{day(placement.ends_on)} already.",
                field="on",
                item=item,
            )
        ended.append((placement, entry.on))
    return await _place(ctx, batch, [], ended)


async def _place(
    ctx: Context,
    batch: _Batch,
    rows: list[dict[str, Any]],
    ended: list[tuple[m.ClassStudent, date]],
) -> list[m.ClassStudent]:
    """Ends placements, then adds the new ones (in that order: PostgreSQL checks the exclusion
    statement by statement), checks the year's placements of these students and audits."""
    school_id = batch.school_class.school_id
    changes: list[Changed] = []
    before = {placement.id: snapshot(placement) for placement, _ in ended}
    written: list[m.ClassStudent] = []
    try:
        if ended:
            await ctx.db.execute(
                update(m.ClassStudent),
                [{"id": placement.id, "ends_on": ends_on} for placement, ends_on in ended],
            )
            written += await ctx.db.scalars(
                select(m.ClassStudent)
                .where(m.ClassStudent.id.in_(before))
                .execution_options(populate_existing=True)
            )
        if rows:
            common = {"school_class_id": batch.school_class.id, "school_year_id": batch.year.id}
            written += (
                await ctx.db.execute(
                    insert(m.ClassStudent)
                    .returning(m.ClassStudent)
                    .execution_options(render_nulls=True),
                    [{**common, **row} for row in rows],
                )
            ).scalars()
    except IntegrityError as error:
        if getattr(error.orig, "sqlstate", None) == EXCLUSION_VIOLATION:
            raise Conflict(
                "A student was placed in a class of the year meanwhile; reload and try again."
            ) from None
        raise
    await _check_one_class_at_a_time(ctx, batch)
    for placement in written:
        changes.append(
            Changed(
                school_id=school_id,
                entity=m.ClassStudent,
                entity_id=placement.id,
                before=before.get(placement.id),
                after=snapshot(placement),
            )
        )
    await record(ctx, changes)
    return sorted(written, key=lambda row: (row.student_id, row.id))


async def _check_one_class_at_a_time(ctx: Context, batch: _Batch) -> None:
    one, two = aliased(m.ClassStudent), aliased(m.ClassStudent)
    year = batch.year
    overlap = and_(
        func.coalesce(one.starts_on, year.starts_on) <= func.coalesce(two.ends_on, year.ends_on),
        func.coalesce(two.starts_on, year.starts_on) <= func.coalesce(one.ends_on, year.ends_on),
    )
    clash = (
        await ctx.db.rows(
            select(one.student_id)
            .join(
                two,
                and_(
                    two.student_id == one.student_id,
                    two.school_year_id == one.school_year_id,
                    two.id > one.id,
                ),
            )
            .where(
                one.student_id.in_([entry.student_id for entry in batch.entries]),
                one.school_year_id == year.id,
                overlap,
            )
            .limit(1)
        )
    ) or None
    if clash is not None:
        student_id = clash[0][0]
        item = next(i for i, e in enumerate(batch.entries) if e.student_id == student_id)
        raise BadUserInput(
            f"{batch.named(batch.entries[item])} would be in two classes of {year.name} at once.",
            field="studentId",
            item=item,
        )
