"""Primary keys handed out in Python, continuing after whatever the database already holds."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from model.base import Base


class Ids:
    """One counter per table, started at the table's current max(id) + 1."""

    def __init__(self, last: dict[str, int]) -> None:
        self._last = dict(last)

    @classmethod
    async def load(cls, conn: AsyncConnection) -> "Ids":
        last: dict[str, int] = {}
        for table in Base.metadata.sorted_tables:
            if "id" in table.c:
                value = (await conn.execute(select(func.max(table.c.id)))).scalar()
                last[table.name] = int(value or 0)
        return cls(last)

    def next(self, model: type[Base]) -> int:
        name: str = model.__tablename__
        value = self._last[name] + 1
        self._last[name] = value
        return value
