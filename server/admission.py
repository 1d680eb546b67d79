"""Load shedding at the door: each worker serves at most `limit` GraphQL requests at once. One
more is answered at once — `UNAVAILABLE`, HTTP 503 with `Retry-After` — before its body is read
or a connection is asked for, instead of queueing behind the pool until its wait runs out. What
is admitted then finds a connection within a request's time or two (the limit is a small
multiple of the pool), so an overloaded server answers everyone quickly, one way or the other.
`/healthz` and `/readyz` are never shed."""

import logging
import time

from starlette.types import ASGIApp, Receive, Scope, Send

from resolvers.errors import ErrorCode
from server.request_limits import Refused

logger = logging.getLogger("tabel.server")

GRAPHQL_PATH = "/graphql"


class Admission:
    def __init__(self, app: ASGIApp, limit: int, retry_after: int) -> None:
        self.app = app
        self.limit = limit
        self.retry_after = retry_after
        self.in_flight = 0
        self._shed = 0  # refused since the last log line
        self._logged_at = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != GRAPHQL_PATH or self.limit <= 0:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            self._note_shed()
            await Refused(
                503,
                "The journal is busy right now; try again in a moment.",
                ErrorCode.UNAVAILABLE,
                reason="overloaded",
                retryAfter=self.retry_after,
            ).answer(send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1

    def _note_shed(self) -> None:
        """One log line a second at most, however many requests are shed."""
        self._shed += 1
        now = time.monotonic()
        if now - self._logged_at >= 1.0:
            logger.warning(
                "overloaded: %d requests answered UNAVAILABLE (%d in flight)",
                self._shed,
                self.in_flight,
            )
            self._shed, self._logged_at = 0, now
