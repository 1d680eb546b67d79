"""The door (issue 9, item 4; design: bounded work per request): each caller's request rate,
charged to a token once it has shown to be valid, else to the client's address — refused
RATE_LIMITED at once, before the document is parsed, and without SQL."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from server.app import create_app
from server.settings import Settings
from tests.client import GraphQLClient, ask
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, head_of_school

ME = "{ me { login } }"
BOMB = (
    "query Bomb { ...F0 } "
    + " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(30))
    + " fragment F30 on Query { __typename }"
)


@asynccontextmanager
async def _door(
    engine: AsyncEngine,
    rate: float,
    burst: int,
    bytes_rate: int = 0,
    bytes_burst: int = 0,
    address_burst: int | None = None,
) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        database_url="sqlite://",
        caller_rate_per_second=rate,
        caller_burst=burst,
        address_rate_per_second=rate,
        address_burst=burst if address_burst is None else address_burst,
        caller_bytes_per_second=bytes_rate,
        caller_bytes_burst=bytes_burst,
    )
    transport = httpx.ASGITransport(app=create_app(settings, engine=engine))
    async with httpx.AsyncClient(transport=transport, base_url="http://tabel.test") as http:
        yield http


def _rate_limited(reply: httpx.Response, reason: str = "rate") -> None:
    assert reply.status_code == 429, reply.text
    error = reply.json()["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["reason"] == reason
    assert reply.headers["retry-after"] == str(error["extensions"]["retryAfter"])


async def test_a_stranger_past_the_addresss_burst_is_refused_before_parsing_and_sql(
    engine: AsyncEngine, sql: StatementCounter
) -> None:
    # given a door letting an address send 3 requests at once, refilling slowly
    async with _door(engine, rate=0.01, burst=3) as http:
        # when a stranger sends fragment bombs
        replies = [await ask(http, BOMB) for _ in range(3)]
        sql.reset()
        refused = await ask(http, BOMB)
        # then the burst is answered (refused by its cost), the next refused at the door
        assert all(r.json()["errors"][0]["extensions"]["code"] != "RATE_LIMITED" for r in replies)
        _rate_limited(refused)
        assert sql.count == 0
        # and inventing a token does not escape the address's share: the token is looked up
        # before the document is parsed, resolves to nobody, and the request is the address's
        _rate_limited(await ask(http, BOMB, token="tbl_made_up"))
        assert _data_statements(sql) == ["the token's look-up"]
        # as is one with no bearer token in its Authorization header
        sql.reset()
        _rate_limited(await ask_with_header(http, BOMB, "Basic Zm9vOmJhcg=="))
        assert _data_statements(sql) == []


def _data_statements(sql: StatementCounter) -> list[str]:
    """The statements that read or write (not BEGIN), the token's look-up named as such."""
    named = []
    for statement in sql.statements:
        if statement.lstrip().upper().startswith("BEGIN"):
            continue
        named.append("the token's look-up" if "auth_token" in statement else statement)
    return named


async def ask_with_header(http: httpx.AsyncClient, query: str, header: str) -> httpx.Response:
    return await http.post("/graphql", json={"query": query}, headers={"Authorization": header})


async def test_a_signed_in_caller_is_charged_to_its_token_not_its_address(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given the head signed in, and a door letting each caller send 2 requests at once
    await head_of_school(engine)
    token = await api.login("head", PASSWORD)
    async with _door(engine, rate=0.01, burst=2) as http:
        # when the head's token has shown valid, and strangers use up the address's share
        assert (await ask(http, ME, token)).json()["data"] == {"me": {"login": "head"}}
        for _ in range(2):
            await ask(http, "{ __typename }")
        _rate_limited(await ask(http, "{ __typename }"))
        # then the head is still served, out of the token's own share, until it is used up
        for _ in range(2):
            assert (await ask(http, ME, token)).json()["data"] == {"me": {"login": "head"}}
        _rate_limited(await ask(http, ME, token))


async def test_an_address_has_a_smaller_share_than_a_signed_in_caller(
    engine: AsyncEngine, api: GraphQLClient, sql: StatementCounter
) -> None:
    # given the head signed in, and a door letting a token send 5 requests at once, an address 2
    await head_of_school(engine)
    token = await api.login("head", PASSWORD)
    async with _door(engine, rate=0.01, burst=5, address_burst=2) as http:
        # when the head's token shows valid, and a stranger sends three requests
        assert (await ask(http, ME, token)).json()["data"] == {"me": {"login": "head"}}
        for _ in range(2):
            assert (await ask(http, "{ __typename }")).status_code == 200
        sql.reset()
        refused = await ask(http, "{ __typename }")
        # then the stranger's third is refused at the door, without SQL
        _rate_limited(refused)
        assert sql.count == 0
        # and the head has the token's five
        for _ in range(5):
            assert (await ask(http, ME, token)).json()["data"] == {"me": {"login": "head"}}
        _rate_limited(await ask(http, ME, token))


async def test_tokens_not_yet_seen_valid_are_not_held_to_the_addresss_share(
    engine: AsyncEngine, api: GraphQLClient, sql: StatementCounter
) -> None:
    # given three sign-ins behind one school's address, a door letting a token send 5
    # requests at once and an address 1, and a stranger who has used the address's share
    await head_of_school(engine)
    tokens = [await api.login("head", PASSWORD) for _ in range(3)]
    async with _door(engine, rate=0.01, burst=5, address_burst=1) as http:
        await ask(http, "{ __typename }")
        _rate_limited(await ask(http, "{ __typename }"))
        # when each token sends its first request, which this worker has not seen valid yet
        sql.reset()
        firsts = [await ask(http, ME, token) for token in tokens]
        # then each is looked up first and served (the door's share for tokens not yet seen
        # valid from this address is a token's)
        assert [r.json()["data"] for r in firsts] == [{"me": {"login": "head"}}] * 3
        assert _data_statements(sql).count("the token's look-up") == 3
        # and from then on each is charged to itself, with a token's share of its own
        for token in tokens:
            for _ in range(5):
                assert (await ask(http, ME, token)).status_code == 200
            _rate_limited(await ask(http, ME, token))


def _padded(size: int) -> bytes:
    """A `{ __typename }` request of `size` bytes, padded in an unused variable."""
    head, tail = b'{"query": "{ __typename }", "variables": {"pad": "', b'"}}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


async def _post(http: httpx.AsyncClient, body: bytes, *, chunked: bool = False) -> httpx.Response:
    async def in_chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 1000):
            yield body[start : start + 1000]

    content = in_chunks() if chunked else body
    headers = {"Content-Type": "application/json"}
    return await http.post("/graphql", content=content, headers=headers)


async def test_a_caller_past_its_share_of_bytes_is_refused_before_its_body_is_read(
    engine: AsyncEngine, sql: StatementCounter
) -> None:
    # given a door letting a caller send 10 kB at once, refilling slowly, at any request rate
    async with _door(engine, rate=0, burst=0, bytes_rate=1, bytes_burst=10_000) as http:
        # when a stranger sends 6 kB, then 6 kB more
        first = await _post(http, _padded(6_000))
        sql.reset()
        second = await _post(http, _padded(6_000))
        # then the first is answered, the second refused at the door, before any SQL
        assert first.json()["data"] == {"__typename": "Query"}
        _rate_limited(second, "bytes")
        assert sql.count == 0
        # and a small request still fits in what is left of the share
        assert (await _post(http, _padded(1_000))).json()["data"] == {"__typename": "Query"}


async def test_a_body_sent_in_chunks_is_charged_as_it_is_read(engine: AsyncEngine) -> None:
    # given a door letting a caller send 10 kB at once, refilling slowly
    async with _door(engine, rate=0, burst=0, bytes_rate=1, bytes_burst=10_000) as http:
        # when a stranger sends 30 kB in chunks, declaring no length
        reply = await _post(http, _padded(30_000), chunked=True)
        assert "content-length" not in reply.request.headers
        # then it is read (the body limit allows it) and charged: the caller is in debt, and
        # even a small request is refused until the debt is paid off
        assert reply.json()["data"] == {"__typename": "Query"}
        _rate_limited(await _post(http, _padded(100)), "bytes")
