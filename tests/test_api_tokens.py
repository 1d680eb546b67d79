"""API tokens: inspectors and integrators read, within their schools and scopes (§1.12)."""

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from strawberry import relay

import model as m
from model.base import utc_now
from resolvers.accounts import api_tokens
from resolvers.accounts.sign_in import TOKEN_PREFIX, token_digest
from resolvers.database import Database
from resolvers.errors import BadUserInput
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, Factory, SchoolSetup, build

ISSUE = """
mutation($input: ApiTokenIssueInput!) {
  apiTokenIssue(input: $input) {
    token
    apiToken { id name kind scopes createdAt expiresAt revokedAt schools { shortName } }
  }
}"""
REVOKE = "mutation($id: ID!) { apiTokenRevoke(id: $id) { id revokedAt } }"
LIST = """{ apiTokens { totalCount nodes {
  name kind scopes lastUsedAt revokedAt schools { shortName } municipality { name }
  issuedBy { lastName } } } }"""
JOURNAL = """query Journal($first: Int!) {
  classes(first: $first) { totalCount nodes { name } }
  grades(first: $first) { totalCount nodes { mark } }
}"""
NODE = "query($id: ID!) { node(id: $id) { id } }"
PEOPLE = "{ people { totalCount } }"
GRADES = "{ grades { nodes { mark } } }"


@dataclass
class Schools:
    ours: SchoolSetup
    theirs: SchoolSetup

    def school_id(self, setup: SchoolSetup) -> str:
        return relay.to_base64("School", setup.school.id)

    def class_id(self, setup: SchoolSetup) -> str:
        return relay.to_base64("SchoolClass", setup.classes[0].id)


async def _journal(f: Factory, setup: SchoolSetup, mark: str) -> None:
    """One lesson of a class with one graded student."""
    school_class = setup.classes[0]
    group_id = await f.session.scalar(
        select(m.Group.id).where(m.Group.school_class_id == school_class.id)
    )
    student_id = await f.session.scalar(
        select(m.ClassStudent.student_id).where(m.ClassStudent.school_class_id == school_class.id)
    )
    assert group_id is not None
    assert student_id is not None
    assert school_class.class_teacher_id is not None
    school_id = setup.school.id
    subject = await f.add(
        m.Subject(
            school_id=school_id, name="Математика", short_name="Мат", grade_scale_id=setup.scale.id
        )
    )
    work_type = await f.add(
        m.WorkType(school_id=school_id, name="Ответ", short_name="Отв", weight=Decimal(1))
    )
    lesson = await f.add(
        m.Lesson(
            school_id=school_id,
            group_id=group_id,
            subject_id=subject.id,
            teacher_id=school_class.class_teacher_id,
            held_on=setup.year.starts_on,
            bell_number=1,
        )
    )
    await f.add(
        m.Grade(
            school_id=school_id,
            lesson_id=lesson.id,
            student_id=student_id,
            work_type_id=work_type.id,
            grade_scale_id=setup.scale.id,
            mark=mark,
            on_time=True,
        )
    )


async def _two_schools(engine: AsyncEngine) -> Schools:
    """Our school (admin `admin`, teacher `teacher`) and theirs (admin `their_admin`)."""

    async def recipe(f: Factory) -> Schools:
        ours, theirs = await f.school("Наша школа"), await f.school("Чужая школа")
        await f.school_class(ours, 5, "А", students=3, parents_each=1)
        await f.school_class(theirs, 6, "Б", students=4, parents_each=1)
        await _journal(f, ours, "5")
        await _journal(f, theirs, "2")
        await f.account(await f.person(ours, "Админова", m.Role.ADMIN), "admin")
        await f.account(await f.person(ours, "Учителева", m.Role.TEACHER), "teacher")
        await f.account(await f.person(theirs, "Чужеадминова", m.Role.ADMIN), "their_admin")
        return Schools(ours, theirs)

    return await build(engine, recipe)


def _input(school_ids: list[str], **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Проверка управления образования",
        "kind": "INSPECTOR",
        "schoolIds": school_ids,
        "expiresAt": (utc_now() + timedelta(days=30)).isoformat(),
    }
    return {**values, **changes}


async def _issue(api: GraphQLClient, admin_token: str, **input_: Any) -> dict[str, Any]:
    reply = await api(ISSUE, {"input": input_}, token=admin_token)
    issued: dict[str, Any] = reply.data["apiTokenIssue"]
    return issued


async def _inspector(api: GraphQLClient, schools: Schools) -> tuple[str, str]:
    """The admin's login token, and an inspector token they issued for our school."""
    admin = await api.login("admin", PASSWORD)
    issued = await _issue(api, admin, **_input([schools.school_id(schools.ours)]))
    token: str = issued["token"]
    return admin, token


async def _count(engine: AsyncEngine, entity: type[Any], *where: Any) -> int:
    async with engine.connect() as connection:
        found = await connection.scalar(select(func.count()).select_from(entity).where(*where))
        return int(found or 0)


async def test_admin_issues_an_inspector_token_that_reads_their_school(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given
    schools = await _two_schools(engine)
    admin = await api.login("admin", PASSWORD)
    # when
    issued = await _issue(api, admin, **_input([schools.school_id(schools.ours)]))
    reply = await api(JOURNAL, {"first": 10}, token=issued["token"])
    # then
    assert issued["token"].startswith(TOKEN_PREFIX)
    assert issued["apiToken"]["kind"] == "INSPECTOR"
    assert issued["apiToken"]["scopes"] == []
    assert issued["apiToken"]["schools"] == [{"shortName": "Наша школа"}]
    assert reply.data["classes"] == {"totalCount": 1, "nodes": [{"name": "5А"}]}
    assert reply.data["grades"] == {"totalCount": 1, "nodes": [{"mark": "5"}]}


async def test_inspector_does_not_find_another_schools_rows(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    schools = await _two_schools(engine)
    _, inspector = await _inspector(api, schools)
    ours, theirs = schools.class_id(schools.ours), schools.class_id(schools.theirs)
    assert (await api(NODE, {"id": ours}, token=inspector)).data["node"]["id"] == ours
    assert (await api(NODE, {"id": theirs}, token=inspector)).error_code == "NOT_FOUND"
    their_school = {"s": schools.school_id(schools.theirs)}
    reply = await api(
        "query($s: ID!) { classes(schoolId: $s) { totalCount } }", their_school, token=inspector
    )
    assert reply.data["classes"]["totalCount"] == 0


async def test_inspector_token_cannot_write_or_see_tokens(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given
    schools = await _two_schools(engine)
    admin, inspector = await _inspector(api, schools)
    listed = (await api("{ apiTokens { nodes { id } } }", token=admin)).data
    token_id = listed["apiTokens"]["nodes"][0]["id"]
    refused = [
        (ISSUE, {"input": _input([schools.school_id(schools.ours)])}),
        (REVOKE, {"id": token_id}),
        ("mutation { logout }", {}),
        ('mutation { passwordChange(oldPassword: "a", newPassword: "bbbbbbbbbb") }', {}),
        ("{ apiTokens { totalCount } }", {}),
    ]
    for query, variables in refused:
        # when
        reply = await api(query, variables, token=inspector)
        # then
        assert reply.error_code == "FORBIDDEN", query
    # refused by the policies, or (were a rule to let inspectors read tokens) by ApiToken itself
    assert (await api(NODE, {"id": token_id}, token=inspector)).error_code in {
        "FORBIDDEN",
        "NOT_FOUND",
    }
    assert await _count(engine, m.AuthToken, m.AuthToken.revoked_at.is_not(None)) == 0


async def test_me_describes_the_api_token(engine: AsyncEngine, api: GraphQLClient) -> None:
    schools = await _two_schools(engine)
    _, inspector = await _inspector(api, schools)
    me = (await api("{ me { kind readOnly login } }", token=inspector)).data["me"]
    assert me == {"kind": "INSPECTOR", "readOnly": True, "login": _input([])["name"]}


async def test_every_inspector_query_is_logged_even_when_it_fails(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given
    schools = await _two_schools(engine)
    admin, inspector = await _inspector(api, schools)
    search = "query Search($s: String) { people(filter: {search: $s}) { totalCount } }"
    their_class = {"id": schools.class_id(schools.theirs)}
    # when it reads, names its operation, is refused, and sends something that is not GraphQL
    await api(JOURNAL, {"first": 10}, token=inspector)
    await api.http.post(
        "/graphql",
        json={"query": search, "variables": {"s": "Админова"}, "operationName": "Search"},
        headers={"Authorization": f"Bearer {inspector}"},
    )
    assert (await api(NODE, their_class, token=inspector)).error_code == "NOT_FOUND"
    assert (await api("{ classes {", token=inspector)).body["errors"]
    await api(JOURNAL, {"first": 1}, token=admin)  # a person's queries are not logged
    # then every one of them is in the log, committed
    async with engine.connect() as connection:
        logged = (
            await connection.execute(
                select(
                    m.QueryLog.operation_name,
                    m.QueryLog.query_sha256,
                    m.QueryLog.variables,
                    m.QueryLog.auth_token_id,
                    m.QueryLog.ran_at,
                ).order_by(m.QueryLog.id)
            )
        ).all()
        token_id = await connection.scalar(
            select(m.AuthToken.id).where(m.AuthToken.digest == token_digest(inspector))
        )
    assert [tuple(row[:3]) for row in logged] == [
        ("Journal", _sha256(JOURNAL), '{"first": 10}'),  # the operation's own name
        ("Search", _sha256(search), '{"s": "Админова"}'),  # as typed, not \\u-escaped
        (None, _sha256(NODE), json.dumps(their_class)),
        (None, _sha256("{ classes {"), "{}"),
    ]
    assert {row.auth_token_id for row in logged} == {token_id}
    assert all(utc_now() - timedelta(minutes=1) < row.ran_at <= utc_now() for row in logged)
    listed = (await api(LIST, token=admin)).data["apiTokens"]["nodes"]
    assert listed[0]["lastUsedAt"] is not None


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def test_revoked_token_is_unauthenticated_on_its_next_request(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given
    schools = await _two_schools(engine)
    admin, inspector = await _inspector(api, schools)
    token_id = (await api("{ apiTokens { nodes { id } } }", token=admin)).data["apiTokens"]
    token_id = token_id["nodes"][0]["id"]
    assert (await api(JOURNAL, {"first": 1}, token=inspector)).data
    # when
    revoked = (await api(REVOKE, {"id": token_id}, token=admin)).data["apiTokenRevoke"]
    # then
    assert revoked["id"] == token_id
    assert revoked["revokedAt"] is not None
    assert (await api(JOURNAL, {"first": 1}, token=inspector)).error_code == "UNAUTHENTICATED"
    again = (await api(REVOKE, {"id": token_id}, token=admin)).data["apiTokenRevoke"]
    assert again["revokedAt"] == revoked["revokedAt"]


async def test_expired_token_is_unauthenticated(engine: AsyncEngine, api: GraphQLClient) -> None:
    schools = await _two_schools(engine)
    _, inspector = await _inspector(api, schools)
    async with engine.begin() as connection:
        await connection.execute(
            update(m.AuthToken)
            .where(m.AuthToken.digest == token_digest(inspector))
            .values(expires_at=utc_now() - timedelta(seconds=1))
        )
    assert (await api(JOURNAL, {"first": 1}, token=inspector)).error_code == "UNAUTHENTICATED"


async def test_only_the_digest_is_stored(engine: AsyncEngine, api: GraphQLClient) -> None:
    schools = await _two_schools(engine)
    _, inspector = await _inspector(api, schools)
    async with engine.connect() as connection:
        digests = (
            (
                await connection.execute(
                    select(m.AuthToken.digest).where(m.AuthToken.kind == m.TokenKind.INSPECTOR)
                )
            )
            .scalars()
            .all()
        )
    assert digests == [token_digest(inspector)]
    assert inspector.encode() not in digests


@pytest.mark.parametrize(
    ("scopes", "people", "grades"),
    [
        (["roster:read"], True, "FORBIDDEN"),
        (["journal:read"], True, None),
        (["reports:read"], "FORBIDDEN", "FORBIDDEN"),
    ],
)
async def test_integrator_reads_what_its_scopes_name(
    engine: AsyncEngine,
    api: GraphQLClient,
    scopes: list[str],
    people: bool | str,
    grades: str | None,
) -> None:
    # given an integrator token with the scopes
    schools = await _two_schools(engine)
    admin = await api.login("admin", PASSWORD)
    changes = {"kind": "INTEGRATOR", "scopes": scopes, "name": "Электронный дневник региона"}
    issued = await _issue(api, admin, **_input([schools.school_id(schools.ours)], **changes))
    integrator = issued["token"]
    # when
    people_reply = await api(PEOPLE, token=integrator)
    grades_reply = await api(GRADES, token=integrator)
    # then
    if people is True:
        assert people_reply.data["people"]["totalCount"] == 3 + 3 + 3  # students, parents, staff
    else:
        assert people_reply.error_code == people
    if grades is None:
        assert grades_reply.data["grades"]["nodes"] == [{"mark": "5"}]
    else:
        assert grades_reply.error_code == grades
    assert issued["apiToken"]["scopes"] == scopes
    assert await _count(engine, m.QueryLog) == 0  # only inspectors' queries are logged


@pytest.mark.parametrize(
    ("changes", "argument"),
    [
        ({"schoolIds": []}, "schoolIds"),
        ({"kind": "INTEGRATOR", "scopes": ["grades:write"]}, "scopes"),
        ({"kind": "INTEGRATOR"}, "scopes"),
        ({"scopes": ["journal:read"]}, "scopes"),
        ({"expiresAt": (utc_now() - timedelta(hours=1)).isoformat()}, "expiresAt"),
        ({"expiresAt": (utc_now() + timedelta(days=400)).isoformat()}, "expiresAt"),
        ({"expiresAt": "2027-01-01T00:00:00"}, "expiresAt"),
        ({"kind": "LOGIN"}, "kind"),
        ({"name": "  "}, "name"),
        ({"name": "я" * 201}, "name"),
    ],
)
async def test_invalid_input_is_refused_and_nothing_is_written(
    engine: AsyncEngine, api: GraphQLClient, changes: dict[str, Any], argument: str
) -> None:
    # given
    schools = await _two_schools(engine)
    admin = await api.login("admin", PASSWORD)
    # when
    variables = {"input": _input([schools.school_id(schools.ours)], **changes)}
    reply = await api(ISSUE, variables, token=admin)
    # then
    assert reply.error_code == "BAD_USER_INPUT"
    where = reply.body["errors"][0]["extensions"]  # a declared bound names the input field
    assert argument in {where.get("field"), where["argument"]}
    assert await _count(engine, m.AuthToken, m.AuthToken.kind != m.TokenKind.LOGIN) == 0
    assert await _count(engine, m.AuthTokenSchool) == 0


async def test_a_teacher_cannot_issue_tokens(engine: AsyncEngine, api: GraphQLClient) -> None:
    schools = await _two_schools(engine)
    teacher = await api.login("teacher", PASSWORD)
    variables = {"input": _input([schools.school_id(schools.ours)])}
    assert (await api(ISSUE, variables, token=teacher)).error_code == "FORBIDDEN"
    assert (await api(LIST, token=teacher)).error_code == "FORBIDDEN"
    assert await _count(engine, m.AuthToken, m.AuthToken.kind != m.TokenKind.LOGIN) == 0


async def test_an_admin_issues_only_for_their_own_schools(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given
    schools = await _two_schools(engine)
    admin = await api.login("admin", PASSWORD)
    ours, theirs = schools.school_id(schools.ours), schools.school_id(schools.theirs)
    municipality = relay.to_base64("Municipality", schools.ours.school.municipality_id)
    attempts = [
        _input([theirs]),
        _input([ours, theirs]),
        _input([], municipalityId=municipality),
        _input([ours], municipalityId=municipality),
    ]
    for attempt in attempts:
        # when
        reply = await api(ISSUE, {"input": attempt}, token=admin)
        # then
        assert reply.error_code == "FORBIDDEN", attempt
    assert await _count(engine, m.AuthToken, m.AuthToken.kind != m.TokenKind.LOGIN) == 0


async def test_admin_lists_and_revokes_only_their_schools_tokens(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given two tokens for our school, one for theirs
    schools = await _two_schools(engine)
    admin = await api.login("admin", PASSWORD)
    their_admin = await api.login("their_admin", PASSWORD)
    ours, theirs = schools.school_id(schools.ours), schools.school_id(schools.theirs)
    await _issue(api, admin, **_input([ours], name="Инспектор"))
    integrator = {"kind": "INTEGRATOR", "scopes": ["roster:read", "journal:read"]}
    await _issue(api, admin, **_input([ours], name="Дневник", **integrator))
    their_token = await _issue(api, their_admin, **_input([theirs], name="Их инспектор"))
    # when
    listed = (await api(LIST, token=admin)).data["apiTokens"]
    # then
    assert listed["totalCount"] == 2
    assert [(n["name"], n["kind"], n["scopes"]) for n in listed["nodes"]] == [
        ("Инспектор", "INSPECTOR", []),
        ("Дневник", "INTEGRATOR", ["journal:read", "roster:read"]),
    ]
    first = listed["nodes"][0]
    assert first["schools"] == [{"shortName": "Наша школа"}]
    assert first["issuedBy"] == {"lastName": "Админова"}
    assert first["municipality"] is None
    assert first["revokedAt"] is None
    their_id = {"id": their_token["apiToken"]["id"]}
    assert (await api(REVOKE, their_id, token=admin)).error_code == "NOT_FOUND"
    assert (await api(NODE, their_id, token=admin)).error_code == "NOT_FOUND"
    assert await _count(engine, m.AuthToken, m.AuthToken.revoked_at.is_not(None)) == 0


async def test_operator_issues_a_municipality_wide_token_the_admin_cannot_revoke(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given a municipality-wide inspector token, issued outside the API (the operator's CLI)
    schools = await _two_schools(engine)
    async with AsyncSession(engine, expire_on_commit=False) as session:
        issued = await api_tokens.issue_api_token(
            Database(session),
            kind=m.TokenKind.INSPECTOR,
            name="Муниципальная проверка",
            school_ids=[],
            municipality_id=schools.theirs.school.municipality_id,
            scopes=[],
            expires_at=utc_now() + timedelta(days=7),
            issued_by_account_id=None,
        )
        await session.commit()
    their_admin = await api.login("their_admin", PASSWORD)
    # when
    read = await api(JOURNAL, {"first": 10}, token=issued.token)
    listed = (await api(LIST, token=their_admin)).data["apiTokens"]["nodes"]
    revoke = await api(
        REVOKE, {"id": relay.to_base64("ApiToken", issued.api_token.id)}, token=their_admin
    )
    # then it reads the municipality's school, and the school's admin sees it but cannot revoke it
    assert read.data["grades"]["nodes"] == [{"mark": "2"}]
    assert [(n["name"], n["issuedBy"], n["schools"]) for n in listed] == [
        ("Муниципальная проверка", None, [])
    ]
    assert listed[0]["municipality"] is not None
    assert revoke.error_code == "FORBIDDEN"
    # when the operator revokes it (twice), then it is refused
    async with AsyncSession(engine, expire_on_commit=False) as session:
        first = await api_tokens.revoke_api_token(Database(session), issued.api_token.id)
        revoked_at = first.revoked_at
        await session.commit()
        again = await api_tokens.revoke_api_token(Database(session), issued.api_token.id)
    assert revoked_at is not None
    assert again.revoked_at == revoked_at
    assert (await api(JOURNAL, {"first": 1}, token=issued.token)).error_code == "UNAUTHENTICATED"


async def test_the_operator_cannot_name_a_school_that_does_not_exist(engine: AsyncEngine) -> None:
    schools = await _two_schools(engine)
    async with AsyncSession(engine) as session:
        with pytest.raises(BadUserInput) as refused:
            await api_tokens.issue_api_token(
                Database(session),
                kind=m.TokenKind.INSPECTOR,
                name="Проверка",
                school_ids=[schools.ours.school.id, 10**9],
                municipality_id=None,
                scopes=[],
                expires_at=utc_now() + timedelta(days=7),
                issued_by_account_id=None,
            )
    assert refused.value.extensions["argument"] == "schoolIds"
    assert await _count(engine, m.AuthToken) == 0


async def test_listing_costs_the_same_sql_for_one_and_four_tokens(
    engine: AsyncEngine, api: GraphQLClient, sql: StatementCounter
) -> None:
    schools = await _two_schools(engine)
    admin = await api.login("admin", PASSWORD)
    ours = schools.school_id(schools.ours)
    counts = []
    for issued in [1, 3]:
        # given one token, then four
        for n in range(issued):
            await _issue(api, admin, **_input([ours], name=f"Инспектор {n}"))
        # when
        sql.reset()
        reply = await api(LIST, token=admin)
        # then
        counts.append(sql.count)
    assert reply.data["apiTokens"]["totalCount"] == 4
    assert counts[0] == counts[1], sql.statements
