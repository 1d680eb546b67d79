"""Waking this process's delivery worker when a transaction that queued a notification
commits: it sends at once instead of at its next poll. Whatever queues one (`outbox.enqueue`
writes the outbox table) is seen here, so no writer needs to remember to wake anyone."""

import asyncio

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

import model as m

WAKE = asyncio.Event()
_TABLE = m.Notification.__tablename__


def _woken(_: Session) -> None:
    WAKE.set()


@event.listens_for(Session, "do_orm_execute")
def _queued(state: ORMExecuteState) -> None:
    table = getattr(state.statement, "table", None)  # an ORM statement's is annotated: by name
    queued = state.is_insert and getattr(table, "name", None) == _TABLE
    if queued and not event.contains(state.session, "after_commit", _woken):
        event.listen(state.session, "after_commit", _woken)
