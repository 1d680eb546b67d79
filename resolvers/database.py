"""One request's database access: a single session whose statements never overlap."""

import asyncio
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Protocol, TypeVar

from sqlalchemy import Executable, Select, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult, Result, Row
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from model.db import expect_writes
from policies.principal import Principal

T = TypeVar("T")
AFTER_COMMIT = "tabel_after_commit"  # the session's `info` key of what waits for the commit
AnySelect = Select[*tuple[Any, ...]]
AnyRow = Row[*tuple[Any, ...]]
WRITES_CHANNEL = "tabel_writes"  # who wrote, told to every process (server/replica.py)


class ReadReplica(Protocol):
    """A streaming replica that read-only requests may read (`server/replica.Replica`)."""

    engine: AsyncEngine

    def serves(self, caller: str | None) -> bool: ...

    def wrote(self, caller: str) -> None: ...


class Database:
    """Strawberry resolves siblings concurrently and each DataLoader batch is its own task;
    an AsyncSession allows one statement at a time, so every statement takes the lock.
    One session per request also means one transaction and one consistent snapshot."""

    def __init__(self, session: AsyncSession, replica: ReadReplica | None = None) -> None:
        self.session = session
        self._lock = asyncio.Lock()
        self.replica = replica
        self._primary = session.sync_session.bind
        self.on_replica = False
        # Whether the transaction may have written anything: a read that wrote nothing may end
        # with COMMIT (see schema/transaction.py); everything else that fails ends with ROLLBACK.
        self.wrote = False

    def expect_writes(self, writes: bool = True) -> None:
        """Whether the transactions begun from now on write (`model.db.expect_writes`)."""
        expect_writes(self.session, writes)

    async def begin_writing(self) -> None:
        """The request writes from here on, in a transaction that takes the write lock at its
        start: what was only read so far is committed first (it changed nothing). For a write
        that must not hold the lock while something slow is checked (a password), or that is
        committed on its own (an API token's use). A transaction that has written already
        holds the lock, and goes on."""
        if self.session.in_transaction() and not self.wrote:
            await self.commit()
        self._bind_primary()
        expect_writes(self.session)

    async def read_replica(self, principal: Principal | None) -> bool:
        """A read-only request reads the streaming replica from here on, if there is one that
        holds everything its caller wrote (and all else, but for the last moments): whether it
        does. What the request read so far on the primary (its caller, when not kept) is
        committed first: a transaction reads one database."""
        replica = self.replica
        if replica is None or self.wrote or not replica.serves(_writer(principal)):
            return False
        if self.session.in_transaction():
            await self.commit()
        self.session.sync_session.bind = replica.engine.sync_engine
        self.on_replica = True
        return True

    def _bind_primary(self) -> None:
        if self.on_replica:
            self.session.sync_session.bind = self._primary
            self.on_replica = False

    async def tell_written(self, principal: Principal | None) -> None:
        """The request's transaction wrote for its caller: once it commits, the caller's next
        reads wait for the replica to hold it, in every process (server/replica.py)."""
        replica, caller = self.replica, _writer(principal)
        if replica is None or caller is None:
            return
        await self.execute(select(func.pg_notify(WRITES_CHANNEL, caller)))
        self.after_commit(partial(replica.wrote, caller))

    def after_commit(self, then: Callable[[], None]) -> None:
        """`then` called in this process soon after the transaction under way commits (its
        outermost one: a savepoint's release is no commit); never if it ends otherwise."""
        session = self.session.sync_session
        waiting: list[Callable[[], None]] | None = session.info.get(AFTER_COMMIT)
        if waiting is None:
            waiting = session.info[AFTER_COMMIT] = []
            event.listen(session, "after_commit", _committed)
            event.listen(session, "after_transaction_end", _ended)
        waiting.append(then)

    async def commit(self) -> None:
        async with self._lock:
            await self.session.commit()
        self.wrote = False

    async def insert_missing(self, entity: type[Any], rows: Sequence[dict[str, Any]]) -> None:
        """Inserts the rows whose unique key is not taken (`ON CONFLICT DO NOTHING`): a row a
        concurrent request inserted first stands, and this request goes on without an error."""
        if self.session.get_bind().dialect.name == "postgresql":
            await self.execute(postgresql.insert(entity).on_conflict_do_nothing(), rows)
        else:
            await self.execute(sqlite.insert(entity).on_conflict_do_nothing(), rows)

    async def execute(self, statement: Executable, params: Any = None) -> Result[Any]:
        writes = not isinstance(statement, Select)
        if writes and self.on_replica:  # a replica takes no writes
            await self.begin_writing()
        self.wrote = self.wrote or writes
        async with self._lock:
            return await self.session.execute(statement, params)

    async def write(self, statement: Executable) -> int:
        """An UPDATE or DELETE; the number of rows it touched."""
        if self.on_replica:
            await self.begin_writing()
        self.wrote = True
        async with self._lock:
            result: CursorResult[Any] = await self.session.execute(statement)  # type: ignore[assignment]
            return result.rowcount

    async def flush(self) -> None:
        self.wrote = True
        async with self._lock:
            await self.session.flush()

    async def reload(self, entity: type[T], row_id: int) -> T:
        """A row read again after an UPDATE, replacing what the session held."""
        id_column: Any = getattr(entity, "id")  # noqa: B009
        statement = select(entity).where(id_column == row_id)
        async with self._lock:
            row = await self.session.scalar(statement.execution_options(populate_existing=True))
        assert row is not None
        return row

    async def scalars(self, statement: Select[T]) -> Sequence[T]:
        async with self._lock:
            return (await self.session.scalars(statement)).all()

    async def scalar(self, statement: Select[T]) -> T | None:
        async with self._lock:
            return await self.session.scalar(statement)

    async def rows(self, statement: AnySelect) -> Sequence[AnyRow]:
        async with self._lock:
            return (await self.session.execute(statement)).all()

    async def columns(self, statement: AnySelect) -> Sequence[AnyRow]:
        """The rows of a statement of columns only (no entity): run on the session's
        connection, past the ORM's handling of results (what is pending is flushed first)."""
        async with self._lock:
            session = self.session
            if session.new or session.dirty or session.deleted:
                await session.flush()
            connection = await session.connection()
            return (await connection.execute(statement)).all()


def _writer(principal: Principal | None) -> str | None:
    """Whose writes a request must read: its account's, or its API token's (None: nobody's)."""
    if principal is None:
        return None
    if principal.account_id is not None:
        return f"account:{principal.account_id}"
    return f"token:{principal.token_id}"


def _committed(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint's: the transaction goes on
        return
    waiting: list[Callable[[], None]] = session.info.get(AFTER_COMMIT) or []
    due, waiting[:] = list(waiting), []
    if due:
        loop = asyncio.get_running_loop()
        for then in due:  # soon after, not inside the commit
            loop.call_soon(then)


def _ended(session: Session, transaction: SessionTransaction) -> None:
    # The outermost transaction ended: what it committed was called and cleared at its commit,
    # so what is left waited for a commit that did not come.
    if transaction.parent is None:
        waiting: list[Callable[[], None]] = session.info.get(AFTER_COMMIT) or []
        waiting.clear()
