"""What a notification channel is: a name and a way to send one delivery, saying whether a
failure may pass (try again later) or never will (give up)."""

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Delivery:
    """One message to send. `key` is the notification's idempotency key: sent again after a
    crash, the message carries the same key, and the receiver keeps one (an e-mail's
    Message-ID, a gateway's Idempotency-Key). The address is the person's as it stands when
    it is sent (`Person.email`, `Person.phone`), never a copy kept with the notification."""

    key: str
    recipient: str  # the person's name, as a greeting would use it
    email: str | None
    phone: str | None
    subject: str
    body: str


class DeliveryError(Exception):
    """The channel did not send it; `message` says why, in words for the admin."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TemporaryFailure(DeliveryError):
    """It may go through later (a server down, a timeout): tried again after a while."""


class PermanentFailure(DeliveryError):
    """It never will (no address, the channel not configured, refused): given up at once."""


@runtime_checkable
class Channel(Protocol):
    """A way of telling people: `name` as subscriptions spell it (`email`, `sms`, `in_app`)."""

    @property
    def name(self) -> str: ...

    async def send(self, delivery: Delivery) -> None:
        """Sends it, or raises `TemporaryFailure` or `PermanentFailure`."""
        ...


def not_configured(channel: str, settings: str) -> PermanentFailure:
    return PermanentFailure(f"The {channel} channel is not configured: set {settings}.")
