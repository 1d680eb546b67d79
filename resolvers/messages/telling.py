"""A message written is told: each recipient's notification on the channels they chose for
the student it concerns (`resolvers/notifications/notify.py`: in-app only for a withdrawn
consent or a blocked account), and a live event for the recipients' open screens."""

from collections.abc import Mapping, Sequence

from sqlalchemy import or_, select

import model as m
from resolvers.context import Context
from resolvers.notifications.live import JournalEvent, publish
from resolvers.notifications.notify import News, tell

PREVIEW = 300  # the notification carries the beginning of the text


async def _concerning(
    ctx: Context, message: m.Message, recipients: Sequence[int], about: Mapping[int, int]
) -> dict[int, int | None]:
    """The student each recipient is told about: the message's own, or the child of theirs it
    was written to them about, or their first child; a student hears about themselves."""
    if message.student_id is not None:
        return dict.fromkeys(recipients, message.student_id)
    unknown = [person for person in recipients if person not in about]
    found: dict[int, int | None] = {person: about.get(person) for person in recipients}
    if unknown:
        rows = await ctx.db.rows(
            select(m.Guardianship.parent_id, m.Guardianship.child_id)
            .where(
                or_(
                    m.Guardianship.parent_id.in_(unknown),
                    m.Guardianship.child_id.in_(unknown),
                )
            )
            .order_by(m.Guardianship.child_id)
        )
        for parent, child in rows:
            if child in found and found[child] is None:
                found[child] = child
            if parent in found and found[parent] is None:
                found[parent] = child
    return found


async def tell_written(
    ctx: Context, message: m.Message, recipients: Sequence[int], about: Mapping[int, int]
) -> None:
    concerning = await _concerning(ctx, message, recipients, about)
    groups: dict[int | None, list[int]] = {}
    for person in sorted(recipients):
        groups.setdefault(concerning[person], []).append(person)
    facts = {"message_id": message.id, "thread_id": message.thread_id}
    body = message.body if len(message.body) <= PREVIEW else message.body[:PREVIEW] + "…"
    news = [
        News(
            student_id=student,
            # One cause per student told of: notify.tell keeps one audience per key.
            coalesce_key=f"message:{message.id}"
            if student is None
            else f"message:{message.id}:{student}",
            subject=message.subject,
            body=body,
            facts=facts,
            recipients=tuple(people),
        )
        for student, people in sorted(groups.items(), key=lambda pair: pair[0] or 0)
    ]
    await tell(ctx.db, message.school_id, m.Topic.MESSAGE, news)
    await publish(
        ctx.db,
        JournalEvent(
            "message", message.school_id, student_ids=tuple(sorted(recipients)), ids=(message.id,)
        ),
    )
