"""Load shedding and honest failures (issue 9, item 4): no free connection, a database that is
down, a statement past its timeout or a request past its deadline answer UNAVAILABLE at once,
HTTP 503 with Retry-After, roll back, and the server recovers without a restart."""

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

import model as m
from model.db import PING_AFTER_IDLE_SECONDS
from server.admission import TARPIT_SECONDS
from server.app import create_app, served_engine
from server.settings import Settings
from tests.client import GraphQLClient, ask
from tests.factories import PASSWORD, head_of_school
from tests.tcp_proxy import TcpProxy

ME = "{ me { login } }"
LOGIN = f'mutation {{ login(login: "head", password: "{PASSWORD}") {{ token }} }}'


@asynccontextmanager
async def _server(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, AsyncEngine]]:
    """The app with its own engine, built from the settings as `tabel serve` builds it."""
    engine = served_engine(settings, settings.database_url)
    transport = httpx.ASGITransport(app=create_app(settings, engine=engine))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://tabel.test") as http:
            yield http, engine
    finally:
        await engine.dispose()


@asynccontextmanager
async def _counted(engine: AsyncEngine) -> AsyncIterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


def _unavailable(reply: httpx.Response) -> dict[str, Any]:
    assert reply.status_code == 503, reply.text
    error = reply.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAVAILABLE", error
    assert reply.headers["retry-after"] == str(error["extensions"]["retryAfter"])
    assert "Traceback" not in reply.text
    extensions: dict[str, Any] = error["extensions"]
    return extensions


def _served(reply: httpx.Response) -> None:
    assert reply.status_code == 200, reply.text
    assert reply.json()["data"] == {"me": {"login": "head"}}


async def test_no_free_connection_answers_unavailable_at_once_then_serves_again(
    database_url: str, engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given a worker whose pool has one connection, and that connection taken
    await head_of_school(engine)
    token = await api.login("head", PASSWORD)
    settings = Settings(database_url=database_url, pool_size=1, pool_timeout_seconds=0.3)
    async with _server(settings) as (http, app_engine):
        async with app_engine.connect() as held, _counted(app_engine) as statements:
            await held.execute(text("SELECT 1"))
            statements.clear()
            # when a request comes
            started = time.perf_counter()
            reply = await ask(http, ME, token)
            elapsed = time.perf_counter() - started
        # then it is answered UNAVAILABLE within the pool's short wait, having run nothing
        extensions = _unavailable(reply)
        assert extensions["reason"] == "busy"
        assert extensions["retryAfter"] == settings.retry_after_seconds
        assert elapsed < 1.5
        assert statements == []
        # and once the connection is free again, the same request is served
        _served(await ask(http, ME, token))


async def test_requests_past_the_workers_limit_are_shed_at_once_and_the_admitted_served(
    database_url: str, engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given a worker that serves one request at a time, busy with one waiting for the database
    await head_of_school(engine)
    token = await api.login("head", PASSWORD)
    settings = Settings(
        database_url=database_url, pool_size=1, pool_timeout_seconds=10, max_in_flight=1
    )
    async with _server(settings) as (http, app_engine):
        async with app_engine.connect() as held, _counted(app_engine) as statements:
            await held.execute(text("SELECT 1"))
            statements.clear()
            admitted = asyncio.create_task(ask(http, ME, token))
            await asyncio.sleep(0.2)
            # when one more request comes
            started = time.perf_counter()
            reply = await ask(http, ME, token)
            elapsed = time.perf_counter() - started
            shed_statements = list(statements)
            # and the same caller comes back at once, not waiting the Retry-After it was given
            started = time.perf_counter()
            again = await ask(http, ME, token)
            waited = time.perf_counter() - started
        # then it is answered UNAVAILABLE at once, having run nothing, not after the pool's wait
        extensions = _unavailable(reply)
        assert extensions["reason"] == "overloaded"
        assert elapsed < 1
        assert shed_statements == []
        # and told again only after the door's short wait: a client ignoring Retry-After gets
        # a few answers a second, not thousands that would take the worker from its work
        assert _unavailable(again)["reason"] == "overloaded"
        assert waited >= TARPIT_SECONDS
        # and the admitted request is served once the database is free, and so is the next
        _served(await admitted)
        _served(await ask(http, ME, token))


async def test_a_request_still_sending_its_body_holds_no_place(
    database_url: str, engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given a worker that serves one request at a time, and a client sending its body slowly
    await head_of_school(engine)
    token = await api.login("head", PASSWORD)
    settings = Settings(database_url=database_url, max_in_flight=1)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    rest = asyncio.Event()

    async def slowly() -> AsyncIterator[bytes]:
        yield b'{"query": "{ me { login } }"'
        await rest.wait()
        yield b"}"

    async with _server(settings) as (http, _):
        slow = asyncio.create_task(http.post("/graphql", content=slowly(), headers=headers))
        await asyncio.sleep(0.2)
        # when another request comes meanwhile
        # then it is served: the slow body holds no place while it comes
        _served(await ask(http, ME, token))
        # and the slow request is served once its body is in
        rest.set()
        _served(await slow)


async def test_one_caller_past_its_share_is_rate_limited_at_once_and_others_served(
    database_url: str, engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given a worker that serves one request per caller at a time, busy with the head's
    await head_of_school(engine)
    token = await api.login("head", PASSWORD)
    other = await api.login("head", PASSWORD)  # another session: another caller at the door
    settings = Settings(
        database_url=database_url,
        pool_size=1,
        pool_timeout_seconds=10,
        max_in_flight_per_client=1,
    )
    async with _server(settings) as (http, app_engine):
        # (each token served once: the door knows them as callers, not as their address)
        _served(await ask(http, ME, token))
        _served(await ask(http, ME, other))
        async with app_engine.connect() as held:
            await held.execute(text("SELECT 1"))
            first = asyncio.create_task(ask(http, ME, token))
            await asyncio.sleep(0.2)
            # when the same caller sends another, and another caller one too
            again = await ask(http, ME, token)
            elsewhere = asyncio.create_task(ask(http, ME, other))
            await asyncio.sleep(0.2)
        # then the same caller is told to wait for its answer, at once; everyone is served
        assert again.status_code == 429, again.text
        error = again.json()["errors"][0]
        assert error["extensions"]["code"] == "RATE_LIMITED"
        assert error["extensions"]["reason"] == "concurrency"
        assert again.headers["retry-after"] == "1"
        _served(await first)
        _served(await elsewhere)


def _postgres_only(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("a database server that goes down, and statement_timeout: PostgreSQL's")


async def test_a_database_that_is_down_answers_unavailable_and_recovers_without_restart(
    database_url: str, engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given the server connected to PostgreSQL through a proxy, serving
    _postgres_only(database_url)
    await head_of_school(engine)
    token = await api.login("head", PASSWORD)
    async with (
        _proxied(database_url) as (proxy, through_proxy),
        _server(Settings(database_url=through_proxy, pool_size=2)) as (http, _),
    ):
        _served(await ask(http, ME, token))
        # when the database goes down (open connections cut, new ones refused)
        await proxy.stop()
        started = time.perf_counter()
        reply = await ask(http, ME, token)
        elapsed = time.perf_counter() - started
        # then the request is answered UNAVAILABLE at once, and the server is not ready
        assert _unavailable(reply)["reason"] == "down"
        assert elapsed < 2
        assert (await http.get("/readyz")).status_code == 503
        assert (await http.get("/healthz")).status_code == 200
        # when the database is back, the same server serves again
        await proxy.start()
        _served(await ask(http, ME, token))
        assert (await http.get("/readyz")).status_code == 200


async def test_a_pooled_connection_that_died_while_idle_is_replaced_unseen(
    database_url: str, engine: AsyncEngine, api: GraphQLClient
) -> None:  # the pool asks a connection idle past a second before it serves (model/db.py)
    _postgres_only(database_url)
    await head_of_school(engine)
    token = await api.login("head", PASSWORD)
    async with (
        _proxied(database_url) as (proxy, through_proxy),
        _server(Settings(database_url=through_proxy, pool_size=1)) as (http, _),
    ):
        _served(await ask(http, ME, token))
        await asyncio.sleep(PING_AFTER_IDLE_SECONDS + 0.2)
        # when its one connection is cut while idle (a restart, a firewall)
        await proxy.stop()
        await proxy.start()
        # then the next request is served all the same, on a new connection
        _served(await ask(http, ME, token))
        _served(await ask(http, ME, token))


@asynccontextmanager
async def _proxied(database_url: str) -> AsyncIterator[tuple[TcpProxy, str]]:
    """A TCP proxy in front of PostgreSQL, and the database's URL through it."""
    real = make_url(database_url)
    proxy = TcpProxy(real.host or "127.0.0.1", real.port or 5432)
    await proxy.start()
    try:
        yield proxy, real.set(port=proxy.port).render_as_string(hide_password=False)
    finally:
        await proxy.stop()


@asynccontextmanager
async def _accounts_locked(engine: AsyncEngine) -> AsyncIterator[None]:
    """Another transaction holds the account table, which every request needs."""
    async with engine.connect() as connection:
        await connection.execute(text("LOCK TABLE account IN ACCESS EXCLUSIVE MODE"))
        yield
        await connection.rollback()


async def test_a_statement_past_its_timeout_is_unavailable_and_rolled_back(
    database_url: str, engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given statements bounded to 0.3 s, and the accounts locked by another transaction
    _postgres_only(database_url)
    await head_of_school(engine)
    token = await api.login("head", PASSWORD)
    settings = Settings(database_url=database_url, statement_timeout_seconds=0.3, pool_size=2)
    async with _server(settings) as (http, _):
        async with _accounts_locked(engine):
            # when a request needs them
            started = time.perf_counter()
            reply = await ask(http, ME, token)
            elapsed = time.perf_counter() - started
        # then PostgreSQL cancels the statement (57014) and the client is told UNAVAILABLE
        assert _unavailable(reply)["reason"] == "timeout"
        assert 0.3 <= elapsed < 2
        # and the connection it used serves the next request
        _served(await ask(http, ME, token))
        _served(await ask(http, ME, token))


async def test_a_request_past_its_deadline_is_unavailable_and_writes_nothing(
    database_url: str, engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given a deadline of 1.5 s per request (a sign-in's password check takes a fraction of
    # it), and the accounts locked by another transaction. (Not on SQLite: its readers never
    # wait, and a statement in its driver's thread cannot be interrupted, only abandoned.)
    _postgres_only(database_url)
    await head_of_school(engine)
    settings = Settings(database_url=database_url, request_deadline_seconds=1.5, pool_size=2)
    async with engine.connect() as connection:
        tokens_before = await connection.scalar(select(func.count()).select_from(m.AuthToken))
    async with _server(settings) as (http, _):
        async with _accounts_locked(engine):
            # when a sign-in (which writes its token) waits on them
            started = time.perf_counter()
            reply = await ask(http, LOGIN)
            elapsed = time.perf_counter() - started
        # then it is answered UNAVAILABLE once its deadline passes
        assert _unavailable(reply)["reason"] == "deadline"
        assert 1.5 <= elapsed < 3
        # and nothing of it was written; the next sign-in works
        async with engine.connect() as connection:
            tokens = await connection.scalar(select(func.count()).select_from(m.AuthToken))
        assert tokens == tokens_before
        again = await ask(http, LOGIN)
        assert again.json()["data"]["login"]["token"], again.text
