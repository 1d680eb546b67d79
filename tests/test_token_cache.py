"""Callers kept by token (issue 15): a token that resolved lately costs no statement, and any
change of who may do what — made through any server process, a `tabel` command or plain SQL —
reaches every process within a second (PostgreSQL's triggers and LISTEN/NOTIFY); nothing is
kept while a process would not hear of a change."""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from model.base import utc_now
from policies.principal import Principal
from resolvers.accounts.token_cache import TokenCache
from server import live_listener
from server.app import create_app
from server.live_listener import HEARTBEAT
from server.settings import Settings
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.served import OPEN_DOOR, Served, serve
from tests.tcp_proxy import TcpProxy

ME = "{ me { login roles { role } } }"
LOGOUT = "mutation { logout }"
WITHIN = 1.0  # seconds: "reach every process within a second"


def _principal(**changes: Any) -> Principal:
    from model.accounts import TokenKind

    fields: dict[str, Any] = {
        "token_id": 1,
        "kind": TokenKind.LOGIN,
        "name": "teacher",
        "account_id": 1,
        "person_id": 1,
        "must_change_password": False,
        "grants": (),
        "now": utc_now(),
    }
    return Principal(**(fields | changes))


def test_a_caller_read_before_a_change_heard_meanwhile_is_not_kept() -> None:
    cache = TokenCache()
    now = utc_now()
    later = now + timedelta(hours=1)
    cache.put(b"t", _principal(), later, cache.generation)
    assert cache.get(b"t", now) is None  # not hearing: nothing is kept
    cache.heard(True)
    read_from = cache.generation
    cache.forget_all()  # a change heard while the caller was being read
    cache.put(b"t", _principal(), later, read_from)
    assert cache.get(b"t", now) is None
    cache.put(b"t", _principal(), later, cache.generation)
    kept = cache.get(b"t", now + timedelta(seconds=5))
    assert kept is not None
    assert kept.now == now + timedelta(seconds=5)
    assert cache.get(b"t", later) is None  # the token expired
    cache.put(b"t", _principal(), later + timedelta(days=2), cache.generation)
    assert cache.get(b"t", now + timedelta(days=1)) is None  # another day: roles read again
    cache.put(b"t", _principal(), later, cache.generation)
    cache.heard(False)  # the listener lost its connection
    assert cache.get(b"t", now) is None
    assert len(cache) == 0


def _postgres_only(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one process and no notifications: nothing is kept there")


def _libpq(database_url: str) -> str:
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


async def _heard(listening: psycopg.AsyncConnection[Any], within: float = 0.5) -> bool:
    try:
        async with asyncio.timeout(within):
            async for _ in listening.notifies():
                return True
    except TimeoutError:
        return False
    return False


@pytest.fixture
async def listening(database_url: str) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
    _postgres_only(database_url)
    async with await psycopg.AsyncConnection.connect(
        _libpq(database_url), autocommit=True
    ) as connection:
        await connection.execute("LISTEN tabel_tokens")
        yield connection


CHANGES = [
    "UPDATE auth_token SET revoked_at = now() WHERE false",
    "UPDATE auth_token SET expires_at = now() WHERE false",
    "DELETE FROM auth_token WHERE false",
    "UPDATE account SET is_active = false WHERE false",
    "UPDATE account SET must_change_password = true WHERE false",
    "DELETE FROM school_role WHERE false",
    "UPDATE school_role SET role = role WHERE false",
    "DELETE FROM municipality_role WHERE false",
    "UPDATE school_class SET class_teacher_id = NULL WHERE false",
    "UPDATE school SET timezone = 'Asia/Omsk' WHERE false",
    "UPDATE school SET grade_edit_window = grade_edit_window WHERE false",
    "DELETE FROM auth_token_school WHERE false",
    "UPDATE class_student SET ends_on = now() WHERE false",
    "DELETE FROM guardianship WHERE false",
]
NOT_CHANGES = [
    "UPDATE auth_token SET last_used_at = now() WHERE false",
    "UPDATE auth_token SET rate_window_requests = 0, rate_window_start = now() WHERE false",
    "UPDATE account SET password_hash = password_hash WHERE false",
    "UPDATE school SET name = name WHERE false",
    "UPDATE school_class SET letter = letter WHERE false",
]


@pytest.mark.parametrize("change", CHANGES)
async def test_every_change_of_access_is_notified_at_its_commit(
    engine: AsyncEngine, listening: psycopg.AsyncConnection[Any], change: str
) -> None:  # whoever makes it: a server, a command, plain SQL
    async with engine.connect() as connection:
        await connection.execute(text(change))
        await connection.rollback()
    assert not await _heard(listening)  # rolled back: nothing changed, nobody told
    async with engine.begin() as connection:
        await connection.execute(text(change))
    assert await _heard(listening), change


@pytest.mark.parametrize("use", NOT_CHANGES)
async def test_a_tokens_counted_use_and_other_edits_are_not_notified(
    engine: AsyncEngine, listening: psycopg.AsyncConnection[Any], use: str
) -> None:  # an API token's every request updates its rate window: that forgets nobody
    async with engine.begin() as connection:
        await connection.execute(text(use))
    assert not await _heard(listening), use


async def _seconds_until(holds: Callable[[], Awaitable[bool]], most: float) -> float:
    """Seconds until `holds()`, asked every 20 ms (infinity past `most` + 2 s)."""
    started = time.monotonic()
    while time.monotonic() - started < most + 2:
        if await holds():
            return time.monotonic() - started
        await asyncio.sleep(0.02)
    return float("inf")


async def _refused_within(api: GraphQLClient, token: str, seconds: float) -> float:
    """Seconds until the token is refused (UNAUTHENTICATED)."""

    async def refused() -> bool:
        return (await api(ME, token=token)).error_codes[:1] == ["UNAUTHENTICATED"]

    return await _seconds_until(refused, seconds)


async def _signed_in_as(api: GraphQLClient, token: str) -> str:
    login: str = (await api(ME, token=token)).data["me"]["login"]
    return login


async def test_a_kept_caller_costs_no_statement_and_a_revocation_by_sql_ends_it(
    engine: AsyncEngine, database_url: str, demo_school: dict[str, str], sql: StatementCounter
) -> None:  # issue 15: "authentication need not cost a round trip per request"
    _postgres_only(database_url)
    # Served with its listener, and nothing else in the background: the statements counted
    # are the requests' own (a worker's poll or the lesson planner would count too).
    settings = Settings(
        database_url=database_url,
        caller_rate_per_second=0,
        allow_demo_credentials=True,
        lesson_planning_hours=0,
        report_worker=False,
        notification_worker=False,
    )
    app = create_app(settings, engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://t") as http,
    ):
        api = GraphQLClient(http)
        tokens: TokenCache = app.state.tokens
        for _ in range(100):  # the application's listener has connected
            if tokens.hearing:
                break
            await asyncio.sleep(0.05)
        token = await api.login("teacher", "demo")
        for _ in range(2):  # the connections' first statements, and the caller kept
            assert await _signed_in_as(api, token) == "teacher"
        counts = []
        for _ in range(3):  # the fewest: a change heard meanwhile (another test's) reads again
            sql.reset()
            assert await _signed_in_as(api, token) == "teacher"
            counts.append(sql.count)
        kept = min(counts)
        tokens.forget_all()
        sql.reset()
        assert await _signed_in_as(api, token) == "teacher"
        assert kept == sql.count - 1  # the caller was kept: no statement to sign in
        # when the token is revoked in plain SQL, by no server at all
        async with engine.begin() as connection:
            await connection.execute(text("UPDATE auth_token SET revoked_at = now()"))
        # then the kept caller is forgotten within a second
        assert await _refused_within(api, token, WITHIN) < WITHIN


@pytest.fixture
def two_servers(database_url: str, tmp_path: Path) -> Any:
    _postgres_only(database_url)
    first = serve(database_url, tmp_path / "first.log", **OPEN_DOOR)
    try:
        second = serve(database_url, tmp_path / "second.log", **OPEN_DOOR)
    except BaseException:
        first.stop()
        raise
    yield first, second
    second.stop()
    first.stop()


@asynccontextmanager
async def _client(served: Served) -> AsyncIterator[GraphQLClient]:
    base = f"http://127.0.0.1:{served.port}"
    async with httpx.AsyncClient(base_url=base, timeout=20) as http:
        yield GraphQLClient(http)


async def test_a_logout_on_one_server_process_ends_the_token_on_another_within_a_second(
    demo_school: dict[str, str], two_servers: tuple[Served, Served]
) -> None:  # issue 15: "a test runs two server processes and revokes a token on one"
    first, second = two_servers
    async with _client(first) as here, _client(second) as there:
        token = await here.login("parent", "demo")
        for _ in range(3):  # kept by the other process
            assert await _signed_in_as(there, token) == "parent"
        assert (await here(LOGOUT, token=token)).data["logout"] is True
        assert await _refused_within(there, token, WITHIN) < WITHIN


async def test_a_role_taken_away_reaches_the_other_process_within_a_second(
    engine: AsyncEngine, demo_school: dict[str, str], two_servers: tuple[Served, Served]
) -> None:  # the class teacher's class given to someone else: their next request knows it
    _, second = two_servers
    async with _client(second) as there:
        token = await there.login("class_teacher", "demo")

        async def roles() -> set[str]:
            me = (await there(ME, token=token)).data["me"]
            return {grant["role"] for grant in me["roles"]}

        assert "class_teacher" in await roles()
        assert "class_teacher" in await roles()  # kept
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "UPDATE school_class SET class_teacher_id = NULL WHERE class_teacher_id ="
                    " (SELECT person_id FROM account WHERE login = 'class_teacher')"
                )
            )

        async def taken() -> bool:
            return "class_teacher" not in await roles()

        assert await _seconds_until(taken, WITHIN) < WITHIN


async def test_a_listener_gone_silent_stops_the_cache_within_three_heartbeats(
    database_url: str,
) -> None:  # a cut cable tells nobody: the listener asks, and trusts nothing kept past it
    _postgres_only(database_url)
    real = make_url(database_url)
    proxy = TcpProxy(real.host or "127.0.0.1", real.port or 5432)
    await proxy.start()
    through_proxy = real.set(port=proxy.port).render_as_string(hide_password=False)
    tokens = TokenCache()
    ready = asyncio.Event()
    listening = asyncio.create_task(live_listener.run(through_proxy, ready, tokens))
    try:
        await asyncio.wait_for(ready.wait(), 10)
        assert tokens.hearing
        # when the connection goes silent, neither side closing it
        proxy.freeze()

        async def deaf() -> bool:
            return not tokens.hearing

        # then within three heartbeats nothing is kept any more
        assert await _seconds_until(deaf, 3 * HEARTBEAT) < 3.5 * HEARTBEAT
        # and once the connection flows again, the listener is back and keeps callers again
        ready.clear()
        await proxy.stop()
        await proxy.start()
        await asyncio.wait_for(ready.wait(), 20)
        assert tokens.hearing
    finally:
        listening.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listening
        await proxy.stop()
