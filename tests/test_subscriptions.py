"""GraphQL subscriptions over WebSocket (issue 14, item 5) on a real `tabel serve` (uvicorn) in a
subprocess, spoken to by a real WebSocket client in the graphql-transport-ws protocol: a
parent's diary receives their child's grade as the teacher enters it through `gradesSet` over
HTTP, and no other family does; a rolled-back write tells nothing; a colleague's entry reaches
the teacher's open grid; the subscription ends when the token is revoked; on PostgreSQL, across
two server processes on one database (LISTEN/NOTIFY)."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from model.db import make_sessionmaker
from resolvers.database import Database
from resolvers.notifications.live import HUB, JournalEvent, publish
from server import live_listener
from tests.lessons import execute, rows, within_edit_window
from tests.served import OPEN_DOOR, Served, serve
from tests.tcp_proxy import TcpProxy

PROTOCOL = "graphql-transport-ws"
SETTINGS = {
    **OPEN_DOOR,
    "live_check_seconds": "30",
    "live_connection_init_seconds": "2",
    "live_subscriptions_per_connection": "3",
    "live_subscriptions_per_caller": "4",
}
DIARY = """subscription($s: ID!) { diaryChanges(studentId: $s) {
  lessonId grades { id mark student { id } } attendance { id kind student { id } } removed } }"""
GRID = """subscription($l: ID!) { lessonJournalChanges(lessonId: $l) {
  lessonId grades { id mark student { id } } attendance { id kind student { id } } removed } }"""
GRADES_SET = """mutation($input: GradesSetInput!) { gradesSet(input: $input) { grades { id } } }"""
ATTENDANCE = """mutation($l: ID!, $m: [AttendanceEntryInput!]!) {
  attendanceMark(lessonId: $l, marks: $m) { attendance { id } } }"""
LOGOUT = "mutation { logout }"
# Settling time for a subscription to be registered before a write (the protocol has no ack).
SETTLE = 0.5


def _server(database_url: str, log: Path) -> Served:
    return serve(database_url, log, **SETTINGS)


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    served = _server(database_url, tmp_path_factory.mktemp("live") / "server.log")
    yield served
    served.stop()


@dataclass
class Live:
    """One WebSocket connection, signed in."""

    socket: ClientConnection

    async def subscribe(self, op: str, query: str, **variables: Any) -> None:
        message = {
            "id": op,
            "type": "subscribe",
            "payload": {"query": query, "variables": variables},
        }
        await self.socket.send(orjson.dumps(message).decode())

    async def receive(self, within: float = 5) -> dict[str, Any]:
        async with asyncio.timeout(within):
            message: dict[str, Any] = orjson.loads(await self.socket.recv())
            return message

    async def nothing(self, within: float = 1.0) -> None:
        try:
            message = await self.receive(within)
        except TimeoutError:
            return
        raise AssertionError(f"expected nothing, got {message}")

    async def closed(self, within: float = 3) -> int | None:
        """The close code, once the server closes the connection."""
        try:
            async with asyncio.timeout(within):
                while True:
                    await self.socket.recv()
        except ConnectionClosed as closed:
            code = None if closed.rcvd is None else closed.rcvd.code
        return code


async def _socket(port: int) -> ClientConnection:
    return await connect(f"ws://127.0.0.1:{port}/graphql", subprotocols=[PROTOCOL])  # type: ignore[list-item]


async def live(port: int, token: str) -> Live:
    socket = await _socket(port)
    init = {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
    await socket.send(orjson.dumps(init).decode())
    connection = Live(socket)
    assert (await connection.receive())["type"] == "connection_ack"
    return connection


@dataclass
class Http:
    client: httpx.AsyncClient

    async def __call__(self, query: str, token: str, **variables: Any) -> dict[str, Any]:
        reply = await self.client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
        body: dict[str, Any] = reply.json()
        return body

    async def login(self, login: str) -> str:
        reply = await self.client.post(
            "/graphql",
            json={
                "query": 'mutation($l: String!) { login(login: $l, password: "demo") { token } }',
                "variables": {"l": login},
            },
        )
        token: str = reply.json()["data"]["login"]["token"]
        return token


@pytest.fixture
async def http(server: Served) -> AsyncIterator[Http]:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}", timeout=20) as client:
        yield Http(client)


@dataclass
class Family:
    student: str  # a Person ID
    parent_login: str


@dataclass
class Journal:
    lesson: dict[str, Any]
    teacher_login: str
    colleague_login: str  # the class teacher of the lesson's class, another person
    families: list[Family]


def _gid(type_name: str, row_id: int) -> str:
    return relay.to_base64(type_name, row_id)


async def _usable(engine: AsyncEngine, account_id: int) -> str:
    """The account, signing in with the demo password and no change required first."""
    await execute(
        engine, "UPDATE account SET must_change_password = false WHERE id = :a", a=account_id
    )
    return str((await rows(engine, "SELECT login FROM account WHERE id = :a", a=account_id))[0][0])


async def journal(engine: AsyncEngine, demo: dict[str, str]) -> Journal:
    """A lesson of the demo teacher's (after the locked quarter) in a class whose class teacher
    is someone else, two of its students of different families, and a parent of each."""
    found = await rows(
        engine,
        """SELECT l.id, c.class_teacher_id FROM lesson l
        JOIN account a ON a.person_id = l.teacher_id
        JOIN study_group g ON g.id = l.group_id
        JOIN school_class c ON c.id = g.school_class_id
        JOIN subject s ON s.id = l.subject_id
        WHERE a.login = :t AND l.status = 'held' AND NOT s.no_attestation
          AND l.held_on >= '2026-11-01' AND c.class_teacher_id <> l.teacher_id
        ORDER BY l.held_on DESC, l.id LIMIT 1""",
        t=demo["teacher"],
    )
    lesson_id, class_teacher = found[0]
    await within_edit_window(engine, lesson_id)
    await execute(engine, "DELETE FROM grade WHERE lesson_id = :l", l=lesson_id)
    await execute(engine, "DELETE FROM attendance WHERE lesson_id = :l", l=lesson_id)
    students = await rows(
        engine,
        """SELECT m.student_id, min(a.id) FROM (
          SELECT cs.student_id FROM lesson l JOIN study_group g ON g.id = l.group_id
          JOIN class_student cs ON cs.school_class_id = g.school_class_id
          WHERE l.id = :l AND g.kind = 'whole_class'
          UNION SELECT gs.student_id FROM lesson l JOIN group_student gs ON gs.group_id = l.group_id
          WHERE l.id = :l) m
        JOIN guardianship gu ON gu.child_id = m.student_id
        JOIN account a ON a.person_id = gu.parent_id
        GROUP BY m.student_id ORDER BY m.student_id""",
        l=lesson_id,
    )
    families: list[Family] = []
    parents_seen: set[int] = set()
    for student, parent_account in students:
        children = await rows(
            engine,
            "SELECT gu.child_id FROM guardianship gu JOIN account a ON a.person_id = gu.parent_id "
            "WHERE a.id = :a",
            a=parent_account,
        )
        if parent_account in parents_seen or len(children) != 1:
            continue  # a parent of one child only: the other family is another family
        parents_seen.add(parent_account)
        families.append(Family(_gid("Person", student), await _usable(engine, parent_account)))
        if len(families) == 2:
            break
    colleague = (
        await rows(engine, "SELECT id FROM account WHERE person_id = :p", p=class_teacher)
    )[0][0]
    work_type = (
        await rows(
            engine,
            "SELECT min(w.id) FROM work_type w JOIN lesson l ON l.school_id = w.school_id "
            "WHERE l.id = :l",
            l=lesson_id,
        )
    )[0][0]
    lesson = {
        "id": lesson_id,
        "gid": _gid("Lesson", lesson_id),
        "work_type": _gid("WorkType", work_type),
    }
    return Journal(lesson, demo["teacher"], await _usable(engine, colleague), families)


def _grades(journal: Journal, *marks: tuple[str, str | None]) -> dict[str, Any]:
    return {
        "input": {
            "lessonId": journal.lesson["gid"],
            "grades": [
                {"studentId": student, "workTypeId": journal.lesson["work_type"], "mark": mark}
                for student, mark in marks
            ],
        }
    }


async def test_a_parent_sees_their_childs_grade_live_and_no_other_family_does(
    engine: AsyncEngine, demo_school: dict[str, str], server: Served, http: Http
) -> None:  # issue 14 item 5; Ж.1 #3
    # given two parents of children in one lesson, each with their child's diary open
    found = await journal(engine, demo_school)
    ours, theirs = found.families
    teacher = await http.login(found.teacher_login)
    mine = await live(server.port, await http.login(ours.parent_login))
    other_token = await http.login(theirs.parent_login)
    other = await live(server.port, other_token)
    await mine.subscribe("diary", DIARY, s=ours.student)
    await other.subscribe("diary", DIARY, s=theirs.student)
    # and the other parent cannot open our child's diary at all
    await other.subscribe("peek", DIARY, s=ours.student)
    refused = await other.receive()
    assert refused["type"] == "error"
    assert refused["id"] == "peek"
    assert refused["payload"][0]["extensions"]["code"] == "NOT_FOUND"
    await asyncio.sleep(SETTLE)
    # when the teacher enters our child's grade over HTTP
    entered = await http(GRADES_SET, teacher, **_grades(found, (ours.student, "5")))
    assert "errors" not in entered, entered
    # then our diary receives it, as it stands, with the child's ID
    told = await mine.receive()
    assert told["type"] == "next"
    assert told["id"] == "diary"
    change = told["payload"]["data"]["diaryChanges"]
    assert change["lessonId"] == found.lesson["gid"]
    assert [(g["mark"], g["student"]["id"]) for g in change["grades"]] == [("5", ours.student)]
    assert change["attendance"] == []
    assert change["removed"] == []
    # and the other family hears nothing
    await other.nothing()
    # when the teacher deletes the grade, our diary is told its ID as removed
    grade_id = change["grades"][0]["id"]
    deletion = _grades(found, (ours.student, None))
    deletion["input"]["grades"][0]["version"] = 1
    assert "errors" not in await http(GRADES_SET, teacher, **deletion)
    removed = (await mine.receive())["payload"]["data"]["diaryChanges"]
    assert removed["removed"] == [grade_id]
    assert removed["grades"] == []
    await other.nothing(0.5)
    # and a grade for both children reaches each family's diary with their own child's only
    await http(GRADES_SET, teacher, **_grades(found, (ours.student, "4"), (theirs.student, "3")))
    ours_now = (await mine.receive())["payload"]["data"]["diaryChanges"]["grades"]
    theirs_now = (await other.receive())["payload"]["data"]["diaryChanges"]["grades"]
    assert [(g["mark"], g["student"]["id"]) for g in ours_now] == [("4", ours.student)]
    assert [(g["mark"], g["student"]["id"]) for g in theirs_now] == [("3", theirs.student)]
    await mine.socket.close()
    await other.socket.close()


async def test_a_rolled_back_write_tells_nobody(
    engine: AsyncEngine, demo_school: dict[str, str], server: Served, http: Http
) -> None:  # issue 14: "a rolled-back write sends nothing"
    found = await journal(engine, demo_school)
    ours, theirs = found.families
    teacher = await http.login(found.teacher_login)
    mine = await live(server.port, await http.login(ours.parent_login))
    await mine.subscribe("diary", DIARY, s=ours.student)
    await asyncio.sleep(SETTLE)
    # when a write with our child's grade fails on its second entry (no such mark), all of it
    # rolls back
    failed = await http(
        GRADES_SET, teacher, **_grades(found, (ours.student, "5"), (theirs.student, "9"))
    )
    assert failed["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    # then the diary is told nothing
    await mine.nothing()
    # and the next write that commits is the first thing it hears
    await http(GRADES_SET, teacher, **_grades(found, (ours.student, "3")))
    grades = (await mine.receive())["payload"]["data"]["diaryChanges"]["grades"]
    assert [g["mark"] for g in grades] == ["3"]
    await mine.socket.close()


async def test_a_colleagues_entry_reaches_the_teachers_open_grid(
    engine: AsyncEngine, demo_school: dict[str, str], server: Served, http: Http
) -> None:  # issue 14 item 5: "a teacher's open grid sees a co-teacher's entries"
    found = await journal(engine, demo_school)
    ours, _ = found.families
    grid = await live(server.port, await http.login(found.teacher_login))
    await grid.subscribe("grid", GRID, l=found.lesson["gid"])
    await asyncio.sleep(SETTLE)
    # when the class's class teacher marks our student absent in the teacher's lesson
    colleague = await http.login(found.colleague_login)
    marked = await http(
        ATTENDANCE, colleague, l=found.lesson["gid"], m=[{"studentId": ours.student, "kind": "ILL"}]
    )
    assert "errors" not in marked, marked
    # then the teacher's open grid receives the absence
    change = (await grid.receive())["payload"]["data"]["lessonJournalChanges"]
    assert [(a["kind"], a["student"]["id"]) for a in change["attendance"]] == [
        ("ILL", ours.student)
    ]
    assert change["grades"] == []
    # and when the class teacher marks the student present after all, the grid is told the
    # absence's ID as removed
    present = [{"studentId": ours.student, "kind": None, "version": 1}]
    unmarked = await http(ATTENDANCE, colleague, l=found.lesson["gid"], m=present)
    assert "errors" not in unmarked, unmarked
    removed = (await grid.receive())["payload"]["data"]["lessonJournalChanges"]
    assert removed["removed"] == [change["attendance"][0]["id"]]
    assert removed["attendance"] == []
    # and a parent cannot open the lesson's grid (their child's lesson or not: its whole grid)
    parent = await live(server.port, await http.login(ours.parent_login))
    await parent.subscribe("grid", GRID, l=_gid("Lesson", 10**6))
    refused = await parent.receive()
    assert refused["type"] == "error"
    assert refused["payload"][0]["extensions"]["code"] == "NOT_FOUND"
    await grid.socket.close()
    await parent.socket.close()


async def test_revoking_the_token_ends_the_subscription(
    engine: AsyncEngine, demo_school: dict[str, str], server: Served, http: Http
) -> None:  # issue 14 item 5: "ends when the token is revoked"
    found = await journal(engine, demo_school)
    ours, _ = found.families
    token = await http.login(ours.parent_login)
    mine = await live(server.port, token)
    await mine.subscribe("diary", DIARY, s=ours.student)
    await asyncio.sleep(SETTLE)
    # when the parent signs out (the token revoked) over HTTP
    assert (await http(LOGOUT, token))["data"]["logout"] is True
    # then the connection is closed within about a second, as forbidden
    started = asyncio.get_running_loop().time()
    assert await mine.closed() == 4403
    assert asyncio.get_running_loop().time() - started < 1.5


async def test_a_bad_token_or_none_is_refused(server: Served, http: Http) -> None:
    # a token that signs nobody in: closed as forbidden at `connection_init`
    socket = await _socket(server.port)
    await socket.send('{"type": "connection_init", "payload": {"authorization": "Bearer nope"}}')
    assert await Live(socket).closed() == 4403
    # a subscription before any `connection_init`: unauthorized (the protocol's 4401)
    socket = await _socket(server.port)
    await socket.send(
        orjson.dumps({"id": "1", "type": "subscribe", "payload": {"query": DIARY}}).decode()
    )
    assert await Live(socket).closed() == 4401
    # and no `connection_init` at all: closed once its time (2 s here) passes
    socket = await _socket(server.port)
    assert await Live(socket).closed(within=5) == 4408


async def test_bounds_apply_to_subscriptions(
    engine: AsyncEngine, demo_school: dict[str, str], server: Served, http: Http
) -> None:  # issue 9's limits, for subscription documents too
    found = await journal(engine, demo_school)
    ours, _ = found.families
    token = await http.login(ours.parent_login)
    mine = await live(server.port, token)
    # a query over the WebSocket is told to come by POST
    await mine.subscribe("q", "{ me { login } }")
    told = await mine.receive()
    assert told["type"] == "error"
    assert told["payload"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    # a document with more aliases than a query may have is refused as one is
    aliases = " ".join(f"a{i}: lessonId" for i in range(40))
    await mine.subscribe(
        "wide",
        f"subscription($s: ID!) {{ diaryChanges(studentId: $s) {{ {aliases} }} }}",
        s=ours.student,
    )
    told = await mine.receive()
    assert told["type"] == "error"
    assert told["payload"][0]["extensions"]["code"] in {"QUERY_TOO_COMPLEX", "BAD_USER_INPUT"}
    # three subscriptions at once per connection (as configured here), and four per account
    for op in ("1", "2", "3"):
        await mine.subscribe(op, DIARY, s=ours.student)
    await mine.subscribe("4", DIARY, s=ours.student)
    assert (await mine.receive())["type"] == "error"
    second = await live(server.port, token)
    await second.subscribe("5", DIARY, s=ours.student)
    await asyncio.sleep(SETTLE)
    await second.subscribe("6", DIARY, s=ours.student)
    past = await second.receive()
    assert past["type"] == "error"
    assert past["id"] == "6"
    assert past["payload"][0]["extensions"]["code"] == "RATE_LIMITED"
    await mine.socket.close()
    await second.socket.close()


async def test_two_server_processes_share_events_and_revocations(
    engine: AsyncEngine,
    database_url: str,
    demo_school: dict[str, str],
    server: Served,
    http: Http,
    tmp_path: Path,
) -> None:  # issue 14 item 5: "works with several server processes (LISTEN/NOTIFY)"
    if not database_url.startswith("postgresql"):
        pytest.skip("one process serves SQLite")
    found = await journal(engine, demo_school)
    ours, _ = found.families
    other = _server(database_url, tmp_path / "other.log")
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{other.port}", timeout=20
        ) as client:
            there = Http(client)
            # given a parent subscribed on this server
            token = await http.login(ours.parent_login)
            mine = await live(server.port, token)
            await mine.subscribe("diary", DIARY, s=ours.student)
            await asyncio.sleep(SETTLE)
            # when the teacher enters the grade through the other server
            teacher = await there.login(found.teacher_login)
            await there(GRADES_SET, teacher, **_grades(found, (ours.student, "5")))
            # then it reaches the subscriber here
            grades = (await mine.receive())["payload"]["data"]["diaryChanges"]["grades"]
            assert [g["mark"] for g in grades] == ["5"]
            # and signing out through the other server ends the subscription here
            assert (await there(LOGOUT, token))["data"]["logout"] is True
            assert await mine.closed() == 4403
    finally:
        other.stop()


async def test_graphiqls_live_examples_start_for_their_roles(
    demo_school: dict[str, str], server: Served, http: Http
) -> None:  # GraphiQL's subscription examples (server/graphiql_examples.py), over the WebSocket
    from datetime import date

    from server.graphiql_examples import EXAMPLES

    examples = [example for example in EXAMPLES if "\nsubscription " in example.document]
    assert {example.role for example in examples} == {"parent", "teacher"}
    for example in examples:
        assert example.role is not None
        token = await http.login(demo_school[example.role])
        looked_up = (await http(example.lookup or "{ __typename }", token))["data"]
        variables = example.variables(looked_up, date(2026, 11, 20))
        connection = await live(server.port, token)
        await connection.subscribe("example", example.document, **variables)
        # then it runs, waiting for changes: no error comes back
        await connection.nothing(1.0)
        await connection.socket.close()


async def _heard(events: list[JournalEvent], count: int, within: float = 10) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while len(events) < count:
        assert asyncio.get_running_loop().time() < deadline, events
        await asyncio.sleep(0.05)


async def test_the_hub_is_told_at_commit_only(engine: AsyncEngine) -> None:
    """SQLite's events (one process): after the outermost commit, once; never after a rollback,
    nor at a savepoint's release."""
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL tells at COMMIT itself (pg_notify): the tests above")
    events: list[JournalEvent] = []

    def hear(journal_event: JournalEvent) -> None:
        events.append(journal_event)

    HUB.add(hear)
    try:
        db = Database(make_sessionmaker(engine)())
        await db.execute(text("SELECT 1"))
        await publish(db, JournalEvent("grade", 1, 2, (3,), (4,)))
        await db.session.rollback()
        savepoint = await db.session.begin_nested()
        await publish(db, JournalEvent("grade", 1, 2, (3,), (5,)))
        await savepoint.commit()
        await asyncio.sleep(0.1)
        assert events == []  # rolled back, and a savepoint is no commit
        await db.commit()
        await _heard(events, 1)
        await db.execute(text("SELECT 1"))
        await db.commit()  # a later transaction tells nothing again
        await asyncio.sleep(0.1)
        assert [e.ids for e in events] == [(5,)]
        await db.session.close()
    finally:
        HUB.discard(hear)


async def test_the_listener_hears_again_after_the_database_comes_back(
    engine: AsyncEngine, database_url: str
) -> None:  # issue 14: one LISTEN connection per process, reconnecting with backoff
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no LISTEN: one process, its hub")
    real = make_url(database_url)
    proxy = TcpProxy(real.host or "127.0.0.1", real.port or 5432)
    await proxy.start()
    through_proxy = real.set(port=proxy.port).render_as_string(hide_password=False)
    events: list[JournalEvent] = []

    def hear(journal_event: JournalEvent) -> None:
        events.append(journal_event)

    async def notify(journal_event: JournalEvent) -> None:
        async with engine.begin() as connection:
            payload = journal_event.payload()
            await connection.execute(text("SELECT pg_notify('tabel_journal', :p)"), {"p": payload})

    HUB.add(hear)
    ready = asyncio.Event()
    listening = asyncio.create_task(live_listener.run(through_proxy, ready))
    try:
        await asyncio.wait_for(ready.wait(), 10)
        await notify(JournalEvent("grade", 1, 2, (3,), (4,)))
        await _heard(events, 1)
        # when the database goes away and comes back
        ready.clear()
        await proxy.stop()
        await asyncio.sleep(1)
        await proxy.start()
        await asyncio.wait_for(ready.wait(), 20)
        # then what commits from then on is heard again
        await notify(JournalEvent("grade", 1, 2, (3,), (5,)))
        await _heard(events, 2)
        assert [e.ids for e in events] == [(4,), (5,)]
    finally:
        listening.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listening
        HUB.discard(hear)
        await proxy.stop()


async def test_a_password_change_or_a_block_ends_the_other_sessions_subscriptions(
    engine: AsyncEngine, demo_school: dict[str, str], server: Served, http: Http
) -> None:  # R-ACC-1: a password change signs out the other sessions; a block, all of them
    found = await journal(engine, demo_school)
    ours, theirs = found.families
    # given a parent's diary open in one session, and another session of theirs
    watching = await live(server.port, await http.login(ours.parent_login))
    await watching.subscribe("diary", DIARY, s=ours.student)
    other_session = await http.login(ours.parent_login)
    await asyncio.sleep(SETTLE)
    # when they change the password in the other session
    changed = await http(
        "mutation($o: String!, $n: String!) { passwordChange(oldPassword: $o, newPassword: $n) }",
        other_session,
        o="demo",
        n="a-new-password-1",
    )
    assert changed["data"]["passwordChange"] is True, changed
    # then the open diary's connection ends
    assert await watching.closed() == 4403
    # given another parent's diary open
    blocked_one = await live(server.port, await http.login(theirs.parent_login))
    await blocked_one.subscribe("diary", DIARY, s=theirs.student)
    await asyncio.sleep(SETTLE)
    # when the school's admin blocks their account
    person, school = (
        await rows(
            engine,
            "SELECT a.person_id, l.school_id FROM account a, lesson l "
            "WHERE a.login = :login AND l.id = :l",
            login=theirs.parent_login,
            l=found.lesson["id"],
        )
    )[0]
    admin = await http.login(demo_school["admin"])
    block = (
        "mutation($s: ID!, $p: [ID!]!) { accountsBlock(schoolId: $s, personIds: $p) { isActive } }"
    )
    answer = await http(block, admin, s=_gid("School", school), p=[_gid("Person", person)])
    assert answer["data"]["accountsBlock"] == [{"isActive": False}], answer
    # then their connection ends too
    assert await blocked_one.closed() == 4403
