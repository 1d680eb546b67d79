"""Rows collected in memory and written in bulk, parents first: PostgreSQL's COPY, or
executemany in chunks (SQLite)."""

from collections.abc import Callable
from typing import Any

from psycopg.types.json import Json
from sqlalchemy import JSON, Column, Dialect, Table, insert, text
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
            if conn.dialect.name == "postgresql":
                await _copy(conn, table, rows)
                done += len(rows)
                if progress is not None:
                    progress(stage, done, total)
                self.written[table.name] = self.written.get(table.name, 0) + len(rows)
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


async def _copy(conn: AsyncConnection, table: Table, rows: list[Row]) -> None:
    """The rows by COPY, each value as SQLAlchemy would have bound it in an INSERT: through
    its column type's processing, a missing one by the column's Python default (a server
    default is PostgreSQL's to fill). Several times faster than executemany."""
    given = list(rows[0])
    defaulted: list[Column[Any]] = [
        column
        for column in table.columns
        if column.key not in rows[0]
        and column.default is not None
        and (column.default.is_scalar or column.default.is_callable)
    ]
    columns = [table.c[key] for key in given] + defaulted
    processors = [_processor(column, conn.dialect) for column in columns]
    names = ", ".join(f'"{column.name}"' for column in columns)
    raw = await conn.get_raw_connection()
    driver: Any = raw.driver_connection
    async with (
        driver.cursor() as cursor,
        cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy,
    ):
        for row in rows:
            if len(row) != len(given):
                raise ValueError(f"{table.name}: rows with different columns")
            values = [row[key] for key in given]
            values += [_default(column) for column in defaulted]
            await copy.write_row(
                [
                    value if process is None else process(value)
                    for value, process in zip(values, processors, strict=True)
                ]
            )


def _processor(column: Column[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    if isinstance(column.type, JSON):  # the driver's to write, as it does a bound value
        return lambda value: None if value is None else Json(value)
    processor: Callable[[Any], Any] | None = column.type.bind_processor(dialect)
    return processor


def _default(column: Column[Any]) -> object:
    default: Any = column.default
    return default.arg(None) if default.is_callable else default.arg
