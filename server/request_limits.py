"""What `/graphql` refuses before GraphQL sees the request, each answered as a GraphQL error with
`extensions.code` BAD_USER_INPUT: a body over the limit (413, read no further than the limit,
whether its length was declared or it came in chunks), a body that is not one JSON object in
UTF-8 (400), and variables with a list longer than any argument takes (400, before graphql-core
spends time coercing every item)."""

from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resolvers.errors import ErrorCode


class Refused(Exception):
    """A request refused as a whole, with its HTTP status."""

    def __init__(
        self,
        status: int,
        message: str,
        code: ErrorCode = ErrorCode.BAD_USER_INPUT,
        *,
        close: bool = False,
        **details: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.close = close  # the connection ends with the answer
        self.details = details

    def body(self) -> bytes:
        extensions = {"code": self.code.value, **self.details}
        return orjson.dumps(
            {"data": None, "errors": [{"message": self.message, "extensions": extensions}]}
        )

    async def answer(self, send: Send) -> None:
        body = self.body()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        if "retryAfter" in self.details:
            headers.append((b"retry-after", str(self.details["retryAfter"]).encode()))
        if self.close:
            headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def too_large(max_bytes: int) -> Refused:
    """The connection ends with the answer: the rest of the body is not read, and reading it
    to keep the connection would be the very work the limit spares (50 MB, say)."""
    return Refused(
        413,
        f"The request is larger than {max_bytes} bytes; send less at once (a list of people "
        "to import: its gzip-compressed bytes in base64, which `peopleImportStart` takes).",
        close=True,
        maxBytes=max_bytes,
    )


class BodyLimit:
    """Pure ASGI: a declared `Content-Length` over the limit is refused before any byte is read;
    otherwise the bytes are counted as the application reads them, and it stops at the limit."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await too_large(self.max_bytes).answer(send)
            return
        received = 0
        started = False

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise too_large(self.max_bytes)
            return message

        async def send_noting_start(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive_within_limit, send_noting_start)
        except Refused as refusal:
            if not started:  # else the answer is on its way; the connection just ends
                await refusal.answer(send)


def content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def decode_body(data: str | bytes) -> dict[str, Any]:
    """The request: one JSON object, in UTF-8 (lone surrogates refused too: no database stores
    them)."""
    try:
        decoded = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise Refused(400, f"The request is not JSON in UTF-8: {error}.") from error
    if not isinstance(decoded, dict):
        raise Refused(
            400,
            "The request must be one JSON object with `query` and `variables` "
            "(a list of operations at once is not offered).",
        )
    return decoded


# A list in the variables may be this many times longer than the longest any field takes
# before it is refused unread: a near miss is left to the field's own bound, which names it.
NEAR_MISS = 4


def check_list_sizes(variables: dict[str, Any] | None, max_items: int) -> None:
    """No list anywhere in the variables is far longer than `max_items`, the most any argument
    or input field takes (each field's own bound is checked after coercion)."""
    ceiling = NEAR_MISS * max_items
    for name, value in (variables or {}).items():
        pending = [value]
        while pending:
            current = pending.pop()
            if isinstance(current, dict):
                pending.extend(current.values())
            elif isinstance(current, list):
                if len(current) > ceiling:
                    raise Refused(
                        400,
                        f"`${name}` holds a list of {len(current)} items; no list here "
                        f"takes more than {max_items}.",
                        variable=name,
                        maxItems=max_items,
                    )
                pending.extend(current)
