"""One subscription's events as they reach the process, and each read again for its
subscriber: in a fresh short transaction, by a caller resolved from the token again, through
the same row filters as the queries. An event the subscriber may read nothing of is not told."""

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from policies.principal import Principal
from resolvers.accounts.sign_in import principal_for_token
from resolvers.context import Context
from resolvers.errors import TabelError
from resolvers.loaders import Loaders
from resolvers.notifications import live
from resolvers.notifications.live import JournalEvent

T = TypeVar("T")
# Events waiting for one subscriber; past this many (a subscriber far behind), the oldest wait.
MOST_WAITING = 1_000


@dataclass(eq=False)
class Feed:
    """The events one subscription wants, queued in arrival order."""

    wanted: Callable[[JournalEvent], bool]

    def __post_init__(self) -> None:
        self.queue: asyncio.Queue[JournalEvent] = asyncio.Queue(MOST_WAITING)

    def __call__(self, journal_event: JournalEvent) -> None:
        if self.wanted(journal_event):
            if self.queue.full():
                self.queue.get_nowait()
            self.queue.put_nowait(journal_event)

    def start(self) -> None:
        live.HUB.add(self)

    def stop(self) -> None:
        live.HUB.discard(self)


async def caller_again(ctx: Context) -> Principal | None:
    """The subscriber as their token signs them in now (None: it no longer does), with fresh
    loaders: an event is read by the roles held when it arrives."""
    token = ctx.bearer_token
    if token is None:
        return None
    try:
        principal = await principal_for_token(ctx.db, token)
    except TabelError:
        return None
    if principal.must_change_password:
        return None
    ctx.principal = principal
    ctx.loaders = Loaders(ctx.db, ctx.policy, principal)
    return principal


async def changes(
    ctx: Context, feed: Feed, read: Callable[[JournalEvent], Awaitable[T | None]]
) -> AsyncGenerator[T, None]:
    """What each wanted event changed that the subscriber may read; it ends when the token
    no longer signs them in. No transaction stays open while it waits."""
    try:
        while True:
            journal_event = await feed.queue.get()
            if await caller_again(ctx) is None:
                return
            change = await read(journal_event)
            if change is not None:
                yield change  # its fields are resolved before this generator goes on
            await ctx.db.commit()
    finally:
        feed.stop()
