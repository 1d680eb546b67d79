"""Bringing a database to the newest schema with the Alembic migrations beside the model."""

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

import model
from model.db import make_engine

MIGRATIONS = Path(model.__file__).with_name("migrations")


def alembic_config(database_url: str) -> Config:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


async def _revisions(database_url: str) -> tuple[str, ...]:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_heads()
            )
    finally:
        await engine.dispose()


def current(database_url: str) -> str:
    """Where the database's schema is, in a sentence."""
    newest = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    revisions = asyncio.run(_revisions(database_url))
    if not revisions:
        return "The database has no schema yet: `tabel db upgrade` creates it."
    if revisions == (newest,):
        return f"The database is at {newest}, the newest schema."
    return (
        f"The database is at {', '.join(revisions)}; the newest schema is {newest}:"
        " `tabel db upgrade` migrates it."
    )
