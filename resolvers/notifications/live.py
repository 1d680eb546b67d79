"""Live journal events for GraphQL subscriptions (issue 14): a write publishes what it
changed, and it reaches the subscribers of every server process only when the write commits.

On PostgreSQL the event is a `pg_notify` in the write's own transaction: PostgreSQL delivers
it to every listening connection at COMMIT, and never after a ROLLBACK (`server/live_listener.py`
listens, one connection per process). On SQLite (the demo, one process) it is handed to this
process's subscribers after the session's transaction commits, and dropped when it rolls back.
An event names rows by id only; a subscriber reads them again through its own row filters
before it is told anything (`schema/subscriptions/`).

A second channel says that access was taken away (a session ended, an account blocked, a
password changed, an API token revoked): every process's live connections check their token
again, and end if it no longer signs anyone in. A third, when a streaming replica serves reads,
names who just wrote (server/replica.py)."""

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import orjson
from sqlalchemy import func, select

from resolvers.database import WRITES_CHANNEL, Database

logger = logging.getLogger("tabel.live")

CHANNEL = "tabel_journal"
TOKENS_CHANNEL = "tabel_tokens"
# PostgreSQL refuses a payload of 8000 bytes or more: a larger event names its lesson only.
MOST_BYTES = 7900
# What a session holds of the events its transaction published (SQLite), under `Session.info`.


@dataclass(frozen=True)
class JournalEvent:
    """What one write changed: the kind of record (`grade`, `attendance`, `homework`,
    `final_grade`, `message`), its school, the lesson (if any), the students it concerns and
    the records' ids (empty: read the lesson's records again); `removed`, the ids of records
    deleted, and `removed_students` (when given) whose each of them was, in the same order."""

    kind: str
    school_id: int
    lesson_id: int | None = None
    student_ids: tuple[int, ...] = ()
    ids: tuple[int, ...] = ()
    removed: tuple[int, ...] = field(default=())
    removed_students: tuple[int, ...] = field(default=())

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
            removed_students=tuple(data.get("removed_students") or ()),
        )

    def removed_of(self, student_id: int) -> tuple[int, ...]:
        """The removed records that were the student's: all of them when the event concerns
        that student alone, none when it does not say whose each was."""
        if len(self.removed_students) == len(self.removed):
            pairs = zip(self.removed, self.removed_students, strict=True)
            return tuple(row for row, student in pairs if student == student_id)
        return self.removed if self.student_ids == (student_id,) else ()


Listener = Callable[[JournalEvent], None]
TokensListener = Callable[[], None]
WritesListener = Callable[[str], None]


class Hub:
    """This process's subscribers: each is called with every event that reached the process,
    and each live connection's check of its token when access was taken away somewhere."""

    def __init__(self) -> None:
        self.listeners: set[Listener] = set()
        self.token_listeners: set[TokensListener] = set()
        self.writes_listeners: set[WritesListener] = set()

    def add(self, listener: Listener) -> None:
        self.listeners.add(listener)

    def discard(self, listener: Listener) -> None:
        self.listeners.discard(listener)

    def add_tokens(self, listener: TokensListener) -> None:
        self.token_listeners.add(listener)

    def discard_tokens(self, listener: TokensListener) -> None:
        self.token_listeners.discard(listener)

    def add_writes(self, listener: WritesListener) -> None:
        """`listener` is told who wrote, in any process (server/replica.py)."""
        self.writes_listeners.add(listener)

    def discard_writes(self, listener: WritesListener) -> None:
        self.writes_listeners.discard(listener)

    def deliver(self, journal_event: JournalEvent) -> None:
        for listener in list(self.listeners):
            try:
                listener(journal_event)
            except Exception:  # one subscriber's mistake is not the writer's
                logger.exception("a live listener failed")

    def tokens_changed(self) -> None:
        for listener in list(self.token_listeners):
            try:
                listener()
            except Exception:
                logger.exception("a live token listener failed")

    def receive(self, channel: str, payload: str) -> None:
        """A notification as PostgreSQL delivered it (`server/live_listener.py`)."""
        if channel == TOKENS_CHANNEL:
            self.tokens_changed()
        elif channel == WRITES_CHANNEL:
            for listener in list(self.writes_listeners):
                listener(payload)
        elif channel == CHANNEL:
            try:
                journal_event = JournalEvent.parse(payload)
            except (ValueError, KeyError, TypeError):
                logger.warning("a journal event that is none: %.200s", payload)
                return
            self.deliver(journal_event)


HUB = Hub()


async def publish(db: Database, journal_event: JournalEvent) -> None:
    """The event, told to every process's subscribers once the request's transaction commits."""
    await _after_commit(db, CHANNEL, journal_event.payload(), lambda: HUB.deliver(journal_event))


async def tell_access_taken(db: Database) -> None:
    """Every live connection checks its token again once this transaction commits (a session
    ended, an account blocked or its password changed, an API token revoked). On PostgreSQL
    the tables' triggers tell every process of any such change, whoever made it (migration
    c3e9a1f7d052); on SQLite, this process is told at the commit."""
    if db.session.get_bind().dialect.name != "postgresql":
        db.after_commit(HUB.tokens_changed)


async def _after_commit(db: Database, channel: str, payload: str, here: Callable[[], None]) -> None:
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        # PostgreSQL folds notifications of one channel and payload in one transaction.
        await db.execute(select(func.pg_notify(channel, payload)))
        db.wrote = True
        return
    db.after_commit(here)
