"""Sign-in under attack: Argon2 off the event loop, failed sign-ins throttled per login, per
client address and per pair across workers, and listed for the school's admin (issue 9, item 3)."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

import model as m
from model.base import utc_now
from model.db import make_engine
from resolvers.accounts import passwords
from resolvers.accounts.passwords import PasswordPool, hash_password
from resolvers.errors import Unavailable
from server.app import create_app
from server.settings import Settings
from tests.client import GraphQLClient, Response
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, Factory, build

LOGIN = "mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }"
FAILURES = """query($login: String) { signInFailures(login: $login) { totalCount
  nodes { login clientAddress attemptedAt person { lastName } } } }"""
VICTIM = "petrova"


async def _school(engine: AsyncEngine) -> None:
    """A teacher `petrova` (the victim) and the school's admin `admin`."""

    async def recipe(f: Factory) -> None:
        setup = await f.school()
        await f.account(await f.person(setup, "Петрова", m.Role.TEACHER), VICTIM)
        await f.account(await f.person(setup, "Админова", m.Role.ADMIN), "admin")

    await build(engine, recipe)


@asynccontextmanager
async def _client(engine: AsyncEngine, address: str) -> AsyncIterator[GraphQLClient]:
    """The app as a client at `address` sees it. The door's rate per address is off: it would
    refuse a sprayer's tenth request before sign-in's own throttle (tests/test_admission.py)."""
    settings = Settings(database_url="sqlite://", address_rate_per_second=0)
    app = create_app(settings, engine=engine)
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://tabel.test") as http:
        yield GraphQLClient(http)


async def _sign_in(api: GraphQLClient, password: str, login: str = VICTIM) -> Response:
    return await api(LOGIN, {"l": login, "p": password})


def _retry_after(reply: Response) -> int:
    assert reply.error_code == "RATE_LIMITED", reply.body
    seconds: int = reply.body["errors"][0]["extensions"]["retryAfter"]
    assert isinstance(seconds, int)
    return seconds


async def _set_failures(engine: AsyncEngine, kind: m.ThrottleKind, failures: int) -> None:
    """Given: a counter that has seen `failures` failures, the last one just now."""
    async with engine.begin() as connection:
        await connection.execute(
            update(m.SignInThrottle)
            .where(m.SignInThrottle.kind == kind)
            .values(failures=failures, last_failure_at=utc_now())
        )


async def test_200_wrong_passwords_then_the_right_one_is_throttled_without_checking_it(
    engine: AsyncEngine, sql: StatementCounter
) -> None:
    # given
    await _school(engine)
    checks_before = passwords.pool.runs
    async with _client(engine, "203.0.113.7") as api:
        # when one client tries 200 wrong passwords
        replies = [await _sign_in(api, f"guess-{n}") for n in range(200)]
        # then the first five are checked and refused, the rest throttled at once
        codes = [reply.error_code for reply in replies]
        assert codes[:5] == ["UNAUTHENTICATED"] * 5
        assert codes.count("RATE_LIMITED") >= 180
        checked = passwords.pool.runs - checks_before
        assert checked == codes.count("UNAUTHENTICATED") < 20
        # and the right password is refused too, without reading the account or checking it
        sql.reset()
        right = await _sign_in(api, PASSWORD)
    assert 1 <= _retry_after(right) <= 15 * 60
    assert passwords.pool.runs - checks_before == checked
    assert not [s for s in sql.statements if "account" in s or "INSERT" in s], sql.statements
    # and only the checked failures are listed for the admin
    async with engine.connect() as connection:
        listed = await connection.scalar(select(func.count()).select_from(m.SignInFailure))
    assert listed == checked


async def test_a_strangers_failures_elsewhere_do_not_lock_the_owner_out(
    engine: AsyncEngine,
) -> None:
    # given strangers failing on the victim's login from eleven addresses
    await _school(engine)
    for n in range(11):
        async with _client(engine, f"198.51.100.{n}") as stranger:
            assert (await _sign_in(stranger, "guess")).error_code == "UNAUTHENTICATED"
    # and the login's counter far past its free attempts
    await _set_failures(engine, m.ThrottleKind.LOGIN, 500)
    # when a stranger who failed retries, then they wait, at most a minute
    async with _client(engine, "198.51.100.3") as stranger:
        assert 1 <= _retry_after(await _sign_in(stranger, PASSWORD)) <= 60
    # when the owner signs in from an address with no failures on the login, then they are in
    async with _client(engine, "192.0.2.10") as owner:
        token = (await _sign_in(owner, PASSWORD)).data["login"]["token"]
    assert token.startswith("tbl_")


async def test_the_owner_behind_the_guessers_address_waits_at_most_15_minutes(
    engine: AsyncEngine,
) -> None:
    # given a guesser who failed on the login from the owner's own address, many times
    await _school(engine)
    async with _client(engine, "203.0.113.9") as shared:
        for _ in range(5):
            await _sign_in(shared, "guess")
        await _set_failures(engine, m.ThrottleKind.PAIR, 10_000)
        # when the owner tries there, then the wait is capped
        assert 60 < _retry_after(await _sign_in(shared, PASSWORD)) <= 15 * 60
    # and from anywhere else they sign in at once, which does not clear the shared address
    async with _client(engine, "192.0.2.10") as elsewhere:
        assert (await _sign_in(elsewhere, PASSWORD)).data["login"]["token"]


async def test_one_address_trying_many_logins_is_throttled(engine: AsyncEngine) -> None:
    # given
    await _school(engine)
    async with _client(engine, "203.0.113.50") as sprayer:
        # when one address tries thirty logins once each
        for n in range(30):
            assert (await _sign_in(sprayer, "guess", f"user{n}")).error_code == "UNAUTHENTICATED"
        # then its next attempt on any login waits, the right password too
        assert 1 <= _retry_after(await _sign_in(sprayer, PASSWORD)) <= 5 * 60
    # and another address is not held back by it
    async with _client(engine, "192.0.2.10") as owner:
        assert (await _sign_in(owner, PASSWORD)).data["login"]["token"]


async def test_the_throttle_holds_across_two_workers_on_one_database(
    database_url: str, engine: AsyncEngine
) -> None:
    # given two app instances, each with its own engine on the same database: two workers
    await _school(engine)
    first, second = make_engine(database_url), make_engine(database_url)
    try:
        async with _client(first, "203.0.113.7") as one, _client(second, "203.0.113.7") as two:
            # when one worker sees five failures
            for _ in range(5):
                assert (await _sign_in(one, "guess")).error_code == "UNAUTHENTICATED"
            # then the other worker throttles the same client
            assert _retry_after(await _sign_in(two, PASSWORD)) >= 1
    finally:
        await first.dispose()
        await second.dispose()


async def test_the_right_password_clears_the_addresss_failures(engine: AsyncEngine) -> None:
    # given four failures (one short of the wait), then the right password
    await _school(engine)
    async with _client(engine, "192.0.2.10") as owner:
        for _ in range(4):
            await _sign_in(owner, "typo")
        assert (await _sign_in(owner, PASSWORD)).data["login"]["token"]
        # when they mistype four more times, then nothing waits yet
        for _ in range(4):
            assert (await _sign_in(owner, "typo")).error_code == "UNAUTHENTICATED"
        assert (await _sign_in(owner, PASSWORD)).data["login"]["token"]


async def test_old_failures_are_forgotten(engine: AsyncEngine) -> None:
    # given a throttled client whose failures are two hours old
    await _school(engine)
    async with _client(engine, "203.0.113.7") as api:
        for _ in range(6):
            await _sign_in(api, "guess")
        async with engine.begin() as connection:
            await connection.execute(
                update(m.SignInThrottle).values(last_failure_at=utc_now() - timedelta(hours=2))
            )
        # when it tries again, then the password is checked, and the stale counters are gone
        assert (await _sign_in(api, "guess")).error_code == "UNAUTHENTICATED"
    async with engine.connect() as connection:
        counters = (await connection.execute(select(m.SignInThrottle.failures))).scalars().all()
    assert counters == [1, 1, 1]


async def test_guessing_the_current_password_with_a_token_is_throttled(
    engine: AsyncEngine,
) -> None:
    await _school(engine)
    change = 'mutation($o: String!) { passwordChange(oldPassword: $o, newPassword: "x-1234567") }'
    async with _client(engine, "203.0.113.7") as api:
        token = await api.login(VICTIM, PASSWORD)
        codes = [(await api(change, {"o": f"guess-{n}"}, token=token)).error_code for n in range(7)]
    assert codes[:5] == ["BAD_USER_INPUT"] * 5
    assert codes[-1] == "RATE_LIMITED"


async def test_failed_sign_ins_are_listed_for_the_schools_admin_only(engine: AsyncEngine) -> None:
    # given failures on the teacher's login from two addresses, and on a login nobody has
    await _school(engine)
    for address in ["203.0.113.7", "198.51.100.1"]:
        async with _client(engine, address) as stranger:
            await _sign_in(stranger, "guess", " Petrova")
            await _sign_in(stranger, "guess", "nobody")
    async with _client(engine, "192.0.2.10") as api:
        # when the admin lists them
        admin = await api.login("admin", PASSWORD)
        listed = (await api(FAILURES, token=admin)).data["signInFailures"]
        only_one = (await api(FAILURES, {"login": "PETROVA"}, token=admin)).data
        # then they see who was tried, from where and when, on their school's accounts only
        assert listed["totalCount"] == 2
        assert [(n["login"], n["clientAddress"]) for n in listed["nodes"]] == [
            (VICTIM, "203.0.113.7"),
            (VICTIM, "198.51.100.1"),
        ]
        assert {n["person"]["lastName"] for n in listed["nodes"]} == {"Петрова"}
        assert only_one["signInFailures"]["totalCount"] == 2
        # and the teacher is refused
        teacher = await api.login(VICTIM, PASSWORD)
        assert (await api(FAILURES, token=teacher)).error_code == "FORBIDDEN"


async def test_argon2_runs_off_the_event_loop() -> None:
    # given a password's hash
    password_hash = hash_password(PASSWORD)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    # when the loop checks it while another task runs
    ticker = asyncio.create_task(tick())
    await asyncio.sleep(0)
    started = ticks
    assert await passwords.check_password(password_hash, PASSWORD)
    ticker.cancel()
    # then the other task kept running during the check
    assert ticks - started > 10


async def test_a_full_waiting_line_refuses_at_once() -> None:
    # given a pool of one thread and no waiting places
    pool = PasswordPool(threads=1, waiting=0)
    password_hash = hash_password(PASSWORD)
    # when two checks come at once
    results = await asyncio.gather(
        pool.check(password_hash, PASSWORD),
        pool.check(password_hash, PASSWORD),
        return_exceptions=True,
    )
    # then one is checked and the other refused, to be retried
    assert results[0] is True
    assert isinstance(results[1], Unavailable)
    assert results[1].extensions == {"code": "UNAVAILABLE", "retryAfter": 1}
    assert await pool.check(password_hash, PASSWORD)


@pytest.mark.parametrize("failures", [0, 4])
async def test_a_few_typos_are_free(engine: AsyncEngine, failures: int) -> None:
    await _school(engine)
    async with _client(engine, "192.0.2.10") as owner:
        for _ in range(failures):
            await _sign_in(owner, "typo")
        assert (await _sign_in(owner, PASSWORD)).data["login"]["token"]
