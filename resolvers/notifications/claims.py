"""Taking notifications to send, a batch at a time: the earliest due that are queued, or
sending with their worker's lease run out (it died between taking and settling them).

As report jobs are taken (`resolvers/reports/runner.py`): one UPDATE of the rows the worker
found, `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several workers take different rows and
never one twice; on SQLite the write lock every write transaction holds lets one take at a
time. A taken row is `sending`, held by the worker until `lease_until`, its `attempts` one
more; the worker renews the lease while it sends. A row taken `max_attempts` times by workers
that all died is given up. The in-app feed needs no sending: its rows are sent when due."""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import model as m
from model.base import utc_now
from model.db import expect_writes
from resolvers.leases import takeable

N = m.Notification
IN_APP = "in_app"
Sessions = async_sessionmaker[AsyncSession]


@dataclass(frozen=True)
class Options:
    worker: str  # who holds the rows, as they name it (host:pid:n)
    lease: timedelta = timedelta(seconds=60)
    batch: int = 50
    max_attempts: int = 8
    backoff: timedelta = timedelta(seconds=30)  # after the first failure; doubled each time
    backoff_cap: timedelta = timedelta(hours=1)
    at_once: int = 10  # messages in flight at once


ABANDONED = "Its workers stopped {} times while sending it."


def forgotten() -> Any:
    """The body, unless it holds a temporary password: that is kept only until it is sent or
    given up (R-ACC-1)."""
    return case((N.topic == m.Topic.CREDENTIALS, ""), else_=N.body)


def backoff(options: Options, attempts: int) -> timedelta:
    """How long to wait before the next attempt: doubling from `backoff`, capped, and
    jittered (between half and all of it), so failures at one moment do not retry together."""
    cap = options.backoff_cap.total_seconds()
    delay = min(cap, options.backoff.total_seconds() * 2 ** max(0, attempts - 1))
    return timedelta(seconds=delay * (0.5 + random.random() / 2))


def _waiting(now: datetime) -> ColumnElement[bool]:
    return takeable(
        N.status, m.DeliveryStatus.QUEUED, m.DeliveryStatus.SENDING, N.lease_until, now, N.due_at
    )


def _taking(options: Options, now: datetime) -> dict[str, Any]:
    return {
        "status": m.DeliveryStatus.SENDING,
        "worker": options.worker,
        "lease_until": now + options.lease,
        "attempts": N.attempts + 1,
        "updated_at": now,
    }


async def claim(sessions: Sessions, options: Options) -> list[m.Notification]:
    """The notifications this worker now holds (a batch, with every due digest row of the
    same person and channel as one it took), after the in-app ones were marked sent."""
    now = utc_now()
    async with sessions() as session:
        expect_writes(session)
        await session.execute(
            update(N)
            .where(N.channel == IN_APP, _waiting(now))
            .values(status=m.DeliveryStatus.SENT, sent_at=now, updated_at=now,
                    attempts=N.attempts + 1, worker=None, lease_until=None)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
        await _abandon(session, options, now)
        found = (
            select(N.id)
            .where(_waiting(now), N.channel != IN_APP, N.attempts < options.max_attempts)
            .order_by(N.due_at, N.id)
            .limit(options.batch)
            .with_for_update(skip_locked=True)
        )
        taken = list(
            (
                await session.execute(
                    update(N)
                    .where(N.id.in_(found))
                    .values(_taking(options, now))
                    .returning(N)
                    .execution_options(synchronize_session=False)
                )
            ).scalars()
        )
        pairs = {(row.person_id, row.channel) for row in taken if row.digest}
        if pairs:
            taken += await _rest_of_digests(session, options, now, sorted(pairs))
        await session.commit()
    return taken


async def _rest_of_digests(
    session: AsyncSession, options: Options, now: datetime, pairs: Sequence[tuple[int, str]]
) -> list[m.Notification]:
    """A digest is one message of everything due for the person on the channel: the digest
    rows the batch did not reach are taken with it."""
    found = (
        select(N.id)
        .where(
            _waiting(now),
            N.digest,
            N.attempts < options.max_attempts,
            tuple_(N.person_id, N.channel).in_(pairs),
        )
        .with_for_update(skip_locked=True)
    )
    result = await session.execute(
        update(N)
        .where(N.id.in_(found))
        .values(_taking(options, now))
        .returning(N)
        .execution_options(synchronize_session=False)
    )
    return list(result.scalars())


async def _abandon(session: AsyncSession, options: Options, now: datetime) -> None:
    await session.execute(
        update(N)
        .where(
            N.status == m.DeliveryStatus.SENDING,
            N.lease_until < now,
            N.attempts >= options.max_attempts,
        )
        .values(status=m.DeliveryStatus.GIVEN_UP, updated_at=now, worker=None, lease_until=None,
                body=forgotten(), last_error=ABANDONED.format(options.max_attempts))
        .execution_options(synchronize_session=False)
    )  # fmt: skip


async def renew(sessions: Sessions, options: Options, ids: Sequence[int]) -> int:
    """The lease on the rows this worker still holds, renewed; how many it still holds."""
    now = utc_now()
    async with sessions() as session:
        expect_writes(session)
        result = await session.execute(
            update(N)
            .where(N.id.in_(ids), N.worker == options.worker,
                   N.status == m.DeliveryStatus.SENDING)
            .values(lease_until=now + options.lease)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
        await session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]
