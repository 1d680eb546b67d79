"""`messageReply`: an answer in the same conversation. A recipient's reply goes to the sender
of the message answered, and to nobody else (never to the other families a class's message
went to); a reply to a message one sent goes to its recipients again."""

from sqlalchemy import select

import model as m
from policies.vocabulary import Resource
from resolvers.context import Context
from resolvers.errors import NotFound
from resolvers.messages.writing import MAX_BODY, MAX_SUBJECT, text, write
from resolvers.write_checks import require_writes

REPLY = "Re: "


async def message_reply(
    ctx: Context, message_id: int, body: str, subject: str | None = None
) -> m.Message:
    principal = ctx.require_principal()
    answered = await ctx.db.scalar(
        select(m.Message).where(m.Message.id == message_id, ctx.loaders.readable(m.Message))
    )
    if answered is None:
        raise NotFound("No such message, or it was not written to you.", field="messageId")
    await require_writes(ctx, Resource.MESSAGE, m.Message, [answered.id], existing=True)
    reply_body = text(body, "body", MAX_BODY)
    if subject is None:
        said = answered.subject
        subject = said if said.startswith(REPLY) else (REPLY + said)[:MAX_SUBJECT]
    reply_subject = text(subject, "subject", MAX_SUBJECT)
    if answered.sender_id == principal.person_id:
        recipients = list(
            await ctx.db.scalars(
                select(m.MessageRecipient.recipient_id).where(
                    m.MessageRecipient.message_id == answered.id
                )
            )
        )
    else:
        recipients = [answered.sender_id]
    return await write(
        ctx,
        school_id=answered.school_id,
        subject=reply_subject,
        body=reply_body,
        recipients=recipients,
        reply_to=answered,
    )
