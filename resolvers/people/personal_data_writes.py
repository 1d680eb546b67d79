"""Entering a person's personal data (birth date, contacts, address; 152-FZ, R-PD-1): by the
school's admin, and only once a consent to its processing holds. Clearing it needs none."""

from datetime import date
from typing import Any

from sqlalchemy import exists, select, update

import model as m
from policies.vocabulary import Resource
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.people.personal_data import FIELDS
from resolvers.write_checks import require_each

WHO = "Only the school's admin enters personal data."


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    if not values:
        raise BadUserInput("Nothing to change.", argument="input")
    for name, value in list(values.items()):
        if isinstance(value, str):
            value = values[name] = value.strip() or None
        if name == "birth_date" and isinstance(value, date) and value > date.today():
            raise BadUserInput("A birth date cannot be in the future.", field="birthDate")
        if name == "email" and value is not None and "@" not in value:
            raise BadUserInput("Not an e-mail address.", field="email")
    return values


async def personal_data_set(ctx: Context, person_id: int, values: dict[str, Any]) -> m.Person:
    values = _checked(values)
    principal = ctx.require_principal()
    found = await ctx.db.scalar(
        select(m.Person).where(m.Person.id == person_id, ctx.loaders.readable(m.Person))
    )
    if found is None:
        raise NotFound("No such person, or they are not visible to you.", argument="input")
    await require_each(
        ctx, Resource.PERSONAL_DATA, m.Person, {found.id: 0}, existing=True, message=WHO
    )
    school_id = await ctx.db.scalar(
        select(m.SchoolRole.school_id)
        .where(
            m.SchoolRole.person_id == found.id,
            m.SchoolRole.school_id.in_(principal.school_ids),
        )
        .order_by(m.SchoolRole.school_id)
        .limit(1)
    )
    assert school_id is not None  # the caller writes them: they are in one of its schools
    entered = [FIELDS[name] for name, value in values.items() if value is not None]
    if entered:
        consent = await ctx.db.scalar(
            select(
                exists().where(
                    m.Consent.person_id == found.id,
                    m.Consent.school_id.in_(principal.school_ids),
                    m.Consent.withdrawn_at.is_(None),
                )
            )
        )
        if not consent:
            raise BadUserInput(
                "No consent to the processing of their personal data holds: record the signed "
                "consent first (`consentRecord`), then enter the data.",
                field=entered[0],
            )
    before = snapshot(found)
    await ctx.db.write(update(m.Person).where(m.Person.id == found.id).values(**values))
    person = await ctx.db.reload(m.Person, found.id)
    await record(ctx, [Changed(school_id, m.Person, person.id, before, snapshot(person))])
    return person
