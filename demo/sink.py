"""Rows collected in memory and written in bulk: executemany in chunks, parents first."""

from collections.abc import Callable

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncConnection

from model.base import Base

Row = dict[str, object]
Progress = Callable[[str, int, int], None]

CHUNK = 5000


class Sink:
    def __init__(self) -> None:
        self._rows: dict[str, list[Row]] = {}
        self.written: dict[str, int] = {}

    def add(self, model: type[Base], row: Row) -> None:
        self._rows.setdefault(model.__tablename__, []).append(row)

    def pending(self) -> int:
        return sum(len(rows) for rows in self._rows.values())

    async def flush(self, conn: AsyncConnection, stage: str, progress: Progress | None) -> None:
        """Insert everything collected so far, in foreign-key order, and forget it."""
        total = self.pending()
        done = 0
        if progress is not None:
            progress(stage, done, total)
        for table in Base.metadata.sorted_tables:
            rows = self._rows.pop(table.name, None)
            if not rows:
                continue
            statement = insert(table)
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                await conn.execute(statement, chunk)
                done += len(chunk)
                if progress is not None:
                    progress(stage, done, total)
            self.written[table.name] = self.written.get(table.name, 0) + len(rows)
        if self._rows:
            raise RuntimeError(f"rows for unknown tables: {sorted(self._rows)}")

    async def reset_sequences(self, conn: AsyncConnection) -> None:
        """Move PostgreSQL id sequences past the ids given here, so later inserts do not collide,
        and refresh the planner's statistics: a bulk load leaves them empty, and the first
        hours of queries would run on plans made for empty tables."""
        if conn.dialect.name != "postgresql":
            return
        for name in sorted(self.written):
            await conn.execute(text(f'ANALYZE "{name}"'))
            await conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f'(SELECT max(id) FROM "{name}"))'
                )
            )
