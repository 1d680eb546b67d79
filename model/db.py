"""The async engine and session factory for PostgreSQL (psycopg 3) or embedded SQLite."""

import time
from functools import lru_cache
from typing import Any

from psycopg import _queries
from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.util import immutabledict


def async_url(url: str) -> str:
    """Accept plain `postgresql://` and `sqlite:///` URLs and pick the async drivers."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    return url


def _casefold(value: str | None) -> str | None:
    return None if value is None else value.lower()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite's own lower() knows only ASCII; names are Cyrillic.
    dbapi_connection.create_function("lower", 1, _casefold, deterministic=True)
    # The driver would BEGIN only before the first write, leaving earlier reads outside the
    # transaction (a check could then pass on data a concurrent writer is about to change);
    # we BEGIN ourselves, at the first statement (see `_begin`).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# A session's execution option: its transactions write. On SQLite they then begin with the
# write lock (`BEGIN IMMEDIATE`): a transaction that read first could not take it once another
# writer had committed ("database is locked" at once, whatever the busy timeout), so a writer
# waits for the lock at its start instead. Reads begin deferred and never wait for writers.
WRITES = "tabel_writes"


def expect_writes(session: AsyncSession, writes: bool = True) -> None:
    """Whether the transactions the session begins from now on write; one already begun keeps
    the lock it took. SQLAlchemy hands a session's execution options to each connection it
    begins a transaction on, which is where `_begin` reads them."""
    sync = session.sync_session
    options = {key: value for key, value in sync.execution_options.items() if key != WRITES}
    sync.execution_options = immutabledict({**options, WRITES: True} if writes else options)


def _begin(connection: Any) -> None:
    writes = connection.get_execution_options().get(WRITES, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


# psycopg prepares a statement the fifth time a connection runs it; every role and screen has
# statements of its own, so each connection keeps more of them than psycopg's default 100.
PREPARED_PER_CONNECTION = 1000
# A prepared statement runs on one plan, made once, instead of being planned at every run
# (planning the row filters took longer than running them). Plans are made knowing the
# dates, which statements carry as text (`resolvers/journal._day`), not the ids.
POSTGRES_OPTIONS = "-c plan_cache_mode=force_generic_plan"


# psycopg converts a query's `%(name)s` placeholders to `$1…` anew at every run of a query longer
# than 4096 bytes or with more than 50 parameters (a guard against ORMs' one-off multi-row
# INSERTs). A screen's statements are that long, with their row filters, and are run again and
# again (resolvers/kept.py): converting them took a quarter of the time spent running them.
# Their conversions are kept instead, for as many statements as a connection prepares.
QUERY_CONVERSIONS_KEPT = PREPARED_PER_CONNECTION
LONGEST_QUERY_KEPT = 65_536
MOST_PARAMETERS_KEPT = 1_000


def keep_query_conversions() -> None:
    if _queries.MAX_CACHED_STATEMENT_LENGTH == LONGEST_QUERY_KEPT:
        return  # kept already
    _queries.MAX_CACHED_STATEMENT_LENGTH = LONGEST_QUERY_KEPT
    _queries.MAX_CACHED_STATEMENT_PARAMS = MOST_PARAMETERS_KEPT
    _queries._query2pg = lru_cache(maxsize=QUERY_CONVERSIONS_KEPT)(_queries._query2pg_nocache)


def _postgres_connection(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.driver_connection.prepared_max = PREPARED_PER_CONNECTION


def postgres_timeouts(statement_timeout: float, connect_timeout: float) -> dict[str, Any]:
    """Connection arguments that bound each statement and each connection attempt (seconds).
    Set once per connection, not per transaction: a `SET LOCAL` would cost a round trip per
    request. A cancelled statement raises SQLSTATE 57014 and its transaction rolls back."""
    milliseconds = max(1, round(statement_timeout * 1000))
    return {
        "options": f"{POSTGRES_OPTIONS} -c statement_timeout={milliseconds}",
        "connect_timeout": max(1, round(connect_timeout)),
    }


# A pooled connection unused this long is asked `SELECT 1` before a request gets it (it may have
# died meanwhile: a restart, a firewall); one back in the pool within it is handed on as it is,
# so a busy server spends no round trip a request on it. A connection that died while busy
# fails its request (UNAVAILABLE, to retry), and SQLAlchemy then replaces every connection the
# pool held at the time.
PING_AFTER_IDLE_SECONDS = 1.0
_CHECKED_IN = "tabel_checked_in"


def ping_when_idle(engine: AsyncEngine, idle_seconds: float = PING_AFTER_IDLE_SECONDS) -> None:
    """`pool_pre_ping` for connections that were idle, not for every checkout."""

    def checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info[_CHECKED_IN] = time.monotonic()

    def checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_CHECKED_IN)
        if since is None or time.monotonic() - since < idle_seconds:
            return  # just connected, or just used
        try:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
        except Exception as error:
            raise DisconnectionError(str(error)) from error  # the pool connects anew

    event.listen(engine.sync_engine, "checkin", checked_in)
    event.listen(engine.sync_engine, "checkout", checked_out)


def make_engine(url: str, **options: Any) -> AsyncEngine:
    if async_url(url).startswith("postgresql+psycopg://"):
        options.setdefault("connect_args", {}).setdefault("options", POSTGRES_OPTIONS)
    engine = create_async_engine(async_url(url), **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _begin)
    else:
        keep_query_conversions()
        event.listen(engine.sync_engine, "connect", _postgres_connection)
    return engine


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
