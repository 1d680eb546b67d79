"""Read-only requests served by a streaming replica (issue 15, `TABEL_REPLICA_URL`), with
read-your-own-writes.

A query reads the replica only when the replica holds everything its caller wrote, and
everything anyone committed more than `max_lag` seconds ago; otherwise, and whenever this
process cannot tell (the replica or the primary away, the listener deaf), it reads the primary.
Mutations, subscriptions, sign-in and the reads a request makes before it knows its caller are
the primary's always.

How it knows, without a round trip per request: every `POLL` seconds this process asks the
primary where its WAL ends (`pg_current_wal_lsn()`) and the replica how far it has replayed
(`pg_last_wal_replay_lsn()`). Once the replica has replayed past a position the primary
reported at time t, everything committed before t is on the replica: that t is `caught_up`.
A mutation that wrote notes its caller's time here after its commit, and tells every other
process the same within its transaction (`pg_notify` on `tabel_writes`, heard by each
process's listener, `server/live_listener.py`); the caller's next queries read the primary
until `caught_up` passes that time. A write is flushed to the WAL before its COMMIT returns
(`synchronous_commit` on, PostgreSQL's default); with it off a position could be reported
before a commit's record is written, so the replica is not used."""

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo
from sqlalchemy.ext.asyncio import AsyncEngine

logger = logging.getLogger("tabel.replica")

POLL = 0.1  # seconds between two looks at where the primary and the replica are
ANSWER = 2.0  # seconds either has to answer a look before it is taken for gone
FIRST_WAIT = 0.2
MOST_WAIT = 10.0
SAMPLES = 1_000  # the primary's positions kept while the replica has not replayed them
KEEPALIVES = {"connect_timeout": 5, "keepalives": 1, "keepalives_idle": 5}
NEVER = float("-inf")


class Replica:
    """Where a streaming replica stands against the primary, as this process last saw it."""

    def __init__(
        self, engine: AsyncEngine, max_lag: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.engine = engine
        self.max_lag = max_lag
        self.clock = clock
        # Everything committed on the primary before this time (the clock's) is on the replica.
        self.caught_up = NEVER
        # Writes by other processes are heard from here on; those made before are not known.
        self.hearing_since: float | None = None
        self._samples: deque[tuple[float, int]] = deque(maxlen=SAMPLES)
        self._writes: dict[str, float] = {}

    def serves(self, caller: str | None) -> bool:
        """Whether a read-only request by `caller` may read the replica now."""
        since = self.hearing_since
        if since is None:
            return False
        least = max(since, self.clock() - self.max_lag)
        if caller is not None:
            least = max(least, self._writes.get(caller, NEVER))
        return self.caught_up >= least

    def wrote(self, caller: str) -> None:
        """`caller` committed a write just now (here, or in a process that said so)."""
        self._writes[caller] = self.clock()

    def heard(self, hearing: bool) -> None:
        """Whether this process hears the other processes' writes (its listener connected)."""
        self.hearing_since = self.clock() if hearing else None

    def observed(self, sampled_at: float, primary: int, replayed: int) -> None:
        """The primary's WAL ended at `primary` at `sampled_at`; the replica has replayed up
        to `replayed` since."""
        self._samples.append((sampled_at, primary))
        while self._samples and self._samples[0][1] <= replayed:
            self.caught_up = max(self.caught_up, self._samples.popleft()[0])
        caught_up = self.caught_up
        self._writes = {who: at for who, at in self._writes.items() if at > caught_up}

    def lost(self) -> None:
        """The primary or the replica stopped answering: nothing is known to be on it."""
        self.caught_up = NEVER
        self._samples.clear()

    async def watch(self, primary_url: str, replica_url: str) -> None:
        """Looks at both every `POLL` seconds, for the application's life."""
        wait = FIRST_WAIT
        while True:
            try:
                await self._watch_once(primary_url, replica_url)
            except (OSError, TimeoutError, psycopg.Error) as error:
                if self.caught_up != NEVER:  # it was watched: it went away just now
                    wait = FIRST_WAIT
                self.lost()
                # Its pooled connections may be dead too: a new pool, before it is read again.
                await self.engine.dispose(close=False)
                logger.warning(
                    "replica: not used (%s); looking again in %.1f s",
                    str(error).split("\n", 1)[0] or type(error).__name__,
                    wait,
                )
                await asyncio.sleep(wait)
                wait = min(wait * 2, MOST_WAIT)
            else:  # something that is no replica: looked at again now and then
                self.lost()
                await asyncio.sleep(MOST_WAIT)

    async def _watch_once(self, primary_url: str, replica_url: str) -> None:
        async with (
            await _connect(primary_url) as primary,
            await _connect(replica_url) as replica,
        ):
            if await _one(primary, "SELECT current_setting('synchronous_commit')") == "off":
                logger.warning("replica: not used: the primary's synchronous_commit is off")
                return
            if not await _one(replica, "SELECT pg_is_in_recovery()"):
                logger.warning("replica: not used: %s is not a standby", _where(replica))
                return
            logger.info("replica: watching %s", _where(replica))
            while True:
                sampled_at = self.clock()
                position = await _one(primary, "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")
                replayed = await _one(replica, "SELECT pg_last_wal_replay_lsn() - '0/0'::pg_lsn")
                if replayed is None:  # promoted meanwhile: no longer a replica
                    logger.warning("replica: not used: %s was promoted", _where(replica))
                    self.lost()
                    return
                self.observed(sampled_at, int(position), int(replayed))
                await asyncio.sleep(POLL)


async def _connect(url: str) -> psycopg.AsyncConnection[Any]:
    conninfo = make_conninfo(url, **KEEPALIVES)
    return await psycopg.AsyncConnection.connect(conninfo, autocommit=True)


async def _one(connection: psycopg.AsyncConnection[Any], query: str) -> Any:
    async with asyncio.timeout(ANSWER):
        row = await (await connection.execute(query)).fetchone()
    assert row is not None
    return row[0]


def _where(connection: psycopg.AsyncConnection[Any]) -> str:
    info = connection.info
    return f"{info.host}:{info.port}/{info.dbname}"
