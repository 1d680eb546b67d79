"""This process's ear for the journal's live events and for changes of access on PostgreSQL
(issues 14, 15): one dedicated connection, not from the request pool, that LISTENs on
`tabel_journal` and `tabel_tokens` and hands every notification to `live.HUB`, the process's
subscriptions, and every change of access to the application's kept callers.

It runs from the application's start to its end, whether anyone subscribes or not: one idle
connection per process is cheap, and a listener started with the first subscription would
leave that subscription deaf to what commits while it connects. If the database goes away it
connects again, waiting longer each time (up to `MOST_WAIT` seconds); what was notified
meanwhile is lost to the live subscribers (never to the outbox's notifications), so after
reconnecting every connection checks its token again, as after a revocation."""

import asyncio
import logging
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url

from model.db import async_url
from resolvers.accounts.token_cache import TokenCache
from resolvers.database import WRITES_CHANNEL
from resolvers.notifications import live
from server.replica import Replica

logger = logging.getLogger("tabel.live")

FIRST_WAIT = 0.2
MOST_WAIT = 10.0
# A connection that went silent (a cable, a firewall's idle timeout) is found dead within three
# heartbeats — asked `SELECT 1` after each second without a notification, answered within the
# next two — and the kept callers are no longer trusted; TCP's keepalives are a second net.
HEARTBEAT = 1.0
KEEPALIVES = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 2,
}


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL as psycopg's own connection string."""
    url = make_url(async_url(database_url)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


async def listen_once(
    conninfo: str,
    ready: asyncio.Event | None = None,
    tokens: TokenCache | None = None,
    replica: Replica | None = None,
) -> None:
    """Listens until the connection breaks (an error) or the task is cancelled; `tokens` is
    kept only meanwhile (resolvers/accounts/token_cache.py), and forgets what it keeps at each
    change of access, as a listener of the hub's; `replica` serves reads only meanwhile, told
    who wrote (server/replica.py)."""
    conninfo = make_conninfo(conninfo, **KEEPALIVES)
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as connection:
        for channel in (live.CHANNEL, live.TOKENS_CHANNEL, WRITES_CHANNEL):
            await connection.execute(f"LISTEN {channel}")
        logger.info("listening for live journal events and access changes")
        try:
            if tokens is not None:
                tokens.heard(True)
                live.HUB.add_tokens(tokens.forget_all)
            if replica is not None:
                replica.heard(True)
                live.HUB.add_writes(replica.wrote)
            live.HUB.tokens_changed()  # whatever was missed while away: tokens checked again
            if ready is not None:
                ready.set()
            while True:
                async for notification in connection.notifies(timeout=HEARTBEAT):
                    live.HUB.receive(notification.channel, notification.payload)
                # Still there? A connection gone silent hears nothing and says so to no one.
                await _answers(connection, tokens, replica)
        finally:
            if tokens is not None:
                live.HUB.discard_tokens(tokens.forget_all)
                tokens.heard(False)
            if replica is not None:
                live.HUB.discard_writes(replica.wrote)
                replica.heard(False)


async def _answers(
    connection: psycopg.AsyncConnection[Any],
    tokens: TokenCache | None,
    replica: Replica | None,
) -> None:
    """The connection answers `SELECT 1` within two heartbeats, or it is given up: the kept
    callers at once (waiting on a silent connection to cancel its query could take minutes),
    then the connection."""
    ping = asyncio.ensure_future(connection.execute("SELECT 1"))
    for _ in range(2):  # twice: a process busy for a moment is not a silent connection
        done, _ = await asyncio.wait({ping}, timeout=HEARTBEAT)
        if ping in done:
            ping.result()
            return
    if tokens is not None:
        tokens.heard(False)
    if replica is not None:
        replica.heard(False)
    ping.cancel()
    await connection.close()  # at once: leaving it would wait for the ping's lock
    raise TimeoutError("the connection went silent")


async def run(
    database_url: str,
    ready: asyncio.Event | None = None,
    tokens: TokenCache | None = None,
    replica: Replica | None = None,
) -> None:
    conninfo = libpq_url(database_url)
    wait = FIRST_WAIT
    while True:
        try:
            await listen_once(conninfo, ready, tokens, replica)
            wait = FIRST_WAIT
        except (OSError, psycopg.Error) as error:
            logger.warning(
                "live events: the database is away (%s); again in %.1f s",
                str(error).split("\n", 1)[0],
                wait,
            )
            await asyncio.sleep(wait)
            wait = min(wait * 2, MOST_WAIT)
