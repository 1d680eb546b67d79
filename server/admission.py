"""Load shedding at the door, before a request's body is read or a connection is asked for.

- Each worker serves at most `limit` GraphQL requests at once; one more is answered at once —
  `UNAVAILABLE`, HTTP 503 with `Retry-After` — instead of queueing behind the pool until its
  wait runs out. A request counts from when its body is in (it is refused then if the places
  filled meanwhile): connections trickling their bodies hold no place. What is admitted then
  finds a connection within a request's time or two (the limit is a small multiple of the
  pool), so an overloaded server answers everyone quickly.
- No one caller takes more than its share. A caller is a bearer token this worker has seen
  sign a request in lately, or else the client's address: requests without a token are charged
  to where they come from. A token this worker has not seen valid lately (a new sign-in, the
  other worker's caller, a teacher back from a lesson) has the share of a token, held by its
  address, and is resolved before its document is parsed (schema/transaction.py): a valid one
  is charged to itself from then on, and one that resolves to nobody makes its request the
  address's, refused past the address's share — a stranger cannot escape that share by
  inventing tokens, and each invented one costs a look-up, not a parse. Each caller has a
  request rate (a token bucket:
  `rate` a second, bursts of `burst`; an address a smaller one of its own, as without a token
  there is little to ask but to sign in: bursts of a hundred fragment bombs kept a worker busy
  for a fifth of a second, a teacher's request waited at every one of its statements, and its
  p99 was 0.1–0.4 s where 13 ms is usual), a rate of bytes sent in bodies (another bucket: a
  request declaring more than the caller holds waits, and every byte read is charged — a
  caller sending the largest bodies the limit lets through gets a few read a second, not a
  hundred) and optionally a number of requests in flight (`per_client`); past them,
  `RATE_LIMITED` (HTTP 429, `Retry-After`) after a short wait, for the price of a dictionary
  look-up, where a fresh document would cost milliseconds of parsing.

`/healthz` and `/readyz` are never shed. The counts are each worker's own: a limit holds per
worker process, which is what keeps that process answering."""

import asyncio
import logging
import math
import time
from collections import Counter, OrderedDict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resolvers.errors import ErrorCode, RateLimited
from server.request_limits import Refused, content_length

logger = logging.getLogger("tabel.server")

GRAPHQL_PATH = "/graphql"
KNOWN_FOR_SECONDS = 300.0  # a token that signed a request in is charged to itself this long
MOST_CALLERS = 10_000  # callers remembered per worker; the least recent are forgotten
ADDRESS = b"address "  # how a caller known only by its address is named
UNVERIFIED = b"unverified "  # … and the tokens from an address not yet seen valid
TARPIT_SECONDS = 0.5  # how long a caller past its share waits for its RATE_LIMITED


class Buckets:
    """A token bucket per caller: `rate` units a second come in, at most `burst` are saved.
    0 as the rate: no limit."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = burst
        self._held: OrderedDict[bytes, tuple[float, float]] = OrderedDict()  # units, at

    def wait(self, caller: bytes, amount: float) -> float:
        """0 if the caller holds `amount` now (a sum over its burst: the whole burst), else
        the seconds until it will."""
        if self.rate <= 0:
            return 0.0
        missing = min(amount, self.burst) - self._now(caller)
        return max(0.0, missing) / self.rate

    def take(self, caller: bytes, amount: float) -> None:
        """Charge the caller `amount`, below zero if it has less: it then waits longer."""
        if self.rate <= 0:
            return
        self._held[caller] = (self._now(caller) - amount, time.monotonic())
        self._held.move_to_end(caller)
        if len(self._held) > MOST_CALLERS:
            self._held.popitem(last=False)

    def _now(self, caller: bytes) -> float:
        units, at = self._held.get(caller, (self.burst, 0.0))
        return min(self.burst, units + (time.monotonic() - at) * self.rate)


class Door:
    """What a worker knows of its callers: the tokens shown valid lately, and each caller's
    two shares — of requests, and of bytes sent in their bodies."""

    def __init__(
        self,
        rate: float,
        burst: int,
        bytes_rate: float = 0.0,
        bytes_burst: int = 0,
        address_rate: float = 0.0,
        address_burst: int = 0,
    ) -> None:
        self.requests = Buckets(rate, burst)
        self.address_requests = Buckets(address_rate, address_burst)
        self.bytes = Buckets(bytes_rate, bytes_burst)
        self._known: OrderedDict[bytes, float] = OrderedDict()
        self._told_busy: OrderedDict[bytes, float] = OrderedDict()  # caller, when

    def told_busy_again(self, caller: bytes, retry_after: float) -> bool:
        """The caller is told the worker is busy, and was told so less than `retry_after`
        seconds ago: it did not wait as asked."""
        now = time.monotonic()
        told = self._told_busy.get(caller)
        self._told_busy[caller] = now
        self._told_busy.move_to_end(caller)
        if len(self._told_busy) > MOST_CALLERS:
            self._told_busy.popitem(last=False)
        return told is not None and now - told < retry_after

    def signed_in(self, authorization: bytes) -> None:
        """The request with this Authorization header resolved to a caller."""
        self._known[authorization] = time.monotonic()
        self._known.move_to_end(authorization)
        if len(self._known) > MOST_CALLERS:
            self._known.popitem(last=False)

    def knows(self, authorization: bytes) -> bool:
        """The token signed a request in lately."""
        seen = self._known.get(authorization)
        return seen is not None and time.monotonic() - seen < KNOWN_FOR_SECONDS

    def verifies_first(self, authorization: bytes | None) -> bool:
        """A request with this Authorization header has its token resolved before its
        document is parsed: the token was not seen valid lately, and addresses have a share
        that a token resolving to nobody must be held to."""
        return (
            authorization is not None
            and self.address_requests.rate > 0
            and not self.knows(authorization)
        )

    def caller(self, scope: Scope) -> bytes:
        token = authorization(scope)
        if token is None:
            return ADDRESS + host(scope)
        if self.knows(token):
            return token
        return UNVERIFIED + host(scope)

    def requests_of(self, caller: bytes) -> Buckets:
        """The bucket of the caller's requests: the smaller one of an address, else a token's
        (the tokens not yet seen valid share one per address)."""
        return self.address_requests if caller.startswith(ADDRESS) else self.requests

    def charge_address(self, scope: Scope) -> None:
        """The request's token resolved to nobody: the request is its address's, refused
        `RATE_LIMITED` past the address's share — at once: a request this far holds one of
        the worker's places, which a wait would keep from others (the tokens not yet seen
        valid have a token's rate at the door, which bounds how often this is asked)."""
        address = ADDRESS + host(scope)
        if (wait := self.address_requests.wait(address, 1)) > 0:
            raise RateLimited(
                "Too many requests at once; slow down a little.",
                reason="rate",
                retryAfter=max(1, math.ceil(wait)),
            )
        self.address_requests.take(address, 1)


def host(scope: Scope) -> bytes:
    client = scope.get("client")
    return (client[0] if client else "?").encode()


def authorization(scope: Scope) -> bytes | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            return bytes(value)
    return None


class Admission:
    def __init__(
        self, app: ASGIApp, door: Door, limit: int, per_client: int, retry_after: int
    ) -> None:
        self.app = app
        self.door = door
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
        caller = self.door.caller(scope)
        refusal = self._refusal(caller, content_length(scope) or 0)
        if refusal is not None:
            self._note_shed()
            if refusal.code is ErrorCode.RATE_LIMITED or self.door.told_busy_again(
                caller, self.retry_after
            ):
                # Told to wait, the caller waits for the telling: a client looping past its
                # rate, or back at a busy worker before its Retry-After, gets a few answers a
                # second instead of thousands that would take the worker from its work. The
                # first UNAVAILABLE is answered at once.
                await asyncio.sleep(TARPIT_SECONDS)
            await refusal.answer(send)
            return
        self.door.requests_of(caller).take(caller, 1)
        arrived = False

        async def receive_counted() -> Message:
            """The body's bytes are charged to the caller as they are read (however they come,
            and only as far as the body limit lets them be read). The request counts in flight
            once its body is in: a client sending its body slowly holds no place meanwhile —
            Hygiene's body deadline ends it — and the places go to requests with work to do."""
            nonlocal arrived
            message = await receive()
            self.door.bytes.take(caller, len(message.get("body", b"")))
            if not arrived and message["type"] == "http.request" and not message.get("more_body"):
                if 0 < self.limit <= self.in_flight:
                    self._note_shed()
                    raise self._overloaded()
                arrived = True
                self._enter(caller)
            return message

        try:
            await self.app(scope, receive_counted, send)
        finally:
            if arrived:
                self._leave(caller)

    def _enter(self, caller: bytes) -> None:
        self.in_flight += 1
        if self.per_client > 0:  # callers' requests in flight, only where capped
            self.by_caller[caller] += 1

    def _leave(self, caller: bytes) -> None:
        self.in_flight -= 1
        if self.per_client > 0:
            self.by_caller[caller] -= 1
            if not self.by_caller[caller]:
                del self.by_caller[caller]

    def _overloaded(self) -> Refused:
        return Refused(
            503,
            "The journal is busy right now; try again in a moment.",
            ErrorCode.UNAVAILABLE,
            reason="overloaded",
            retryAfter=self.retry_after,
        )

    def _refusal(self, caller: bytes, declared_bytes: int) -> Refused | None:
        if 0 < self.limit <= self.in_flight:
            return self._overloaded()
        if 0 < self.per_client <= self.by_caller[caller]:
            return Refused(
                429,
                f"You have {self.per_client} requests running already; send the next when "
                "one has been answered.",
                ErrorCode.RATE_LIMITED,
                reason="concurrency",
                retryAfter=1,
            )
        if (wait := self.door.requests_of(caller).wait(caller, 1)) > 0:
            return Refused(
                429,
                "Too many requests at once; slow down a little.",
                ErrorCode.RATE_LIMITED,
                reason="rate",
                retryAfter=max(1, math.ceil(wait)),
            )
        if (wait := self.door.bytes.wait(caller, declared_bytes)) > 0:
            return Refused(
                429,
                "You have sent a lot of data in a short time; wait a little before sending more.",
                ErrorCode.RATE_LIMITED,
                reason="bytes",
                retryAfter=max(1, math.ceil(wait)),
            )
        return None

    def _note_shed(self) -> None:
        """One log line a second at most, however many requests are shed."""
        self._shed += 1
        now = time.monotonic()
        if now - self._logged_at >= 1.0:
            logger.warning(
                "shedding load: %d requests refused (%d in flight)",
                self._shed,
                self.in_flight,
            )
            self._shed, self._logged_at = 0, now
