"""One request's database access: a single session whose statements never overlap."""

import asyncio
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Executable, Select, select
from sqlalchemy.engine import CursorResult, Result, Row
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")
AnySelect = Select[*tuple[Any, ...]]
AnyRow = Row[*tuple[Any, ...]]


class Database:
    """Strawberry resolves siblings concurrently and each DataLoader batch is its own task;
    an AsyncSession allows one statement at a time, so every statement takes the lock.
    One session per request also means one transaction and one consistent snapshot."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._lock = asyncio.Lock()
        # Whether anything may have been written: a read that wrote nothing may end with
        # COMMIT (see schema/transaction.py); everything else that fails ends with ROLLBACK.
        self.wrote = False

    async def execute(self, statement: Executable, params: Any = None) -> Result[Any]:
        self.wrote = self.wrote or not isinstance(statement, Select)
        async with self._lock:
            return await self.session.execute(statement, params)

    async def write(self, statement: Executable) -> int:
        """An UPDATE or DELETE; the number of rows it touched."""
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
