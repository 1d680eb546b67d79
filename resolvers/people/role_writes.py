"""Who holds which role in a school (Б.1 #5: the head appoints the admins; the admin every
other role but the head's), a list of grants in one call, each refusal naming its `item`."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, tuple_

import model as m
from policies.vocabulary import Resource
from resolvers.accounts.revocation import revoke_for_leavers
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.people.names import short_name
from resolvers.write_checks import require_each

APPOINTING = "The head appoints the school's admins; the admin appoints every other role."


@dataclass(frozen=True)
class RoleEntry:
    person_id: int
    role: m.Role


async def visible_school(ctx: Context, school_id: int) -> m.School:
    school = await ctx.db.scalar(
        select(m.School).where(m.School.id == school_id, ctx.loaders.readable(m.School))
    )
    if school is None:
        raise NotFound("No such school, or it is not visible to you.", argument="schoolId")
    return school


async def insert_roles(
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
    """Gives people the caller can see roles in the school, all or nothing."""
    school = await visible_school(ctx, school_id)
    people, held = await _grants(ctx, school.id, grants)
    for item, grant in enumerate(grants):
        if (grant.person_id, grant.role.value) in held:
            raise BadUserInput(
                f"{short_name(people[grant.person_id])} holds the {grant.role.value} role already.",
                field="role",
                item=item,
            )
    rows = await insert_roles(ctx, school.id, list(enumerate(grants)))
    await record(
        ctx, [Changed(school.id, m.SchoolRole, row.id, None, snapshot(row)) for row in rows]
    )
    return rows


async def roles_revoke(
    ctx: Context, school_id: int, grants: Sequence[RoleEntry]
) -> list[m.SchoolRole]:
    """Takes roles in the school away, all or nothing; answers what was taken."""
    school = await visible_school(ctx, school_id)
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
    # Who leaves the school loses access with their roles: the API tokens they issued for it,
    # and their sessions once they hold no role anywhere.
    leavers = {row.person_id for row in rows}
    await revoke_for_leavers(ctx.db, ctx.require_principal().account_id, school.id, leavers)
    return rows
