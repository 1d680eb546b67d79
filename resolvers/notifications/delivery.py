"""Delivering the notifications a worker took (`claims.py`): each through its channel
(`plugins/channels/`) with its idempotency key, then settled in one transaction.

Before sending, it asks again what may have changed since it was queued: a person whose
consent is withdrawn (or about a student whose is), or whose account is blocked, is not told
(cancelled). Addresses are read now, from the person (never kept with the notification). A
digest — the rows due for one person and channel marked `digest` — goes as one message.
Sent: `sent`. A temporary failure: queued again after a backoff, given up after
`max_attempts`; a permanent one (no address, a channel not configured, refused): given up.
A worker killed after the channel accepted and before it settled leaves the lease to run out;
the next sends the same key again, and the receiver keeps one: exactly once, by the key."""

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

import model as m
from model.base import utc_now
from model.db import expect_writes
from plugins.channels import Channel, Delivery, DeliveryError, PermanentFailure, TemporaryFailure
from resolvers.database import Database
from resolvers.notifications.claims import N, Options, Sessions, backoff, forgotten, renew
from resolvers.people.personal_data import may_contact

logger = logging.getLogger("tabel.notifications")

WITHDRAWN = "Consent to contact was withdrawn before it was sent."
BLOCKED = "The account was blocked, or is gone, before it was sent."
SUPERSEDED = "A newer notification of the same cause replaced it."
DIGEST = "Уведомления: {}"


@dataclass(frozen=True)
class Outcome:
    status: m.DeliveryStatus  # SENT, QUEUED (to retry), GIVEN_UP or CANCELLED
    error: str | None = None


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str | None
    phone: str | None
    active: bool  # has an account not blocked


def groups(rows: Sequence[m.Notification]) -> list[list[m.Notification]]:
    """What goes as one message: each row by itself, a person's digest rows on a channel
    together (in the order they were queued)."""
    single: list[list[m.Notification]] = []
    digests: dict[tuple[int, str], list[m.Notification]] = {}
    for row in sorted(rows, key=lambda row: row.id):
        if row.digest:
            digests.setdefault((row.person_id, row.channel), []).append(row)
        else:
            single.append([row])
    return single + list(digests.values())


def message(group: Sequence[m.Notification], recipient: Recipient) -> Delivery:
    first = group[0]
    if len(group) == 1:
        subject, body = first.subject, first.body
    else:
        subject = DIGEST.format(len(group))
        body = "\n\n".join(f"{row.subject}\n{row.body}" for row in group)
    return Delivery(key=first.key, recipient=recipient.name, email=recipient.email,
                    phone=recipient.phone, subject=subject, body=body)  # fmt: skip


async def recipients(
    sessions: Sessions, rows: Sequence[m.Notification]
) -> tuple[dict[int, Recipient], set[int]]:
    """Who the notifications are to, as they stand now, and which of the rows may still go
    out (consent to contact the person and the student it is about not withdrawn): one
    short read."""
    people = {row.person_id for row in rows}
    by_school: dict[int, set[int]] = {}
    for row in rows:
        about = {row.student_id} if row.student_id is not None else set()
        by_school.setdefault(row.school_id, set()).update({row.person_id} | about)
    async with sessions() as session:
        db = Database(session)
        found = await db.rows(
            select(m.Person.id, m.Person.first_name, m.Person.last_name, m.Person.email,
                   m.Person.phone).where(m.Person.id.in_(people))
        )  # fmt: skip
        active = set(
            await db.scalars(
                select(m.Account.person_id).where(
                    m.Account.person_id.in_(people), m.Account.is_active
                )
            )
        )
        contactable = {
            (school, person)
            for school, wanted in by_school.items()
            for person in await may_contact(db, school, sorted(wanted))
        }
        await session.rollback()
    allowed = {
        row.id
        for row in rows
        if (row.school_id, row.person_id) in contactable
        and (row.student_id is None or (row.school_id, row.student_id) in contactable)
    }
    people_found = {
        person: Recipient(f"{first} {last}", email, phone, person in active)
        for person, first, last, email, phone in found
    }
    return people_found, allowed


async def send(
    channels: Mapping[str, Channel], group: Sequence[m.Notification],
    recipient: Recipient | None, allowed: bool, options: Options,
) -> Outcome:  # fmt: skip
    """The group sent, or why not: what becomes of its rows."""
    first = group[0]
    if recipient is None or not recipient.active:
        return Outcome(m.DeliveryStatus.CANCELLED, BLOCKED)
    if not allowed:
        return Outcome(m.DeliveryStatus.CANCELLED, WITHDRAWN)
    channel = channels.get(first.channel)
    if channel is None:
        return Outcome(
            m.DeliveryStatus.GIVEN_UP, f"No channel named «{first.channel}» is installed."
        )
    try:
        async with asyncio.timeout(options.lease.total_seconds() / 2):
            await channel.send(message(group, recipient))
    except TimeoutError:
        return _failed(first, options, f"The {first.channel} channel did not answer in time.")
    except PermanentFailure as error:
        return Outcome(m.DeliveryStatus.GIVEN_UP, error.message)
    except (TemporaryFailure, DeliveryError) as error:
        return _failed(first, options, error.message)
    return Outcome(m.DeliveryStatus.SENT)


def _failed(row: m.Notification, options: Options, error: str) -> Outcome:
    if row.attempts >= options.max_attempts:
        return Outcome(m.DeliveryStatus.GIVEN_UP, f"{error} (tried {row.attempts} times)")
    return Outcome(m.DeliveryStatus.QUEUED, error)


async def deliver(
    sessions: Sessions, channels: Mapping[str, Channel], options: Options,
    rows: Sequence[m.Notification],
) -> dict[int, m.DeliveryStatus]:  # fmt: skip
    """Sends the rows this worker took (`at_once` messages in flight, the lease renewed
    meanwhile) and settles them; answers what became of each, by id."""
    if not rows:
        return {}
    people, allowed = await recipients(sessions, rows)
    limit = asyncio.Semaphore(max(1, options.at_once))

    async def one(group: list[m.Notification]) -> tuple[list[m.Notification], Outcome]:
        async with limit:
            first = group[0]
            outcome = await send(
                channels, group, people.get(first.person_id), first.id in allowed, options
            )
            return group, outcome

    heartbeat = asyncio.create_task(_renewing(sessions, options, [row.id for row in rows]))
    try:
        outcomes = await asyncio.gather(*(one(group) for group in groups(rows)))
    finally:
        heartbeat.cancel()
        await asyncio.gather(heartbeat, return_exceptions=True)
    settled = [(row, outcome) for group, outcome in outcomes for row in group]
    await settle(sessions, options, settled)
    return {row.id: outcome.status for row, outcome in settled}


async def _renewing(sessions: Sessions, options: Options, ids: list[int]) -> None:
    every = options.lease.total_seconds() / 3
    while True:
        await asyncio.sleep(every)
        await renew(sessions, options, ids)


async def settle(
    sessions: Sessions, options: Options, settled: Sequence[tuple[m.Notification, Outcome]]
) -> None:
    """The rows' outcomes, in one transaction, on the rows this worker still holds (one whose
    lease ran out and another worker took is that worker's now). A row to retry whose cause
    was queued anew meanwhile is cancelled: the newer one tells it as it stands."""
    for _ in range(3):
        try:
            await _settle(sessions, options, settled)
            return
        except IntegrityError:  # a newer one of the same cause was queued at this moment
            logger.info("notifications settled again: a newer one was queued meanwhile")
    await _settle(sessions, options, settled)


async def _settle(
    sessions: Sessions, options: Options, settled: Sequence[tuple[m.Notification, Outcome]]
) -> None:
    now = utc_now()
    async with sessions() as session:
        expect_writes(session)
        db = Database(session)
        retrying = [row for row, outcome in settled if outcome.status == m.DeliveryStatus.QUEUED]
        newer = await _queued_anew(db, retrying)
        for row, outcome in settled:
            status, error = outcome.status, outcome.error
            if status == m.DeliveryStatus.QUEUED and row.id in newer:
                status, error = m.DeliveryStatus.CANCELLED, SUPERSEDED
            values: dict[str, object] = {
                "status": status, "updated_at": now, "worker": None, "lease_until": None,
                "last_error": None if error is None else error[:1000],
            }  # fmt: skip
            if status == m.DeliveryStatus.SENT:
                values["sent_at"] = now
            if status == m.DeliveryStatus.QUEUED:
                values["due_at"] = now + backoff(options, row.attempts)
            else:
                values["body"] = forgotten()
            await db.execute(
                update(N)
                .where(N.id == row.id, N.worker == options.worker,
                       N.status == m.DeliveryStatus.SENDING)
                .values(values)
                .execution_options(synchronize_session=False)
            )  # fmt: skip
        await session.commit()


async def _queued_anew(db: Database, rows: Sequence[m.Notification]) -> set[int]:
    """Of the rows to retry, those that cannot be queued again: a newer one of the same cause
    is queued for the person and channel (or is among them, and newer)."""
    newest: dict[tuple[int, str, str], int] = {}
    for row in rows:
        cause = (row.person_id, row.channel, row.coalesce_key)
        newest[cause] = max(newest.get(cause, 0), row.id)
    replaced = {
        row.id for row in rows if newest[(row.person_id, row.channel, row.coalesce_key)] != row.id
    }
    if not rows:
        return replaced
    queued = await db.rows(
        select(N.person_id, N.channel, N.coalesce_key).where(
            N.status == m.DeliveryStatus.QUEUED,
            N.coalesce_key.in_({row.coalesce_key for row in rows}),
            N.person_id.in_({row.person_id for row in rows}),
        )
    )
    taken = {tuple(cause) for cause in queued}
    return replaced | {
        row.id for row in rows if (row.person_id, row.channel, row.coalesce_key) in taken
    }
