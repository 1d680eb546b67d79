"""Channels as plugins (issue 14 §4): e-mail through a real SMTP server (STARTTLS or implicit
TLS, a login, the Message-ID made from the key), SMS through an HTTP gateway (bearer token,
Idempotency-Key; 4xx never goes, 5xx may later), the in-app feed, and a third-party channel
found through the `tabel.channels` entry-point group."""

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

import model as m
from model.base import utc_now
from model.db import make_sessionmaker
from plugins.channels import (
    ENTRY_POINT_GROUP,
    Delivery,
    PermanentFailure,
    TemporaryFailure,
    discover,
)
from plugins.channels.registry import ChannelError
from plugins.channels.sms import Sms, SmsConfig
from plugins.channels.smtp import Email, SmtpConfig
from resolvers.database import Database
from resolvers.notifications.notify import News, tell
from tests.deliveries import family, notifications, worker
from tests.mail import SMS_TOKEN, free_port, mail_server, sms_gateway
from tests.pigeon_plugin import Pigeon
from tests.plugins import install

LETTER = Delivery(
    key="0f3c9a", recipient="Мария Родителева", email="mother@family.test", phone="+79001234567",
    subject="Новая оценка: 5", body="Ученикова получила 5 по математике.",
)  # fmt: skip


@pytest.mark.parametrize("implicit_tls", [False, True], ids=["starttls", "implicit tls"])
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # it is TLS
async def test_email_goes_over_tls_with_a_login_under_the_key(
    tmp_path: Path, implicit_tls: bool
) -> None:
    with mail_server(tmp_path, implicit_tls=implicit_tls) as server:
        await Email(server.config()).send(LETTER)
        (mail,) = server.mailbox.messages
    assert mail["Message-ID"] == "<0f3c9a@school.test>"
    assert mail["Subject"] == "Новая оценка: 5"
    assert mail["From"] == "journal@school.test"
    assert mail.get_content().strip() == "Ученикова получила 5 по математике."


async def test_email_refused_or_unreachable(tmp_path: Path) -> None:
    with mail_server(tmp_path) as server:
        with pytest.raises(PermanentFailure, match="535"):
            await Email(server.config(password="wrong")).send(LETTER)
        with pytest.raises(PermanentFailure, match="no e-mail address"):
            await Email(server.config()).send(replace(LETTER, email=None))
    with pytest.raises(TemporaryFailure, match="could not be reached"):
        await Email(server.config(port=free_port())).send(LETTER)
    with pytest.raises(PermanentFailure, match="TABEL_SMTP_HOST"):
        await Email(SmtpConfig()).send(LETTER)


async def test_sms_goes_to_the_gateway_once_per_key() -> None:
    with sms_gateway() as gateway:
        sms = Sms(SmsConfig(url=gateway.url, token=SMS_TOKEN))
        await sms.send(LETTER)
        await sms.send(LETTER)  # sent again after a crash: the same key
        gateway.answers += [503, 400]
        with pytest.raises(TemporaryFailure, match="503"):
            await sms.send(LETTER)
        with pytest.raises(PermanentFailure, match="400"):
            await sms.send(LETTER)
    assert len(gateway.requests) == 4
    assert list(gateway.sent) == ["0f3c9a"]
    assert gateway.sent["0f3c9a"] == {
        "to": "+79001234567",
        "text": f"{LETTER.subject}\n{LETTER.body}",
    }
    assert {request["auth"] for request in gateway.requests} == {f"Bearer {SMS_TOKEN}"}
    with pytest.raises(TemporaryFailure, match="could not be reached"):
        await Sms(SmsConfig(url=f"http://127.0.0.1:{free_port()}/send", timeout=2)).send(LETTER)
    with pytest.raises(PermanentFailure, match="TABEL_SMS_URL"):
        await Sms(SmsConfig()).send(LETTER)


def test_the_registry_holds_the_built_ins_and_refuses_impostors() -> None:
    assert set(discover(SmtpConfig(), SmsConfig())) >= {"email", "sms", "in_app"}
    with pytest.raises(ChannelError, match="second channel"):
        discover(SmtpConfig(), SmsConfig(), [Pigeon(), Pigeon()])
    with pytest.raises(ChannelError, match="not a tabel Channel"):
        discover(SmtpConfig(), SmsConfig(), [object()])  # type: ignore[list-item]


@pytest.fixture
def pigeon_plugin_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Installs tests/pigeon_plugin the way pip would: a dist-info with an entry point."""
    install(tmp_path, monkeypatch, "pigeon", ENTRY_POINT_GROUP, "tests.pigeon_plugin:channel")


async def test_a_subscription_to_a_plugin_channel_is_delivered_through_it(
    engine: AsyncEngine, pigeon_plugin_installed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a parent who asked to be told of grades through the messenger bot
    home = await family(engine)
    async with make_sessionmaker(engine)() as session:
        session.add(
            m.NotificationSubscription(
                school_id=home.school_id, person_id=home.parent_id, student_id=home.student_id,
                topic=m.Topic.GRADE, channels="pigeon",
            )
        )  # fmt: skip
        await session.flush()
        # when a grade is told of (its settling time passed)
        news = News(home.student_id, "grade:7", "Новая оценка: 5", "Ученикова получила 5.")
        await tell(Database(session), home.school_id, m.Topic.GRADE, [news],
                   now=utc_now() - timedelta(minutes=10))  # fmt: skip
        await session.commit()
        phone = (await session.get_one(m.Person, home.parent_id)).phone
    with sms_gateway(path="/bot/send", key_header="X-Pigeon-Key") as bot:
        monkeypatch.setenv("PIGEON_BOT_URL", bot.url)
        sender = worker(engine)  # its channels discovered as installed
        assert "pigeon" in sender.channels
        await sender.run_once()
    # then the bot posted it to her chat, under the notification's key
    rows = [row for row in await notifications(engine) if row.person_id == home.parent_id]
    (row,) = rows
    assert (row.channel, row.status) == ("pigeon", m.DeliveryStatus.SENT)
    text = "*Новая оценка: 5*\nУченикова получила 5."
    assert bot.sent == {row.key: {"chat": phone, "text": text}}
