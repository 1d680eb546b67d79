"""Real servers the delivery tests send to: an SMTP server (aiosmtpd) that demands STARTTLS
with a trustme certificate and a login, and an SMS gateway over HTTP that keeps one message
per Idempotency-Key, as real gateways do. Both run in threads of their own and count what
reached them."""

import asyncio
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

if TYPE_CHECKING:
    from plugins.channels.smtp import SmtpConfig

SMTP_LOGIN, SMTP_PASSWORD = "tabel", "s3cret"
SMS_TOKEN = "gateway-token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    """What the SMTP server received; `refuse` answers the next DATA commands so (a 451, a
    550) instead of taking them; `stall` messages are recorded and then never answered."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse: list[str] = field(default_factory=list)
    stall: int = 0
    received: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        with self.lock:
            if self.refuse:
                return self.refuse.pop(0)
            content = cast(bytes, envelope.content)
            self.messages.append(message_from_bytes(content, policy=policy.default))
            self.received.set()
            stalled = self.stall > 0
            self.stall -= int(stalled)
        if stalled:
            await asyncio.sleep(3600)
        return "250 OK"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(message["Message-ID"]) for message in self.messages]


def _authenticator(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    good = isinstance(data, LoginPassword) and (data.login, data.password) == (
        SMTP_LOGIN.encode(),
        SMTP_PASSWORD.encode(),
    )
    return AuthResult(success=good, handled=False)


@dataclass(frozen=True)
class MailServer:
    host: str
    port: int
    ca_file: str
    mailbox: Mailbox

    implicit_tls: bool = False

    def config(self, **changes: Any) -> "SmtpConfig":
        """The e-mail channel's configuration that sends to it (with changes)."""
        from plugins.channels.smtp import SmtpConfig

        given = {
            "host": self.host, "port": self.port, "username": SMTP_LOGIN,
            "password": SMTP_PASSWORD, "sender": "journal@school.test", "ca_file": self.ca_file,
            "security": "tls" if self.implicit_tls else "starttls", "timeout": 5.0,
        }  # fmt: skip
        return SmtpConfig(**{**given, **changes})

    def settings(self) -> dict[str, Any]:
        """The `Settings` fields (and `TABEL_SMTP_*` variables) that send to it."""
        security = "tls" if self.implicit_tls else "starttls"
        return {
            "smtp_host": self.host, "smtp_port": self.port, "smtp_security": security,
            "smtp_username": SMTP_LOGIN, "smtp_password": SMTP_PASSWORD,
            "smtp_from": "journal@school.test", "smtp_ca_file": self.ca_file,
            "smtp_timeout_seconds": 5.0,
        }  # fmt: skip


@contextmanager
def mail_server(tmp: Path, *, implicit_tls: bool = False) -> Iterator[MailServer]:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    ca_file = tmp / "smtp-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    mailbox = Mailbox()
    port = free_port()
    tls: dict[str, Any] = (
        {"ssl_context": context} if implicit_tls
        else {"tls_context": context, "require_starttls": True}
    )  # fmt: skip
    # Over implicit TLS aiosmtpd does not see the session as encrypted: it offers AUTH only
    # when not asked to require TLS for it (the connection is TLS from its first byte).
    controller = Controller(
        mailbox, hostname="127.0.0.1", port=port, auth_required=True,
        auth_require_tls=not implicit_tls,
        authenticator=_authenticator, server_hostname="localhost", ready_timeout=10, **tls,
    )  # fmt: skip
    controller.start()
    try:
        yield MailServer("127.0.0.1", port, str(ca_file), mailbox, implicit_tls)
    finally:
        controller.stop()


@dataclass
class Gateway:
    """The SMS gateway's (or a messenger bot's) side: every request, and one message per key."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    sent: dict[str, dict[str, Any]] = field(default_factory=dict)
    answers: list[int] = field(default_factory=list)  # the next requests' statuses (500, 400)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""


@contextmanager
def sms_gateway(path: str = "/send", key_header: str = "Idempotency-Key") -> Iterator[Gateway]:
    gateway = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            key = self.headers.get(key_header, "")
            with gateway.lock:
                gateway.requests.append({"key": key, "body": body,
                                         "auth": self.headers.get("Authorization")})  # fmt: skip
                status = gateway.answers.pop(0) if gateway.answers else 200
                if status == 200:
                    gateway.sent.setdefault(key, body)  # a repeated key is the same message
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok": true}' if status == 200 else b'{"error": "no"}')

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
