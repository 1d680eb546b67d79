"""The caller's conversations: newest first (by their last message the caller may read), each
with its last message and how many of its messages the caller has not read — one statement
for a page of them, whatever its size."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

import model as m
from resolvers.context import Context
from resolvers.database import AnySelect
from resolvers.errors import NotFound
from resolvers.pagination import Page, decode_cursor, encode_cursor, page_size


@dataclass(frozen=True)
class Thread:
    thread_id: int
    last_message_id: int
    unread: int


def _unread_of(ctx: Context) -> AnySelect:
    """Per conversation: its last message readable by the caller, and the caller's unread."""
    person = ctx.require_principal().person_id
    mine = aliased(m.MessageRecipient)
    return (
        select(m.Message.thread_id, func.max(m.Message.id), func.count(mine.id))
        .outerjoin(
            mine,
            and_(
                mine.message_id == m.Message.id,
                mine.recipient_id == person,
                mine.read_at.is_(None),
            ),
        )
        .where(ctx.loaders.readable(m.Message))
        .group_by(m.Message.thread_id)
    )


async def message_threads(ctx: Context, first: int | None, after: str | None) -> Page[Thread]:
    limit = page_size(first)
    statement = _unread_of(ctx)
    if after is not None:
        statement = statement.having(func.max(m.Message.id) < decode_cursor(after))
    rows = await ctx.db.rows(statement.order_by(func.max(m.Message.id).desc()).limit(limit + 1))
    threads = [Thread(thread, last, unread) for thread, last, unread in rows]
    visible = threads[:limit]

    async def count() -> int:
        total = await ctx.db.scalar(
            select(func.count(func.distinct(m.Message.thread_id))).where(
                ctx.loaders.readable(m.Message)
            )
        )
        return int(total or 0)

    return Page(
        rows=visible,
        has_next=len(threads) > limit,
        has_previous=after is not None,
        cursors=[encode_cursor(thread.last_message_id) for thread in visible],
        count=count,
    )


async def message_thread(ctx: Context, message_id: int) -> Thread:
    """The conversation a message the caller may read belongs to."""
    of_message = (
        select(m.Message.thread_id)
        .where(m.Message.id == message_id, ctx.loaders.readable(m.Message))
        .scalar_subquery()
    )
    rows = await ctx.db.rows(_unread_of(ctx).where(m.Message.thread_id == of_message))
    if not rows:
        raise NotFound("No such conversation, or it is not yours.", field="id")
    [(thread, last, unread)] = rows
    return Thread(thread, last, unread)


async def thread_messages(ctx: Context, thread_id: int) -> Sequence[m.Message]:
    loader = ctx.loaders.many(m.Message.thread_id, m.Message.id)
    messages: Sequence[m.Message] = await loader.load(thread_id)
    return messages


async def unread_message_count(ctx: Context) -> int:
    person = ctx.require_principal().person_id
    total = await ctx.db.scalar(
        select(func.count(m.MessageRecipient.id)).where(
            m.MessageRecipient.recipient_id == person,
            m.MessageRecipient.read_at.is_(None),
            ctx.loaders.readable(m.MessageRecipient),
        )
    )
    return int(total or 0)
