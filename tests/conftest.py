"""Every test runs on SQLite and on PostgreSQL, against a schema built by the migrations."""

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from model import Base
from model.db import make_engine
from resolvers.people import import_jobs
from server.app import create_app
from server.migrate import upgrade
from server.settings import Settings
from tests.client import GraphQLClient

POSTGRES_URL = os.environ.get(
    "TABEL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
# In CI PostgreSQL is required: an unreachable server fails the run instead of skipping it.
POSTGRES_REQUIRED = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


async def _reachable(url: str) -> str | None:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return None
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    finally:
        await engine.dispose()


async def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
async def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    else:
        url = POSTGRES_URL
        problem = await _reachable(url)
        if problem is not None:
            message = f"PostgreSQL at {url} is unreachable ({problem})"
            if POSTGRES_REQUIRED:
                pytest.fail(message + "; CI requires it", pytrace=False)
            pytest.skip(message + "; set TABEL_TEST_POSTGRES_URL or start the server")
        await _reset_postgres(url)
    await asyncio.to_thread(upgrade, url)
    return url


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture(autouse=True)
async def _clean_tables(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    yield
    if "engine" not in request.fixturenames:
        return
    engine: AsyncEngine = request.getfixturevalue("engine")
    await import_jobs.settle()  # an import a test started ends before its tables are cleared
    tables = list(reversed(Base.metadata.sorted_tables))
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(table.name for table in tables)
            await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                await connection.execute(table.delete())


@asynccontextmanager
async def in_process(engine: AsyncEngine, **settings: Any) -> AsyncIterator[GraphQLClient]:
    """The application on `engine`, spoken to in-process, with `settings` changed.

    The suite sends hundreds of requests a second from one address and token, some of them
    the largest bodies allowed, as no client does: the door's per-caller rates are off here,
    and on in tests/test_admission.py."""
    given = Settings(
        **{
            "database_url": "sqlite://",
            "caller_rate_per_second": 0,
            "address_rate_per_second": 0,
            "caller_bytes_per_second": 0,
            **settings,
        }
    )
    app = create_app(given, engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://tabel.test") as http:
        yield GraphQLClient(http)


@pytest.fixture
async def api(engine: AsyncEngine) -> AsyncIterator[GraphQLClient]:
    async with in_process(engine) as client:
        yield client


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, *args: Any) -> None:
        self.statements.append(str(args[2]))

    @property
    def count(self) -> int:
        return len(self.statements)

    def reset(self) -> None:
        self.statements.clear()


@pytest.fixture
def sql(engine: AsyncEngine) -> Iterator[StatementCounter]:
    counter = StatementCounter()
    event.listen(engine.sync_engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine.sync_engine, "before_cursor_execute", counter)


def pytest_report_header() -> str:
    return f"tabel tests on SQLite and PostgreSQL ({POSTGRES_URL}); required: {POSTGRES_REQUIRED}"


SMALL_DEMO = {
    "parallels": 3,
    "classes_per_parallel": 2,
    "students_per_class": 10,
    "teachers": 14,
}


@pytest.fixture
async def demo_school(engine: AsyncEngine) -> dict[str, str]:
    """A small generated school (three parallels, two classes each); demo logins by role."""
    from datetime import date

    from demo import DemoOptions, generate_demo

    options = DemoOptions(seed=7, today=date(2026, 11, 20), **SMALL_DEMO)
    logins = await generate_demo(engine, options)
    return {login.role: login.login for login in logins}
