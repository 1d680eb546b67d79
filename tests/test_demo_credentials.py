"""Demo data never becomes a production door (issue 9, item 8): the demo marks its accounts and
API tokens, its tokens expire within the API's own year, and a production `tabel serve` refuses
to start while they work — unless allowed on purpose, or after `tabel demo --revoke`."""

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import column, insert, table, text
from sqlalchemy.ext.asyncio import AsyncEngine

from model.db import make_engine
from resolvers.accounts.api_tokens import MAX_LIFETIME
from resolvers.accounts.passwords import hash_password
from resolvers.accounts.sign_in import token_digest
from server.migrate import upgrade
from tests.client import GraphQLClient
from tests.served import ROOT, serve

ME = "{ me { login } }"


async def _rows(engine: AsyncEngine, sql: str) -> list[Any]:
    async with engine.connect() as connection:
        return list((await connection.execute(text(sql))).all())


def _as_utc(moment: Any) -> datetime:
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def test_the_demo_marks_its_sign_ins_and_its_tokens_keep_the_apis_year(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given a generated demo school
    # then every account it made is a demo account, and both its API tokens are demo tokens
    accounts = await _rows(
        engine, "SELECT count(*), sum(CASE WHEN is_demo THEN 1 END) FROM account"
    )
    assert accounts[0][0] == accounts[0][1] > 0
    tokens = await _rows(engine, "SELECT is_demo, created_at, expires_at FROM auth_token")
    assert len(tokens) == 2
    now = datetime.now(UTC)
    for is_demo, created_at, expires_at in tokens:
        # issued now, for no longer than the API issues a token for (not to 2028)
        assert is_demo
        issued, expires = _as_utc(created_at), _as_utc(expires_at)
        assert abs(issued - now) < timedelta(minutes=5)
        assert now < expires <= issued + MAX_LIFETIME
    # and they work in the demo: the inspector reads
    assert (await api(ME, token="tbl_demo.inspector")).data["me"]["login"]


def _serve_refused(database_url: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "TABEL_ALLOW_DEMO_CREDENTIALS"}
    environment["TABEL_DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "server.cli", "serve", "--port", "9"]
    return subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


def _login(port: int, login: str) -> dict[str, Any]:
    query = 'mutation($l: String!) { login(login: $l, password: "demo") { token } }'
    reply = httpx.post(
        f"http://127.0.0.1:{port}/graphql", json={"query": query, "variables": {"l": login}}
    )
    body: dict[str, Any] = reply.json()
    return body


async def test_a_production_server_refuses_to_start_while_demo_sign_ins_work(
    engine: AsyncEngine,
    api: GraphQLClient,
    demo_school: dict[str, str],
    database_url: str,
    tmp_path: Path,
) -> None:
    # given a database holding the demo school
    # when it is served in production, then the server does not start, and says the way out
    refused = await asyncio.to_thread(_serve_refused, database_url)
    assert refused.returncode != 0
    message = refused.stderr
    assert "demo sign-ins" in message, message
    assert "«demo»" in message
    for way_out in ("tabel demo --revoke", "tabel serve --demo", "TABEL_ALLOW_DEMO_CREDENTIALS"):
        assert way_out in message, way_out
    assert "Traceback" not in message

    # when it is allowed on purpose (a test bench), then it starts and the demo signs in
    allowed = await asyncio.to_thread(
        serve, database_url, tmp_path / "allowed.log", allow_demo_credentials="true"
    )
    try:
        assert _login(allowed.port, demo_school["teacher"])["data"]["login"]["token"]
    finally:
        allowed.stop()

    # when the operator ends the demo's sign-ins
    ended = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "server.cli", "--database-url", database_url, "demo", "--revoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ended.returncode == 0, ended.stderr
    assert "Disabled" in ended.stdout
    # then production starts, and neither a demo login nor a demo token gets in any more
    served = await asyncio.to_thread(serve, database_url, tmp_path / "production.log")
    try:
        refused_login = _login(served.port, demo_school["admin"])
        assert refused_login["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    finally:
        served.stop()
    for token in ("tbl_demo.inspector", "tbl_demo.integrator"):
        assert (await api(ME, token=token)).error_code == "UNAUTHENTICATED", token
    usable = "SELECT count(*) FROM account WHERE is_demo AND is_active"
    assert (await _rows(engine, usable))[0][0] == 0


def test_serve_demo_still_starts_from_scratch(tmp_path: Path) -> None:
    # given no database at all, when `tabel serve --demo` starts (a small school)
    url = f"sqlite:///{tmp_path / 'var' / 'demo.sqlite3'}"
    small = ("--students-per-class", "4", "--classes-per-parallel", "1", "--teachers", "14")
    served = serve(url, tmp_path / "demo.log", "--demo", *small)
    try:
        # then the demo's logins sign in, the demo's sign-ins allowed without any setting
        assert _login(served.port, "admin")["data"]["login"]["token"]
    finally:
        served.stop()


async def test_the_migration_marks_what_earlier_demo_runs_left(tmp_path: Path) -> None:
    # given a database from before demo sign-ins were marked: two accounts of one demo run,
    # sharing the hash of «demo», a real account, a demo token and a real one
    url = f"sqlite:///{tmp_path / 'before.sqlite3'}"
    await asyncio.to_thread(upgrade, url, "e8101636937e")
    engine = make_engine(url)
    now = datetime.now(UTC)
    demo_hash = hash_password("demo")
    async with engine.begin() as connection:

        async def add(table_name: str, **values: Any) -> int:
            # Only the columns given: the models' defaults name columns not there yet.
            model = table(table_name, column("id"), *(column(key) for key in values))
            statement = insert(model).values(**values).returning(model.c.id)
            row_id: int = (await connection.execute(statement)).scalar_one()
            return row_id

        region = await add("region", name="Демонстрационный край")
        for login, password_hash in [
            ("admin", demo_hash),
            ("teacher", demo_hash),
            ("ivanova.ap", hash_password("a real password")),
        ]:
            person = await add("person", region_id=region, last_name=login, first_name="А")
            await add(
                "account",
                person_id=person,
                login=login,
                password_hash=password_hash,
                must_change_password=False,
                is_active=True,
                created_at=now,
            )
        for token, name in [("tbl_demo.s2.inspector", "Демо"), ("tbl_real", "Проверка")]:
            await add(
                "auth_token",
                digest=token_digest(token),
                kind="inspector",
                name=name,
                created_at=now,
                expires_at=now + timedelta(days=30),
            )
    # when the database is migrated
    await asyncio.to_thread(upgrade, url)
    # then the demo's sign-ins are marked, and nothing else
    marked = await _rows(engine, "SELECT login FROM account WHERE is_demo ORDER BY login")
    assert [row[0] for row in marked] == ["admin", "teacher"]
    tokens = await _rows(engine, "SELECT name FROM auth_token WHERE is_demo")
    assert [row[0] for row in tokens] == ["Демо"]
    await engine.dispose()
