"""The hostile clients of issue 9, one kind at a time: each sends its requests in a few
concurrent loops until its deadline and counts every answer. All of them go to the server
given (127.0.0.1), every loop is bounded in time, and every request has a client timeout."""

import asyncio
import secrets
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import orjson

from bench.client import Connection, Reply, Request
from bench.outcomes import (
    CLOSED,
    CONNECT_FAILED,
    TIMEOUT,
    Session,
    Tally,
    close_quietly,
    label,
    timed,
)

JSON = {"Content-Type": "application/json"}
MB = 1_000_000


@dataclass(frozen=True)
class Target:
    base: str  # http://127.0.0.1:PORT
    admin_token: str
    max_depth: int
    timeout: float = 10.0  # a hostile request still unanswered after this counts as a timeout

    def post(self, payload: object, token: str | None = None) -> Request:
        headers = dict(JSON)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return Request(f"{self.base}/graphql", orjson.dumps(payload), headers)

    @property
    def address(self) -> tuple[str, int]:
        return Request(f"{self.base}/graphql", b"", {}).address


Attacker = Callable[[Target, float, Tally, int], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class Attack:
    name: str
    what: str
    clients: int  # concurrent loops
    quick_clients: int
    attacker: Attacker = field(repr=False)


# ---------------------------------------------------------------------------------------------
# Documents


def fragment_bomb(levels: int = 40) -> str:
    """~1.3 KB: each fragment spreads the next one twice, so naive walks do 2**levels visits.
    A comment with a nonce makes every document new to the server's caches."""
    lines = [f"# {secrets.token_hex(8)}", "query Bomb { ...F0 }"]
    lines += [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    lines.append(f"fragment F{levels} on Query {{ __typename }}")
    return "\n".join(lines)


def fan_out(max_depth: int) -> str:
    """An admin following class → students → classes → … as deep as the depth limit lets:
    the root field at depth 0, its `nodes` at 1, the last list's fields at `max_depth`."""
    lists = ["students" if level % 2 == 0 else "classes" for level in range(max_depth - 2)]
    inner = "shortName" if lists[-1] == "students" else "name"
    for name in reversed(lists):
        inner = f"{name} {{ id {inner} }}"
    return f"query FanOut {{ classes(first: 100) {{ nodes {{ {inner} }} }} }}"


GRADES_SET = "mutation($input: GradesSetInput!) { gradesSet(input: $input) { lesson { id } } }"
HOMEWORK_ASSIGN = (
    "mutation($input: HomeworkAssignInput!) { homeworkAssign(input: $input) { homework { id } } }"
)
SEARCH = (
    "query($search: String!) { people(filter: {search: $search}, first: 10) "
    "{ totalCount nodes { id } } }"
)
LOGIN = (
    "mutation($login: String!, $password: String!) "
    "{ login(login: $login, password: $password) { token } }"
)


def many_grades(n: int = 50_000) -> dict[str, object]:
    entry = {"studentId": "UGVyc29uOjE=", "workTypeId": "V29ya1R5cGU6MQ==", "mark": "5"}
    return {"input": {"lessonId": "TGVzc29uOjE=", "grades": [entry] * n}}


def many_ids(n: int = 50_000) -> dict[str, object]:
    ids = [f"UGVyc29uOj{i % 10}" for i in range(n)]
    homework = {"lessonId": "TGVzc29uOjE=", "text": "x", "dueOn": "2026-12-01"}
    return {"input": {**homework, "studentIds": ids}}


# ---------------------------------------------------------------------------------------------
# Loops


async def _loop(
    target: Target, deadline: float, tally: Tally, next_request: Callable[[], bytes]
) -> None:
    """One keep-alive connection sending one request after another until the deadline."""
    session = Session(target.address, target.timeout)
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        reply = await session.ask(next_request())
        if isinstance(reply, str):
            tally.add(reply)
            if reply == CONNECT_FAILED:
                await asyncio.sleep(0.1)
            continue
        tally.add(label(reply), (time.perf_counter() - started) * 1000)
    await session.close()


def _loops(clients_of: Callable[[Target], Callable[[], bytes]]) -> Attacker:
    async def attack(target: Target, deadline: float, tally: Tally, clients: int) -> None:
        next_request = clients_of(target)  # built once: the big documents are shared
        await asyncio.gather(
            *(_loop(target, deadline, tally, next_request) for _ in range(clients))
        )

    return attack


def _fragments(target: Target) -> Callable[[], bytes]:
    return lambda: target.post({"query": fragment_bomb()}).raw()


def _made_up_tokens(target: Target) -> Callable[[], bytes]:
    def next_request() -> bytes:
        token = f"tbl_{secrets.token_urlsafe(32)}"
        return target.post({"query": fragment_bomb()}, token).raw()

    return next_request


def _fan_out(target: Target) -> Callable[[], bytes]:
    raw = target.post({"query": fan_out(target.max_depth)}, target.admin_token).raw()
    return lambda: raw


def _variables(target: Target) -> Callable[[], bytes]:
    requests = [
        target.post({"query": GRADES_SET, "variables": many_grades()}).raw(),
        target.post({"query": HOMEWORK_ASSIGN, "variables": many_ids()}).raw(),
    ]
    sent = [0]

    def next_request() -> bytes:
        sent[0] += 1
        return requests[sent[0] % 2]

    return next_request


def _search(target: Target) -> Callable[[], bytes]:
    raw = target.post(
        {"query": SEARCH, "variables": {"search": "x" * MB}}, target.admin_token
    ).raw()
    return lambda: raw


def _logins(target: Target) -> Callable[[], bytes]:
    sent = [0]

    def next_request() -> bytes:
        sent[0] += 1
        login = "admin" if sent[0] % 2 else f"nobody{secrets.token_hex(3)}"
        variables = {"login": login, "password": f"wrong-{sent[0]}"}
        return target.post({"query": LOGIN, "variables": variables}).raw()

    return next_request


# ---------------------------------------------------------------------------------------------
# Huge bodies: streamed, and the answer read while they are still being sent


BIG_BODY = 50 * MB
CHUNK = 2**20


def _big_body() -> bytes:
    head = b'{"query": "{ __typename }", "variables": {"pad": "'
    tail = b'"}}'
    return head + b"x" * (BIG_BODY - len(head) - len(tail)) + tail


async def _stream(target: Target, body: bytes) -> Reply | str:
    connection = await Connection.open(target.address)
    request = Request(f"{target.base}/graphql", b"", JSON)
    head = request.raw().replace(b"Content-Length: 0", f"Content-Length: {len(body)}".encode())
    reading = asyncio.ensure_future(connection.reply())
    try:
        connection.writer.write(head)
        for start in range(0, len(body), CHUNK):
            if reading.done():
                break
            connection.writer.write(body[start : start + CHUNK])
            await connection.writer.drain()
    except (ConnectionError, OSError):
        pass
    try:
        return await timed(reading, target.timeout)
    finally:
        reading.cancel()
        await close_quietly(connection)


async def big_bodies(target: Target, deadline: float, tally: Tally, clients: int) -> None:
    body = _big_body()

    async def loop() -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                reply = await asyncio.wait_for(_stream(target, body), target.timeout * 2)
            except TimeoutError:
                reply = TIMEOUT
            except OSError:
                reply = CLOSED
            if isinstance(reply, str):
                tally.add(reply)
            else:
                tally.add(label(reply), (time.perf_counter() - started) * 1000)

    await asyncio.gather(*(loop() for _ in range(clients)))


# ---------------------------------------------------------------------------------------------
# Slow connections: many of them, each sending a byte a second and never finishing


async def _dribble(target: Target, deadline: float, tally: Tally, head: bytes) -> None:
    """Sends `head`, then one more byte every second until the deadline; counts whether the
    server closed the connection (with how long it kept it) or it was still open."""
    opened = time.perf_counter()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(*target.address), 5)
    except (TimeoutError, OSError):
        tally.add("connect failed")
        return
    reading = asyncio.ensure_future(reader.read(4096))
    try:
        writer.write(head)
        while time.perf_counter() < deadline:
            done, _ = await asyncio.wait({reading}, timeout=1)
            if done:
                data = b"" if reading.exception() else reading.result()
                status = data.split(b" ", 2)[1].decode() if data.startswith(b"HTTP/") else ""
                name = f"HTTP {status}, then closed" if status else "closed by the server"
                tally.add(name, (time.perf_counter() - opened) * 1000)
                return
            writer.write(b"x")
            await writer.drain()
        tally.add("still open at the end")
    except (ConnectionError, OSError):
        tally.add("closed by the server", (time.perf_counter() - opened) * 1000)
    finally:
        reading.cancel()
        writer.close()


def _slow(head: Callable[[Target], bytes]) -> Attacker:
    async def attack(target: Target, deadline: float, tally: Tally, clients: int) -> None:
        raw = head(target)
        await asyncio.gather(*(_dribble(target, deadline, tally, raw) for _ in range(clients)))

    return attack


def _unfinished_headers(target: Target) -> bytes:
    host = target.base.removeprefix("http://")
    return f"POST /graphql HTTP/1.1\r\nHost: {host}\r\nX-Slow: ".encode()


def _slow_body(target: Target) -> bytes:
    host = target.base.removeprefix("http://")
    return (
        f"POST /graphql HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: 100000\r\n\r\n"
    ).encode() + b'{"query": "'


ATTACKS = [
    Attack(
        "fragments",
        "anonymous fragment bombs: 41 fragments each spreading the next twice (~1.3 KB), "
        "a new document each time",
        4,
        2,
        _loops(_fragments),
    ),
    Attack(
        "made-up-tokens",
        "fragment bombs as above, each with a bearer token made up anew: looked up before "
        "parsing, then the address's",
        4,
        2,
        _loops(_made_up_tokens),
    ),
    Attack(
        "fan-out",
        "admin: classes(first: 100) → students → classes → … to the depth limit",
        2,
        2,
        _loops(_fan_out),
    ),
    Attack("big-body", "anonymous 50 MB bodies, streamed", 2, 1, big_bodies),
    Attack(
        "big-variables",
        "anonymous 50,000-item lists: gradesSet entries (3.7 MB), homeworkAssign student IDs "
        "(0.8 MB)",
        2,
        2,
        _loops(_variables),
    ),
    Attack(
        "long-search",
        "admin: people(filter: {search}) with a 1 MB search",
        25,
        8,
        _loops(_search),
    ),
    Attack(
        "login-flood",
        "anonymous wrong passwords, for `admin` and for unknown logins, in several loops",
        4,
        4,
        _loops(_logins),
    ),
    Attack(
        "slow-headers",
        "connections that send a header byte a second and never finish the headers",
        200,
        50,
        _slow(_unfinished_headers),
    ),
    Attack(
        "slow-body",
        "connections that send a body of 100 kB at a byte a second",
        200,
        50,
        _slow(_slow_body),
    ),
]
