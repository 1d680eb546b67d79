"""Bringing a database to the newest schema with the Alembic migrations beside the model."""

from pathlib import Path

from alembic import command
from alembic.config import Config

import model

MIGRATIONS = Path(model.__file__).with_name("migrations")


def alembic_config(database_url: str) -> Config:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)
