"""What a compromised account did in the school (R-ACC-3): every entry of the audit trail it
made from the moment the compromise was noticed until it was reported, and for each record
the first later change someone else made to it — a conflict, which voiding never overwrites.
Two statements, whatever their number."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, select

import model as m
from resolvers.context import Context
from resolvers.errors import BadUserInput

# A compromised admin's import of the school's people makes some hundreds of entries.
MAX_OPERATIONS = 5000


@dataclass(frozen=True)
class Operation:
    change: m.Change
    # The first later change of the same record by anyone but the compromised account (or a
    # change of its own made after the report), if any.
    conflict: m.Change | None


def _made(compromise: m.Compromise) -> list[ColumnElement[bool]]:
    return [
        m.Change.school_id == compromise.school_id,
        m.Change.changed_by_id == compromise.account_id,
        m.Change.changed_at >= compromise.noticed_at,
        # Blocked at the report: what it records of itself (the block, a self-report) is not
        # the compromise's doing.
        m.Change.changed_at < compromise.reported_at,
    ]


async def operations(
    ctx: Context, compromise: m.Compromise, *, readable: bool = True
) -> list[Operation]:
    """Oldest first. `readable`: only the entries the caller may read of the trail."""
    where = _made(compromise)
    if readable:
        where.append(ctx.loaders.readable(m.Change))
    made = list(
        await ctx.db.scalars(
            select(m.Change)
            .where(*where)
            .order_by(m.Change.changed_at, m.Change.id)
            .limit(MAX_OPERATIONS + 1)
        )
    )
    if len(made) > MAX_OPERATIONS:
        raise BadUserInput(
            f"The account made more than {MAX_OPERATIONS} changes since the moment given: "
            "void them with a later moment first.",
            argument="noticedAt",
        )
    if not made:
        return []
    records: defaultdict[str, set[int]] = defaultdict(set)
    for change in made:
        records[change.entity].add(change.entity_id)
    ours = {change.id for change in made}
    touched = or_(
        *(
            and_(m.Change.entity == entity, m.Change.entity_id.in_(sorted(ids)))
            for entity, ids in sorted(records.items())
        )
    )
    later: defaultdict[tuple[str, int], list[m.Change]] = defaultdict(list)
    for change in await ctx.db.scalars(
        select(m.Change)
        .where(touched, m.Change.changed_at >= compromise.noticed_at)
        .order_by(m.Change.changed_at, m.Change.id)
    ):
        if change.id not in ours:
            later[(change.entity, change.entity_id)].append(change)
    return [
        Operation(change, _first_after(change, later[(change.entity, change.entity_id)]))
        for change in made
    ]


def _first_after(change: m.Change, others: list[m.Change]) -> m.Change | None:
    for other in others:
        if (other.changed_at, other.id) > (change.changed_at, change.id):
            return other
    return None
