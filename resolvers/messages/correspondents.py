"""The names of whoever wrote to the caller, or whom the caller wrote to: a message read
shows its sender's and (to its sender) its recipients' names, even of people the caller may not
otherwise look up (a subject teacher's correspondent parent). Only ids taken from messages the
caller reads come here."""

from sqlalchemy import select

import model as m
from resolvers.context import Context
from resolvers.people.names import full_name_of


async def correspondent_name(ctx: Context, person_id: int) -> str:
    async def load(ids: list[int]) -> list[str]:
        rows = await ctx.db.rows(
            select(
                m.Person.id, m.Person.last_name, m.Person.first_name, m.Person.middle_name
            ).where(m.Person.id.in_(ids))
        )
        names = {row[0]: full_name_of(row[1], row[2], row[3]) for row in rows}
        return [names.get(person, "") for person in ids]

    name: str = await ctx.loaders.custom("correspondent_names", load).load(person_id)
    return name
