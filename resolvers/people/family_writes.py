"""Linking students to their parents and legal guardians (А #19), and undoing a link: a list
of links in one call, each refusal naming its `item`, audited."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, tuple_
from sqlalchemy.orm import aliased

import model as m
from policies.vocabulary import Resource
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.write_checks import require_each

FAMILY_WORDS = "Only the school's admin links students to their parents."


@dataclass(frozen=True)
class Link:
    child_id: int
    parent_id: int
    kinship: m.Kinship = m.Kinship.GUARDIAN


async def _checked(ctx: Context, links: Sequence[Link]) -> dict[int, int]:
    """The school of each link (by item): one where the child is a student and the parent a
    parent; the caller must be able to write the child."""
    if not links:
        raise BadUserInput("List at least one link.", argument="links")
    pairs = [(link.child_id, link.parent_id) for link in links]
    for item, (child, parent) in enumerate(pairs):
        if pairs.index((child, parent)) != item:
            raise BadUserInput("The link is listed twice.", field="parentId", item=item)
        if child == parent:
            raise BadUserInput("Nobody is their own parent.", field="parentId", item=item)
    as_student, as_parent = aliased(m.SchoolRole), aliased(m.SchoolRole)
    schools = {
        (child, parent_id): school_id
        for child, parent_id, school_id in await ctx.db.rows(
            select(as_student.person_id, as_parent.person_id, as_student.school_id)
            .join(as_parent, as_parent.school_id == as_student.school_id)
            .where(
                tuple_(as_student.person_id, as_parent.person_id).in_(pairs),
                as_student.role == m.Role.STUDENT.value,
                as_parent.role == m.Role.PARENT.value,
            )
        )
    }
    for item, pair in enumerate(pairs):
        if pair not in schools:
            raise BadUserInput(
                "The child must be a student, and the parent hold the parent role, of one school.",
                field="parentId",
                item=item,
            )
    await require_each(
        ctx,
        Resource.PERSON,
        m.Person,
        {link.child_id: item for item, link in reversed(list(enumerate(links)))},
        existing=True,
        message=FAMILY_WORDS,
    )
    return {item: schools[pair] for item, pair in enumerate(pairs)}


async def _existing(ctx: Context, links: Sequence[Link]) -> dict[tuple[int, int], m.Guardianship]:
    pairs = [(link.parent_id, link.child_id) for link in links]
    return {
        (row.parent_id, row.child_id): row
        for row in await ctx.db.scalars(
            select(m.Guardianship).where(
                tuple_(m.Guardianship.parent_id, m.Guardianship.child_id).in_(pairs)
            )
        )
    }


async def guardians_link(ctx: Context, links: Sequence[Link]) -> list[m.Guardianship]:
    schools = await _checked(ctx, links)
    existing = await _existing(ctx, links)
    for item, link in enumerate(links):
        if (link.parent_id, link.child_id) in existing:
            raise BadUserInput("They are linked already.", field="parentId", item=item)
    rows = list(
        (
            await ctx.db.execute(
                insert(m.Guardianship).returning(m.Guardianship),
                [
                    {"parent_id": k.parent_id, "child_id": k.child_id, "kinship": k.kinship}
                    for k in links
                ],
            )
        ).scalars()
    )
    await record(
        ctx,
        [
            Changed(schools[item], m.Guardianship, row.id, None, snapshot(row))
            for item, row in enumerate(rows)
        ],
    )
    return rows


async def guardians_unlink(ctx: Context, links: Sequence[Link]) -> list[m.Guardianship]:
    schools = await _checked(ctx, links)
    existing = await _existing(ctx, links)
    rows = []
    for item, link in enumerate(links):
        row = existing.get((link.parent_id, link.child_id))
        if row is None:
            raise BadUserInput("They are not linked.", field="parentId", item=item)
        rows.append(row)
    before = [snapshot(row) for row in rows]
    await ctx.db.write(delete(m.Guardianship).where(m.Guardianship.id.in_([r.id for r in rows])))
    await record(
        ctx,
        [
            Changed(schools[item], m.Guardianship, row.id, old, None)
            for item, (row, old) in enumerate(zip(rows, before, strict=True))
        ],
    )
    return rows
