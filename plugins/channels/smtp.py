"""`email`: SMTP through aiosmtplib — implicit TLS or STARTTLS, authentication, a timeout. The
Message-ID is made from the notification's key, so a message sent again after a crash is the
same message to every mail system that keeps one of each."""

import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate

import aiosmtplib

from plugins.channels.base import Delivery, PermanentFailure, TemporaryFailure, not_configured


@dataclass(frozen=True)
class SmtpConfig:
    host: str | None = None
    port: int = 587
    security: str = "starttls"  # "tls" (implicit, port 465), "starttls", or "none"
    username: str | None = None
    password: str | None = None
    sender: str | None = None  # the From address
    timeout: float = 20.0
    ca_file: str | None = None  # a private CA the server's certificate is signed by


def message_id(key: str, sender: str) -> str:
    domain = sender.rpartition("@")[2] or "tabel.invalid"
    return f"<{key}@{domain}>"


class Email:
    name = "email"

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def message(self, delivery: Delivery) -> EmailMessage:
        config = self.config
        assert config.sender is not None
        assert delivery.email is not None
        message = EmailMessage()
        message["From"] = config.sender
        message["To"] = formataddr((delivery.recipient, delivery.email))
        message["Subject"] = delivery.subject
        message["Date"] = formatdate(localtime=False, usegmt=True)
        message["Message-ID"] = message_id(delivery.key, config.sender)
        message.set_content(delivery.body, charset="utf-8")
        return message

    async def send(self, delivery: Delivery) -> None:
        config = self.config
        if not config.host or not config.sender:
            raise not_configured("e-mail", "TABEL_SMTP_HOST and TABEL_SMTP_FROM")
        if not delivery.email:
            raise PermanentFailure("The person has no e-mail address.")
        context = ssl.create_default_context(cafile=config.ca_file)
        try:
            await aiosmtplib.send(
                self.message(delivery),
                hostname=config.host,
                port=config.port,
                username=config.username or None,
                password=config.password or None,
                use_tls=config.security == "tls",
                start_tls=config.security == "starttls",
                tls_context=context if config.security != "none" else None,
                timeout=config.timeout,
            )
        except aiosmtplib.SMTPResponseException as error:
            said = f"The mail server answered {error.code}: {error.message}"
            if 500 <= error.code < 600:
                raise PermanentFailure(said) from error
            raise TemporaryFailure(said) from error
        except (aiosmtplib.SMTPException, OSError) as error:
            raise TemporaryFailure(f"The mail server could not be reached: {error}") from error
