"""Settings from the environment (`TABEL_…`); production defaults unless `--demo`."""

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_DATABASE = Path("var") / "demo.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TABEL_")

    database_url: str = f"sqlite:///{DEMO_DATABASE}"
    development: bool = False  # GraphiQL with example queries
    introspection: bool = True
    field_suggestions: bool = False
    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 4000
    token_ttl_hours: int = 12
    host: str = "127.0.0.1"
    port: int = 8000
    pool_size: int = 10
