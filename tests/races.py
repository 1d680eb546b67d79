"""Racing requests for real: several connections at once, and a check that they overlapped."""

import asyncio
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.client import Response


@dataclass
class Overlap:
    """How many connections the engine's pool had out at once."""

    out: int = 0
    peak: int = 0

    def checkout(self, *_: Any) -> None:
        self.out += 1
        self.peak = max(self.peak, self.out)

    def checkin(self, *_: Any) -> None:
        self.out -= 1


@contextmanager
def overlap(engine: AsyncEngine) -> Iterator[Overlap]:
    seen = Overlap()
    pool = engine.sync_engine.pool
    event.listen(pool, "checkout", seen.checkout)
    event.listen(pool, "checkin", seen.checkin)
    try:
        yield seen
    finally:
        event.remove(pool, "checkout", seen.checkout)
        event.remove(pool, "checkin", seen.checkin)


async def race(engine: AsyncEngine, requests: list[Awaitable[Response]]) -> list[Response]:
    """All the requests at once; fails unless their transactions really overlapped (an
    in-process engine would otherwise be free to run them one by one)."""
    with overlap(engine) as seen:
        replies = list(await asyncio.gather(*requests))
    assert seen.peak >= 2, "the requests never held two connections at once"
    return replies


def outcome(reply: Response) -> str:
    return reply.error_codes[0] if reply.error_codes else "OK"
