"""May the caller write to these people first? One decision pass for all of them (design.md
invariant 3), by the rules of the message's school only."""

from dataclasses import replace

import model as m
from policies.vocabulary import Resource
from policies.writes import WriteProbe
from resolvers.context import Context
from resolvers.errors import BadUserInput, Forbidden
from resolvers.messages.audience import Audience

WHOM = (
    "You may not write to this person first: a class teacher writes to the students and "
    "parents of their class, a teacher to the parents of the students they teach, the "
    "administration to the staff and the parents, a parent to their children's teachers; "
    "anyone may reply to a message they received."
)


async def require_addressable(ctx: Context, school_id: int, people: Audience) -> None:
    principal = ctx.require_principal()
    if principal.person_id in people.named_by:
        item = people.named_by[principal.person_id]
        raise BadUserInput("You cannot write to yourself.", **item.details())
    in_school = tuple(grant for grant in principal.grants if grant.school_id == school_id)
    probe = WriteProbe(ctx.policy, replace(principal, grants=in_school), Resource.MESSAGE, m.Person)
    rows = await ctx.db.rows(probe.statement(people.named_by))
    missing = people.named_by.keys() - {row[0] for row in rows}
    if missing:
        item = min(people.named_by[person] for person in missing)
        raise BadUserInput("No such person.", **item.details())
    refused = [
        people.named_by[row[0]] for row in rows if not probe.verdict(row, existing=False).allowed
    ]
    if refused:
        raise Forbidden(WHOM, **min(refused).details())
