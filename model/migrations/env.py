"""Alembic environment: runs migrations over the application's async engine."""

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

from model import Base
from model.db import make_engine

config = context.config
target_metadata = Base.metadata
url = config.get_main_option("sqlalchemy.url") or os.environ.get("TABEL_DATABASE_URL", "")


def _run(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        # Batch migrations rebuild a table to alter it; with foreign keys enforced, dropping the
        # old table fails once other rows refer to it. Off for the migration's connection only
        # (the PRAGMA has no effect inside a transaction, so before the first statement).
        cursor = connection.connection.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.close()
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    engine = make_engine(url)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=url, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
