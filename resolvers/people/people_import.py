"""Importing a school's people file (issue 12; А #13, #19, #20): the people `people_file` read
are entered, or corrected when the school's code finds them entered already, with their roles,
their class of the year, their parents and their consents, all or nothing, audited, in the
same few statements whatever the file's length. A dry run does all of it in a savepoint and
rolls it back: its report says what the import would do, and every problem it would meet.

A person the code does not find, but who is in the school already under the same name and
birth date, is reported, not entered twice. A student in another class of the year is
reported: moving is `studentsMove`'s, with its day."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import insert, select, tuple_, update

import model as m
from policies.vocabulary import Resource
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.people.people_file import CLASS, LAST, PeopleFile, PersonRow
from resolvers.people.role_writes import RoleEntry, insert_roles, visible_school
from resolvers.spreadsheet import Problem, refuse
from resolvers.write_checks import require_each, require_writes

T = TypeVar("T", bound=m.Base)
# Told each step done (its name, steps done, steps in all): `tabel import people` draws it.
Progress = Callable[[str, int, int], None]
STEPS = ("checked", "people", "roles", "families", "classes", "consents", "audited")
WRITES = "Only the school's admin imports its people."


@dataclass
class ImportReport:
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    roles: int = 0
    placements: int = 0
    links: int = 0
    consents: int = 0
    problems: list[Problem] = field(default_factory=list)
    committed: bool = False


@dataclass
class _Known:
    """What the school holds already of the file's people, read before anything is written."""

    ids: dict[str, int]  # code → person
    people: dict[int, m.Person]
    roles: set[tuple[int, str]]
    links: set[tuple[int, int]]
    placed: dict[int, int]  # student → class of the year
    consents: set[tuple[int, str]]


async def people_import(
    ctx: Context,
    school_id: int,
    people: PeopleFile,
    *,
    school_year_id: int | None,
    commit: bool,
    progress: Progress | None = None,
) -> ImportReport:
    def step(name: str) -> None:
        if progress is not None:
            progress(name, STEPS.index(name) + 1, len(STEPS))

    school = await visible_school(ctx, school_id)
    report = ImportReport(rows=len(people.people), problems=list(people.problems))
    year = await _year(ctx, school.id, school_year_id)
    classes = await _classes(ctx, year)
    known = await _known(ctx, school.id, people.people, year)
    rows = _checked(people.people, year, classes, known, report.problems)
    rows = await _not_entered_twice(ctx, school.id, rows, known, report.problems)
    report.problems.sort(key=lambda p: p.row)
    step("checked")
    if commit:
        refuse(report.problems)
        await _write(ctx, school, rows, known, classes, year, report, step)
        report.committed = True
        return report
    savepoint = await ctx.db.session.begin_nested()
    try:
        await _write(ctx, school, rows, known, classes, year, report, step)
    finally:
        await savepoint.rollback()
    return report


async def _year(ctx: Context, school_id: int, year_id: int | None) -> m.SchoolYear | None:
    years = await ctx.db.scalars(
        select(m.SchoolYear)
        .where(m.SchoolYear.school_id == school_id, ctx.loaders.readable(m.SchoolYear))
        .order_by(m.SchoolYear.starts_on)
    )
    if year_id is not None:
        chosen = [year for year in years if year.id == year_id]
        if not chosen:
            raise BadUserInput("No such school year of the school.", argument="schoolYearId")
        return chosen[0]
    today = datetime.now(UTC).date()
    current = [y for y in years if y.starts_on <= today <= y.ends_on]
    coming = [y for y in years if y.starts_on > today]
    return (current + coming)[0] if current or coming else None


async def _classes(ctx: Context, year: m.SchoolYear | None) -> dict[tuple[int, str], int]:
    if year is None:
        return {}
    return {
        (parallel, letter.upper()): class_id
        for class_id, parallel, letter in await ctx.db.rows(
            select(m.SchoolClass.id, m.SchoolClass.parallel, m.SchoolClass.letter).where(
                m.SchoolClass.school_year_id == year.id, m.SchoolClass.archived_at.is_(None)
            )
        )
    }


async def _known(
    ctx: Context, school_id: int, rows: Sequence[PersonRow], year: m.SchoolYear | None
) -> _Known:
    ids: dict[str, int] = dict(
        await ctx.db.rows(
            select(m.PersonCode.code, m.PersonCode.person_id).where(
                m.PersonCode.school_id == school_id,
                m.PersonCode.code.in_([row.code for row in rows]),
            )
        )
    )
    found = list(ids.values())
    people = {p.id: p for p in await ctx.db.scalars(select(m.Person).where(m.Person.id.in_(found)))}
    roles = {
        (person_id, role)
        for person_id, role in await ctx.db.rows(
            select(m.SchoolRole.person_id, m.SchoolRole.role).where(
                m.SchoolRole.school_id == school_id, m.SchoolRole.person_id.in_(found)
            )
        )
    }
    links = {
        (parent, child)
        for parent, child in await ctx.db.rows(
            select(m.Guardianship.parent_id, m.Guardianship.child_id).where(
                m.Guardianship.child_id.in_(found)
            )
        )
    }
    placed: dict[int, int] = {}
    if year is not None:
        placed = dict(
            await ctx.db.rows(
                select(m.ClassStudent.student_id, m.ClassStudent.school_class_id).where(
                    m.ClassStudent.school_year_id == year.id,
                    m.ClassStudent.student_id.in_(found),
                    m.ClassStudent.ends_on.is_(None),
                )
            )
        )
    consents = {
        (person_id, document)
        for person_id, document in await ctx.db.rows(
            select(m.Consent.person_id, m.Consent.document).where(
                m.Consent.school_id == school_id, m.Consent.person_id.in_(found)
            )
        )
    }
    return _Known(ids, people, roles, links, placed, consents)


def _checked(
    rows: Sequence[PersonRow],
    year: m.SchoolYear | None,
    classes: dict[tuple[int, str], int],
    known: _Known,
    problems: list[Problem],
) -> list[PersonRow]:
    kept = []
    for row in rows:
        if row.school_class is not None:
            parallel, letter = row.school_class
            class_id = classes.get(row.school_class)
            if year is None:
                problems.append(Problem(row.row, CLASS, "the school has no current school year."))
                continue
            if class_id is None:
                problems.append(
                    Problem(row.row, CLASS, f"{year.name} has no class {parallel}«{letter}».")
                )
                continue
            person_id = known.ids.get(row.code)
            now_in = known.placed.get(person_id) if person_id is not None else None
            if now_in is not None and now_in != class_id:
                problems.append(
                    Problem(
                        row.row,
                        CLASS,
                        f"in another class of {year.name} already: move them with its day "
                        "(studentsMove).",
                    )
                )
                continue
        kept.append(row)
    return kept


async def _not_entered_twice(
    ctx: Context,
    school_id: int,
    rows: Sequence[PersonRow],
    known: _Known,
    problems: list[Problem],
) -> list[PersonRow]:
    new = [row for row in rows if row.code not in known.ids and row.birth_date is not None]
    if not new:
        return list(rows)
    keys = [(row.last_name, row.first_name, row.birth_date) for row in new]
    entered = {
        (last, first, born)
        for last, first, born in await ctx.db.rows(
            select(m.Person.last_name, m.Person.first_name, m.Person.birth_date).where(
                tuple_(m.Person.last_name, m.Person.first_name, m.Person.birth_date).in_(keys),
                m.Person.id.in_(
                    select(m.SchoolRole.person_id).where(m.SchoolRole.school_id == school_id)
                ),
            )
        )
    }
    twice = {row.row for row, key in zip(new, keys, strict=True) if key in entered}
    for number in sorted(twice):
        problems.append(
            Problem(
                number,
                LAST,
                "someone of this name and birth date is in the school already, under another "
                "code or none: correct them by hand, or give their code.",
            )
        )
    return [row for row in rows if row.row not in twice]


async def _write(
    ctx: Context,
    school: m.School,
    rows: Sequence[PersonRow],
    known: _Known,
    classes: dict[tuple[int, str], int],
    year: m.SchoolYear | None,
    report: ImportReport,
    step: Callable[[str], None],
) -> None:
    changes: list[Changed] = []
    new = [row for row in rows if row.code not in known.ids]
    ids = dict(known.ids)
    if new:
        created = await _insert_people(ctx, school, new)
        ids |= {row.code: person.id for row, person in zip(new, created, strict=True)}
        codes = await _inserted(
            ctx,
            m.PersonCode,
            [{"school_id": school.id, "person_id": ids[r.code], "code": r.code} for r in new],
        )
        changes += [Changed(school.id, m.Person, p.id, None, snapshot(p)) for p in created]
        changes += [Changed(school.id, m.PersonCode, c.id, None, snapshot(c)) for c in codes]
    items = {ids[row.code]: row.row for row in rows}
    changes += await _corrected(ctx, school.id, rows, known, report)
    report.created = len(new)
    report.unchanged = len(rows) - report.created - report.updated
    step("people")

    grants = [
        (row.row, RoleEntry(ids[row.code], role))
        for row in rows
        for role in row.roles
        if (ids[row.code], role.value) not in known.roles
    ]
    if grants:
        granted = await insert_roles(ctx, school.id, grants)
        changes += [Changed(school.id, m.SchoolRole, r.id, None, snapshot(r)) for r in granted]
        report.roles = len(granted)
    # A person is the school's by their role in it: checked once they hold it.
    await require_each(ctx, Resource.PERSON, m.Person, items, existing=False, message=WRITES)
    step("roles")

    in_file = {row.code for row in rows}
    links = [
        {"parent_id": ids[row.code], "child_id": ids[child], "kinship": row.kinship}
        for row in rows
        for child in row.children
        if child in in_file and (ids[row.code], ids[child]) not in known.links
    ]
    linked = await _inserted(ctx, m.Guardianship, links)
    changes += [Changed(school.id, m.Guardianship, g.id, None, snapshot(g)) for g in linked]
    report.links = len(linked)
    step("families")

    placements = [
        {
            "school_class_id": classes[row.school_class],
            "school_year_id": year.id,
            "student_id": ids[row.code],
            "starts_on": year.starts_on,
            "ends_on": None,
        }
        for row in rows
        if row.school_class is not None
        and year is not None
        and known.placed.get(ids[row.code]) != classes[row.school_class]
    ]
    if placements:
        class_ids = {classes[r.school_class] for r in rows if r.school_class is not None}
        await require_writes(
            ctx, Resource.SCHOOL_CLASS, m.SchoolClass, class_ids, existing=True, message=WRITES
        )
    placed = await _inserted(ctx, m.ClassStudent, placements)
    changes += [Changed(school.id, m.ClassStudent, p.id, None, snapshot(p)) for p in placed]
    report.placements = len(placed)
    step("classes")

    consents = [
        {
            "person_id": ids[row.code],
            "school_id": school.id,
            "given_by_id": ids.get(row.consent.given_by or row.code, ids[row.code]),
            "given_at": datetime.combine(row.consent.given_on, datetime.min.time(), UTC),
            "document": row.consent.document,
        }
        for row in rows
        if row.consent is not None and (ids[row.code], row.consent.document) not in known.consents
    ]
    given = await _inserted(ctx, m.Consent, consents)
    if given:
        await require_each(
            ctx,
            Resource.CONSENT,
            m.Consent,
            {c.id: items[c.person_id] for c in given},
            existing=False,
            message=WRITES,
        )
    changes += [Changed(school.id, m.Consent, c.id, None, snapshot(c)) for c in given]
    report.consents = len(given)
    step("consents")
    await record(ctx, changes)
    step("audited")


def _values(row: PersonRow) -> dict[str, Any]:
    return {
        "last_name": row.last_name,
        "first_name": row.first_name,
        "middle_name": row.middle_name,
        "sex": row.sex,
        "birth_date": row.birth_date,
    }


async def _insert_people(
    ctx: Context, school: m.School, rows: Sequence[PersonRow]
) -> list[m.Person]:
    region_id = await ctx.db.scalar(
        select(m.Municipality.region_id).where(m.Municipality.id == school.municipality_id)
    )
    return await _inserted(ctx, m.Person, [{**_values(r), "region_id": region_id} for r in rows])


async def _inserted(ctx: Context, entity: type[T], rows: list[dict[str, Any]]) -> list[T]:
    """The rows inserted in one statement, read back in their order."""
    if not rows:
        return []
    sqlite = ctx.db.session.get_bind().dialect.name == "sqlite"
    statement = (
        insert(entity)
        .returning(entity, sort_by_parameter_order=not sqlite)
        .execution_options(render_nulls=True)
    )
    written = list((await ctx.db.execute(statement, rows)).scalars())
    # One multi-row INSERT on SQLite numbers its rows in their order (`resolvers/records.py`).
    return sorted(written, key=lambda row: getattr(row, "id")) if sqlite else written  # noqa: B009


async def _corrected(
    ctx: Context,
    school_id: int,
    rows: Sequence[PersonRow],
    known: _Known,
    report: ImportReport,
) -> list[Changed]:
    """People the code found whose names, sex or birth date the file gives otherwise."""
    befores, values = {}, []
    for row in rows:
        person = known.people.get(known.ids.get(row.code, 0))
        if person is None:
            continue
        # An empty cell (or a column the file has not) leaves what the school holds.
        wanted = {key: value for key, value in _values(row).items() if value is not None}
        if any(getattr(person, key) != value for key, value in wanted.items()):
            befores[person.id] = snapshot(person)
            values.append({"id": person.id, **wanted})
    if not values:
        return []
    await ctx.db.execute(update(m.Person), values)
    report.updated = len(values)
    after = await ctx.db.scalars(
        select(m.Person)
        .where(m.Person.id.in_(list(befores)))
        .execution_options(populate_existing=True)
    )
    return [Changed(school_id, m.Person, p.id, befores[p.id], snapshot(p)) for p in after]
