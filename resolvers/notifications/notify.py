"""Telling people of news (issue 14): who hears of a grade, an absence, homework, a final
grade or a message, on which channels, and when — queued in the outbox (`outbox.py`) in the
transaction of the write that made the news.

Who: the people a piece of news names (a message's recipients), or else the student and the
student's parents. Each hears it on the channels they chose for that student and topic
(`NotificationSubscription`; none chosen: the in-app feed only). Nobody whose consent is
withdrawn (152-FZ, `may_contact`), nobody without an active account, and nothing about a
student whose consent is withdrawn, is told anything outside the in-app feed.
When: grades and attendance after a short settling time (a correction within it replaces the
queued notification), the rest at once."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

import model as m
from model.base import utc_now
from resolvers.database import Database
from resolvers.notifications.outbox import Outgoing, enqueue
from resolvers.people.personal_data import may_contact

IN_APP = "in_app"
# A grade or an attendance mark is told this long after it was last changed: a teacher's
# correction within it yields one notification, of the mark as it stands.
SETTLE: dict[m.Topic, timedelta] = {
    m.Topic.GRADE: timedelta(minutes=3),
    m.Topic.ATTENDANCE: timedelta(minutes=3),
}


@dataclass(frozen=True)
class News:
    """One piece of news about a student (or nobody: `student_id` None): its cause
    (`coalesce_key`, e.g. «grade:42»), its words, its facts by id, and whom it is for (None:
    the student and the student's parents)."""

    student_id: int | None
    coalesce_key: str
    subject: str
    body: str
    facts: dict[str, Any] = field(default_factory=dict)
    recipients: tuple[int, ...] | None = None


async def tell(
    db: Database,
    school_id: int,
    topic: m.Topic,
    news: Sequence[News],
    *,
    now: datetime | None = None,
) -> None:
    """The news queued for everyone it is for, on their channels: a constant number of
    statements, however many pieces and people."""
    if not news:
        return
    now = now or utc_now()
    students = {n.student_id for n in news if n.student_id is not None}
    parents = await _parents(db, students)
    audience = {n.coalesce_key: _audience(n, parents) for n in news}
    people = sorted({p for persons in audience.values() for p in persons})
    reachable = await may_contact(db, school_id, sorted(set(people) | students))
    active = await _with_active_account(db, people)
    chosen = await _channels(db, people, students, topic)
    due = now + SETTLE.get(topic, timedelta(0))
    items: list[Outgoing] = []
    for piece in news:
        allowed_out = piece.student_id is None or piece.student_id in reachable
        for person in audience[piece.coalesce_key]:
            channels = chosen.get((person, piece.student_id), {IN_APP})
            if not (allowed_out and person in reachable and person in active):
                channels = channels & {IN_APP}
            items += [
                Outgoing(
                    school_id=school_id,
                    person_id=person,
                    student_id=piece.student_id,
                    topic=topic,
                    channel=channel,
                    coalesce_key=piece.coalesce_key,
                    subject=piece.subject,
                    body=piece.body,
                    facts=piece.facts,
                    due_at=due,
                )
                for channel in sorted(channels)
            ]
    await enqueue(db, items)


def _audience(piece: News, parents: dict[int, set[int]]) -> list[int]:
    if piece.recipients is not None:
        return sorted(set(piece.recipients))
    if piece.student_id is None:
        return []
    return sorted({piece.student_id} | parents.get(piece.student_id, set()))


async def _parents(db: Database, students: set[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    if not students:
        return found
    rows = await db.rows(
        select(m.Guardianship.child_id, m.Guardianship.parent_id).where(
            m.Guardianship.child_id.in_(students)
        )
    )
    for child, parent in rows:
        found.setdefault(child, set()).add(parent)
    return found


async def _with_active_account(db: Database, people: list[int]) -> set[int]:
    if not people:
        return set()
    return set(
        await db.scalars(
            select(m.Account.person_id).where(m.Account.person_id.in_(people), m.Account.is_active)
        )
    )


async def _channels(
    db: Database, people: list[int], students: set[int], topic: m.Topic
) -> dict[tuple[int, int | None], set[str]]:
    if not people or not students:
        return {}
    rows = await db.rows(
        select(
            m.NotificationSubscription.person_id,
            m.NotificationSubscription.student_id,
            m.NotificationSubscription.channels,
        ).where(
            m.NotificationSubscription.person_id.in_(people),
            m.NotificationSubscription.student_id.in_(students),
            m.NotificationSubscription.topic == topic,
        )
    )
    return {(person, student): set(channels.split()) for person, student, channels in rows}
