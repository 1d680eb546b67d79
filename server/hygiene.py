"""What every HTTP answer carries and how a request's body must arrive: security headers, no
caching of personal data, a deadline for the body (a client trickling it is answered 408 and
disconnected), and one log line, not a traceback, for a client that goes away mid-request."""

import asyncio
import logging

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schema.errors import printable
from server.request_limits import Refused

logger = logging.getLogger("tabel.server")

SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
# JSON answers load nothing; GraphiQL's page (the demo only) loads its scripts and styles.
API_POLICY = b"default-src 'none'; frame-ancestors 'none'"
PAGE_POLICY = b"frame-ancestors 'none'"


class BodyTimeout(Exception):
    """The request's body did not arrive within its deadline."""


class Hygiene:
    def __init__(self, app: ASGIApp, body_timeout: float) -> None:
        self.app = app
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_timeout
        body_complete = False
        response_started = False

        async def timed_receive() -> Message:
            nonlocal body_complete
            if body_complete:  # waiting for a disconnect while answering is not reading
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise BodyTimeout from None
            body_complete = message["type"] != "http.request" or not message.get("more_body")
            return message

        async def secured_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
                message["headers"] = _secured(list(message.get("headers", [])))
            await send(message)

        try:
            await self.app(scope, timed_receive, secured_send)
        except BodyTimeout:
            where = _where(scope)
            logger.warning("request body not received in %.0f s: %s", self.body_timeout, where)
            if not response_started:
                late = Refused(
                    408, "The request did not arrive in time; send it again.", close=True
                )
                await late.answer(secured_send)
        except ClientDisconnect:
            logger.info("client disconnected before sending its request: %s", _where(scope))


def _where(scope: Scope) -> str:
    """The request, for a log line (only when there is one to write)."""
    client = printable(scope["client"][0] if scope.get("client") else "?")
    return f"{scope['method']} {printable(scope['path'])} from {client}"


def _secured(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    names = {name.lower() for name, _ in headers}
    content_type = next((value for name, value in headers if name.lower() == b"content-type"), b"")
    policy = PAGE_POLICY if content_type.startswith(b"text/html") else API_POLICY
    added = [*SECURITY_HEADERS, (b"content-security-policy", policy)]
    if b"cache-control" not in names:
        added.append((b"cache-control", b"no-store"))
    return headers + [(name, value) for name, value in added if name not in names]
