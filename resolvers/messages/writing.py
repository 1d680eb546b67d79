"""A message written: its row and one row per recipient, audited (without its subject and
text: mail is not the administration's to read) and told, in the request's transaction."""

from collections.abc import Mapping, Sequence

import model as m
from model.base import utc_now
from resolvers.audit import Changed, created, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.messages.telling import tell_written

MAX_SUBJECT = 200
MAX_BODY = 5000
PRIVATE = ("subject", "body")  # kept out of the audit trail


def text(value: str, field: str, most: int) -> str:
    value = value.strip()
    if not value:
        raise BadUserInput("Write something here.", field=field)
    if len(value) > most:
        raise BadUserInput(f"At most {most} characters.", field=field)
    return value


async def write(
    ctx: Context,
    *,
    school_id: int,
    subject: str,
    body: str,
    recipients: Sequence[int],
    reply_to: m.Message | None = None,
    student_id: int | None = None,
    about: Mapping[int, int] | None = None,
) -> m.Message:
    principal = ctx.require_principal()
    assert principal.person_id is not None
    message = m.Message(
        school_id=school_id,
        sender_id=principal.person_id,
        thread_id=0 if reply_to is None else reply_to.thread_id,
        reply_to_id=None if reply_to is None else reply_to.id,
        student_id=student_id if reply_to is None else reply_to.student_id,
        subject=subject,
        body=body,
        sent_at=utc_now(),
    )
    ctx.db.session.add(message)
    await ctx.db.flush()
    if reply_to is None:
        message.thread_id = message.id  # a conversation is named by its first message
    people = sorted(set(recipients))
    rows = [m.MessageRecipient(message_id=message.id, recipient_id=person) for person in people]
    ctx.db.session.add_all(rows)
    await ctx.db.flush()
    await record(
        ctx,
        [
            Changed(school_id, m.Message, message.id, None, snapshot(message, omit=PRIVATE)),
            *created(m.MessageRecipient, school_id, rows),
        ],
    )
    await tell_written(ctx, message, people, about or {})
    return message
