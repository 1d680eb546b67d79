"""Production defaults of the HTTP endpoint: health, limits, masking, no GET queries."""

import httpx
import pytest
from graphql import parse, validate
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

import model as m
import resolvers.listing
from schema.build import build_schema
from server.app import create_app
from server.graphiql_examples import EXAMPLES
from server.settings import Settings
from tests.client import GraphQLClient
from tests.factories import PASSWORD, Factory, build


async def _head(engine: AsyncEngine) -> None:
    async def recipe(f: Factory) -> None:
        setup = await f.school()
        await f.account(await f.person(setup, "Директорова", m.Role.HEAD), "head")

    await build(engine, recipe)


async def test_health_and_readiness(api: GraphQLClient) -> None:
    assert (await api.http.get("/healthz")).json() == {"status": "ok"}
    ready = await api.http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}


async def test_queries_over_get_are_refused(api: GraphQLClient) -> None:
    reply = await api.http.get("/graphql", params={"query": "{ me { login } }"})
    assert reply.status_code in {400, 404, 405}


async def test_graphiql_is_off_in_production(api: GraphQLClient) -> None:
    reply = await api.http.get("/graphql", headers={"Accept": "text/html"})
    assert "graphiql" not in reply.text.lower()


async def test_too_deep_query_is_refused_before_it_runs(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    await _head(engine)
    token = await api.login("head", PASSWORD)
    deep = "{ me { person { " + "children { person { " * 7 + "id" + " } }" * 7 + " } } }"
    reply = await api(deep, token=token)
    assert reply.error_code == "QUERY_TOO_COMPLEX"
    assert reply.body.get("data") is None


async def test_too_many_aliases_are_refused(engine: AsyncEngine, api: GraphQLClient) -> None:
    await _head(engine)
    token = await api.login("head", PASSWORD)
    aliases = " ".join(f"a{i}: me {{ login }}" for i in range(40))
    assert (await api("{ " + aliases + " }", token=token)).error_code == "QUERY_TOO_COMPLEX"


async def test_invalid_query_is_bad_user_input_without_suggestions(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    await _head(engine)
    token = await api.login("head", PASSWORD)
    reply = await api("{ me { logn } }", token=token)
    assert reply.error_code == "BAD_USER_INPUT"
    assert "Did you mean" not in reply.body["errors"][0]["message"]


async def test_first_above_100_is_bad_user_input(engine: AsyncEngine, api: GraphQLClient) -> None:
    await _head(engine)
    token = await api.login("head", PASSWORD)
    reply = await api("{ grades(first: 101) { totalCount } }", token=token)
    assert reply.error_code == "BAD_USER_INPUT"
    assert reply.body["errors"][0]["extensions"]["argument"] == "first"


async def test_unexpected_failures_are_masked(
    engine: AsyncEngine, api: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a resolver that fails in a way nobody planned for
    await _head(engine)
    token = await api.login("head", PASSWORD)

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret table name and stack")

    monkeypatch.setattr(resolvers.listing, "paginate", broken)
    # when
    reply = await api("{ schools { totalCount } }", token=token)
    # then the client sees a code and nothing of the cause
    assert reply.error_code == "INTERNAL_SERVER_ERROR"
    assert "secret" not in str(reply.body)


async def test_malformed_request_body_is_a_client_error(api: GraphQLClient) -> None:
    reply = await api.http.post(
        "/graphql", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert reply.status_code == 400


async def test_answers_are_utf8_not_escaped(engine: AsyncEngine, api: GraphQLClient) -> None:
    await _head(engine)
    token = await api.login("head", PASSWORD)
    reply = await api.http.post(
        "/graphql",
        json={"query": "{ me { person { lastName } } }"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert "Директорова".encode() in reply.content
    assert isinstance(reply, httpx.Response)


async def test_introspection_can_be_switched_off(engine: AsyncEngine) -> None:
    app = create_app(Settings(introspection=False), engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://tabel.test") as http:
        reply = await GraphQLClient(http)("{ __schema { types { name } } }")
    assert reply.error_code == "BAD_USER_INPUT"
    assert reply.body.get("data") is None


async def test_syntax_errors_and_token_floods_carry_a_code(api: GraphQLClient) -> None:
    assert (await api("{ classes {")).error_code == "BAD_USER_INPUT"
    flood = "{ " + " ".join(f"a{i}: __typename" for i in range(3000)) + " }"
    assert (await api(flood)).error_code == "QUERY_TOO_COMPLEX"


def test_the_graphiql_examples_are_valid_queries() -> None:
    schema = build_schema()._schema
    for example in EXAMPLES:
        assert validate(schema, parse(example.document)) == [], example.title


async def test_a_read_ends_with_commit_and_a_failure_with_rollback(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given the head, and the engine's transaction ends counted
    await _head(engine)
    token = await api.login("head", PASSWORD)
    ends: list[str] = []
    listeners = {
        "commit": lambda *_: ends.append("commit"),
        "rollback": lambda *_: ends.append("rollback"),
    }
    for name, listener in listeners.items():
        event.listen(engine.sync_engine, name, listener)
    try:
        # when a read succeeds: it commits (a rollback drops psycopg's prepared statements)
        assert (await api("{ schools { nodes { name } } }", token=token)).data
        assert ends == ["commit"]
        # when a read fails, and when a mutation fails: nothing is committed
        ends.clear()
        missing = '{ node(id: "U2Nob29sOjk5OTk5") { id } }'
        assert (await api(missing, token=token)).error_code == "NOT_FOUND"
        bad = 'mutation { periodReopen(input: {periodId: "x", groupId: "x", reason: ""}) { id } }'
        assert (await api(bad, token=token)).body.get("errors")
        assert "commit" not in ends
        assert "rollback" in ends
    finally:
        for name, listener in listeners.items():
            event.remove(engine.sync_engine, name, listener)
