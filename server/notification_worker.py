"""The notification worker (issue 14): sends what the outbox holds when it is due, a batch at
a time (`resolvers/notifications/claims.py`, `delivery.py`). It runs inside every `tabel
serve` process (the demo's, and by default production's) and in `tabel worker` beside the
report worker; on PostgreSQL any number of them share the outbox, on SQLite one writer at a
time takes. A commit in its own process that queued a notification wakes it; otherwise it
looks every `notification_poll_seconds`."""

import logging
from collections.abc import Mapping, Sequence
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

import model as m
from plugins.channels import Channel, discover
from plugins.channels.sms import SmsConfig
from plugins.channels.smtp import SmtpConfig
from resolvers.notifications import claims, delivery
from resolvers.notifications.outbox import WAKE
from server.settings import Settings
from server.worker import rest, worker_name

logger = logging.getLogger("tabel.notifications")


def options(settings: Settings) -> claims.Options:
    return claims.Options(
        worker=worker_name(),
        lease=timedelta(seconds=settings.notification_lease_seconds),
        batch=max(1, settings.notification_batch),
        max_attempts=max(1, settings.notification_max_attempts),
        backoff=timedelta(seconds=settings.notification_backoff_seconds),
        backoff_cap=timedelta(seconds=settings.notification_backoff_cap_seconds),
        at_once=max(1, settings.notification_at_once),
    )


def channels(settings: Settings, extra: Sequence[Channel] = ()) -> Mapping[str, Channel]:
    smtp = SmtpConfig(
        host=settings.smtp_host, port=settings.smtp_port, security=settings.smtp_security,
        username=settings.smtp_username, password=settings.smtp_password,
        sender=settings.smtp_from, timeout=settings.smtp_timeout_seconds,
        ca_file=settings.smtp_ca_file,
    )  # fmt: skip
    sms = SmsConfig(
        url=settings.sms_url, token=settings.sms_token, timeout=settings.sms_timeout_seconds
    )
    return discover(smtp, sms, extra)


class NotificationWorker:
    def __init__(
        self, sessions: claims.Sessions, settings: Settings,
        channels_: Mapping[str, Channel] | None = None,
    ) -> None:  # fmt: skip
        self.sessions = sessions
        self.options = options(settings)
        self.channels = channels(settings) if channels_ is None else channels_
        self.poll = settings.notification_poll_seconds

    async def run_once(self) -> dict[int, m.DeliveryStatus]:
        """Takes a batch of due notifications and sends them; what became of each, by id."""
        taken = await claims.claim(self.sessions, self.options)
        return await delivery.deliver(self.sessions, self.channels, self.options, taken)

    async def run(self) -> None:
        """Until cancelled: a batch after another while there are due ones, then rests until
        woken or the poll's time. A database that went away is logged and tried again."""
        while True:
            WAKE.clear()
            try:
                while len(await self.run_once()) >= self.options.batch:
                    pass
            except (SQLAlchemyError, OSError) as error:
                logger.warning("notification worker: %s", str(error).split("\n", 1)[0])
            await rest(WAKE, self.poll)
