"""API tokens' request rates: counted in the database across workers, `RATE_LIMITED` past the
limit, and the budget left shown in `extensions.rateLimit` (issue 9, item 3)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import httpx
from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

import model as m
from model.base import utc_now
from model.db import make_engine
from resolvers.accounts.sign_in import token_digest
from server.app import create_app
from server.settings import Settings
from tests.client import GraphQLClient
from tests.factories import PASSWORD, Factory, build

INSPECTOR = "tbl_inspector-with-a-rate"
QUERY = "{ schools { totalCount } }"
DAY = 24 * 60 * 60


async def _school_with_inspector(engine: AsyncEngine) -> None:
    async def recipe(f: Factory) -> None:
        setup = await f.school()
        await f.account(await f.person(setup, "Админова", m.Role.ADMIN), "admin")

    await build(engine, recipe)
    async with engine.begin() as connection:
        school_id = (await connection.execute(text("SELECT min(id) FROM school"))).scalar_one()
        token_id = (
            await connection.execute(
                insert(m.AuthToken).returning(m.AuthToken.id),
                {
                    "digest": token_digest(INSPECTOR),
                    "kind": "inspector",
                    "name": "Проверка",
                    "created_at": utc_now(),
                    "expires_at": utc_now() + timedelta(days=1),
                },
            )
        ).scalar_one()
        await connection.execute(
            insert(m.AuthTokenSchool), {"auth_token_id": token_id, "school_id": school_id}
        )


@asynccontextmanager
async def _client(engine: AsyncEngine, limit: int) -> AsyncIterator[GraphQLClient]:
    # A day's window: a test never straddles its end (windows are aligned to midnight UTC).
    settings = Settings(
        database_url="sqlite://", api_rate_inspector=limit, api_rate_window_seconds=DAY
    )
    transport = httpx.ASGITransport(app=create_app(settings, engine=engine))
    async with httpx.AsyncClient(transport=transport, base_url="http://tabel.test") as http:
        yield GraphQLClient(http)


async def _logged(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(m.QueryLog)) or 0)


async def test_an_inspector_over_its_rate_is_refused_and_sees_its_budget_count_down(
    engine: AsyncEngine,
) -> None:
    # given an inspector token allowed three requests a day
    await _school_with_inspector(engine)
    async with _client(engine, limit=3) as api:
        # when it makes three requests
        replies = [await api(QUERY, token=INSPECTOR) for _ in range(3)]
        # then each answers, with what is left of the budget
        budgets = [reply.body["extensions"]["rateLimit"] for reply in replies]
        assert all(reply.data["schools"]["totalCount"] == 1 for reply in replies)
        assert [(b["limit"], b["remaining"]) for b in budgets] == [(3, 2), (3, 1), (3, 0)]
        reset_at = datetime.fromisoformat(budgets[0]["resetAt"])
        assert utc_now() < reset_at <= utc_now() + timedelta(days=1)
        assert reset_at.hour == reset_at.minute == reset_at.second == 0
        # when it makes a fourth, then it is refused until the window resets, and nothing ran
        refused = await api(QUERY, token=INSPECTOR)
    assert refused.error_code == "RATE_LIMITED"
    assert refused.body["data"] is None
    retry_after = refused.body["errors"][0]["extensions"]["retryAfter"]
    assert abs(utc_now() + timedelta(seconds=retry_after) - reset_at) < timedelta(seconds=5)
    assert refused.body["extensions"]["rateLimit"]["remaining"] == 0
    assert await _logged(engine) == 3


async def test_the_rate_is_counted_across_two_workers(
    database_url: str, engine: AsyncEngine
) -> None:
    # given two workers, each with its own engine on the same database
    await _school_with_inspector(engine)
    first, second = make_engine(database_url), make_engine(database_url)
    try:
        async with _client(first, limit=4) as one, _client(second, limit=4) as two:
            # when the token's requests alternate between them
            remaining = [
                (await api(QUERY, token=INSPECTOR)).body["extensions"]["rateLimit"]["remaining"]
                for api in [one, two, one, two]
            ]
            refused = await one(QUERY, token=INSPECTOR)
    finally:
        await first.dispose()
        await second.dispose()
    # then both count one budget
    assert remaining == [3, 2, 1, 0]
    assert refused.error_code == "RATE_LIMITED"


async def test_a_persons_login_has_no_request_rate(engine: AsyncEngine) -> None:
    await _school_with_inspector(engine)
    async with _client(engine, limit=1) as api:
        admin = await api.login("admin", PASSWORD)
        replies = [await api(QUERY, token=admin) for _ in range(3)]
    assert all(
        reply.data and "rateLimit" not in reply.body.get("extensions", {}) for reply in replies
    )
