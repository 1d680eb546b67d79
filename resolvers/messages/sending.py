"""`messageSend`: a new conversation, to people chosen by id or to the parents of some students
or of a class, each recipient checked in one pass."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

import model as m
from resolvers.context import Context
from resolvers.errors import NotFound
from resolvers.messages.audience import audience
from resolvers.messages.recipients import require_addressable
from resolvers.messages.writing import MAX_BODY, MAX_SUBJECT, text, write


@dataclass(frozen=True)
class Sending:
    school_id: int
    subject: str
    body: str
    recipient_ids: Sequence[int] = ()
    parents_of_student_ids: Sequence[int] = ()
    parents_of_class_id: int | None = None
    student_id: int | None = None  # the student it is about


async def message_send(ctx: Context, sending: Sending) -> m.Message:
    principal = ctx.require_principal()
    if sending.school_id not in principal.school_ids:
        raise NotFound("No such school, or you hold no role in it.")
    subject = text(sending.subject, "subject", MAX_SUBJECT)
    body = text(sending.body, "body", MAX_BODY)
    if sending.student_id is not None:
        student = await ctx.db.scalar(
            select(m.Person.id).where(
                m.Person.id == sending.student_id, ctx.loaders.readable(m.Person)
            )
        )
        if student is None:
            raise NotFound("No such student, or they are not visible to you.", field="studentId")
    people = await audience(
        ctx,
        sending.school_id,
        sending.recipient_ids,
        sending.parents_of_student_ids,
        sending.parents_of_class_id,
    )
    await require_addressable(ctx, sending.school_id, people)
    return await write(
        ctx,
        school_id=sending.school_id,
        subject=subject,
        body=body,
        recipients=list(people.named_by),
        student_id=sending.student_id,
        about=people.about,
    )
