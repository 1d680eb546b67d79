"""Every operation is costed before it runs (issue 9, item 1): fragment bombs, list fan-out,
aliases and depth are refused before any SQL; each caller kind has its own budget; a client may
read what its request cost; the screens stay well inside their roles' budgets."""

import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLSchema,
    get_named_type,
    get_nullable_type,
    parse,
)
from graphql.type import GraphQLInterfaceType, GraphQLList, GraphQLObjectType
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from bench import shapes
from model.base import utc_now
from schema.build import build_schema
from schema.cost import FIRST, CostAnalysis
from schema.cost_limit import INTROSPECTION_QUERY, Budgets
from schema.list_sizes import LIST_SIZE, PAGE
from server.app import create_app
from server.graphiql_examples import EXAMPLES, SIGN_IN, WHO
from server.settings import Settings
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, Factory, build

# The screens must cost at most half their role's budget: room for a school twice the bounds'
# estimate of one, or for a client that adds a few fields, before anybody is refused.
MARGIN = 2
SMALL = Settings(
    database_url="sqlite://",
    cost_anonymous=10,
    cost_personal=400,
    cost_inspector=1200,
    cost_integrator=800,
)


def fragment_bomb(levels: int) -> str:
    """~1 KB: each fragment spreads the next one twice, so the expansion doubles per level."""
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    last = f"fragment F{levels} on Query {{ me {{ login }} }}"
    return "query Bomb { ...F0 } " + " ".join(fragments) + " " + last


FAN_OUT = """{ classes(first: 100) { nodes { students { classes { students { classes {
  students { classes { students { fullName } } } } } } } } } }"""  # 10 levels deep


async def _school(engine: AsyncEngine) -> str:
    """A school with its admin (login `admin`); its global ID."""

    async def recipe(f: Factory) -> int:
        setup = await f.school()
        await f.account(await f.person(setup, "Админова", m.Role.ADMIN), "admin")
        return setup.school.id

    return relay.to_base64("School", await build(engine, recipe))


async def _api_token(api: GraphQLClient, admin: str, school: str, kind: str) -> str:
    issue = "mutation($input: ApiTokenIssueInput!) { apiTokenIssue(input: $input) { token } }"
    scopes = ["journal:read"] if kind == "INTEGRATOR" else []
    values = {
        "name": "Проверка",
        "kind": kind,
        "schoolIds": [school],
        "scopes": scopes,
        "expiresAt": (utc_now() + timedelta(days=30)).isoformat(),
    }
    token: str = (await api(issue, {"input": values}, token=admin)).data["apiTokenIssue"]["token"]
    return token


@pytest.fixture
async def small_budgets(engine: AsyncEngine) -> AsyncIterator[GraphQLClient]:
    """The API with budgets small enough to cross with a few fields."""
    app = create_app(SMALL, engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://tabel.test") as http:
        yield GraphQLClient(http)


async def _caller_statements(api: GraphQLClient, token: str, sql: StatementCounter) -> int:
    """What resolving the caller costs: a request that reads nothing else."""
    sql.reset()
    assert (await api("{ __typename }", token=token)).data == {"__typename": "Query"}
    return sql.count


async def _post(api: GraphQLClient, body: dict[str, Any], token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return (await api.http.post("/graphql", json=body, headers=headers)).json()


async def test_an_anonymous_fragment_bomb_is_refused_before_validation_and_sql(
    api: GraphQLClient, sql: StatementCounter
) -> None:
    # given a ~1 KB document whose expansion is 2^30 fields (the old limits walked every one)
    bomb = fragment_bomb(30)
    assert len(bomb) < 1400
    # when an anonymous client sends it
    started = time.perf_counter()
    reply = await api(bomb)
    elapsed = time.perf_counter() - started
    print(f"fragment bomb of {len(bomb)} bytes refused in {elapsed * 1000:.1f} ms")
    # then it is refused as too complex, with its cost and the limit, and nothing ran
    assert reply.error_code == "QUERY_TOO_COMPLEX"
    extensions = reply.body["errors"][0]["extensions"]
    assert extensions["cost"] > extensions["limit"] == Budgets().largest
    assert reply.body.get("data") is None
    assert sql.count == 0


async def test_a_signed_in_fragment_bomb_costs_only_the_token_lookup(
    engine: AsyncEngine, api: GraphQLClient, sql: StatementCounter
) -> None:
    # given a signed-in admin
    await _school(engine)
    token = await api.login("admin", PASSWORD)
    lookup = await _caller_statements(api, token, sql)
    # when they send a fragment bomb
    sql.reset()
    reply = await api(fragment_bomb(40), token=token)
    # then it is refused in validation: at most the caller was resolved
    assert reply.error_code == "QUERY_TOO_COMPLEX"
    assert sql.count <= lookup


async def test_list_fan_out_within_the_depth_limit_is_refused(
    engine: AsyncEngine, api: GraphQLClient, sql: StatementCounter
) -> None:
    # given the admin, whose budget is the personal one
    await _school(engine)
    token = await api.login("admin", PASSWORD)
    lookup = await _caller_statements(api, token, sql)
    # when they follow class → students → classes → … ten levels deep (the limit is 12)
    sql.reset()
    reply = await api(FAN_OUT, token=token)
    # then the product of the lists' bounds is refused, before any row is read
    assert reply.error_code == "QUERY_TOO_COMPLEX"
    extensions = reply.body["errors"][0]["extensions"]
    assert extensions["cost"] > extensions["limit"]
    assert sql.count <= lookup


async def test_aliases_are_counted_through_fragments(
    engine: AsyncEngine, api: GraphQLClient, sql: StatementCounter
) -> None:
    await _school(engine)
    token = await api.login("admin", PASSWORD)
    lookup = await _caller_statements(api, token, sql)
    # given 8 aliases in a fragment spread four times (32 > 30), and 30 written out
    aliased = " ".join(f"a{i}: __typename" for i in range(8))
    spreads = "query { me { ...A } x: me { ...A } y: me { ...A } z: me { ...A } }"
    over = spreads + " fragment A on Me { " + aliased.replace("__typename", "login") + " }"
    within = "{ " + " ".join(f"a{i}: __typename" for i in range(30)) + " }"
    # when they are sent, then the first is refused before any SQL and the second answers
    sql.reset()
    reply = await api(over, token=token)
    assert reply.error_code == "QUERY_TOO_COMPLEX"
    assert reply.body["errors"][0]["extensions"]["aliases"] == 35
    assert sql.count <= lookup
    assert len((await api(within, token=token)).data) == 30


async def test_depth_is_counted_through_fragments(
    api: GraphQLClient, sql: StatementCounter
) -> None:
    # given 13 nested object fields, half of them in a fragment
    deep = """{ me { person { ...Kin } } }
      fragment Kin on Person { children { person { children { person { children { person {
        children { person { children { person { children { kinship } } } } } } } } } } } }"""
    # when an anonymous client sends it, then it is refused by depth, before any SQL
    reply = await api(deep)
    assert reply.error_code == "QUERY_TOO_COMPLEX"
    assert reply.body["errors"][0]["extensions"] == {"code": "QUERY_TOO_COMPLEX", "depth": 13,
                                                     "limit": 12}  # fmt: skip
    assert sql.count == 0


# 1 + 5 rows × (1 + name 1 + 40 students × (1 + id 1)) = 411: over a personal 400, within
# the API tokens' budgets.
FIVE_CLASSES = "{ classes(first: 5) { nodes { name students { id } } } }"


@pytest.mark.parametrize(
    ("kind", "limit"), [("LOGIN", 400), ("INSPECTOR", None), ("INTEGRATOR", None)]
)
async def test_each_kind_of_caller_has_its_own_budget(
    engine: AsyncEngine,
    small_budgets: GraphQLClient,
    sql: StatementCounter,
    kind: str,
    limit: int | None,
) -> None:
    # given budgets of 400 for personal accounts, 1200 for inspectors, 800 for integrators
    api = small_budgets
    school = await _school(engine)
    token = await api.login("admin", PASSWORD)
    if kind != "LOGIN":
        token = await _api_token(api, token, school, kind)
    lookup = await _caller_statements(api, token, sql)
    # when the caller asks for five classes with their students (cost 411)
    sql.reset()
    reply = await api(FIVE_CLASSES, token=token)
    # then a personal account is refused after only its token was looked up; the API
    # tokens' budgets take it
    if limit is None:
        assert reply.data["classes"]["nodes"] == []
        return
    assert reply.error_code == "QUERY_TOO_COMPLEX"
    extensions = reply.body["errors"][0]["extensions"]
    assert (extensions["cost"], extensions["limit"]) == (411, limit)
    assert sql.count <= lookup


async def test_anonymous_callers_are_held_to_their_budget_without_sql(
    small_budgets: GraphQLClient, sql: StatementCounter
) -> None:
    # given an anonymous budget of 10: a sign-in costs 4, a page of five classes 1 + 5 × 2
    signin = 'mutation { login(login: "nobody", password: "x") { token expiresAt } }'
    # when an anonymous client asks for more than its budget (within a signed-in one)
    reply = await small_budgets("{ classes(first: 5) { nodes { name } } }")
    # then it is told to sign in, with the cost and its limit, and nothing ran
    assert reply.error_code == "UNAUTHENTICATED"
    extensions = reply.body["errors"][0]["extensions"]
    assert (extensions["cost"], extensions["limit"]) == (11, 10)
    assert sql.count == 0
    # while a sign-in fits (and fails on its own terms)
    assert (await small_budgets(signin)).error_code == "UNAUTHENTICATED"


async def test_the_cost_of_a_request_is_shown_on_request(
    engine: AsyncEngine, small_budgets: GraphQLClient
) -> None:
    # given a signed-in admin and a document whose cost depends on a variable
    await _school(engine)
    token = await small_budgets.login("admin", PASSWORD)
    # 1 + totalCount 1 + $n rows × (1 + name 1 + 40 students × 2)
    query = "query($n: Int) { classes(first: $n) { totalCount nodes { name students { id } } } }"
    # when they ask for its cost with two page sizes, and once without asking
    body = {"query": query, "extensions": {"cost": True}}
    small = await _post(small_budgets, {**body, "variables": {"n": 2}}, token)
    large = await _post(small_budgets, {**body, "variables": {"n": 5}}, token)
    unasked = await _post(small_budgets, {"query": query, "variables": {"n": 5}}, token)
    # then the answer says what it cost against their limit, per request's variables
    assert small["extensions"]["cost"] == {"requested": 166, "limit": 400}
    assert large["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert large["extensions"]["cost"] == {"requested": 412, "limit": 400}
    assert "cost" not in (unasked.get("extensions") or {})


async def test_graphiql_introspection_fits_when_anonymous_introspection_is_on(
    engine: AsyncEngine, sql: StatementCounter
) -> None:
    # given the demo's settings: GraphiQL, anonymous introspection
    app = create_app(Settings(database_url="sqlite://", development=True), engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://tabel.test") as http:
        api = GraphQLClient(http)
        # when GraphiQL introspects the schema without signing in
        reply = await api(INTROSPECTION_QUERY)
        # then it is answered, without SQL; a schema query that fans out is not
        assert reply.data["__schema"]["queryType"]["name"] == "Query"
        fan_out = (
            "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
        )
        assert (await api(fan_out)).error_code == "QUERY_TOO_COMPLEX"
    assert sql.count == 0


def _analysis() -> tuple[GraphQLSchema, CostAnalysis]:
    schema = build_schema()._schema
    return schema, CostAnalysis(schema)


def _cost(analysis: CostAnalysis, query: str, name: str | None, variables: Any = None) -> int:
    document = analysis.of(query, parse(query))
    operation = document.operation(name)
    assert operation is not None, name
    return document.cost(operation, variables)


def test_the_screens_stay_well_inside_their_roles_budgets() -> None:
    # given every GraphiQL example (all run by personal accounts, the sign-in anonymously)
    # and every bench/shapes.py document (teachers', class teachers', students', the head's)
    budgets = Budgets()
    _, analysis = _analysis()
    costs = {example.title: _cost(analysis, example.document, None) for example in EXAMPLES}
    costs |= {f"{e.title}: lookup": _cost(analysis, e.lookup, None) for e in EXAMPLES if e.lookup}
    costs["Who"] = _cost(analysis, WHO, None)
    for query in [
        shapes.GRID_QUERY,
        shapes.JOURNAL_QUERY,
        shapes.DIARY_QUERY,
        shapes.OVERVIEW_QUERY,
    ]:
        costs[query.split()[1].split("(")[0]] = _cost(analysis, query, None)
    print(costs)
    # then each costs at most half its role's budget
    assert _cost(analysis, SIGN_IN, None) * MARGIN <= budgets.anonymous
    assert len(costs) >= 11
    for name, cost in costs.items():
        assert cost * MARGIN <= budgets.personal, (name, cost)


def test_a_fragment_is_costed_once_however_often_it_is_spread() -> None:
    # given bombs of 20 and 40 levels: the second's expansion is a million times the first's
    _, analysis = _analysis()
    small, large = fragment_bomb(20), fragment_bomb(40)
    # when both are costed
    started = time.perf_counter()
    costs = [_cost(analysis, small, "Bomb"), _cost(analysis, large, "Bomb")]
    print(f"two bombs costed in {(time.perf_counter() - started) * 1000:.2f} ms")
    # then the costs are the expansions' (saturated), from one visit per fragment
    assert costs[0] == 2**20 * 2
    assert costs[1] > costs[0] * 10**5
    assert len(analysis.of(large, parse(large)).fragments) == 41


def test_every_list_field_has_a_page_or_a_declared_bound() -> None:
    # given every list field of the schema, its own and the introspection's
    schema, analysis = _analysis()
    undeclared = []
    for named in schema.type_map.values():
        if not isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            continue
        for name, field in named.fields.items():
            if not isinstance(get_nullable_type(field.type), GraphQLList):
                continue
            definition = (field.extensions or {}).get("strawberry-definition")
            size = getattr(definition, "metadata", {}).get(LIST_SIZE)
            rule = analysis.model.rule(named.name, name)
            declared = FIRST in field.args or isinstance(size, int) or size == PAGE
            if named.name.startswith("__"):
                declared = isinstance(rule.size, int) and rule.introspection_list
            if size == PAGE:  # a page's rows: only a connection has them
                declared = named.name.endswith("Connection")
            if not declared:
                undeclared.append(f"{named.name}.{name}")
    # then each is a connection's page or declares how long it gets
    assert undeclared == []
    # and every connection is reached through a field that takes `first`
    for named in schema.type_map.values():
        if isinstance(named, GraphQLObjectType):
            for name, field in named.fields.items():
                if get_named_type(field.type).name.endswith("Connection"):
                    assert FIRST in field.args, f"{named.name}.{name}"
