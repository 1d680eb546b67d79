"""Load shedding at the door, before a request's body is read or a connection is asked for.

Each worker serves at most `limit` GraphQL requests at once; one more is answered at once —
`UNAVAILABLE`, HTTP 503 with `Retry-After` — instead of queueing behind the pool until its wait
runs out. What is admitted then finds a connection within a request's time or two (the limit
is a small multiple of the pool), so an overloaded server answers everyone quickly, one way or
the other. And no one client takes more than its share: at most `per_client` of them are one
caller's — one bearer token, or one address for requests without a token — and one more is
`RATE_LIMITED` (HTTP 429) at once. `/healthz` and `/readyz` are never shed."""

import logging
import time
from collections import Counter

from starlette.types import ASGIApp, Receive, Scope, Send

from resolvers.errors import ErrorCode
from server.request_limits import Refused

logger = logging.getLogger("tabel.server")

GRAPHQL_PATH = "/graphql"


def caller_key(scope: Scope) -> bytes:
    """Who is asking, without asking the database: the token as sent, else the address."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            return bytes(value)
    client = scope.get("client")
    return b"address " + (client[0] if client else "?").encode()


class Admission:
    def __init__(self, app: ASGIApp, limit: int, per_client: int, retry_after: int) -> None:
        self.app = app
        self.limit = limit
        self.per_client = per_client
        self.retry_after = retry_after
        self.in_flight = 0
        self.by_caller: Counter[bytes] = Counter()
        self._shed = 0  # refused since the last log line
        self._logged_at = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != GRAPHQL_PATH:
            await self.app(scope, receive, send)
            return
        caller = caller_key(scope)
        refusal = self._refusal(caller)
        if refusal is not None:
            self._note_shed()
            await refusal.answer(send)
            return
        self.in_flight += 1
        self.by_caller[caller] += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
            self.by_caller[caller] -= 1
            if not self.by_caller[caller]:
                del self.by_caller[caller]

    def _refusal(self, caller: bytes) -> Refused | None:
        if 0 < self.limit <= self.in_flight:
            return Refused(
                503,
                "The journal is busy right now; try again in a moment.",
                ErrorCode.UNAVAILABLE,
                reason="overloaded",
                retryAfter=self.retry_after,
            )
        if 0 < self.per_client <= self.by_caller[caller]:
            return Refused(
                429,
                f"You have {self.per_client} requests running already; send the next when "
                "one has been answered.",
                ErrorCode.RATE_LIMITED,
                reason="concurrency",
                retryAfter=1,
            )
        return None

    def _note_shed(self) -> None:
        """One log line a second at most, however many requests are shed."""
        self._shed += 1
        now = time.monotonic()
        if now - self._logged_at >= 1.0:
            logger.warning(
                "shedding load: %d requests refused (%d in flight, %d callers)",
                self._shed,
                self.in_flight,
                len(self.by_caller),
            )
            self._shed, self._logged_at = 0, now
