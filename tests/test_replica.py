"""Read-only requests on a streaming replica (issue 15, `TABEL_REPLICA_URL`): a query reads the
replica; the caller who just wrote reads the primary until the replica holds the write, in
every server process; nobody reads a replica that lags past the bound, or that is away.

The primary and its replica are the tests' own (tests/replica_cluster.py): PostgreSQL's
pg_basebackup, streaming, on this machine. Replay is paused on the replica to hold it behind."""

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from demo import DemoOptions, generate_demo
from model.db import make_engine
from server.app import create_app
from server.migrate import upgrade
from server.replica import Replica
from server.settings import Settings
from tests.client import GraphQLClient
from tests.conftest import POSTGRES_REQUIRED, SMALL_DEMO
from tests.replica_cluster import Cluster, binaries, primary_and_replica
from tests.served import OPEN_DOOR, Served, serve

ADDRESS = "{ schools { nodes { address } } }"
MOVE = "mutation($s: ID!, $a: String!) { schoolUpdate(input: {schoolId: $s, address: $a}) { id } }"
SCHOOL = "{ schools { nodes { id } } }"
PEOPLE = "{ classes(first: 1) { nodes { students { id fullName phone } } } }"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_replica_serves_a_caller_once_it_holds_all_they_wrote() -> None:
    clock = Clock()
    replica = Replica(engine=None, max_lag=2.0, clock=clock)  # type: ignore[arg-type]
    assert not replica.serves(None)  # nothing seen yet
    replica.heard(True)
    clock.now = 1.0
    replica.observed(1.0, primary=100, replayed=100)
    assert replica.serves(None)
    assert replica.serves("account:1")
    clock.now = 2.0
    replica.wrote("account:1")  # its write went to the primary's WAL past 100
    clock.now = 2.1
    replica.observed(2.1, primary=150, replayed=100)
    assert not replica.serves("account:1")  # not on the replica yet
    assert replica.serves("account:2")  # everyone else: within the lag allowed
    clock.now = 3.5
    replica.observed(3.5, primary=150, replayed=100)
    assert not replica.serves("account:2")  # 2.5 s behind: past the bound
    replica.observed(3.6, primary=150, replayed=150)
    assert replica.serves("account:1")
    assert replica.serves("account:2")
    replica.lost()
    assert not replica.serves(None)
    clock.now = 4.0
    replica.observed(4.0, primary=150, replayed=150)
    replica.heard(False)
    assert not replica.serves(None)  # deaf to other processes' writes: not trusted
    clock.now = 5.0
    replica.heard(True)
    assert not replica.serves(None)  # what was missed while deaf may not be on it
    replica.observed(5.0, primary=160, replayed=160)
    assert replica.serves(None)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    programs = binaries()
    if programs is None:
        message = "no PostgreSQL server programs (initdb, pg_ctl) on this machine"
        if POSTGRES_REQUIRED:
            pytest.fail(message + "; CI requires them", pytrace=False)
        pytest.skip(message)
    with primary_and_replica(programs) as made:
        yield made


@pytest.fixture(scope="module")
async def school(cluster: Cluster) -> None:
    """The small demo school on the primary, and on the replica."""
    await asyncio.to_thread(upgrade, cluster.primary.url)
    engine = make_engine(cluster.primary.url)
    try:
        await generate_demo(engine, DemoOptions(seed=7, today=date(2026, 11, 20), **SMALL_DEMO))
    finally:
        await engine.dispose()
    cluster.caught_up()


class Reads:
    """The statements run on an engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._counted)

    def _counted(self, *_: Any) -> None:
        self.count += 1


async def _until(holds: Callable[[], bool | Awaitable[bool]], within: float = 10) -> None:
    deadline = time.monotonic() + within
    while True:
        outcome = holds()
        if not isinstance(outcome, bool):
            outcome = await outcome
        if outcome:
            return
        assert time.monotonic() < deadline, "did not happen in time"
        await asyncio.sleep(0.05)


@asynccontextmanager
async def _application(
    cluster: Cluster, max_lag: float
) -> AsyncIterator[tuple[GraphQLClient, Replica, Reads]]:
    settings = Settings(
        database_url=cluster.primary.url,
        replica_url=cluster.replica.url,
        replica_max_lag_seconds=max_lag,
        allow_demo_credentials=True,
        caller_rate_per_second=0,
        address_rate_per_second=0,
        lesson_planning_hours=0,
        report_worker=False,
        notification_worker=False,
    )
    app = create_app(settings)
    replica: Replica = app.state.replica
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://t") as http,
    ):
        await _until(lambda: replica.serves(None))  # watching, and hearing the others
        yield GraphQLClient(http), replica, Reads(replica.engine)


async def _address(api: GraphQLClient, token: str) -> str:
    address: str = (await api(ADDRESS, token=token)).data["schools"]["nodes"][0]["address"]
    return address


async def _move(api: GraphQLClient, token: str, address: str) -> None:
    school = (await api(SCHOOL, token=token)).data["schools"]["nodes"][0]["id"]
    assert (await api(MOVE, {"s": school, "a": address}, token=token)).data


async def test_a_query_reads_the_replica_and_the_writers_next_the_primary(
    cluster: Cluster, school: None
) -> None:  # issue 15: "routable to a streaming replica, with read-your-own-writes"
    lag = 3.0
    async with _application(cluster, max_lag=lag) as (api, replica, on_replica):
        admin = await api.login("admin", "demo")
        teacher = await api.login("teacher", "demo")
        await _until(lambda: replica.serves(None))
        before = on_replica.count
        was = await _address(api, teacher)
        assert on_replica.count > before  # read on the replica
        cluster.pause_replay()
        try:
            await _move(api, admin, "ул. Репликации, 1")
            # the admin, who wrote it, reads the primary, and sees it
            before = on_replica.count
            assert await _address(api, admin) == "ул. Репликации, 1"
            assert on_replica.count == before
            # the teacher reads the replica, which does not hold it yet: as it was
            assert await _address(api, teacher) == was
            assert on_replica.count > before
            # once the replica is further behind than allowed, nobody reads it
            await _until(lambda: not replica.serves(None), within=lag + 1)
            before = on_replica.count
            assert await _address(api, teacher) == "ул. Репликации, 1"
            assert on_replica.count == before
        finally:
            cluster.resume_replay()

        # caught up, the writer reads the replica again, and the write is on it
        async def on_the_replica() -> bool:
            before = on_replica.count
            assert await _address(api, admin) == "ул. Репликации, 1"
            return on_replica.count > before

        await _until(on_the_replica)
        # a query that reads personal data logs it: on the primary, the read on the replica
        assert (await api(PEOPLE, token=admin)).data["classes"]["nodes"][0]["students"]


async def test_a_replica_away_is_not_read_and_is_read_again_once_back(
    cluster: Cluster, school: None
) -> None:
    async with _application(cluster, max_lag=3.0) as (api, replica, on_replica):
        teacher = await api.login("teacher", "demo")
        await _until(lambda: replica.serves(None))
        was = await _address(api, teacher)
        cluster.replica.stop()
        try:
            await _until(lambda: not replica.serves(None))
            for _ in range(3):  # on the primary, without an error
                assert await _address(api, teacher) == was
        finally:
            cluster.replica.start()
        await _until(lambda: replica.serves(None), within=20)
        before = on_replica.count
        assert await _address(api, teacher) == was
        assert on_replica.count > before


@pytest.fixture
def two_servers(cluster: Cluster, school: None, tmp_path: Path) -> Iterator[tuple[Served, Served]]:
    # A lag allowed long enough that only the writer's own reads leave the paused replica.
    settings = {**OPEN_DOOR, "replica_url": cluster.replica.url, "replica_max_lag_seconds": "60"}
    first = serve(cluster.primary.url, tmp_path / "first.log", **settings)
    try:
        second = serve(cluster.primary.url, tmp_path / "second.log", **settings)
    except BaseException:
        first.stop()
        raise
    try:
        for served in (first, second):
            served.wait_for_log("replica: watching")
            served.wait_for_log("listening for live journal events")
        yield first, second
    finally:
        second.stop()
        first.stop()


@asynccontextmanager
async def _client(served: Served) -> AsyncIterator[GraphQLClient]:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{served.port}", timeout=20) as http:
        yield GraphQLClient(http)


async def test_a_write_through_one_process_is_read_back_through_another(
    cluster: Cluster, two_servers: tuple[Served, Served]
) -> None:  # read-your-own-writes in every process: the write is told over LISTEN/NOTIFY
    first, second = two_servers
    async with _client(first) as here, _client(second) as there:
        admin = await here.login("admin", "demo")
        teacher = await here.login("teacher", "demo")
        cluster.caught_up()
        await asyncio.sleep(0.5)  # each process has seen the replica hold the sign-ins
        was = await _address(there, teacher)
        cluster.pause_replay()
        try:
            await _move(here, admin, "ул. Двух процессов, 2")
            assert await _address(there, admin) == "ул. Двух процессов, 2"  # the primary
            assert await _address(there, teacher) == was  # the paused replica
        finally:
            cluster.resume_replay()
