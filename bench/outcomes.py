"""What came back, counted: each answer by HTTP status and GraphQL `extensions.code`, internal
errors and client timeouts apart; latencies as p50/p99."""

import asyncio
import contextlib
import statistics
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass, field

import orjson

from bench.client import Connection, Reply

INTERNAL = "INTERNAL_SERVER_ERROR"
TIMEOUT = "timeout"
CLOSED = "closed"  # the server closed the connection (or reset it) without an answer
CONNECT_FAILED = "connect failed"


def label(reply: Reply) -> str:
    """`200 ok`, `200 QUERY_TOO_COMPLEX`, `413 BAD_USER_INPUT`, `503 UNAVAILABLE`, `HTTP 408`…"""
    try:
        answer = orjson.loads(reply.body)
    except orjson.JSONDecodeError:
        return f"HTTP {reply.status}"
    if not isinstance(answer, dict):
        return f"HTTP {reply.status}"
    errors = answer.get("errors")
    if not errors:
        return f"{reply.status} ok"
    first = errors[0] if isinstance(errors, list) and errors else {}
    code = (first.get("extensions") or {}).get("code") if isinstance(first, dict) else None
    return f"{reply.status} {code or 'no code'}"


def is_internal(name: str) -> bool:
    return INTERNAL in name or name.startswith(("500", "HTTP 500"))


@dataclass
class Tally:
    """Answers counted by label, and the times (ms) of those that came, by label."""

    counts: Counter[str] = field(default_factory=Counter)
    times: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, ms: float | None = None) -> None:
        self.counts[name] += 1
        if ms is not None:
            self.times.setdefault(name, []).append(ms)

    def merge(self, other: "Tally") -> None:
        self.counts.update(other.counts)
        for name, times in other.times.items():
            self.times.setdefault(name, []).extend(times)

    @property
    def timings(self) -> list[float]:
        return [ms for times in self.times.values() for ms in times]

    def timings_of(self, suffix: str) -> list[float]:
        """The times of the answers whose label ends so, e.g. `UNAVAILABLE` or ` ok`."""
        return [ms for name, times in self.times.items() if name.endswith(suffix) for ms in times]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def internal(self) -> int:
        return sum(n for name, n in self.counts.items() if is_internal(name))

    @property
    def timeouts(self) -> int:
        return self.counts[TIMEOUT]

    def answers(self) -> str:
        """The other answers, most frequent first: `200 ok ×120, 413 BAD_USER_INPUT ×4`."""
        rest = [
            (name, n)
            for name, n in self.counts.most_common()
            if name != TIMEOUT and not is_internal(name)
        ]
        return ", ".join(f"{name} ×{n}" for name, n in rest) or "—"

    def percentiles(self, suffix: str = "") -> str:
        return p50_p99(self.timings_of(suffix) if suffix else self.timings)


def percentile(timings: list[float], p: int) -> float:
    """p in 1..99; NaN without timings."""
    if not timings:
        return float("nan")
    if len(timings) == 1:
        return timings[0]
    return statistics.quantiles(timings, n=100, method="inclusive")[p - 1]


def p50_p99(timings: list[float]) -> str:
    if not timings:
        return "—"
    return f"{percentile(timings, 50):.1f} / {percentile(timings, 99):.1f}"


async def timed(reply: Awaitable[Reply], seconds: float) -> Reply | str:
    """The reply, or TIMEOUT / CLOSED."""
    try:
        return await asyncio.wait_for(reply, seconds)
    except TimeoutError:
        return TIMEOUT
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        return CLOSED


async def close_quietly(connection: Connection | None) -> None:
    if connection is None:
        return
    connection.writer.close()
    with contextlib.suppress(TimeoutError, ConnectionError, OSError):
        await asyncio.wait_for(connection.writer.wait_closed(), 1)


class Session:
    """One client's keep-alive connection, opened again after a timeout or a close."""

    def __init__(self, address: tuple[str, int], timeout: float) -> None:
        self.address = address
        self.timeout = timeout
        self.connection: Connection | None = None

    async def ask(self, raw: bytes) -> Reply | str:
        if self.connection is None:
            try:
                self.connection = await asyncio.wait_for(Connection.open(self.address), 5)
            except (TimeoutError, OSError):
                return CONNECT_FAILED
        reply = await timed(self.connection.exchange(raw), self.timeout)
        if isinstance(reply, str) or reply.headers.get("connection", "").lower() == "close":
            await self.close()
        return reply

    async def close(self) -> None:
        await close_quietly(self.connection)
        self.connection = None
