"""`messagesMarkRead`: the caller's own copies of messages marked read, once (the first time
stays: the sender's read receipt), each change audited."""

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

import model as m
from model.base import utc_now
from policies.vocabulary import Resource
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import NotFound
from resolvers.write_checks import require_each

MAX_MARKED = 100


async def messages_mark_read(ctx: Context, message_ids: Sequence[int]) -> list[m.Message]:
    principal = ctx.require_principal()
    ids = list(dict.fromkeys(message_ids))
    if not ids:
        return []
    messages = {
        message.id: message
        for message in await ctx.db.scalars(
            select(m.Message).where(m.Message.id.in_(ids), ctx.loaders.readable(m.Message))
        )
    }
    missing = [index for index, message_id in enumerate(ids) if message_id not in messages]
    if missing:
        raise NotFound(
            "No such message, or it was not written to you.", field="messageIds", item=missing[0]
        )
    await require_each(
        ctx,
        Resource.MESSAGE,
        m.Message,
        {message_id: index for index, message_id in enumerate(ids)},
        existing=True,
        message="You may not mark this message read.",
    )
    mine = m.MessageRecipient.message_id.in_(ids) & (
        m.MessageRecipient.recipient_id == principal.person_id
    )
    unread = list(
        await ctx.db.scalars(
            select(m.MessageRecipient).where(mine, m.MessageRecipient.read_at.is_(None))
        )
    )
    if unread:
        before = {row.id: snapshot(row) for row in unread}
        now = utc_now()
        await ctx.db.write(
            update(m.MessageRecipient)
            .where(m.MessageRecipient.id.in_(before))
            .values(read_at=now)
            .execution_options(synchronize_session=False)
        )
        changes = []
        for row in unread:
            after = {**before[row.id], "read_at": now.isoformat()}
            school_id = messages[row.message_id].school_id
            changes.append(Changed(school_id, m.MessageRecipient, row.id, before[row.id], after))
            set_committed_value(row, "read_at", now)  # as read again, not as changed
        await record(ctx, changes)
    return [messages[message_id] for message_id in ids]
