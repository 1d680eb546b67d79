"""Live journal events for GraphQL subscriptions (issue 14): a write publishes what it
changed, and it reaches the subscribers of every server process only when the write commits.

On PostgreSQL the event is a `pg_notify` in the write's own transaction: PostgreSQL delivers
it to every listening connection at COMMIT, and never after a ROLLBACK. On SQLite (the demo,
one process) it is handed to this process's subscribers after the session commits. An event
names rows by id only; a subscriber reads them again through its own row filters before it
is told anything (`schema/subscriptions/`)."""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import orjson
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from resolvers.database import Database

logger = logging.getLogger("tabel.live")

CHANNEL = "tabel_journal"
# PostgreSQL refuses a payload of 8000 bytes or more: a larger event names its lesson only.
MOST_BYTES = 7900


@dataclass(frozen=True)
class JournalEvent:
    """What one write changed: the kind of record (`grade`, `attendance`, `homework`,
    `final_grade`, `message`), its school, the lesson (if any), the students it concerns and
    the records' ids (empty: read the lesson's records again)."""

    kind: str
    school_id: int
    lesson_id: int | None = None
    student_ids: tuple[int, ...] = ()
    ids: tuple[int, ...] = ()
    removed: tuple[int, ...] = field(default=())

    def payload(self) -> str:
        text = orjson.dumps(asdict(self)).decode()
        if len(text.encode()) <= MOST_BYTES:
            return text
        return orjson.dumps(
            asdict(JournalEvent(self.kind, self.school_id, self.lesson_id))
        ).decode()

    @classmethod
    def parse(cls, payload: str | bytes) -> "JournalEvent":
        data: dict[str, Any] = orjson.loads(payload)
        return cls(
            kind=str(data["kind"]),
            school_id=int(data["school_id"]),
            lesson_id=data.get("lesson_id"),
            student_ids=tuple(data.get("student_ids") or ()),
            ids=tuple(data.get("ids") or ()),
            removed=tuple(data.get("removed") or ()),
        )


Listener = Callable[[JournalEvent], None]


class Hub:
    """This process's subscribers: each is called with every event that reached the process."""

    def __init__(self) -> None:
        self.listeners: set[Listener] = set()

    def add(self, listener: Listener) -> None:
        self.listeners.add(listener)

    def discard(self, listener: Listener) -> None:
        self.listeners.discard(listener)

    def deliver(self, journal_event: JournalEvent) -> None:
        for listener in list(self.listeners):
            try:
                listener(journal_event)
            except Exception:  # one subscriber's mistake is not the writer's
                logger.exception("a live listener failed")


HUB = Hub()


async def publish(db: Database, journal_event: JournalEvent) -> None:
    """The event, told to every process's subscribers once the request's transaction commits."""
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        await db.execute(select(func.pg_notify(CHANNEL, journal_event.payload())))
        db.wrote = True
        return

    def after_commit(_: Session) -> None:
        loop = asyncio.get_running_loop()
        loop.call_soon(HUB.deliver, journal_event)

    def after_rollback(_: Session) -> None:
        event.remove(session.sync_session, "after_commit", after_commit)

    event.listen(session.sync_session, "after_commit", after_commit, once=True)
    event.listen(session.sync_session, "after_soft_rollback", after_rollback, once=True)
