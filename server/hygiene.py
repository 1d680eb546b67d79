"""What every HTTP answer carries and how a request's body must arrive: security headers, no
caching of personal data, a deadline for the body (a client trickling it is answered 408 and
disconnected), and one log line, not a traceback, for a client that goes away mid-request."""

import asyncio
import logging

import orjson
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resolvers.errors import ErrorCode
from schema.errors import printable

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


def _body_timeout_answer() -> bytes:
    error = {
        "message": "The request did not arrive in time; send it again.",
        "extensions": {"code": ErrorCode.BAD_USER_INPUT.value},
    }
    return orjson.dumps({"data": None, "errors": [error]})


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

        client = printable(scope["client"][0] if scope.get("client") else "?")
        where = f"{scope['method']} {printable(scope['path'])} from {client}"
        try:
            await self.app(scope, timed_receive, secured_send)
        except BodyTimeout:
            logger.warning("request body not received in %.0f s: %s", self.body_timeout, where)
            if not response_started:
                await _answer_body_timeout(secured_send)
        except ClientDisconnect:
            logger.info("client disconnected before sending its request: %s", where)


def _secured(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    names = {name.lower() for name, _ in headers}
    content_type = next((value for name, value in headers if name.lower() == b"content-type"), b"")
    policy = PAGE_POLICY if content_type.startswith(b"text/html") else API_POLICY
    added = [*SECURITY_HEADERS, (b"content-security-policy", policy)]
    if b"cache-control" not in names:
        added.append((b"cache-control", b"no-store"))
    return headers + [(name, value) for name, value in added if name not in names]


async def _answer_body_timeout(send: Send) -> None:
    body = _body_timeout_answer()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 408, "headers": headers})
    await send({"type": "http.response.body", "body": body})
