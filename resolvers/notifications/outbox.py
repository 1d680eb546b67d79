"""The transactional outbox: a notification is a row written in the transaction of the change
it tells of, so a change rolled back notifies nobody, and one committed is told, once, by a
worker (`resolvers/notifications/delivery.py`) that may run in another process.

A notification still queued is coalesced with a newer one of the same cause (`coalesce_key`,
e.g. the grade's id) for the same person and channel: the newer's words replace the older's
and its time is the newer's, so a grade corrected a minute after it was entered is told once,
as it stands. This is one statement (an upsert on the partial unique index of the queued
rows), so two writers at once cannot queue two."""

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import text, update
from sqlalchemy.dialects import postgresql, sqlite

import model as m
from model.base import utc_now
from resolvers.database import Database

QUEUED = m.Notification.status == m.DeliveryStatus.QUEUED
# Set once a transaction that queued notifications commits: this process's delivery worker
# sends at once, not at its next poll (other processes' workers find them at theirs).
WAKE = asyncio.Event()
# The partial index's own predicate, as written: PostgreSQL matches an upsert to the index by it.
PENDING = text("status = 'queued'")


@dataclass(frozen=True)
class Outgoing:
    """A notification to queue: to whom, about whom, on which channel, in which words."""

    school_id: int
    person_id: int
    student_id: int | None
    topic: m.Topic
    channel: str
    coalesce_key: str
    subject: str
    body: str
    due_at: datetime
    facts: dict[str, Any] = field(default_factory=dict)
    digest: bool = False


def new_key() -> str:
    """An idempotency key: the channel passes it on, so a retry is the same message."""
    return uuid.uuid4().hex


async def enqueue(db: Database, items: Sequence[Outgoing], *, now: datetime | None = None) -> None:
    """The notifications queued (written `now`), each coalesced with a queued one of the same
    cause: one statement for all of them."""
    if not items:
        return
    now = now or utc_now()
    rows = [
        {
            "school_id": item.school_id,
            "person_id": item.person_id,
            "student_id": item.student_id,
            "topic": item.topic,
            "channel": item.channel,
            "key": new_key(),
            "coalesce_key": item.coalesce_key,
            "subject": item.subject,
            "body": item.body,
            "facts": item.facts,
            "digest": item.digest,
            "status": m.DeliveryStatus.QUEUED,
            "attempts": 0,
            "created_at": now,
            "updated_at": now,
            "due_at": item.due_at,
        }
        for item in _last_of_each(items)
    ]
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(m.Notification)
    await db.execute(
        statement.on_conflict_do_update(
            index_elements=["person_id", "channel", "coalesce_key"],
            index_where=PENDING,
            set_={
                "subject": statement.excluded.subject,
                "body": statement.excluded.body,
                "facts": statement.excluded.facts,
                "digest": statement.excluded.digest,
                "updated_at": statement.excluded.updated_at,
                "due_at": statement.excluded.due_at,
            },
        ),
        rows,
    )
    db.after_commit(WAKE.set)


async def cancel(db: Database, school_id: int, coalesce_keys: Sequence[str]) -> None:
    """The queued notifications of causes that went away (a grade entered and removed before
    it was told): cancelled, for every person and channel."""
    if not coalesce_keys:
        return
    await db.write(
        update(m.Notification)
        .where(
            QUEUED,
            m.Notification.school_id == school_id,
            m.Notification.coalesce_key.in_(set(coalesce_keys)),
        )
        .values(status=m.DeliveryStatus.CANCELLED, updated_at=utc_now())
        .execution_options(synchronize_session=False)
    )


def _last_of_each(items: Sequence[Outgoing]) -> list[Outgoing]:
    # One statement cannot upsert one row twice: within a batch, the last word on a cause wins.
    last: dict[tuple[int, str, str], Outgoing] = {}
    for item in items:
        last[(item.person_id, item.channel, item.coalesce_key)] = item
    return list(last.values())
