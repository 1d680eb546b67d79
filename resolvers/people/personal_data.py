"""A person's personal data (152-FZ, R-PD-1) — birth date, contacts, address — as a resource of
its own: read only where the `personal_data` rules allow, each read by staff or an API token
noted for the request's log (`personal_data_log`)."""

from typing import Any

from sqlalchemy import not_, select

import model as m
from plugins.base import Scope
from plugins.consented import withdrawn
from policies.vocabulary import Resource
from resolvers.context import Context
from resolvers.database import Database
from resolvers.people.personal_data_log import is_logged

# The columns that are personal data, by the name the API gives them.
FIELDS: dict[str, str] = {
    "birth_date": "birthDate",
    "email": "email",
    "phone": "phone",
    "address": "address",
    "document": "document",
}


async def readable(ctx: Context, person_id: int) -> bool:
    """Whether the caller may read the person's personal data: one statement per batch."""

    async def load(ids: list[int]) -> list[bool]:
        allowed = set(
            await ctx.db.scalars(
                select(m.Person.id).where(
                    m.Person.id.in_(ids), ctx.loaders.readable(m.Person, Resource.PERSONAL_DATA)
                )
            )
        )
        return [i in allowed for i in ids]

    found: bool = await ctx.loaders.custom("personal_data", load).load(person_id)
    return found


async def field(ctx: Context, person: m.Person, column: str) -> Any:
    """A personal field of a person the caller already sees: its value, or null where the
    rules keep it from them; a read by staff or a token is noted for the log."""
    value = getattr(person, column)
    if not await readable(ctx, person.id):
        return None
    principal = ctx.principal
    if principal is not None and person.id != principal.person_id and is_logged(principal):
        ctx.personal_reads.note(person.id, FIELDS[column])
    return value


async def may_contact(db: Database, school_id: int, person_ids: list[int]) -> set[int]:
    """The people the school may contact or notify (their consent not withdrawn, 152-FZ): the
    one question notifications ask before anything is sent."""
    if not person_ids:
        return set()
    scope = Scope(person_id=None, school_id=school_id)
    found = await db.scalars(
        select(m.Person.id).where(m.Person.id.in_(person_ids), not_(withdrawn(scope, m.Person.id)))
    )
    return set(found)
