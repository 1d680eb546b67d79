"""Entering people (А #13, #19, R-PEOPLE-1): staff, students and parents with their school roles
and family links, a list of them in one call (an import's rows, each refusal naming its `item`),
in the same few statements whatever its length; and correcting who they are. Personal data
(birth date, contacts, documents) is not entered here: it is its own resource (design
invariant 12)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update

import model as m
from policies.vocabulary import Resource
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.people.role_writes import RoleEntry, insert_roles, visible_school
from resolvers.write_checks import require_each


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


def _name(value: str | None, field_name: str, item: int | None, *, required: bool) -> str | None:
    cleaned = " ".join((value or "").split())
    if required and not cleaned:
        where = {} if item is None else {"item": item}
        raise BadUserInput("A name cannot be empty.", field=field_name, **where)
    return cleaned or None


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
    school = await visible_school(ctx, school_id)
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
    roles = await insert_roles(
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


NAME_FIELDS = {"last_name": "lastName", "first_name": "firstName", "middle_name": "middleName"}


async def person_update(ctx: Context, person_id: int, values: dict[str, Any]) -> m.Person:
    """Correct who a person is (names, sex), or whether they take statements on paper; `values`
    holds only what changes. A person belongs
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
