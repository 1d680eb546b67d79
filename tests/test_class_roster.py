"""A class with its students and their parents: correct, and in constant SQL."""

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, Factory, build

ROSTER = """
query($id: ID!) {
  node(id: $id) {
    ... on SchoolClass {
      name
      classTeacher { shortName }
      students { fullName parents { kinship person { fullName phone } } }
    }
  }
}
"""


async def _two_classes(engine: AsyncEngine) -> tuple[int, int]:
    async def recipe(f: Factory) -> tuple[int, int]:
        setup = await f.school()
        small = await f.school_class(setup, 5, "А", students=10)
        large = await f.school_class(setup, 5, "Б", students=40)
        head = await f.person(setup, "Директорова", m.Role.HEAD)
        await f.account(head, "head")
        admin = await f.person(setup, "Админова", m.Role.ADMIN)
        await f.account(admin, "admin")
        return small.id, large.id

    return await build(engine, recipe)


async def test_class_lists_students_with_their_parents(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given
    small_id, _ = await _two_classes(engine)
    # the admin: parents' phones are personal data, which the head does not read (R-PD-1)
    token = await api.login("admin", PASSWORD)
    # when
    reply = await api(ROSTER, {"id": relay.to_base64("SchoolClass", small_id)}, token=token)
    # then
    school_class = reply.data["node"]
    assert school_class["name"] == "5А"
    assert school_class["classTeacher"]["shortName"].startswith("Классная5А ")
    students = school_class["students"]
    assert [s["fullName"].split()[0] for s in students] == [f"Ученик{i:02d}" for i in range(10)]
    assert all(len(s["parents"]) == 2 for s in students)
    assert {p["kinship"] for s in students for p in s["parents"]} == {"MOTHER", "FATHER"}
    assert all(p["person"]["phone"].startswith("+7900") for p in students[0]["parents"])


async def test_roster_costs_the_same_sql_for_10_and_40_students(
    engine: AsyncEngine, api: GraphQLClient, sql: StatementCounter
) -> None:
    # given two classes of 10 and 40 students, two parents each
    small_id, large_id = await _two_classes(engine)
    token = await api.login("head", PASSWORD)
    counts = []
    for class_id, size in [(small_id, 10), (large_id, 40)]:
        # when
        sql.reset()
        reply = await api(ROSTER, {"id": relay.to_base64("SchoolClass", class_id)}, token=token)
        # then
        assert len(reply.data["node"]["students"]) == size
        counts.append(sql.count)
    assert counts[0] == counts[1], sql.statements
    assert counts[0] <= 8, sql.statements
