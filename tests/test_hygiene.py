"""Server hygiene (issue 9, item 7) through the ASGI app: who may read the schema, security
headers, retry statuses, and logs that hold one escaped line per client mistake."""

import logging
from collections.abc import MutableMapping
from typing import Any

import httpx
import pytest
from graphql import GraphQLError
from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.errors import RateLimited
from schema.errors import log_error
from server.app import create_app
from server.http_status import retry_status
from server.logs import EscapingFilter
from server.settings import Settings
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, head_of_school

SCHEMA = "{ __schema { queryType { name } } }"


def _client(engine: AsyncEngine, **settings: Any) -> httpx.AsyncClient:
    app = create_app(Settings(database_url="sqlite://", **settings), engine=engine)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://tabel.test")


async def test_anonymous_callers_cannot_read_the_schema_in_production(
    engine: AsyncEngine, api: GraphQLClient, sql: StatementCounter
) -> None:
    # given production settings and a head who signed in
    await head_of_school(engine)
    token = await api.login("head", PASSWORD)
    # when an anonymous caller introspects, then UNAUTHENTICATED, before any SQL
    sql.reset()
    refused = await api(SCHEMA)
    assert refused.error_code == "UNAUTHENTICATED"
    assert refused.body["data"] is None
    assert sql.count == 0
    # and a caller with a token that is not known is refused too
    assert (await api(SCHEMA, token="tbl_unknown")).error_code == "UNAUTHENTICATED"
    # while `__typename` stays open, and the signed-in head reads the schema
    assert (await api("{ __typename }")).data == {"__typename": "Query"}
    assert (await api(SCHEMA, token=token)).data["__schema"]["queryType"]["name"] == "Query"


@pytest.mark.parametrize("settings", [{"development": True}, {"anonymous_introspection": True}])
async def test_the_demo_and_the_setting_open_the_schema_to_everybody(
    engine: AsyncEngine, settings: dict[str, Any]
) -> None:
    async with _client(engine, **settings) as http:
        reply = await GraphQLClient(http)(SCHEMA)
    assert reply.data["__schema"]["queryType"]["name"] == "Query"


async def test_answers_carry_security_headers_and_are_not_cached(api: GraphQLClient) -> None:
    for reply in (
        await api.http.post("/graphql", json={"query": "{ __typename }"}),
        await api.http.get("/healthz"),
    ):
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert reply.headers["cache-control"] == "no-store"
        assert reply.headers["x-frame-options"] == "DENY"
        assert reply.headers["referrer-policy"] == "no-referrer"
        assert reply.headers["content-security-policy"].startswith("default-src 'none'")


async def test_the_demo_graphiql_page_keeps_working(engine: AsyncEngine) -> None:
    # given the demo's GraphiQL, which loads its scripts and styles
    async with _client(engine, development=True) as http:
        page = await http.get("/graphql", headers={"Accept": "text/html"})
    # then the page is served, framed by nobody, its scripts not blocked by the API's policy
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert policy.startswith("default-src 'self'")  # its files come from tabel itself
    assert page.headers["x-content-type-options"] == "nosniff"


def test_rate_limited_is_429_and_unavailable_503_with_retry_after() -> None:
    limited = {"extensions": {"code": "RATE_LIMITED", "retryAfter": 12.2}}
    down = {"extensions": {"code": "UNAVAILABLE", "retryAfter": 2}}
    refused = {"extensions": {"code": "FORBIDDEN"}}
    assert retry_status([limited]) == (429, 13)
    assert retry_status([refused, limited, down]) == (503, 2)
    assert retry_status([refused]) is None
    assert retry_status([]) is None


async def test_a_client_leaving_mid_request_is_one_log_line(
    engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    # given a client that sends part of its body, then disconnects
    app = create_app(Settings(database_url="sqlite://"), engine=engine)
    arriving: list[dict[str, Any]] = [
        {"type": "http.request", "body": b'{"query": "{ __type', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return arriving.pop(0)

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql\n",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"host", b"t")],
        "client": ("127.0.0.1", 5000),
        "server": ("t", 80),
    }
    # when the app serves it
    with caplog.at_level(logging.INFO):
        await app(scope, receive, send)
    # then nothing is answered (nobody listens), and one line without a traceback is logged
    assert sent == []
    records = [record for record in caplog.records if record.name.startswith("tabel")]
    assert len(records) == 1
    assert "client disconnected" in records[0].getMessage()
    assert "\n" not in records[0].getMessage()
    assert records[0].exc_info is None
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_user_input_in_refusals_is_logged_escaped(caplog: pytest.LogCaptureFixture) -> None:
    # given a refusal whose message repeats what the client sent
    sent = "Иванов\nINFO forged line\x00\x1b[31m"
    error = GraphQLError(f"No such login: {sent}", original_error=RateLimited(sent))
    # when it is logged
    with caplog.at_level(logging.WARNING):
        log_error(error)
    # then it is one line, with the control characters escaped and the letters kept
    (record,) = caplog.records
    logged = record.getMessage()
    assert "\n" not in logged
    assert "\x00" not in logged
    assert "\x1b" not in logged
    assert "Иванов\\x0aINFO forged line\\x00\\x1b[31m" in logged


def test_every_log_line_escapes_its_arguments() -> None:
    # given a record as uvicorn's access log makes it, a decoded path among its arguments
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s"',
        ("1.2.3.4", "GET", "/a\nb"),
        None,
    )
    # when it passes the filter every handler has
    assert EscapingFilter().filter(record)
    # then it is one line
    assert record.getMessage() == '1.2.3.4 - "GET /a\\x0ab"'
