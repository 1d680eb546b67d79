"""Requests refused as a whole before GraphQL runs them (issue 9, item 2): bodies over the limit
(413), bodies that are no JSON object in UTF-8 (400), wrongly typed variables — each a typed
GraphQL error, never a 500 or INTERNAL_SERVER_ERROR, and nothing run."""

import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.build import build_schema
from schema.input_checks import most_items
from server.app import create_app
from server.settings import Settings
from tests.client import GraphQLClient
from tests.conftest import StatementCounter

MiB = 1024 * 1024
CHUNK = 64 * 1024


class Trickle:
    """A request body of `size` bytes sent in chunks, counting what the server pulled."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        head = b'{"query": "{ __typename }", "variables": {"x": "'
        yield head
        self.sent = len(head)
        while self.sent < self.size:
            self.sent += CHUNK
            yield b"a" * CHUNK


def _refusal(reply: httpx.Response) -> dict[str, Any]:
    body = reply.json()
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    return dict(error)


async def test_a_50_mb_body_with_its_length_declared_is_refused_unread(
    api: GraphQLClient, sql: StatementCounter
) -> None:
    # given a client announcing 50 MB
    body = Trickle(50 * MiB)
    # when it posts them
    reply = await api.http.post(
        "/graphql",
        content=body,
        headers={"content-type": "application/json", "content-length": str(50 * MiB)},
    )
    # then 413 with a GraphQL error, before a single byte of the body was read, and the
    # connection ends there (the rest is not drained to keep it)
    assert reply.status_code == 413
    assert _refusal(reply)["extensions"]["maxBytes"] == MiB
    assert reply.headers["connection"] == "close"
    assert body.sent == 0
    assert sql.count == 0


async def test_a_chunked_body_is_read_no_further_than_the_limit(
    api: GraphQLClient, sql: StatementCounter
) -> None:
    # given 50 MB in chunks, with no length announced
    body = Trickle(50 * MiB)
    # when posted
    reply = await api.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    # then refused once the limit is passed: at most one chunk beyond it was pulled
    assert reply.status_code == 413
    _refusal(reply)
    assert MiB < body.sent <= MiB + 2 * CHUNK
    assert sql.count == 0


async def test_the_body_limit_is_a_setting(engine: AsyncEngine) -> None:
    # given a server allowing 2 KB
    app = create_app(Settings(database_url="sqlite://", max_body_bytes=2048), engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://tabel.test") as http:
        small = {"query": "{ __typename }"}
        large = {"query": "{ __typename }", "variables": {"x": "a" * 4096}}
        # when a small and a larger request come
        accepted = await http.post("/graphql", json=small)
        refused = await http.post("/graphql", json=large)
    # then only the larger one is refused
    assert accepted.json() == {"data": {"__typename": "Query"}}
    assert refused.status_code == 413
    _refusal(refused)


NOT_A_REQUEST = {
    "a batch": b'[{"query": "{ __typename }"}, {"query": "{ __typename }"}]',
    "an empty list": b"[]",
    "a number": b"42",
    "a string": b'"{ __typename }"',
    "null": b"null",
    "invalid JSON": b'{"query": ',
    "not UTF-8": b'{"query": "{ __typename \xff\xfe }"}',
    "a lone surrogate": b'{"query": "{ __typename }", "variables": {"x": "\\ud800"}}',
    "nesting past any depth": b"[" * 100_000,
    "variables not an object": b'{"query": "{ __typename }", "variables": [1, 2]}',
}


@pytest.mark.parametrize("body", NOT_A_REQUEST.values(), ids=NOT_A_REQUEST.keys())
async def test_a_body_that_is_no_graphql_request_is_a_typed_400(
    api: GraphQLClient, sql: StatementCounter, body: bytes
) -> None:
    reply = await api.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert reply.status_code == 400
    _refusal(reply)
    assert sql.count == 0


async def test_an_unsupported_content_type_is_a_typed_400(api: GraphQLClient) -> None:
    reply = await api.http.post(
        "/graphql", content=b"{ __typename }", headers={"content-type": "text/plain"}
    )
    assert reply.status_code == 400
    _refusal(reply)


# (document, variables) with a value that does not fit its variable's type
WRONGLY_TYPED = {
    "a bad Date": (
        'query($d: Date!) { diaryWeek(studentId: "x", weekOf: $d) { days { date } } }',
        {"d": "2026-13-45"},
    ),
    "a text as Int": ("query($n: Int) { schools(first: $n) { totalCount } }", {"n": "ten"}),
    "an Int past 32 bits": ("query($n: Int) { schools(first: $n) { totalCount } }", {"n": 2**40}),
    "an unknown enum value": (
        "query($k: AttendanceKind) { attendance(filter: {}, kind: $k) { totalCount } }",
        {"k": "SICK"},
    ),
    "a bad DateTime in an input": (
        "mutation($i: ApiTokenIssueInput!) { apiTokenIssue(input: $i) { token } }",
        {"i": {"name": "x", "kind": "INSPECTOR", "expiresAt": "tomorrow"}},
    ),
    "an object as ID": ("query($id: ID!) { node(id: $id) { id } }", {"id": {"id": 1}}),
    "a text where an object is expected": (
        "query($f: PersonFilter!) { people(filter: $f) { totalCount } }",
        {"f": "Иванов"},
    ),
    "a list where a text is expected": (
        "query($f: PersonFilter!) { people(filter: $f) { totalCount } }",
        {"f": {"search": ["Иванов"]}},
    ),
}


@pytest.mark.parametrize("case", WRONGLY_TYPED.values(), ids=WRONGLY_TYPED.keys())
async def test_a_wrongly_typed_variable_is_bad_user_input_logged_in_one_line(
    api: GraphQLClient,
    sql: StatementCounter,
    demo_school: dict[str, str],
    caplog: pytest.LogCaptureFixture,
    case: tuple[str, dict[str, Any]],
) -> None:
    # given a signed-in teacher
    token = await api.login(demo_school["teacher"], "demo")
    document, variables = case
    sql.reset()
    caplog.clear()
    # when a variable's value does not fit its type
    with caplog.at_level(logging.WARNING):
        reply = await api(document, variables, token=token)
    # then BAD_USER_INPUT naming the variable, one log line without a traceback, no writes
    assert reply.error_codes == ["BAD_USER_INPUT"]
    assert reply.body["errors"][0]["extensions"]["variable"] == next(iter(variables))
    assert reply.body.get("data") is None
    records = [r for r in caplog.records if r.name == "tabel.errors"]
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING
    assert records[0].exc_info is None
    assert not [
        s for s in sql.statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


async def test_a_50000_item_list_variable_is_refused_before_it_is_coerced(
    api: GraphQLClient, sql: StatementCounter
) -> None:
    # given fifty thousand attendance marks in one variable (under the body limit)
    marks = [{"studentId": "x"}] * 50_000
    body = orjson.dumps(
        {
            "query": "mutation($l: ID!, $m: [AttendanceEntryInput!]!) "
            "{ attendanceMark(lessonId: $l, marks: $m) { lesson { id } } }",
            "variables": {"l": "x", "m": marks},
        }
    )
    assert len(body) < MiB
    # when posted, anonymous
    reply = await api.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    # then refused at once: no list of any argument takes that many
    assert reply.status_code == 400
    refusal = _refusal(reply)
    assert refusal["extensions"]["variable"] == "m"
    # (the most any list input takes: a week's timetable of a school)
    assert refusal["extensions"]["maxItems"] == most_items(build_schema()._schema)
    assert sql.count == 0


@pytest.mark.parametrize(
    ("method", "body", "status"),
    [
        ("POST", {"query": "query A { __typename }", "operationName": "B"}, 400),
        ("POST", {"variables": {}}, 400),
        ("GET", None, 404),  # no GraphiQL in production
        ("PUT", {"query": "{ __typename }"}, 405),
    ],
    ids=["unknown operation", "no query", "GET without GraphiQL", "PUT"],
)
async def test_what_strawberry_refuses_is_a_typed_graphql_error_too(
    api: GraphQLClient, sql: StatementCounter, method: str, body: Any, status: int
) -> None:
    # given a request GraphQL cannot run
    content = None if body is None else orjson.dumps(body)
    # when it is sent
    reply = await api.http.request(
        method, "/graphql", content=content, headers={"content-type": "application/json"}
    )
    # then a GraphQL error body with its code, not a line of plain text, and nothing ran
    assert reply.status_code == status
    assert _refusal(reply)["message"]
    assert sql.count == 0
