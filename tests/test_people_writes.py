"""Entering people with their roles and parents (А #13, #19, R-PEOPLE-1) and appointing roles
(Б.1 #5: the head appoints the admins) — through the endpoint with each role's own token."""

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, Factory, build

CREATE = """mutation($s: ID!, $p: [PersonInput!]!) { peopleCreate(schoolId: $s, people: $p) {
  id fullName sex roles { role } parents { kinship person { id } } } }"""
GRANT = """mutation($s: ID!, $g: [RoleGrantInput!]!) {
  rolesGrant(schoolId: $s, grants: $g) { id roles { role } } }"""
REVOKE = """mutation($s: ID!, $g: [RoleGrantInput!]!) {
  rolesRevoke(schoolId: $s, grants: $g) { id roles { role } } }"""


@dataclass
class School:
    id: str
    teacher: str


async def school(engine: AsyncEngine) -> School:
    async def recipe(f: Factory) -> School:
        setup = await f.school()
        for login, role in [("admin", m.Role.ADMIN), ("head", m.Role.HEAD)]:
            await f.account(await f.person(setup, login.title(), role), login)
        teacher = await f.person(setup, "Учителева", m.Role.TEACHER)
        await f.account(teacher, "teacher")
        return School(
            relay.to_base64("School", setup.school.id), relay.to_base64("Person", teacher.id)
        )

    return await build(engine, recipe)


async def people_count(engine: AsyncEngine) -> tuple[int, int, int]:
    async with engine.connect() as connection:
        counts = []
        for table in (m.Person, m.SchoolRole, m.Guardianship):
            counts.append(
                (await connection.execute(select(func.count()).select_from(table))).scalar_one()
            )
        return counts[0], counts[1], counts[2]


def person(last: str, *roles: str, **more: object) -> dict[str, object]:
    return {
        "lastName": last,
        "firstName": "Анна",
        "middleName": "Сергеевна",
        "roles": list(roles),
        **more,
    }


async def test_the_admin_enters_a_family_with_its_roles_and_kinship(
    engine: AsyncEngine, api: GraphQLClient, sql: StatementCounter
) -> None:  # R-PEOPLE-1, А #19
    s = await school(engine)
    token = await api.login("admin", PASSWORD)
    # given the parents, entered first
    sql.reset()
    parents = (await api(CREATE, {"s": s.id, "p": [person("Иванова", "PARENT", sex="FEMALE")]},
                         token=token)).data["peopleCreate"]  # fmt: skip
    one = sql.count
    sql.reset()
    more = [person("Иванов", "PARENT", sex="MALE"), person("Петрова", "PARENT", "TEACHER")]
    parents += (await api(CREATE, {"s": s.id, "p": more}, token=token)).data["peopleCreate"]
    assert sql.count == one  # one person or two: the same statements
    mother, father = parents[0]["id"], parents[1]["id"]
    # when their child is entered with them
    kin = [{"parentId": mother, "kinship": "MOTHER"}, {"parentId": father, "kinship": "FATHER"}]
    child = person("Иванова", "STUDENT", parents=kin)
    made = (await api(CREATE, {"s": s.id, "p": [child]}, token=token)).data["peopleCreate"][0]
    # then the student shows their roles and parents, with kinship
    assert made["fullName"] == "Иванова Анна Сергеевна"
    assert made["roles"] == [{"role": "student"}]
    assert sorted((p["kinship"], p["person"]["id"]) for p in made["parents"]) == sorted(
        [("MOTHER", mother), ("FATHER", father)]
    )
    assert parents[2]["roles"] == [{"role": "parent"}, {"role": "teacher"}]
    # and every row entered is in the audit trail, by the admin
    async with engine.connect() as connection:
        entered = (
            await connection.execute(
                select(m.Change.entity, func.count(), func.count(m.Change.changed_by_id))
                .where(m.Change.kind == m.ChangeKind.RECORD)
                .group_by(m.Change.entity)
            )
        ).all()
    assert sorted(entered) == [("guardianship", 2, 2), ("person", 4, 4), ("school_role", 5, 5)]


async def test_a_refused_item_is_named_and_leaves_nothing(
    engine: AsyncEngine, api: GraphQLClient
) -> None:  # R-PEOPLE-1: an import's rows, all or nothing
    s = await school(engine)
    token = await api.login("admin", PASSWORD)
    before = await people_count(engine)
    cases = [
        ([person("Сидоров", "TEACHER"), person(" ", "STUDENT")], "BAD_USER_INPUT", "lastName"),
        ([person("Сидоров", "TEACHER"), person("Орлов")], "BAD_USER_INPUT", "roles"),
        # the admin appoints no admins: the head does (Б.1 #5)
        ([person("Сидоров", "TEACHER"), person("Орлов", "ADMIN")], "FORBIDDEN", None),
    ]
    for people, code, field in cases:
        reply = await api(CREATE, {"s": s.id, "p": people}, token=token)
        extensions = reply.body["errors"][0]["extensions"]
        assert (extensions["code"], extensions["item"], extensions.get("field")) == (code, 1, field)
    assert await people_count(engine) == before


async def test_the_head_appoints_admins_and_the_admin_the_other_roles(
    engine: AsyncEngine, api: GraphQLClient
) -> None:  # Б.1 #5, А #13
    s = await school(engine)
    head = await api.login("head", PASSWORD)
    admin = await api.login("admin", PASSWORD)
    as_admin = [{"personId": s.teacher, "role": "ADMIN"}]
    as_deputy = [{"personId": s.teacher, "role": "DEPUTY"}]
    # the admin may not appoint an admin, nor the head a deputy
    assert (await api(GRANT, {"s": s.id, "g": as_admin}, token=admin)).error_code == "FORBIDDEN"
    assert (await api(GRANT, {"s": s.id, "g": as_deputy}, token=head)).error_code == "FORBIDDEN"
    # the head appoints the teacher admin; the admin makes them a deputy too
    granted = (await api(GRANT, {"s": s.id, "g": as_admin}, token=head)).data["rolesGrant"]
    assert granted[0]["roles"] == [{"role": "admin"}, {"role": "teacher"}]
    roles = (await api(GRANT, {"s": s.id, "g": as_deputy}, token=admin)).data["rolesGrant"]
    assert [r["role"] for r in roles[0]["roles"]] == ["admin", "deputy", "teacher"]
    again = await api(GRANT, {"s": s.id, "g": as_deputy}, token=admin)
    assert again.error_code == "BAD_USER_INPUT"
    assert "holds the deputy role already" in again.body["errors"][0]["message"]
    # the new admin signs in as one; only the head takes the role back
    assert (await api(REVOKE, {"s": s.id, "g": as_admin}, token=admin)).error_code == "FORBIDDEN"
    revoked = (await api(REVOKE, {"s": s.id, "g": as_admin}, token=head)).data["rolesRevoke"]
    assert [r["role"] for r in revoked[0]["roles"]] == ["deputy", "teacher"]


UPDATE = """mutation($i: PersonUpdateInput!) { personUpdate(input: $i) {
  fullName sex } }"""
LINK = """mutation($l: [GuardianLinkInput!]!) { guardiansLink(links: $l) {
  id parents { kinship person { id } } } }"""
UNLINK = """mutation($l: [GuardianLinkInput!]!) { guardiansUnlink(links: $l) {
  id parents { kinship person { id } } } }"""


async def test_the_admin_corrects_a_person_and_links_a_family(
    engine: AsyncEngine, api: GraphQLClient
) -> None:  # R-PEOPLE-1, А #19
    s = await school(engine)
    token = await api.login("admin", PASSWORD)
    entered = [person("Смирнова", "STUDENT"), person("Смирнов", "PARENT")]
    child, parent = (await api(CREATE, {"s": s.id, "p": entered}, token=token)).data["peopleCreate"]
    # a correction: the middle name cleared, the sex given; a null surname is refused
    fix = {"personId": child["id"], "middleName": None, "sex": "FEMALE", "firstName": " Ольга "}
    fixed = (await api(UPDATE, {"i": fix}, token=token)).data["personUpdate"]
    assert fixed == {"fullName": "Смирнова Ольга", "sex": "FEMALE"}
    bad = await api(UPDATE, {"i": {"personId": child["id"], "lastName": None}}, token=token)
    assert bad.body["errors"][0]["extensions"]["field"] == "lastName"
    # the father is linked to the student, once; then the link is undone
    link = [{"childId": child["id"], "parentId": parent["id"], "kinship": "FATHER"}]
    linked = (await api(LINK, {"l": link}, token=token)).data["guardiansLink"]
    assert linked[0]["parents"] == [{"kinship": "FATHER", "person": {"id": parent["id"]}}]
    again = await api(LINK, {"l": link}, token=token)
    assert again.body["errors"][0]["extensions"]["item"] == 0
    # a link the wrong way round (the parent is not a student) is refused
    upside = [{"childId": parent["id"], "parentId": child["id"]}]
    assert (await api(LINK, {"l": upside}, token=token)).error_code == "BAD_USER_INPUT"
    unlinked = (await api(UNLINK, {"l": link}, token=token)).data["guardiansUnlink"]
    assert unlinked[0]["parents"] == []
    teacher = await api.login("teacher", PASSWORD)
    assert (await api(UPDATE, {"i": fix}, token=teacher)).error_code == "FORBIDDEN"


@pytest.mark.parametrize("login", ["head", "teacher"])
async def test_only_the_admin_enters_people(
    engine: AsyncEngine, api: GraphQLClient, login: str
) -> None:  # А #13, #19
    s = await school(engine)
    before = await people_count(engine)
    token = await api.login(login, PASSWORD)
    reply = await api(CREATE, {"s": s.id, "p": [person("Орлов", "STUDENT")]}, token=token)
    assert reply.error_code == "FORBIDDEN"
    assert await people_count(engine) == before


def _gid(type_name: str) -> str:
    return relay.to_base64(type_name, 10**9)  # no such row: nothing can be written


_NOBODY = {"studentId": _gid("Person"), "on": "2026-10-01"}
# Every mutation of classes, groups, placements and people, with the roles whose rules let
# them call it at all (which rows each may write is decided on the rows: the tests above).
MUTATIONS: dict[str, tuple[str, dict[str, object], set[str]]] = {
    "classCreate": (
        "mutation($i: ClassCreateInput!) { classCreate(input: $i) { id } }",
        {"i": {"schoolYearId": _gid("SchoolYear"), "parallel": 5, "letter": "Я"}},
        {"admin"},
    ),
    "classUpdate": (
        "mutation($i: ClassUpdateInput!) { classUpdate(input: $i) { id } }",
        {"i": {"classId": _gid("SchoolClass"), "letter": "Я"}},
        {"admin", "class_teacher"},  # the class teacher for their own class (Г.1 #6)
    ),
    "classRemove": (
        "mutation($c: ID!) { classRemove(classId: $c) }",
        {"c": _gid("SchoolClass")},
        {"admin"},
    ),
    "groupCreate": (
        "mutation($i: GroupCreateInput!) { groupCreate(input: $i) { id } }",
        {"i": {"classId": _gid("SchoolClass"), "name": "Англ. 1"}},
        {"admin", "teacher", "class_teacher", "psychologist"},
    ),
    "groupUpdate": (
        "mutation($i: GroupUpdateInput!) { groupUpdate(input: $i) { id } }",
        {"i": {"groupId": _gid("Group"), "name": "Англ. 2"}},
        {"admin", "teacher", "class_teacher", "psychologist"},
    ),
    "groupStudentsSet": (
        "mutation($g: ID!) { groupStudentsSet(groupId: $g, studentIds: []) { id } }",
        {"g": _gid("Group")},
        {"admin", "teacher", "class_teacher", "psychologist"},
    ),
    "groupRemove": (
        "mutation($g: ID!) { groupRemove(groupId: $g) }",
        {"g": _gid("Group")},
        {"admin", "teacher", "class_teacher", "psychologist"},
    ),
    **{
        name: (
            f"mutation($c: ID!, $s: [PlacementInput!]!) {{ {name}(classId: $c, students: $s) "
            "{ startsOn } }",
            {"c": _gid("SchoolClass"), "s": [_NOBODY]},
            {"admin"},
        )
        for name in ("studentsEnrol", "studentsMove", "studentsLeave")
    },
    "peopleCreate": (CREATE, {"s": _gid("School"), "p": [person("Орлов", "STUDENT")]}, {"admin"}),
    **{
        name: (
            document,
            {"s": _gid("School"), "g": [{"personId": _gid("Person"), "role": "TEACHER"}]},
            {"admin", "head"},
        )
        for name, document in (("rolesGrant", GRANT), ("rolesRevoke", REVOKE))
    },
}
MUTATIONS |= {
    "personUpdate": (
        "mutation($i: PersonUpdateInput!) { personUpdate(input: $i) { id } }",
        {"i": {"personId": _gid("Person"), "lastName": "Орлова"}},
        {"admin"},
    ),
    **{
        name: (
            f"mutation($l: [GuardianLinkInput!]!) {{ {name}(links: $l) {{ id }} }}",
            {"l": [{"childId": _gid("Person"), "parentId": relay.to_base64("Person", 10**9 + 1)}]},
            {"admin"},
        )
        for name in ("guardiansLink", "guardiansUnlink")
    },
}
ROLES = ["admin", "head", "deputy", "teacher", "class_teacher", "psychologist", "student",
         "parent"]  # fmt: skip


async def test_every_role_against_every_mutation(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-SETUP-2, R-PEOPLE-1: the matrix of who may call what
    tokens = {role: await api.login(demo_school[role], "demo") for role in ROLES}
    before = await people_count(engine)
    for name, (document, variables, callers) in MUTATIONS.items():
        for role, token in tokens.items():
            code = (await api(document, variables, token=token)).error_code
            if role in callers:
                assert code in {"NOT_FOUND", "BAD_USER_INPUT"}, (name, role, code)
            else:
                assert code == "FORBIDDEN", (name, role, code)
    assert await people_count(engine) == before
