"""Schools are tenants: another school's rows are never listed, counted or found by ID."""

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from tests.client import GraphQLClient
from tests.factories import PASSWORD, Factory, build


async def _two_schools(engine: AsyncEngine) -> dict[str, int]:
    async def recipe(f: Factory) -> dict[str, int]:
        ours = await f.school("Наша школа")
        theirs = await f.school("Чужая школа")
        our_class = await f.school_class(ours, 7, "А", students=5)
        their_class = await f.school_class(theirs, 7, "А", students=6)
        await f.account(await f.person(ours, "Директорова", m.Role.HEAD), "head")
        return {"ours": our_class.id, "theirs": their_class.id, "their_school": theirs.school.id}

    return await build(engine, recipe)


async def test_lists_and_totals_hold_only_the_callers_school(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given two schools; the head holds a role in the first only
    await _two_schools(engine)
    token = await api.login("head", PASSWORD)
    # when
    reply = await api(
        """{ schools { totalCount nodes { shortName } }
             classes { totalCount }
             people(filter: {role: "student"}) { totalCount } }""",
        token=token,
    )
    # then
    data = reply.data
    assert data["schools"] == {"totalCount": 1, "nodes": [{"shortName": "Наша школа"}]}
    assert data["classes"]["totalCount"] == 1
    assert data["people"]["totalCount"] == 5


async def test_another_schools_id_is_not_found(engine: AsyncEngine, api: GraphQLClient) -> None:
    ids = await _two_schools(engine)
    token = await api.login("head", PASSWORD)
    query = "query($id: ID!) { node(id: $id) { id } }"
    theirs = relay.to_base64("SchoolClass", ids["theirs"])
    ours = relay.to_base64("SchoolClass", ids["ours"])
    assert (await api(query, {"id": ours}, token=token)).data["node"]["id"] == ours
    assert (await api(query, {"id": theirs}, token=token)).error_code == "NOT_FOUND"
    missing = relay.to_base64("SchoolClass", 10**9)
    assert (await api(query, {"id": missing}, token=token)).error_code == "NOT_FOUND"


async def test_filtering_by_another_school_finds_nothing(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    ids = await _two_schools(engine)
    token = await api.login("head", PASSWORD)
    reply = await api(
        "query($s: ID!) { classes(schoolId: $s) { totalCount } }",
        {"s": relay.to_base64("School", ids["their_school"])},
        token=token,
    )
    assert reply.data["classes"]["totalCount"] == 0


async def test_ids_must_name_the_expected_type(engine: AsyncEngine, api: GraphQLClient) -> None:
    ids = await _two_schools(engine)
    token = await api.login("head", PASSWORD)
    query = "query($s: ID!) { classes(schoolId: $s) { totalCount } }"
    wrong_type = relay.to_base64("SchoolClass", ids["ours"])
    for bad in [wrong_type, "not-an-id"]:
        assert (await api(query, {"s": bad}, token=token)).error_code == "BAD_USER_INPUT"


async def test_paging_walks_every_row_once(engine: AsyncEngine, api: GraphQLClient) -> None:
    # given 5 students, 10 parents and 2 staff in our school
    await _two_schools(engine)
    token = await api.login("head", PASSWORD)
    query = """query($after: String) { people(first: 4, after: $after) {
        totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = (await api(query, {"after": after}, token=token)).data["people"]
        seen += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"] == 17
    bad = await api(query, {"after": "bm9wZQ=="}, token=token)
    assert bad.error_code == "BAD_USER_INPUT"


async def test_people_search_ignores_case_in_cyrillic(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    await _two_schools(engine)
    token = await api.login("head", PASSWORD)
    query = "query($q: String!) { people(filter: {search: $q}) { totalCount } }"
    assert (await api(query, {"q": "директоРОВА"}, token=token)).data["people"]["totalCount"] == 1
    assert (await api(query, {"q": "ученик"}, token=token)).data["people"]["totalCount"] == 5
