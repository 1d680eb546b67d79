"""Logins and temporary passwords (R-ACC-1, Г.1 #1, #5, А #5, #22): issued to one person or in
bulk, reset, blocked and unblocked, through the endpoint with real tokens per role."""

import base64
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from resolvers.accounts.logins import login_base, transliterate
from resolvers.printing.pdf import render
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, Factory, SchoolSetup, build

ISSUE = """mutation($input: AccountHoldersInput!) {
  accountsIssue(input: $input) { accounts {
    temporaryPassword account { login mustChangePassword isActive person { lastName } }
  } }
}"""
RESET = """mutation($s: ID!, $p: [ID!]!) {
  accountsReset(schoolId: $s, personIds: $p) { accounts { temporaryPassword account { login } } }
}"""
BLOCK = "mutation($s: ID!, $p: [ID!]!) { accountsBlock(schoolId: $s, personIds: $p) { isActive } }"
UNBLOCK = """mutation($s: ID!, $p: [ID!]!) {
  accountsUnblock(schoolId: $s, personIds: $p) { isActive }
}"""
ME = "{ me { login mustChangePassword } }"
PEOPLE = "{ people { totalCount } }"


def gid(type_name: str, row_id: int) -> str:
    return relay.to_base64(type_name, row_id)


@dataclass
class School:
    setup: SchoolSetup
    ours: m.SchoolClass  # the class teacher's: 3 students, 2 parents each
    other: m.SchoolClass  # 2 students, 2 parents each
    student: m.Person  # of ours, with the login "student"
    ivanov: m.Person
    admin: m.Person
    teacher: m.Person
    admin2: m.Person

    @property
    def id(self) -> str:
        return gid("School", self.setup.school.id)


async def school(engine: AsyncEngine) -> School:
    async def recipe(f: Factory) -> School:
        setup = await f.school()
        admin = await f.person(setup, "Админова", m.Role.ADMIN)
        await f.account(admin, "admin")
        teacher = await f.person(setup, "Учителева", m.Role.TEACHER)
        await f.account(teacher, "teacher")
        deputy_admin = await f.person(setup, "Второва", m.Role.ADMIN)
        await f.account(deputy_admin, "admin2")
        head = await f.person(setup, "Директорова", m.Role.HEAD)
        await f.account(head, "head")
        ours = await f.school_class(setup, 5, "А", students=3)
        other = await f.school_class(setup, 5, "Б", students=2)
        assert ours.class_teacher_id is not None
        class_teacher = await f.session.get(m.Person, ours.class_teacher_id)
        assert class_teacher is not None
        await f.account(class_teacher, "class_teacher")
        student_id = await f.session.scalar(
            select(m.ClassStudent.student_id)
            .where(m.ClassStudent.school_class_id == ours.id)
            .order_by(m.ClassStudent.student_id)
        )
        student = await f.session.get(m.Person, student_id)
        assert student is not None
        await f.account(student, "student")
        ivanov = await f.person(setup, "Иванов", m.Role.TEACHER)
        ivanov.first_name, ivanov.middle_name = "Иван", "Ильич"
        return School(setup, ours, other, student, ivanov, admin, teacher, deputy_admin)

    return await build(engine, recipe)


async def _hash_of(engine: AsyncEngine, login: str) -> str:
    async with engine.connect() as connection:
        found = await connection.scalar(
            select(m.Account.password_hash).where(m.Account.login == login)
        )
    assert found is not None
    return found


def test_a_login_is_the_surname_and_initials_in_latin_letters() -> None:
    assert login_base("Иванов", "Иван", "Ильич") == "ivanov.ii"
    assert login_base("Щукина-Хлебникова", "Юлия", None) == "shchukina-khlebnikova.iu"
    assert login_base("Ёлкин", "Пётр", "Львович") == "elkin.pl"
    assert transliterate(" д'Артаньян ") == "d-artanian"


async def test_the_admin_issues_a_class_in_bulk_in_constant_sql(
    api: GraphQLClient, engine: AsyncEngine, sql: StatementCounter
) -> None:
    s = await school(engine)
    token = await api.login("admin", PASSWORD)
    # when the admin issues the other class's students and parents (2 + 4), then ours (3 + 6,
    # its one student with a login passed over)
    groups = ["CLASS_STUDENTS", "CLASS_PARENTS"]
    sql.reset()
    other = await api(ISSUE, {"input": {"schoolId": s.id, "classId": gid("SchoolClass", s.other.id),
                                        "groups": groups}}, token=token)  # fmt: skip
    fewer = sql.count
    sql.reset()
    ours = await api(ISSUE, {"input": {"schoolId": s.id, "classId": gid("SchoolClass", s.ours.id),
                                       "groups": groups}}, token=token)  # fmt: skip
    # then each gets a login of their name, unique, a temporary password, in the same statements
    assert sql.count == fewer
    issued = other.data["accountsIssue"]["accounts"] + ours.data["accountsIssue"]["accounts"]
    assert len(issued) == 6 + 8
    logins = [row["account"]["login"] for row in issued]
    assert len(set(logins)) == len(logins)
    assert "roditel00.io" in logins
    assert "roditel00.io2" in logins
    assert all(row["account"]["mustChangePassword"] for row in issued)
    assert all(len(row["temporaryPassword"]) == 14 for row in issued)
    # and the trail has each account, never a hash
    async with engine.connect() as connection:
        trail = (
            await connection.execute(select(m.Change.after).where(m.Change.entity == "account"))
        ).scalars()
        states = list(trail)
    assert len(states) == 14
    assert all("password_hash" not in state for state in states)


async def test_a_temporary_password_must_be_changed_at_the_first_sign_in(
    api: GraphQLClient, engine: AsyncEngine
) -> None:
    s = await school(engine)
    admin = await api.login("admin", PASSWORD)
    answer = await api(
        ISSUE, {"input": {"schoolId": s.id, "personIds": [gid("Person", s.ivanov.id)]}}, token=admin
    )
    [issued] = answer.data["accountsIssue"]["accounts"]
    assert issued["account"]["login"] == "ivanov.ii"
    # hashed cheaply, as a random secret may be, and by the full parameters once used
    assert "m=4096" in await _hash_of(engine, "ivanov.ii")
    token = await api.login("ivanov.ii", issued["temporaryPassword"])
    assert "m=19456" in await _hash_of(engine, "ivanov.ii")
    assert (await api(ME, token=token)).data["me"]["mustChangePassword"] is True
    assert (await api(PEOPLE, token=token)).error_code == "FORBIDDEN"
    changed = await api(
        'mutation($o: String!) { passwordChange(oldPassword: $o, newPassword: "my own one 1") }',
        {"o": issued["temporaryPassword"]},
        token=token,
    )
    assert changed.data["passwordChange"] is True
    assert (await api(PEOPLE, token=token)).data["people"]["totalCount"] > 0
    # a second issue for him is refused: his password is reset instead
    again = await api(
        ISSUE, {"input": {"schoolId": s.id, "personIds": [gid("Person", s.ivanov.id)]}}, token=admin
    )
    assert again.error_code == "BAD_USER_INPUT"


@pytest.mark.parametrize("role", ["student", "teacher"])
async def test_students_and_teachers_issue_nothing(
    api: GraphQLClient, engine: AsyncEngine, role: str
) -> None:
    s = await school(engine)
    token = await api.login(role, PASSWORD)
    answer = await api(ISSUE, {"input": {"schoolId": s.id, "classId": gid("SchoolClass", s.ours.id),
                                         "groups": ["CLASS_STUDENTS"]}}, token=token)  # fmt: skip
    assert answer.error_code == "FORBIDDEN"


async def test_the_class_teacher_issues_for_their_class_only(
    api: GraphQLClient, engine: AsyncEngine
) -> None:
    s = await school(engine)
    token = await api.login("class_teacher", PASSWORD)
    groups = ["CLASS_STUDENTS", "CLASS_PARENTS"]
    ours = await api(ISSUE, {"input": {"schoolId": s.id, "classId": gid("SchoolClass", s.ours.id),
                                       "groups": groups}}, token=token)  # fmt: skip
    assert len(ours.data["accountsIssue"]["accounts"]) == 2 + 6
    other = await api(ISSUE, {"input": {"schoolId": s.id, "classId": gid("SchoolClass", s.other.id),
                                        "groups": groups}}, token=token)  # fmt: skip
    assert other.error_code == "NOT_FOUND"  # the other class is not theirs to see
    async with engine.connect() as connection:
        theirs = await connection.scalar(
            select(m.ClassStudent.student_id).where(m.ClassStudent.school_class_id == s.other.id)
        )
    assert theirs is not None
    named = await api(
        ISSUE, {"input": {"schoolId": s.id, "personIds": [gid("Person", theirs)]}}, token=token
    )
    assert named.error_code == "FORBIDDEN"
    staff = await api(
        ISSUE, {"input": {"schoolId": s.id, "personIds": [gid("Person", s.ivanov.id)]}}, token=token
    )
    assert staff.error_code == "FORBIDDEN"
    # and nothing of the refused ones was written
    async with engine.connect() as connection:
        count = len(list((await connection.execute(select(m.Account.id))).scalars()))
    assert count == 6 + 8  # the fixture's six logins and those issued


async def test_a_blocked_account_cannot_sign_in_and_its_sessions_stop_at_once(
    api: GraphQLClient, engine: AsyncEngine
) -> None:
    s = await school(engine)
    admin = await api.login("admin", PASSWORD)
    session = await api.login("student", PASSWORD)
    student = {"s": s.id, "p": [gid("Person", s.student.id)]}
    blocked = await api(BLOCK, student, token=admin)
    assert blocked.data["accountsBlock"] == [{"isActive": False}]
    assert (await api(ME, token=session)).error_code == "UNAUTHENTICATED"
    refused = await api(
        'mutation($p: String!) { login(login: "student", password: $p) { token } }',
        {"p": PASSWORD},
    )
    assert refused.error_code == "UNAUTHENTICATED"
    # when unblocked, they sign in again; the old session stays revoked
    assert (await api(UNBLOCK, student, token=admin)).data["accountsUnblock"] == [
        {"isActive": True}
    ]
    assert (await api(ME, token=session)).error_code == "UNAUTHENTICATED"
    assert (await api(ME, token=await api.login("student", PASSWORD))).data["me"]["login"]


async def test_the_class_teacher_resets_a_students_password(
    api: GraphQLClient, engine: AsyncEngine
) -> None:
    s = await school(engine)
    session = await api.login("student", PASSWORD)
    token = await api.login("class_teacher", PASSWORD)
    answer = await api(RESET, {"s": s.id, "p": [gid("Person", s.student.id)]}, token=token)
    [reset] = answer.data["accountsReset"]["accounts"]
    assert reset["account"]["login"] == "student"
    # then the old session has ended, and the new password is a temporary one
    assert (await api(ME, token=session)).error_code == "UNAUTHENTICATED"
    fresh = await api.login("student", reset["temporaryPassword"])
    assert (await api(ME, token=fresh)).data["me"]["mustChangePassword"] is True
    # and the reset is in the trail
    async with engine.connect() as connection:
        changes = list(
            (
                await connection.execute(
                    select(m.Change.action).where(
                        m.Change.entity == "account", m.Change.action == m.ChangeAction.CHANGED
                    )
                )
            ).scalars()
        )
    assert len(changes) == 1
    # the class teacher resets nobody outside their class
    admin = await api(RESET, {"s": s.id, "p": [gid("Person", s.admin.id)]}, token=token)
    assert admin.error_code == "FORBIDDEN"


API_TOKEN = """mutation($s: ID!, $at: DateTime!) { apiTokenIssue(input: {name: "Проверка",
  kind: INSPECTOR, expiresAt: $at, schoolIds: [$s]}) { token } }"""
ROLES_REVOKE = """mutation($s: ID!, $p: ID!, $r: Role!) {
  rolesRevoke(schoolId: $s, grants: [{personId: $p, role: $r}]) { id }
}"""


async def _api_token(api: GraphQLClient, s: School, token: str) -> str:
    expires = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    issued = await api(API_TOKEN, {"s": s.id, "at": expires}, token=token)
    secret: str = issued.data["apiTokenIssue"]["token"]
    return secret


async def test_a_blocked_admins_api_tokens_are_revoked_with_their_sessions(
    api: GraphQLClient, engine: AsyncEngine
) -> None:
    s = await school(engine)
    admin = await api.login("admin", PASSWORD)
    admin2 = await api.login("admin2", PASSWORD)
    inspector = await _api_token(api, s, admin2)
    assert (await api(ME, token=inspector)).data["me"]["login"] == "Проверка"
    head = await api.login("head", PASSWORD)
    # when the head, who appoints the admins, blocks the second admin
    answer = await api(BLOCK, {"s": s.id, "p": [gid("Person", s.admin2.id)]}, token=head)
    assert answer.data["accountsBlock"] == [{"isActive": False}]
    # then neither their session nor the token they issued works
    assert (await api(ME, token=admin2)).error_code == "UNAUTHENTICATED"
    assert (await api(ME, token=inspector)).error_code == "UNAUTHENTICATED"
    # and nobody blocks themselves
    own = await api(BLOCK, {"s": s.id, "p": [gid("Person", s.admin.id)]}, token=admin)
    assert own.error_code == "FORBIDDEN"


async def test_nobody_resets_or_blocks_the_account_of_someone_above_them(
    api: GraphQLClient, engine: AsyncEngine
) -> None:
    """R-ACC-2: a reset gives its writer the account, so the admin writes the accounts of the
    people they appoint, the head the admins', never the other way round."""
    s = await school(engine)
    admin = await api.login("admin", PASSWORD)
    head = await api.login("head", PASSWORD)
    head_id = await _person_id(engine, "head")
    for writing in (RESET, BLOCK):
        # the admin reaches neither the head nor another admin
        for person in (head_id, s.admin2.id):
            refused = await api(writing, {"s": s.id, "p": [gid("Person", person)]}, token=admin)
            assert refused.error_code == "FORBIDDEN", refused.body
        # the head reaches no teacher, and not themselves
        for person in (s.teacher.id, head_id):
            refused = await api(writing, {"s": s.id, "p": [gid("Person", person)]}, token=head)
            assert refused.error_code == "FORBIDDEN", refused.body
    # a teacher here who is another school's admin is above this school's admin too
    async with engine.begin() as connection:
        other = await connection.scalar(
            insert(m.School)
            .values(
                name="Школа № 2", short_name="№ 2", municipality_id=s.setup.school.municipality_id
            )
            .returning(m.School.id)
        )
        await connection.execute(
            insert(m.SchoolRole).values(person_id=s.teacher.id, school_id=other, role="admin")
        )
    refused = await api(RESET, {"s": s.id, "p": [gid("Person", s.teacher.id)]}, token=admin)
    assert refused.error_code == "FORBIDDEN"
    # nor reports them compromised, which blocks the account and undoes its work (R-ACC-3)
    noticed = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    for person in (head_id, s.admin2.id):
        refused = await api(REPORT, {"s": s.id, "p": gid("Person", person), "n": noticed},
                            token=admin)  # fmt: skip
        assert refused.error_code in {"FORBIDDEN", "NOT_FOUND"}, refused.body
    assert (await api(ME, token=head)).data["me"]["login"] == "head"
    # while the head resets the second admin's password, and the admin a student's
    done = await api(RESET, {"s": s.id, "p": [gid("Person", s.admin2.id)]}, token=head)
    assert done.data["accountsReset"]["accounts"][0]["account"]["login"] == "admin2"
    done = await api(RESET, {"s": s.id, "p": [gid("Person", s.student.id)]}, token=admin)
    assert done.data["accountsReset"]["accounts"][0]["account"]["login"] == "student"


REPORT = """mutation($s: ID!, $p: ID!, $n: DateTime!) {
  compromiseReport(schoolId: $s, personId: $p, noticedAt: $n) { id }
}"""


async def _person_id(engine: AsyncEngine, login: str) -> int:
    async with engine.connect() as connection:
        found = await connection.scalar(select(m.Account.person_id).where(m.Account.login == login))
    assert found is not None
    return found


async def test_who_leaves_the_school_loses_their_sessions_and_api_tokens(
    api: GraphQLClient, engine: AsyncEngine
) -> None:
    s = await school(engine)
    head = await api.login("head", PASSWORD)
    admin = await api.login("admin", PASSWORD)
    admin2 = await api.login("admin2", PASSWORD)
    teacher = await api.login("teacher", PASSWORD)
    inspector = await _api_token(api, s, admin2)
    # when the head takes the second admin's role away, and the admin the teacher's
    revoked = await api(
        ROLES_REVOKE, {"s": s.id, "p": gid("Person", s.admin2.id), "r": "ADMIN"}, token=head
    )
    assert revoked.data["rolesRevoke"]
    revoked = await api(
        ROLES_REVOKE, {"s": s.id, "p": gid("Person", s.teacher.id), "r": "TEACHER"}, token=admin
    )
    assert revoked.data["rolesRevoke"]
    # then their sessions and the token the admin issued stop working, in the same request
    assert (await api(ME, token=admin2)).error_code == "UNAUTHENTICATED"
    assert (await api(ME, token=teacher)).error_code == "UNAUTHENTICATED"
    assert (await api(ME, token=inspector)).error_code == "UNAUTHENTICATED"
    # and the token's revocation is in the trail
    async with engine.connect() as connection:
        actions = list(
            (
                await connection.execute(
                    select(m.Change.after).where(m.Change.entity == "auth_token")
                )
            ).scalars()
        )
    assert any(state and state["revoked_at"] for state in actions)


LEAVE = """mutation($c: ID!, $s: [PlacementInput!]!) {
  studentsLeave(classId: $c, students: $s) { endsOn }
}"""
ENROL = """mutation($c: ID!, $s: [PlacementInput!]!) {
  studentsEnrol(classId: $c, students: $s) { startsOn }
}"""
MY_ROLES = "{ me { roles { role } } }"


async def test_a_student_who_leaves_the_school_and_their_parent_hold_its_roles_no_longer(
    api: GraphQLClient, engine: AsyncEngine
) -> None:
    """R-ACC-1, А #20: access ends with the last day in the school; coming back restores it."""
    s = await school(engine)
    admin = await api.login("admin", PASSWORD)
    async with engine.begin() as connection:
        parent_id = await connection.scalar(
            select(m.Guardianship.parent_id).where(m.Guardianship.child_id == s.student.id)
        )
        assert parent_id is not None
        await connection.execute(
            insert(m.Account).values(
                person_id=parent_id, login="parent", password_hash=await _hash_of(engine, "student")
            )
        )
    student = await api.login("student", PASSWORD)
    parent = await api.login("parent", PASSWORD)
    today = datetime.now(UTC).date()
    ours = gid("SchoolClass", s.ours.id)
    me = gid("Person", s.student.id)
    # when the student leaves today: they are still in the school today
    left = await api(LEAVE, {"c": ours, "s": [{"studentId": me, "on": str(today)}]}, token=admin)
    assert left.data
    assert (await api(MY_ROLES, token=student)).data["me"]["roles"] == [{"role": "student"}]
    # and when the last day is past, neither the student nor the parent holds a role there
    async with engine.begin() as connection:
        await connection.execute(
            update(m.ClassStudent)
            .where(m.ClassStudent.student_id == s.student.id)
            .values(ends_on=today - timedelta(days=1))
        )
    assert (await api(MY_ROLES, token=student)).data["me"]["roles"] == []
    assert (await api(MY_ROLES, token=parent)).data["me"]["roles"] == []
    grades = await api("{ grades(first: 5) { totalCount } }", token=student)
    assert grades.error_code == "FORBIDDEN" or grades.data["grades"]["totalCount"] == 0
    # until the student comes back to a class of the school
    back = await api(
        ENROL,
        {"c": gid("SchoolClass", s.other.id), "s": [{"studentId": me, "on": str(today)}]},
        token=admin,
    )
    assert back.data
    assert (await api(MY_ROLES, token=student)).data["me"]["roles"] == [{"role": "student"}]
    assert (await api(MY_ROLES, token=parent)).data["me"]["roles"] == [{"role": "parent"}]


ACCOUNTS = """query($state: AccountState, $login: String) {
  accounts(state: $state, login: $login, first: 100) { totalCount nodes { id login } }
}"""


async def test_the_accounts_list_shows_each_role_the_logins_it_may_see_and_how_they_stand(
    api: GraphQLClient, engine: AsyncEngine
) -> None:
    """R-ACC-1: the admin sees who still holds a temporary password and who is blocked."""
    s = await school(engine)
    admin = await api.login("admin", PASSWORD)
    issued = await api(
        ISSUE,
        {"input": {"schoolId": s.id, "classId": gid("SchoolClass", s.other.id),
                   "groups": ["CLASS_STUDENTS"]}},
        token=admin,
    )  # fmt: skip
    fresh = sorted(a["account"]["login"] for a in issued.data["accountsIssue"]["accounts"])
    assert len(fresh) == 2
    await api(BLOCK, {"s": s.id, "p": [gid("Person", s.student.id)]}, token=admin)

    async def logins(token: str, **filters: str) -> list[str]:
        listed = (await api(ACCOUNTS, filters, token=token)).data["accounts"]
        assert listed["totalCount"] == len(listed["nodes"])
        return [node["login"] for node in listed["nodes"]]

    assert await logins(admin, state="TEMPORARY") == fresh
    assert await logins(admin, state="BLOCKED") == ["student"]
    assert "admin2" in await logins(admin, state="ACTIVE")
    assert await logins(admin, login="ADM") == ["admin", "admin2"]
    # the class teacher sees their class's, not the other class's; a teacher only their own
    class_teacher = await api.login("class_teacher", PASSWORD)
    assert await logins(class_teacher) == ["class_teacher", "student"]
    assert await logins(await api.login("teacher", PASSWORD)) == ["teacher"]
    # and an account is a node, as every listed row is
    listed = (await api(ACCOUNTS, {"state": "BLOCKED"}, token=admin)).data["accounts"]
    node = await api(
        "query($id: ID!) { node(id: $id) { ... on Account { login isActive } } }",
        {"id": listed["nodes"][0]["id"]},
        token=class_teacher,
    )
    assert node.data["node"] == {"login": "student", "isActive": False}


SLIPS = """mutation($input: AccountHoldersInput!, $at: String!) {
  accountsIssue(input: $input, signInAt: $at) {
    accounts { temporaryPassword account { login } }
    slips
  }
}"""


async def test_the_slips_print_each_persons_name_login_and_password(
    api: GraphQLClient, engine: AsyncEngine
) -> None:
    s = await school(engine)
    token = await api.login("class_teacher", PASSWORD)
    # when the class teacher issues their class's logins with the slips to print
    answer = await api(
        SLIPS,
        {
            "input": {"schoolId": s.id, "classId": gid("SchoolClass", s.ours.id),
                      "groups": ["CLASS_STUDENTS", "CLASS_PARENTS"]},
            "at": "https://дневник.example.ru",
        },
        token=token,
    )  # fmt: skip
    issued = answer.data["accountsIssue"]
    # then the PDF has a slip per person, in Russian, with each login and password
    pdf = PdfReader(io.BytesIO(base64.b64decode(issued["slips"])))
    assert len(pdf.pages) == 1  # eight slips, eight to a page
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert text.count("Временный пароль") == 8
    assert "Обучающийся 5А класса" in text
    assert "Родитель (законный представитель): Ученик01" in text
    for row in issued["accounts"]:
        assert row["account"]["login"] in text
        assert row["temporaryPassword"] in text
    assert "https://дневник.example.ru" in text


def test_a_slip_page_renders_as_an_image() -> None:
    slip = {"name": "Щукина Юлия Ёжиковна", "who": "Обучающийся 5А класса",
            "login": "shchukina.iue", "password": "k7mq-2xwp-h9ft"}  # fmt: skip
    data = {"school": "Школа № 1", "sign_in_at": "https://example.ru", "slips": [slip] * 11}
    pages = render("login_slips.typ", data, format="png")
    assert len(pages) == 2
    assert pages[0].startswith(b"\x89PNG")


async def test_a_parent_on_the_staff_is_passed_over_by_the_class_teacher(
    api: GraphQLClient, engine: AsyncEngine
) -> None:
    s = await school(engine)
    # given a parent of the class who also teaches at the school
    async with engine.begin() as connection:
        parent = await connection.scalar(
            select(m.Guardianship.parent_id)
            .where(m.Guardianship.child_id == s.student.id)
            .order_by(m.Guardianship.parent_id)
        )
        assert parent is not None
        await connection.execute(
            insert(m.SchoolRole).values(
                person_id=parent, school_id=s.setup.school.id, role=m.Role.TEACHER
            )
        )
    token = await api.login("class_teacher", PASSWORD)
    # when the class teacher issues their class's parents' logins, they are passed over
    groups = {
        "schoolId": s.id,
        "classId": gid("SchoolClass", s.ours.id),
        "groups": ["CLASS_PARENTS"],
    }
    answer = await api(ISSUE, {"input": groups}, token=token)
    assert len(answer.data["accountsIssue"]["accounts"]) == 5
    # and named, they are refused; the admin issues theirs
    named = {"input": {"schoolId": s.id, "personIds": [gid("Person", parent)]}}
    assert (await api(ISSUE, named, token=token)).error_code == "FORBIDDEN"
    admin = await api.login("admin", PASSWORD)
    assert len((await api(ISSUE, named, token=admin)).data["accountsIssue"]["accounts"]) == 1


async def test_the_admin_issues_the_staff_and_reaches_no_other_school(
    api: GraphQLClient, engine: AsyncEngine
) -> None:
    s = await school(engine)

    async def elsewhere(f: Factory) -> None:
        setup = await f.school("Школа № 2")
        await f.account(await f.person(setup, "Чужова", m.Role.ADMIN), "their_admin")

    await build(engine, elsewhere)
    admin = await api.login("admin", PASSWORD)
    # when the admin issues the staff's logins: only Иванов and the class teachers lack one
    staff = {"input": {"schoolId": s.id, "groups": ["STAFF"]}}
    issued = (await api(ISSUE, staff, token=admin)).data["accountsIssue"]["accounts"]
    assert sorted(row["account"]["login"] for row in issued) == ["ivanov.ii", "klassnaia5b.io"]
    # then another school's admin reaches none of ours
    theirs = await api.login("their_admin", PASSWORD)
    student = {"s": s.id, "p": [gid("Person", s.student.id)]}
    assert (await api(RESET, student, token=theirs)).error_code == "NOT_FOUND"
    assert (await api(BLOCK, student, token=theirs)).error_code == "NOT_FOUND"
