"""The in-app feed: the caller's notifications on the `in_app` channel, newest first, once
they are due (a grade's after its settling time) and unless their cause went away; marking
them read."""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, select, update

import model as m
from model.base import utc_now
from resolvers.audit import Changed, record
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.notifications.channels import IN_APP
from resolvers.pagination import Page, decode_cursor, encode_cursor, page_size

MAX_MARKED = 100
SHOWN = (m.DeliveryStatus.QUEUED, m.DeliveryStatus.SENDING, m.DeliveryStatus.SENT)


def _mine(ctx: Context) -> list[ColumnElement[bool]]:
    return [
        ctx.loaders.readable(m.Notification),
        m.Notification.channel == IN_APP,
        m.Notification.status.in_(SHOWN),
        m.Notification.due_at <= utc_now(),
    ]


async def feed(
    ctx: Context, *, unread_only: bool, first: int | None, after: str | None
) -> Page[m.Notification]:
    limit = page_size(first)
    conditions = _mine(ctx)
    if unread_only:
        conditions.append(m.Notification.read_at.is_(None))
    statement = select(m.Notification).where(*conditions)
    page = statement
    if after is not None:
        page = page.where(m.Notification.id < decode_cursor(after))
    rows = list(await ctx.db.scalars(page.order_by(m.Notification.id.desc()).limit(limit + 1)))

    async def count() -> int:
        total = await ctx.db.scalar(select(func.count()).select_from(statement.subquery()))
        return int(total or 0)

    visible = rows[:limit]
    return Page(
        rows=visible,
        has_next=len(rows) > limit,
        has_previous=after is not None,
        cursors=[encode_cursor(row.id) for row in visible],
        count=count,
    )


async def unread(ctx: Context) -> int:
    total = await ctx.db.scalar(
        select(func.count())
        .select_from(m.Notification)
        .where(*_mine(ctx), m.Notification.read_at.is_(None))
    )
    return int(total or 0)


async def mark_read(ctx: Context, ids: Sequence[int] | None) -> int:
    """The caller's notifications given (None: all of them) marked read; how many were not."""
    if ids is not None and not 1 <= len(ids) <= MAX_MARKED:
        raise BadUserInput(f"Give 1 to {MAX_MARKED} notifications.", argument="ids")
    conditions = [*_mine(ctx), m.Notification.read_at.is_(None)]
    if ids is not None:
        conditions.append(m.Notification.id.in_(set(ids)))
    now = utc_now()
    marked = await ctx.db.execute(
        update(m.Notification)
        .where(*conditions)
        .values(read_at=now)
        .returning(m.Notification.id, m.Notification.school_id)
        .execution_options(synchronize_session=False)
    )
    rows = sorted((row.id, row.school_id) for row in marked.all())
    await record(
        ctx,
        [
            Changed(school, m.Notification, row_id, {"read_at": None}, {"read_at": now.isoformat()})
            for row_id, school in rows
        ],
    )
    return len(rows)
