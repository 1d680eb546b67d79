"""The admin reopens a locked period's journal for a group and subject, saying why (R-LOCK-1);
the reopening, and its closing when final grades are set again, go to the audit trail."""

from dataclasses import replace

from sqlalchemy import exists, select, update

import model as m
from model.base import utc_now
from policies.vocabulary import Resource
from resolvers.audit import Changed, created, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, NotFound
from resolvers.write_checks import require_writes

MIN_REASON = 10


async def period_reopen(
    ctx: Context, group_id: int, subject_id: int, period_id: int, reason: str
) -> m.PeriodReopening:
    principal = ctx.require_principal()
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise BadUserInput(f"Write the reason, {MIN_REASON} characters at least.", field="reason")
    group = await ctx.db.scalar(
        select(m.Group)
        .where(m.Group.id == group_id, ctx.loaders.readable(m.Group))
        .with_for_update()
    )
    if group is None:
        raise NotFound("No such group, or it is not visible to you.")
    final = m.FinalGrade
    locked = await ctx.db.scalar(
        select(exists().where(final.group_id == group_id, final.subject_id == subject_id,
                              final.period_id == period_id))
    )  # fmt: skip
    if not locked:
        raise BadUserInput("No final grades are set there: the period is not locked.")
    reopening = m.PeriodReopening
    already = await ctx.db.scalar(
        select(exists().where(reopening.group_id == group_id, reopening.subject_id == subject_id,
                              reopening.period_id == period_id, reopening.closed_at.is_(None)))
    )  # fmt: skip
    if already:
        raise Conflict("The period is reopened already.")
    row = m.PeriodReopening(
        school_id=group.school_id,
        group_id=group_id,
        subject_id=subject_id,
        period_id=period_id,
        reason=reason,
        reopened_by_id=principal.account_id,
        reopened_at=utc_now(),
    )
    ctx.db.session.add(row)
    await ctx.db.flush()
    message = "Only the school's admin reopens a period."
    await require_writes(
        ctx, Resource.PERIOD_REOPENING, m.PeriodReopening, [row.id], existing=False, message=message
    )
    [change] = created(m.PeriodReopening, row.school_id, [row])
    await record(ctx, [replace(change, reason=reason)])
    return row


async def close_reopenings(
    ctx: Context, group_id: int, subject_id: int, period_id: int
) -> list[Changed]:
    """Final grades set again lock the period again; the reopenings closed, for the trail (the
    caller holds the group's row FOR UPDATE, as `period_reopen` does: none opens meanwhile)."""
    reopening = m.PeriodReopening
    open_ones = list(
        await ctx.db.scalars(
            select(reopening).where(
                reopening.group_id == group_id,
                reopening.subject_id == subject_id,
                reopening.period_id == period_id,
                reopening.closed_at.is_(None),
            )
        )
    )
    if not open_ones:
        return []
    before = {row.id: snapshot(row) for row in open_ones}
    closed = await ctx.db.execute(
        update(reopening)
        .where(reopening.id.in_(list(before)), reopening.closed_at.is_(None))
        .values(closed_at=utc_now())
        .returning(reopening)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    return [
        Changed(row.school_id, reopening, row.id, before[row.id], snapshot(row))
        for row in closed.scalars()
    ]
