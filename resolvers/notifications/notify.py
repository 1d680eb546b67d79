"""Telling people of news (issue 14): who hears of a grade, an absence, homework, a final
grade or a message, on which channels, and when — queued in the outbox (`outbox.py`) in the
transaction of the write that made the news.

Who: the people a piece of news names (a message's recipients), or else the student and the
student's parents. Each hears it on the channels they chose for that student and topic
(`NotificationSubscription`; none chosen: the in-app feed only). Nobody whose consent is
withdrawn (152-FZ, `may_contact`), nobody without an active account, and nothing about a
student whose consent is withdrawn, is told anything outside the in-app feed.
When: grades and attendance after a short settling time (a correction within it replaces the
queued notification), the rest at once; outside the in-app feed, not in the person's quiet
hours (at their end), and at their digest's time if they chose a daily digest (`timing.py`).
News that went away (a grade removed) cancels what is still queued of it, and is told as
news of its own to whoever was already told of it (`retract`)."""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

import model as m
from model.base import utc_now
from resolvers.database import Database
from resolvers.notifications.channels import IN_APP
from resolvers.notifications.outbox import Outgoing, cancel, enqueue
from resolvers.notifications.timing import Timing, when
from resolvers.people.personal_data import may_contact

# A grade or an attendance mark is told this long after it was last changed (by default; the
# server's `notification_settle_seconds`): a teacher's correction within it yields one
# notification, of the mark as it stands.
SETTLED = frozenset({m.Topic.GRADE, m.Topic.ATTENDANCE})
SETTLE = timedelta(minutes=3)
# Told already, or being told: news that goes away is told to whoever heard it.
TOLD = (m.DeliveryStatus.SENT, m.DeliveryStatus.SENDING)


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
    settle: timedelta | None = None,
    zone: str | None = None,
) -> None:
    """The news queued for everyone it is for, on their channels: a constant number of
    statements, however many pieces and people. `settle` overrides SETTLE; `zone` is the
    school's time zone (read when not given)."""
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
    due = now + ((SETTLE if settle is None else settle) if topic in SETTLED else timedelta(0))
    items: list[Outgoing] = []
    for piece in news:
        allowed_out = piece.student_id is None or piece.student_id in reachable
        for person in audience[piece.coalesce_key]:
            channels = chosen.get((person, piece.student_id), {IN_APP})
            if not (allowed_out and person in reachable and person in active):
                channels = {IN_APP} if channels else set()  # what they chose, in the feed
            items += [_outgoing(school_id, topic, piece, person, channel, due)
                      for channel in sorted(channels)]  # fmt: skip
    await enqueue(db, await _timed(db, school_id, items, zone), now=now)


async def retract(
    db: Database,
    school_id: int,
    topic: m.Topic,
    news: Sequence[News],
    *,
    now: datetime | None = None,
    zone: str | None = None,
) -> None:
    """News that went away (each piece's `coalesce_key` the cause's, its words the removal's):
    what is still queued of its cause is cancelled; whoever was told already, on the channels
    they were told on, is told of the removal (once their quiet hours are over)."""
    if not news:
        return
    now = now or utc_now()
    keys = {piece.coalesce_key: piece for piece in news}
    told = await db.rows(
        select(m.Notification.person_id, m.Notification.channel, m.Notification.coalesce_key)
        .where(
            m.Notification.school_id == school_id,
            m.Notification.coalesce_key.in_(keys),
            m.Notification.status.in_(TOLD),
        )
        .distinct()
    )
    await cancel(db, school_id, list(keys))
    items = [
        _outgoing(school_id, topic, keys[key], person, channel, now, removed=True)
        for person, channel, key in sorted(told)
    ]
    await enqueue(db, await _timed(db, school_id, items, zone), now=now)


def _outgoing(
    school_id: int,
    topic: m.Topic,
    piece: News,
    person: int,
    channel: str,
    due: datetime,
    *,
    removed: bool = False,
) -> Outgoing:
    return Outgoing(
        school_id=school_id,
        person_id=person,
        student_id=piece.student_id,
        topic=topic,
        channel=channel,
        coalesce_key=f"{piece.coalesce_key}:removed" if removed else piece.coalesce_key,
        subject=piece.subject,
        body=piece.body,
        facts=piece.facts,
        due_at=due,
    )


async def _timed(
    db: Database, school_id: int, items: list[Outgoing], zone: str | None
) -> list[Outgoing]:
    """Outside the in-app feed, each item when its person's quiet hours and digest allow."""
    outside = sorted({item.person_id for item in items if item.channel != IN_APP})
    if not outside:
        return items
    timings = await _timings(db, outside)
    if not timings:
        return items
    if zone is None:
        zone = await db.scalar(select(m.School.timezone).where(m.School.id == school_id))
    assert zone is not None
    timed = []
    for item in items:
        timing = timings.get(item.person_id)
        if item.channel == IN_APP or timing is None:
            timed.append(item)
            continue
        timed.append(replace(item, due_at=when(item.due_at, timing, zone), digest=timing.digest))
    return timed


async def _timings(db: Database, people: list[int]) -> dict[int, Timing]:
    rows = await db.rows(
        select(
            m.NotificationSettings.person_id,
            m.NotificationSettings.quiet_from,
            m.NotificationSettings.quiet_until,
            m.NotificationSettings.digest_at,
        ).where(m.NotificationSettings.person_id.in_(people))
    )
    return {person: Timing(start, end, digest) for person, start, end, digest in rows}


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
