"""Every role against every root list, through the endpoint with real tokens, on a generated
school: who is refused, and that what the others get is exactly what their role allows."""

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from model.base import utc_now
from resolvers.accounts.sign_in import token_digest
from tests.client import GraphQLClient

LISTS = [
    "schools", "buildings", "rooms", "subjects", "workTypes", "gradeScales", "schoolYears",
    "periods", "bellSchedules", "daysOff", "workingDays", "classes", "groups", "timetable",
    "timetableChanges", "plans", "people", "lessons", "grades", "attendance", "homework",
    "finalGrades", "gradeChanges", "periodReopenings", "gradeReports",
]  # fmt: skip
STAFF = ["admin", "head", "deputy", "teacher", "class_teacher", "psychologist", "inspector"]
# What students and parents may not list at all (А–Ж: they read their own diary only).
CLOSED_TO_FAMILIES = {"plans", "gradeChanges", "periodReopenings"}
CLOSED_TO_TEACHERS = {"periodReopenings"}
# Reports about how a school keeps its journals (R-CONTROL-1, R-RATING-1): not lists of rows.
REPORTS = {
    "journalControl": "query($s: ID!) { journalControl(schoolId: $s) { nodes { lessonsHeld } } }",
    "activityRating": "query($s: ID!) { activityRating(schoolId: $s) { nodes { score } } }",
}
CONTROLLERS = {"admin", "head", "deputy", "inspector"}
INSPECTOR_TOKEN = "tbl_inspector-of-the-matrix"


async def _inspector(engine: AsyncEngine) -> str:
    async with engine.begin() as connection:
        school_id = (await connection.execute(text("SELECT min(id) FROM school"))).scalar_one()
        token_id = (
            await connection.execute(
                insert(m.AuthToken).returning(m.AuthToken.id),
                {
                    "digest": token_digest(INSPECTOR_TOKEN),
                    "kind": "inspector",
                    "name": "Рособрнадзор, проверка",
                    "created_at": utc_now(),
                    "expires_at": utc_now() + timedelta(days=1),
                },
            )
        ).scalar_one()
        await connection.execute(
            insert(m.AuthTokenSchool),
            {"auth_token_id": token_id, "school_id": school_id},
        )
    return INSPECTOR_TOKEN


async def _tokens(
    engine: AsyncEngine, api: GraphQLClient, logins: dict[str, str]
) -> dict[str, str]:
    tokens = {role: await api.login(login, "demo") for role, login in logins.items()}
    tokens["inspector"] = await _inspector(engine)
    return tokens


def _expected(role: str, field: str) -> str | None:
    if role in {"student", "parent"} and field in CLOSED_TO_FAMILIES:
        return "FORBIDDEN"
    if role in {"teacher", "class_teacher", "psychologist"} and field in CLOSED_TO_TEACHERS:
        return "FORBIDDEN"
    return None


async def test_every_role_against_every_list(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given a token for every role, and none
    tokens = await _tokens(engine, api, demo_school)
    for field in LISTS:
        query = f"{{ {field}(first: 1) {{ totalCount }} }}"
        assert (await api(query)).error_code == "UNAUTHENTICATED", field
        for role, token in tokens.items():
            # when the role lists it
            reply = await api(query, token=token)
            # then it is refused exactly where the roles table says so
            expected = _expected(role, field)
            if expected is None:
                assert reply.body.get("errors") is None, (role, field, reply.body)
            else:
                assert reply.error_code == expected, (role, field)


async def test_every_role_against_every_report(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given a token for every role, and none
    tokens = await _tokens(engine, api, demo_school)
    school = {"s": relay.to_base64("School", await _scalar(engine, "SELECT min(id) FROM school"))}
    for field, query in REPORTS.items():
        assert (await api(query, school)).error_code == "UNAUTHENTICATED", field
        for role, token in tokens.items():
            # when the role asks for the report on its school
            reply = await api(query, school, token=token)
            # then only those who control the journals get it
            if role in CONTROLLERS:
                assert reply.data[field]["nodes"], (role, field)
            else:
                assert reply.error_code == "FORBIDDEN", (role, field)


async def _scalar(engine: AsyncEngine, sql: str, **params: Any) -> Any:
    async with engine.connect() as connection:
        return (await connection.execute(text(sql), params)).scalar_one()


async def _person(engine: AsyncEngine, login: str) -> int:
    person: int = await _scalar(engine, "SELECT person_id FROM account WHERE login = :l", l=login)
    return person


TAUGHT_GRADES = """
SELECT count(*) FROM grade g JOIN lesson l ON l.id = g.lesson_id
WHERE l.substitute_id = :p OR EXISTS (
  SELECT 1 FROM timetable_entry t WHERE t.teacher_id = :p
    AND t.group_id = l.group_id AND t.subject_id = l.subject_id)
  OR EXISTS (SELECT 1 FROM lesson o WHERE o.teacher_id = :p
    AND o.group_id = l.group_id AND o.subject_id = l.subject_id)
"""


async def test_a_teacher_reads_exactly_the_grades_of_what_they_teach(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given a teacher, and the count of grades in what they teach, by hand
    token = await api.login(demo_school["teacher"], "demo")
    teacher = await _person(engine, demo_school["teacher"])
    expected = await _scalar(engine, TAUGHT_GRADES, p=teacher)
    everyone = await _scalar(engine, "SELECT count(*) FROM grade")
    # when
    reply = await api("{ grades { totalCount } lessons { totalCount } }", token=token)
    # then the list and its total hold those grades and no other
    assert 0 < reply.data["grades"]["totalCount"] == expected < everyone
    # and a grade of another class is not found, not forbidden
    other = await _scalar(
        engine,
        "SELECT min(g.id) FROM grade g JOIN lesson l ON l.id = g.lesson_id "
        "WHERE l.teacher_id <> :p AND NOT EXISTS (SELECT 1 FROM timetable_entry t "
        "WHERE t.teacher_id = :p AND t.group_id = l.group_id AND t.subject_id = l.subject_id)",
        p=teacher,
    )
    node = await api(
        "query($id: ID!) { node(id: $id) { id } }",
        {"id": relay.to_base64("Grade", other)},
        token=token,
    )
    assert node.error_code == "NOT_FOUND"


async def test_a_class_teacher_reads_every_subject_of_their_class(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    token = await api.login(demo_school["class_teacher"], "demo")
    person = await _person(engine, demo_school["class_teacher"])
    class_id = await _scalar(
        engine, "SELECT min(id) FROM school_class WHERE class_teacher_id = :p", p=person
    )
    subjects = await _scalar(
        engine,
        "SELECT count(DISTINCT l.subject_id) FROM lesson l JOIN study_group g ON g.id = l.group_id "
        "WHERE g.school_class_id = :c",
        c=class_id,
    )
    query = """query($c: ID!) { lessons(filter: {classId: $c}, first: 100) { totalCount
      nodes { subject { id } } } people(filter: {classId: $c}) { totalCount } }"""
    data = (await api(query, {"c": relay.to_base64("SchoolClass", class_id)}, token=token)).data
    total = await _scalar(
        engine,
        "SELECT count(*) FROM lesson l JOIN study_group g ON g.id = l.group_id "
        "WHERE g.school_class_id = :c",
        c=class_id,
    )
    assert data["lessons"]["totalCount"] == total
    assert subjects > 3
    students = await _scalar(
        engine, "SELECT count(*) FROM class_student WHERE school_class_id = :c", c=class_id
    )
    assert data["people"]["totalCount"] == students


async def test_a_student_sees_only_themselves_and_the_staff(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    token = await api.login(demo_school["student"], "demo")
    me = relay.to_base64("Person", await _person(engine, demo_school["student"]))
    query = """{ grades(first: 100) { totalCount nodes { student { id } } }
      attendance(first: 100) { nodes { student { id } } }
      finalGrades(first: 100) { nodes { student { id } } }
      people(filter: {role: "student"}) { nodes { id } } }"""
    data = (await api(query, token=token)).data
    assert data["grades"]["totalCount"] > 0
    for field in ["grades", "attendance", "finalGrades"]:
        assert {n["student"]["id"] for n in data[field]["nodes"]} <= {me}, field
    assert [n["id"] for n in data["people"]["nodes"]] == [me]


async def test_a_parent_sees_their_children_only(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    token = await api.login(demo_school["parent"], "demo")
    parent = await _person(engine, demo_school["parent"])
    expected = await _scalar(
        engine,
        "SELECT count(*) FROM grade WHERE student_id IN "
        "(SELECT child_id FROM guardianship WHERE parent_id = :p)",
        p=parent,
    )
    data = (
        await api(
            "{ me { person { children { person { id } } } } grades { totalCount } }", token=token
        )
    ).data
    assert data["me"]["person"]["children"]
    assert data["grades"]["totalCount"] == expected > 0


async def test_a_psychologist_reads_the_journal_of_their_own_course_only(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # Д
    # given the demo psychologist, who gives a course of their own and no subject
    token = await api.login(demo_school["psychologist"], "demo")
    me = await _person(engine, demo_school["psychologist"])
    theirs = await _scalar(engine, "SELECT count(*) FROM lesson WHERE teacher_id = :p", p=me)
    # when they list lessons and grades, then they get their course's lessons, which are not
    # graded, and nothing of the teachers' journals
    data = (await api("{ lessons { totalCount } grades { totalCount } }", token=token)).data
    assert data == {"lessons": {"totalCount": theirs}, "grades": {"totalCount": 0}}
    assert theirs > 0


@pytest.mark.parametrize("role", ["head", "deputy", "admin", "inspector"])
async def test_read_only_roles_read_every_journal_of_the_school(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], role: str
) -> None:
    tokens = await _tokens(engine, api, {role: demo_school[role]} if role != "inspector" else {})
    everyone = await _scalar(engine, "SELECT count(*) FROM grade")
    reply = await api("{ grades { totalCount } }", token=tokens[role])
    assert reply.data["grades"]["totalCount"] == everyone


async def test_api_tokens_cannot_use_account_mutations(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    token = await _inspector(engine)
    me = await api("{ me { login kind readOnly } }", token=token)
    assert me.data["me"] == {
        "login": "Рособрнадзор, проверка",
        "kind": "INSPECTOR",
        "readOnly": True,
    }
    change = 'mutation { passwordChange(oldPassword: "a", newPassword: "bbbbbbbbb") }'
    assert (await api(change, token=token)).error_code == "FORBIDDEN"
    assert (await api("mutation { logout }", token=token)).error_code == "FORBIDDEN"


# What `me.permissions` shows for the journal's last word (Д.2, Е.1): a set final grade changes
# only in a reopened period; a report is made by the family and answered by the teacher or admin.
LOCKS_AND_REPORTS = [
    ("teacher", "final_grade", ["taught&unlocked_period"]),
    # the demo's class teacher also teaches: both their roles' rules, each with the lock
    ("class_teacher", "final_grade", ["own_class&unlocked_period", "taught&unlocked_period"]),
    ("student", "grade_report", ["self&reporting"]),
    ("parent", "grade_report", ["own_child&reporting"]),
    ("teacher", "grade_report", ["taught&answering"]),
    ("admin", "grade_report", ["same_school&answering"]),
    ("class_teacher", "grade_report", ["taught&answering"]),  # as a teacher, not of the class
    ("head", "grade_report", None),
]


async def test_me_shows_final_grade_locks_and_who_answers_reports(
    api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-LOCK-1, Е.1
    query = "{ me { permissions { resource action conditions } } }"
    for role, resource, expected in LOCKS_AND_REPORTS:
        # given the role's token, when it asks what it may write
        token = await api.login(demo_school[role], "demo")
        found = (await api(query, token=token)).data["me"]["permissions"]
        writes = {p["resource"]: p["conditions"] for p in found if p["action"] == "write"}
        # then the conditions are the matrix's
        assert writes.get(resource) == expected, (role, resource)


async def test_aliases_and_fragments_do_not_widen_what_a_student_reads(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given a student
    token = await api.login(demo_school["student"], "demo")
    me = relay.to_base64("Person", await _person(engine, demo_school["student"]))
    # when they reach grades under other names and through fragments
    query = """
    query { mine: grades(first: 50) { nodes { student { id } } } ...Around }
    fragment Around on Query {
      viaLessons: lessons(first: 50) { nodes { marks: grades { student { id } } } }
      ...on Query { again: grades(first: 50) { nodes { ...Who } } }
    }
    fragment Who on Grade { student { id } }
    """
    data = (await api(query, token=token)).data
    # then every grade is still theirs
    seen = {n["student"]["id"] for n in data["mine"]["nodes"] + data["again"]["nodes"]}
    seen |= {g["student"]["id"] for n in data["viaLessons"]["nodes"] for g in n["marks"]}
    assert seen == {me}
    # and a list closed to them stays closed under an alias or in a fragment
    hidden = "query { log: gradeChanges { totalCount } }"
    assert (await api(hidden, token=token)).error_code == "FORBIDDEN"
    fragment = "query { ...F } fragment F on Query { x: gradeChanges { totalCount } }"
    assert (await api(fragment, token=token)).error_code == "FORBIDDEN"


async def test_me_tells_a_dashboard_what_the_caller_may_do(
    api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    query = "{ me { permissions { resource action conditions school { id } } } }"

    async def permissions(role: str) -> dict[tuple[str, str], list[str]]:
        token = await api.login(demo_school[role], "demo")
        found = (await api(query, token=token)).data["me"]["permissions"]
        return {(p["resource"], p["action"]): p["conditions"] for p in found}

    teacher = await permissions("teacher")
    assert teacher[("grade", "write")] == ["taught&unlocked_period&within_edit_window"]
    assert ("timetable", "write") not in teacher
    student = await permissions("student")
    assert student[("grade", "read")] == ["self"]
    # a student writes wrong-grade reports, a report that their own account is compromised,
    # starts report jobs of what they may read, and replies to messages (never writes first)
    assert sorted(key for key in student if key[1] == "write") == [
        ("compromise", "write"),
        ("grade_report", "write"),
        ("message", "write"),
        ("notification", "write"),  # their own in-app feed read
        ("notification_subscription", "write"),  # what they are told of and how (Ж.1 #3)
        ("report", "write"),  # their own report jobs: their diary, their statement
    ]
    assert student[("message", "write")] == ["addressed"]
    assert student[("message", "read")] == ["addressed"]
    assert student[("compromise", "write")] == ["self"]
    assert ("grade_change", "read") not in student


async def test_only_the_admin_reads_failed_sign_ins(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given a failed sign-in on the teacher's account, and a token for every role
    assert (await api.http.post("/graphql", json={"query": _WRONG % demo_school["teacher"]})).json()
    tokens = await _tokens(engine, api, demo_school)
    query = "{ signInFailures { totalCount nodes { login } } }"
    assert (await api(query)).error_code == "UNAUTHENTICATED"
    for role, token in tokens.items():
        # when the role lists failed sign-ins
        reply = await api(query, token=token)
        # then only the school's admin reads them
        if role == "admin":
            assert reply.data["signInFailures"]["nodes"] == [{"login": demo_school["teacher"]}]
        else:
            assert reply.error_code == "FORBIDDEN", role


_WRONG = 'mutation { login(login: "%s", password: "wrong") { token } }'
