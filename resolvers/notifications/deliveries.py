"""The admin's view of the outbox (issue 14): how many notifications stand how, and queueing
one given up again once its cause is mended (an address entered, a channel configured)."""

from sqlalchemy import func, select, update

import model as m
from model.base import utc_now
from policies.vocabulary import Resource
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.notifications.outbox import WAKE
from resolvers.write_checks import require_writes

N = m.Notification
WHO = "Only the school's admin queues a notification again."


async def counts(
    ctx: Context, school_id: int | None, channel: str | None
) -> dict[m.DeliveryStatus, int]:
    """The notifications the caller may see, by status (every status, 0 when none)."""
    statement = (
        select(N.status, func.count())
        .where(ctx.loaders.readable(N, Resource.DELIVERY))
        .group_by(N.status)
    )
    if school_id is not None:
        statement = statement.where(N.school_id == school_id)
    if channel is not None:
        statement = statement.where(N.channel == channel)
    found = {m.DeliveryStatus(status): count for status, count in await ctx.db.rows(statement)}
    return {status: found.get(status, 0) for status in m.DeliveryStatus}


async def notification_delivery_retry(ctx: Context, notification_id: int) -> m.Notification:
    """A notification given up, queued again now, its attempts from nought."""
    row = await ctx.db.scalar(
        select(N).where(N.id == notification_id, ctx.loaders.readable(N, Resource.DELIVERY))
    )
    if row is None:
        raise NotFound("No such notification, or it is not visible to you.")
    await require_writes(ctx, Resource.DELIVERY, N, [row.id], existing=True, message=WHO)
    if row.status != m.DeliveryStatus.GIVEN_UP:
        raise BadUserInput("Only a notification given up can be tried again.", argument="id")
    if row.topic == m.Topic.CREDENTIALS:
        raise BadUserInput(
            "Its temporary password is no longer kept: reset the account's password to send "
            "new ones.",
            argument="id",
        )
    queued = await ctx.db.scalar(
        select(N.id).where(
            N.status == m.DeliveryStatus.QUEUED, N.person_id == row.person_id,
            N.channel == row.channel, N.coalesce_key == row.coalesce_key,
        )
    )  # fmt: skip
    if queued is not None:
        raise BadUserInput(
            "A newer notification of the same cause is queued already.", argument="id"
        )
    before = snapshot(row)
    now = utc_now()
    await ctx.db.write(
        update(N)
        .where(N.id == row.id, N.status == m.DeliveryStatus.GIVEN_UP)
        .values(status=m.DeliveryStatus.QUEUED, due_at=now, updated_at=now, attempts=0,
                last_error=None, worker=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    ctx.db.after_commit(WAKE.set)  # sent at once by this process's worker
    changed = await ctx.db.reload(N, row.id)
    await record(ctx, [Changed(row.school_id, N, row.id, before, snapshot(changed))])
    return changed
