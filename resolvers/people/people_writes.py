"""Entering people (А #13, #19, R-PEOPLE-1): staff, students and parents with their school roles
and family links, a list of them in one call (an import's rows, each refusal naming its `item`),
in the same few statements whatever its length; and who holds which role (the head appoints the
admins, Б.1 #5; the admin the rest). Personal data (birth date, contacts, documents) is not
entered here: it is its own resource (design invariant 12)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select, tuple_, update

import model as m
from policies.vocabulary import Resource
from policies.writes import WriteProbe
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.people.names import short_name
from resolvers.write_checks import refuse_unless


@dataclass(frozen=True)
class KinEntry:
    """A parent or guardian of the person entered: someone holding the school's parent role."""

    parent_id: int
    kinship: m.Kinship


@dataclass(frozen=True)
class PersonEntry:
    last_name: str
    first_name: str
    middle_name: str | None = None
    sex: m.Sex | None = None
    roles: Sequence[m.Role] = ()
    parents: Sequence[KinEntry] = field(default_factory=tuple)


@dataclass(frozen=True)
class RoleEntry:
    person_id: int
    role: m.Role


def _name(value: str | None, field_name: str, item: int | None, *, required: bool) -> str | None:
    cleaned = " ".join((value or "").split())
    if required and not cleaned:
        where = {} if item is None else {"item": item}
        raise BadUserInput("A name cannot be empty.", field=field_name, **where)
    return cleaned or None


async def _school(ctx: Context, school_id: int) -> m.School:
    school = await ctx.db.scalar(
        select(m.School).where(m.School.id == school_id, ctx.loaders.readable(m.School))
    )
    if school is None:
        raise NotFound("No such school, or it is not visible to you.", argument="schoolId")
    return school


async def require_each(
    ctx: Context,
    resource: Resource,
    entity: type[Any],
    items: dict[int, int],
    *,
    existing: bool,
    message: str,
) -> None:
    """Every row (id → the item of the request it is for) may be written, in one statement; a
    refusal names the first item refused."""
    probe = WriteProbe(ctx.policy, ctx.require_principal(), resource, entity)
    refused = [
        (items[flags[0]], verdict)
        for flags in await ctx.db.rows(probe.statement(items))
        if not (verdict := probe.verdict(flags, existing=existing)).allowed
    ]
    if refused:
        item, verdict = min(refused, key=lambda pair: pair[0])
        refuse_unless(verdict, message, item=item)


async def _parents_of_school(ctx: Context, school_id: int, ids: Iterable[int]) -> set[int]:
    return set(
        await ctx.db.scalars(
            select(m.SchoolRole.person_id).where(
                m.SchoolRole.person_id.in_(list(ids)),
                m.SchoolRole.school_id == school_id,
                m.SchoolRole.role == m.Role.PARENT.value,
            )
        )
    )


async def people_create(
    ctx: Context, school_id: int, entries: Sequence[PersonEntry]
) -> list[m.Person]:
    """Enters people with their roles in the school and their parents, all or nothing."""
    school = await _school(ctx, school_id)
    if not entries:
        raise BadUserInput("List at least one person.", argument="people")
    people, parent_ids = [], set()
    for item, entry in enumerate(entries):
        if not entry.roles:
            raise BadUserInput("Give at least one role in the school.", field="roles", item=item)
        if len(set(entry.roles)) != len(entry.roles):
            raise BadUserInput("A role is listed twice.", field="roles", item=item)
        if entry.parents and m.Role.STUDENT not in entry.roles:
            raise BadUserInput("Only a student has parents here.", field="parents", item=item)
        if len({kin.parent_id for kin in entry.parents}) != len(entry.parents):
            raise BadUserInput("A parent is listed twice.", field="parents", item=item)
        parent_ids |= {kin.parent_id for kin in entry.parents}
        people.append(
            {
                "last_name": _name(entry.last_name, "lastName", item, required=True),
                "first_name": _name(entry.first_name, "firstName", item, required=True),
                "middle_name": _name(entry.middle_name, "middleName", item, required=False),
                "sex": entry.sex,
            }
        )
    if parent_ids:
        known = await _parents_of_school(ctx, school.id, parent_ids)
        for item, entry in enumerate(entries):
            if any(kin.parent_id not in known for kin in entry.parents):
                raise BadUserInput(
                    "A parent must hold this school's parent role: enter them first.",
                    field="parents",
                    item=item,
                )
    region_id = await ctx.db.scalar(
        select(m.Municipality.region_id).where(m.Municipality.id == school.municipality_id)
    )
    created = list(
        (
            await ctx.db.execute(
                insert(m.Person).returning(m.Person).execution_options(render_nulls=True),
                [{**person, "region_id": region_id} for person in people],
            )
        ).scalars()
    )
    roles = await _insert_roles(
        ctx,
        school.id,
        [
            (item, RoleEntry(person.id, role))
            for item, (person, entry) in enumerate(zip(created, entries, strict=True))
            for role in entry.roles
        ],
    )
    links = [
        {"parent_id": kin.parent_id, "child_id": person.id, "kinship": kin.kinship}
        for person, entry in zip(created, entries, strict=True)
        for kin in entry.parents
    ]
    guardianships: list[m.Guardianship] = []
    if links:
        guardianships = list(
            (
                await ctx.db.execute(
                    insert(m.Guardianship)
                    .returning(m.Guardianship)
                    .execution_options(render_nulls=True),
                    links,
                )
            )
            .scalars()
            .all()
        )
    await require_each(
        ctx,
        Resource.PERSON,
        m.Person,
        {person.id: item for item, person in enumerate(created)},
        existing=False,
        message="Only the school's admin enters people.",
    )
    await record(
        ctx,
        [
            Changed(school.id, type(row), row.id, None, snapshot(row))
            for row in [*created, *roles, *guardianships]
        ],
    )
    return created


async def _insert_roles(
    ctx: Context, school_id: int, grants: list[tuple[int, RoleEntry]]
) -> list[m.SchoolRole]:
    rows = list(
        (
            await ctx.db.execute(
                insert(m.SchoolRole).returning(m.SchoolRole).execution_options(render_nulls=True),
                [
                    {"person_id": g.person_id, "school_id": school_id, "role": g.role.value}
                    for _, g in grants
                ],
            )
        ).scalars()
    )
    await require_each(
        ctx,
        Resource.ROLE,
        m.SchoolRole,
        {row.id: item for row, (item, _) in zip(rows, grants, strict=True)},
        existing=False,
        message="The head appoints the school's admins; the admin appoints every other role.",
    )
    return rows


async def _grants(
    ctx: Context, school_id: int, grants: Sequence[RoleEntry]
) -> tuple[dict[int, m.Person], dict[tuple[int, str], m.SchoolRole]]:
    if not grants:
        raise BadUserInput("List at least one role.", argument="grants")
    pairs = [(g.person_id, g.role.value) for g in grants]
    for item, pair in enumerate(pairs):
        if pair in pairs[:item]:
            raise BadUserInput("The role is listed twice.", field="role", item=item)
    ids = {g.person_id for g in grants}
    people = {
        person.id: person
        for person in await ctx.db.scalars(
            select(m.Person).where(m.Person.id.in_(ids), ctx.loaders.readable(m.Person))
        )
    }
    for item, grant in enumerate(grants):
        if grant.person_id not in people:
            raise NotFound(
                "No such person, or they are not visible to you.", field="personId", item=item
            )
    held = {
        (row.person_id, row.role): row
        for row in await ctx.db.scalars(
            select(m.SchoolRole).where(
                m.SchoolRole.school_id == school_id,
                tuple_(m.SchoolRole.person_id, m.SchoolRole.role).in_(pairs),
            )
        )
    }
    return people, held


async def roles_grant(
    ctx: Context, school_id: int, grants: Sequence[RoleEntry]
) -> list[m.SchoolRole]:
    """Gives people of the school's (or someone the caller sees) roles in it, all or nothing."""
    school = await _school(ctx, school_id)
    people, held = await _grants(ctx, school.id, grants)
    for item, grant in enumerate(grants):
        if (grant.person_id, grant.role.value) in held:
            raise BadUserInput(
                f"{short_name(people[grant.person_id])} holds the {grant.role.value} role already.",
                field="role",
                item=item,
            )
    rows = await _insert_roles(ctx, school.id, list(enumerate(grants)))
    await record(
        ctx, [Changed(school.id, m.SchoolRole, row.id, None, snapshot(row)) for row in rows]
    )
    return rows


async def roles_revoke(
    ctx: Context, school_id: int, grants: Sequence[RoleEntry]
) -> list[m.SchoolRole]:
    """Takes roles in the school away, all or nothing; answers what was taken."""
    school = await _school(ctx, school_id)
    people, held = await _grants(ctx, school.id, grants)
    rows = []
    for item, grant in enumerate(grants):
        row = held.get((grant.person_id, grant.role.value))
        if row is None:
            raise BadUserInput(
                f"{short_name(people[grant.person_id])} does not hold the {grant.role.value} "
                "role here.",
                field="role",
                item=item,
            )
        rows.append(row)
    await require_each(
        ctx,
        Resource.ROLE,
        m.SchoolRole,
        {row.id: item for item, row in enumerate(rows)},
        existing=True,
        message="The head appoints the school's admins; the admin appoints every other role.",
    )
    before = [snapshot(row) for row in rows]
    await ctx.db.write(delete(m.SchoolRole).where(m.SchoolRole.id.in_([row.id for row in rows])))
    await record(
        ctx,
        [
            Changed(school.id, m.SchoolRole, row.id, old, None)
            for row, old in zip(rows, before, strict=True)
        ],
    )
    return rows


NAME_FIELDS = {"last_name": "lastName", "first_name": "firstName", "middle_name": "middleName"}


async def person_update(ctx: Context, person_id: int, values: dict[str, Any]) -> m.Person:
    """Correct who a person is (names, sex); `values` holds only what changes. A person belongs
    to no one school: the trail files the change under a school of the caller's they are in."""
    if not values:
        raise BadUserInput("Nothing to change.", argument="input")
    for key, camel in NAME_FIELDS.items():
        if key in values:
            values[key] = _name(values[key], camel, None, required=key != "middle_name")
    found = await ctx.db.scalar(
        select(m.Person).where(m.Person.id == person_id, ctx.loaders.readable(m.Person))
    )
    if found is None:
        raise NotFound("No such person, or they are not visible to you.", argument="input")
    message = "Only the school's admin corrects people."
    items = {found.id: 0}
    await require_each(ctx, Resource.PERSON, m.Person, items, existing=True, message=message)
    before = snapshot(found)
    await ctx.db.write(update(m.Person).where(m.Person.id == found.id).values(**values))
    person = await ctx.db.reload(m.Person, found.id)
    school_id = await ctx.db.scalar(
        select(m.SchoolRole.school_id)
        .where(
            m.SchoolRole.person_id == person.id,
            m.SchoolRole.school_id.in_(ctx.require_principal().school_ids),
        )
        .order_by(m.SchoolRole.school_id)
        .limit(1)
    )
    assert school_id is not None  # the caller writes them: they are in one of its schools
    await record(ctx, [Changed(school_id, m.Person, person.id, before, snapshot(person))])
    return person
