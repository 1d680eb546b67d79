"""Delivering the outbox (issue 14 §3; Ж.1 #3): a queued notification reaches the person once,
through a real SMTP server the test starts (STARTTLS with its own certificate, a login), or a
local SMS gateway that keeps one message per Idempotency-Key; temporary failures are retried
after a backoff, permanent ones given up; several workers never send one twice; a worker
killed mid-delivery loses nothing, and what it sent again carries the same key."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from model.base import utc_now
from model.db import make_sessionmaker
from resolvers.notifications import claims, delivery
from tests.client import GraphQLClient
from tests.deliveries import family, grade_news, notifications, queue, worker
from tests.factories import PASSWORD
from tests.mail import SMS_TOKEN, MailServer, mail_server, sms_gateway

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[MailServer]:
    with mail_server(tmp_path) as server:
        yield server


async def test_a_queued_grade_notification_is_one_email(
    engine: AsyncEngine, smtp: MailServer
) -> None:
    """Ж.1 #3: a parent told of a grade by e-mail gets exactly one, with its subject and body."""
    # given a grade notification queued for a parent by e-mail
    home = await family(engine)
    await queue(engine, [grade_news(home)])
    (row,) = await notifications(engine)
    # when the worker runs, twice
    sender = worker(engine, **smtp.settings())
    assert await sender.run_once() == {row.id: m.DeliveryStatus.SENT}
    assert await sender.run_once() == {}
    # then one e-mail arrived, to her address, under the notification's key
    (mail,) = smtp.mailbox.messages
    assert mail["Subject"] == "Новая оценка: Ученикова — 5 по математике (1)"
    assert mail.get_content().strip() == "Ученикова получила 5 по математике за контрольную работу."
    assert "mother@family.test" in mail["To"]
    assert mail["Message-ID"] == f"<{row.key}@school.test>"
    (sent,) = await notifications(engine)
    assert (sent.status, sent.attempts, sent.last_error) == (m.DeliveryStatus.SENT, 1, None)
    assert sent.sent_at is not None
    assert sent.worker is None


async def test_a_temporary_failure_is_retried_after_a_backoff(
    engine: AsyncEngine, smtp: MailServer
) -> None:
    # given the mail server refusing the first attempt for now (451)
    home = await family(engine)
    await queue(engine, [grade_news(home)])
    smtp.mailbox.refuse.append("451 4.3.0 Try again later")
    sender = worker(engine, notification_backoff_seconds=1.0, **smtp.settings())
    # when the worker sends it
    before = utc_now()
    await sender.run_once()
    # then it waits its backoff, queued, with why
    (row,) = await notifications(engine)
    assert (row.status, row.attempts) == (m.DeliveryStatus.QUEUED, 1)
    assert row.last_error is not None
    assert "451" in row.last_error
    assert before + timedelta(seconds=0.5) <= row.due_at <= utc_now() + timedelta(seconds=1)
    assert await sender.run_once() == {}  # not before its time
    # and once the backoff passed, it is sent
    await asyncio.sleep((row.due_at - utc_now()).total_seconds() + 0.05)
    assert await sender.run_once() == {row.id: m.DeliveryStatus.SENT}
    (row,) = await notifications(engine)
    assert (row.status, row.attempts, row.last_error) == (m.DeliveryStatus.SENT, 2, None)
    assert len(smtp.mailbox.messages) == 1


async def test_failing_every_attempt_gives_up(engine: AsyncEngine, smtp: MailServer) -> None:
    home = await family(engine)
    await queue(engine, [grade_news(home)])
    smtp.mailbox.refuse += ["451 busy", "451 busy"]
    sender = worker(engine, notification_max_attempts=2, notification_backoff_seconds=0.01,
                    **smtp.settings())  # fmt: skip
    await sender.run_once()
    await asyncio.sleep(0.05)
    await sender.run_once()
    (row,) = await notifications(engine)
    assert (row.status, row.attempts) == (m.DeliveryStatus.GIVEN_UP, 2)
    assert row.last_error is not None
    assert "tried 2 times" in row.last_error
    assert smtp.mailbox.messages == []


@pytest.mark.parametrize("cause", ["no address", "refused", "not configured"])
async def test_a_permanent_failure_is_given_up_at_once(
    engine: AsyncEngine, smtp: MailServer, cause: str
) -> None:
    # given a parent with no e-mail address, a server refusing the address, or no server set
    home = await family(engine, email=None if cause == "no address" else "mother@family.test")
    await queue(engine, [grade_news(home)])
    if cause == "refused":
        smtp.mailbox.refuse.append("550 5.1.1 No such mailbox")
    settings = {} if cause == "not configured" else smtp.settings()
    # when the worker sends it
    await worker(engine, **settings).run_once()
    # then it is given up after one attempt, saying why
    (row,) = await notifications(engine)
    assert (row.status, row.attempts) == (m.DeliveryStatus.GIVEN_UP, 1)
    expected = {"no address": "no e-mail address", "refused": "550",
                "not configured": "TABEL_SMTP_HOST"}[cause]  # fmt: skip
    assert row.last_error is not None
    assert expected in row.last_error
    assert smtp.mailbox.messages == []


async def test_two_workers_at_once_send_each_notification_once(
    engine: AsyncEngine, smtp: MailServer
) -> None:
    # given thirty notifications queued, and two workers taking five at a time
    home = await family(engine)
    await queue(engine, [grade_news(home, n=n) for n in range(30)])
    workers = [worker(engine, notification_batch=5, **smtp.settings()) for _ in range(2)]

    async def drain(one: object) -> list[int]:
        sent: list[int] = []
        while taken := await workers[0 if one == 0 else 1].run_once():
            sent += taken
        return sent

    # when both drain the outbox at once
    first, second = await asyncio.gather(drain(0), drain(1))
    # then every notification was sent, once, by one of them
    assert len(first) + len(second) == 30
    assert not set(first) & set(second)
    ids = smtp.mailbox.message_ids()
    assert len(ids) == 30
    assert len(set(ids)) == 30
    rows = await notifications(engine)
    assert {(row.status, row.attempts) for row in rows} == {(m.DeliveryStatus.SENT, 1)}


async def test_a_worker_killed_mid_delivery_loses_nothing_and_sends_one_message(
    engine: AsyncEngine, database_url: str, smtp: MailServer, tmp_path: Path
) -> None:
    """Issue 14: a worker killed between the server's acceptance and its own commit: the lease
    runs out, another worker sends it again under the same Message-ID, and the row is sent."""
    # given a notification queued, and a mail server that records a message and then stalls
    home = await family(engine)
    await queue(engine, [grade_news(home)])
    (row,) = await notifications(engine)
    smtp.mailbox.stall = 1
    # when `tabel worker` (short lease) sends it and is killed while the server holds it
    env = {
        **os.environ,
        "TABEL_DATABASE_URL": database_url,
        "TABEL_NOTIFICATION_LEASE_SECONDS": "2",
        "TABEL_NOTIFICATION_POLL_SECONDS": "0.2",
        **{f"TABEL_{key.upper()}": str(value) for key, value in smtp.settings().items()},
    }
    log = tmp_path / "worker.log"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "server.cli", "worker", cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=log.open("w"),
    )  # fmt: skip
    try:
        assert await asyncio.to_thread(smtp.mailbox.received.wait, 30), log.read_text()
        (held,) = await notifications(engine)
        assert held.status == m.DeliveryStatus.SENDING
        assert held.worker is not None
    finally:
        process.send_signal(signal.SIGKILL)
        await process.wait()
    # then a second worker, once the lease ran out, sends it again and settles it
    second = worker(engine, notification_lease_seconds=2, **smtp.settings())
    deadline = time.monotonic() + 15
    while await second.run_once() == {}:
        assert time.monotonic() < deadline, "the killed worker's lease never ran out"
        await asyncio.sleep(0.2)
    (sent,) = await notifications(engine)
    assert (sent.status, sent.attempts) == (m.DeliveryStatus.SENT, 2)
    # the server received it twice under one Message-ID: the receiver keeps one
    assert smtp.mailbox.message_ids() == [f"<{row.key}@school.test>"] * 2
    assert await second.run_once() == {}


async def test_a_worker_that_stops_after_the_gateway_accepted_resends_the_same_key(
    engine: AsyncEngine,
) -> None:
    """The SMS gateway keeps one message per Idempotency-Key: sent again after a crash, it is
    one SMS (requests counted raw and by key)."""
    home = await family(engine)
    await queue(engine, [grade_news(home, channel="sms")])
    with sms_gateway() as gateway:
        settings: dict[str, Any] = {"sms_url": gateway.url, "sms_token": SMS_TOKEN}
        # given a worker that took it and sent it, and stopped before it settled
        crashed = worker(engine, notification_lease_seconds=0.5, **settings)
        taken = await claims.claim(crashed.sessions, crashed.options)
        groups = delivery.groups(taken)
        people, allowed = await delivery.recipients(crashed.sessions, taken)
        outcome = await delivery.send(crashed.channels, groups[0], people[home.parent_id],
                                      taken[0].id in allowed, crashed.options)  # fmt: skip
        assert outcome.status == m.DeliveryStatus.SENT
        # when its lease runs out and another worker takes it
        await asyncio.sleep(0.6)
        assert await worker(engine, **settings).run_once() == {taken[0].id: m.DeliveryStatus.SENT}
        # then the gateway was asked twice, with one key: one SMS, to her phone
        assert len(gateway.requests) == 2
        assert len(gateway.sent) == 1
        assert {request["key"] for request in gateway.requests} == {taken[0].key}
        assert gateway.requests[0]["auth"] == f"Bearer {SMS_TOKEN}"
        # and the crashed worker's late settling changes nothing: it holds the row no more
        late = delivery.Outcome(m.DeliveryStatus.QUEUED, "late")
        await delivery.settle(crashed.sessions, crashed.options, [(taken[0], late)])
    (row,) = await notifications(engine)
    assert (row.status, row.attempts, row.last_error) == (m.DeliveryStatus.SENT, 2, None)


@pytest.mark.parametrize("change", ["consent withdrawn", "account blocked"])
async def test_consent_withdrawn_or_an_account_blocked_after_queueing_cancels(
    engine: AsyncEngine, smtp: MailServer, change: str
) -> None:
    """152-FZ: a person who withdrew consent to be contacted is not told, even of what was
    queued before; nor is one whose account was blocked."""
    home = await family(engine)
    await queue(engine, [grade_news(home)])
    async with make_sessionmaker(engine)() as session:
        if change == "consent withdrawn":
            now = utc_now()
            session.add(m.Consent(person_id=home.parent_id, school_id=home.school_id,
                                  given_by_id=home.parent_id, given_at=now - timedelta(days=9),
                                  document="Согласие № 1", withdrawn_at=now))  # fmt: skip
        else:
            await session.execute(
                update(m.Account)
                .where(m.Account.person_id == home.parent_id)
                .values(is_active=False)
            )
        await session.commit()
    await worker(engine, **smtp.settings()).run_once()
    (row,) = await notifications(engine)
    assert row.status == m.DeliveryStatus.CANCELLED
    assert row.last_error == (
        delivery.WITHDRAWN if change == "consent withdrawn" else delivery.BLOCKED
    )
    assert smtp.mailbox.messages == []


async def test_a_digest_is_one_message_listing_its_notifications(
    engine: AsyncEngine, smtp: MailServer
) -> None:
    home = await family(engine)
    await queue(engine, [grade_news(home, n=n, digest=True) for n in range(3)])
    await worker(engine, notification_batch=1, **smtp.settings()).run_once()
    (mail,) = smtp.mailbox.messages
    assert mail["Subject"] == "Уведомления: 3"
    body = mail.get_content()
    assert all(f"математике ({n})" in body for n in range(3))
    rows = await notifications(engine)
    assert {row.status for row in rows} == {m.DeliveryStatus.SENT}
    assert len({row.sent_at for row in rows}) == 1


async def test_in_app_notifications_are_sent_when_due(engine: AsyncEngine) -> None:
    home = await family(engine)
    later = replace(grade_news(home, channel="in_app", n=2), due_at=utc_now() + timedelta(hours=1))
    await queue(engine, [grade_news(home, channel="in_app"), later])
    await worker(engine).run_once()
    first, second = await notifications(engine)
    assert (first.status, second.status) == (m.DeliveryStatus.SENT, m.DeliveryStatus.QUEUED)


async def test_a_temporary_password_is_forgotten_once_sent(
    engine: AsyncEngine, smtp: MailServer
) -> None:
    home = await family(engine)
    credentials = replace(
        grade_news(home), topic=m.Topic.CREDENTIALS, coalesce_key="credentials:1",
        body="Пароль: qwerty12",
    )  # fmt: skip
    await queue(engine, [credentials])
    await worker(engine, **smtp.settings()).run_once()
    (mail,) = smtp.mailbox.messages
    assert "qwerty12" in mail.get_content()
    (row,) = await notifications(engine)
    assert (row.status, row.body) == (m.DeliveryStatus.SENT, "")


async def test_a_commit_that_queued_a_notification_wakes_the_worker(
    engine: AsyncEngine, smtp: MailServer
) -> None:
    # given a worker that would otherwise look only every minute, resting
    home = await family(engine)
    running = asyncio.create_task(
        worker(engine, notification_poll_seconds=60, **smtp.settings()).run()
    )
    try:
        await asyncio.sleep(0.3)
        # when a transaction queues a notification and commits
        await queue(engine, [grade_news(home)])
        # then it is sent within moments
        assert await asyncio.to_thread(smtp.mailbox.received.wait, 10)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)


DELIVERIES = """query($s: DeliveryStatus) {
  notificationDeliveryCounts { status count }
  notificationDeliveries(status: $s) { totalCount nodes {
    id channel topic status attempts lastError createdAt sentAt
    recipient { lastName } student { lastName } } }
}"""
RETRY = "mutation($n: ID!) { notificationDeliveryRetry(id: $n) { status attempts lastError } }"


async def test_the_admin_sees_a_given_up_notification_and_queues_it_again(
    engine: AsyncEngine, api: GraphQLClient, smtp: MailServer
) -> None:
    # given an e-mail given up: the parent has no address
    home = await family(engine, email=None)
    await queue(engine, [grade_news(home)])
    sender = worker(engine, **smtp.settings())
    await sender.run_once()
    admin, head, parent = [await api.login(who, PASSWORD) for who in ("admin", "head", "parent")]
    # when the admin and the head look at the outbox
    seen = [(await api(DELIVERIES, {"s": "GIVEN_UP"}, token=who)).data for who in (admin, head)]
    # then both see it, with why, to whom and about whom; and the counts by status
    assert seen[0] == seen[1]
    (node,) = seen[0]["notificationDeliveries"]["nodes"]
    assert node["channel"] == "email"
    assert node["topic"] == "GRADE"
    assert (node["status"], node["attempts"], node["sentAt"]) == ("GIVEN_UP", 1, None)
    assert node["lastError"] == "The person has no e-mail address."
    assert node["recipient"] == {"lastName": "Родителева"}
    assert node["student"] == {"lastName": "Ученикова"}
    counts = {c["status"]: c["count"] for c in seen[0]["notificationDeliveryCounts"]}
    assert counts == {status.name: int(status == m.DeliveryStatus.GIVEN_UP)
                      for status in m.DeliveryStatus}  # fmt: skip
    # nobody else sees the outbox, nor queues it again; the head only reads it
    assert (await api(DELIVERIES, token=parent)).error_code == "FORBIDDEN"
    assert (await api(RETRY, {"n": node["id"]}, token=parent)).error_code == "FORBIDDEN"
    assert (await api(RETRY, {"n": node["id"]}, token=head)).error_code == "FORBIDDEN"
    # when her address is entered and the admin queues it again
    async with make_sessionmaker(engine)() as session:
        await session.execute(
            update(m.Person).where(m.Person.id == home.parent_id).values(email="m@family.test")
        )
        await session.commit()
    retried = await api(RETRY, {"n": node["id"]}, token=admin)
    assert retried.data["notificationDeliveryRetry"] == {
        "status": "QUEUED",
        "attempts": 0,
        "lastError": None,
    }
    # then it is sent, and the retry is in the audit trail (without the notification's words)
    assert list((await sender.run_once()).values()) == [m.DeliveryStatus.SENT]
    assert len(smtp.mailbox.messages) == 1
    async with make_sessionmaker(engine)() as session:
        (change,) = await session.scalars(select(m.Change).where(m.Change.entity == "notification"))
    assert change.before is not None
    assert change.after is not None
    assert (change.before["status"], change.after["status"]) == ("given_up", "queued")
    assert "body" not in change.after
    # and one not given up cannot be retried
    again = await api(RETRY, {"n": node["id"]}, token=admin)
    assert again.error_code == "BAD_USER_INPUT"


async def test_new_credentials_are_e_mailed_and_kept_out_of_the_trail(
    engine: AsyncEngine, api: GraphQLClient, smtp: MailServer
) -> None:
    """R-ACC-1: a login's temporary password «printed or e-mailed»: queued in the transaction
    that issued it, sent by the worker, blanked once sent, never in the audit trail."""
    # given a new teacher with an e-mail address and no login
    home = await family(engine)
    admin = await api.login("admin", PASSWORD)
    # when the admin issues her a login, asking for it to be e-mailed
    issued = await api(
        "mutation($s: ID!, $p: ID!) { accountsIssue(input: {schoolId: $s, personIds: [$p]}, "
        'email: true, signInAt: "https://journal.school.test") '
        "{ emailed accounts { temporaryPassword account { login } } } }",
        {"s": relay.to_base64("School", home.school_id),
         "p": relay.to_base64("Person", home.newcomer_id)},
        token=admin,
    )  # fmt: skip
    answer = issued.data["accountsIssue"]
    assert answer["emailed"] == 1
    (account,) = answer["accounts"]
    password, login = account["temporaryPassword"], account["account"]["login"]
    await worker(engine, **smtp.settings()).run_once()
    # then one e-mail reached her with her login and password, and where to sign in
    (mail,) = smtp.mailbox.messages
    assert "novikova@school.test" in mail["To"]
    text = mail.get_content()
    assert login in text
    assert password in text
    assert "https://journal.school.test" in text
    # and the password is kept nowhere once sent: not the outbox, not the trail
    (row,) = [row for row in await notifications(engine) if row.topic == m.Topic.CREDENTIALS]
    assert (row.status, row.body) == (m.DeliveryStatus.SENT, "")
    async with make_sessionmaker(engine)() as session:
        trail = [str(c.before) + str(c.after) for c in await session.scalars(select(m.Change))]
    assert trail
    assert not any(password in entry for entry in trail)
