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

from sqlalchemy import insert, select, update

import model as m
from model import ImportPhase
from policies.vocabulary import Resource
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.people import import_checks
from resolvers.people.import_checks import Known
from resolvers.people.import_progress import Progress, unheard
from resolvers.people.people_file import PeopleFile, PersonRow
from resolvers.people.role_writes import RoleEntry, insert_roles, visible_school
from resolvers.spreadsheet import Problem, refuse
from resolvers.write_checks import require_each, require_writes

T = TypeVar("T", bound=m.Base)
STEPS = ("people", "roles", "families", "classes", "consents", "audited")
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


async def people_import(
    ctx: Context,
    school_id: int,
    people: PeopleFile,
    *,
    school_year_id: int | None,
    commit: bool,
    progress: Progress = unheard,
    in_job: bool = False,
) -> ImportReport:
    """`in_job`: run by the school's import job (`import_jobs`), which is the import under
    way; otherwise, while one is, the import is CONFLICT."""
    school = await visible_school(ctx, school_id)
    # What the checks read of the school (its classes, who is in it) is its admin's: the same
    # rules that let them keep the school (А #12) answer before anything is read.
    await require_writes(ctx, Resource.SCHOOL, m.School, [school.id], existing=True, message=WRITES)
    if not in_job:
        await import_checks.refuse_under_way(ctx, school.id)
    report = ImportReport(rows=len(people.people), problems=list(people.problems))
    progress(ImportPhase.VALIDATE, 0, report.rows)
    year = await import_checks.year(ctx, school.id, school_year_id)
    classes = await import_checks.classes(ctx, year)
    known = await import_checks.known(ctx, school.id, people.people, year)
    rows = import_checks.checked(people.people, year, classes, known, report.problems)
    rows = await import_checks.not_entered_twice(ctx, school.id, rows, known, report.problems)
    report.problems.sort(key=lambda p: p.row)
    progress(ImportPhase.VALIDATE, report.rows, report.rows)

    def step(name: str) -> None:
        done = STEPS.index(name) + 1
        progress(ImportPhase.WRITE, len(rows) * done // len(STEPS), len(rows))

    progress(ImportPhase.WRITE, 0, len(rows))
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


async def _write(
    ctx: Context,
    school: m.School,
    rows: Sequence[PersonRow],
    known: Known,
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
        "document": row.document,
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
    known: Known,
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
