"""Concurrent writers all succeed, one after another, with none refused: on SQLite a mutation
takes the write lock at its start instead of reading first and failing to get it (issue 9,
item 6); on PostgreSQL as well (R-GRADE-1, R-ATT-1, R-AUDIT-1, §1.12)."""

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from model.base import utc_now
from tests.client import GraphQLClient, Response
from tests.lessons import execute, rows
from tests.races import outcome, race

SET = """mutation($i: GradesSetInput!) { gradesSet(input: $i) { grades { id student { id } } } }"""
MARK = """mutation($l: ID!, $m: [AttendanceEntryInput!]!) {
  attendanceMark(lessonId: $l, marks: $m) { attendance { id } } }"""
LOGIN = "mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }"
ISSUE = """mutation($i: ApiTokenIssueInput!) { apiTokenIssue(input: $i) { token } }"""
JOURNAL = "query { lessons(first: 5) { totalCount nodes { id topic } } }"


async def _places(engine: AsyncEngine, login: str, count: int) -> list[tuple[int, int]]:
    """`count` (lesson, student) places in the teacher's held lessons since November."""
    found = await rows(
        engine,
        """SELECT l.id, s.student_id FROM lesson l
        JOIN account a ON a.person_id = l.teacher_id
        JOIN subject sub ON sub.id = l.subject_id
        JOIN study_group g ON g.id = l.group_id
        JOIN (SELECT g.id AS group_id, cs.student_id FROM study_group g JOIN class_student cs
              ON cs.school_class_id = g.school_class_id WHERE g.kind = 'whole_class'
              UNION SELECT group_id, student_id FROM group_student) s ON s.group_id = g.id
        WHERE a.login = :login AND l.status = 'held'
          AND NOT sub.no_attestation AND l.held_on >= '2026-11-01'
        ORDER BY l.held_on DESC, l.id, s.student_id LIMIT :n""",
        login=login,
        n=count,
    )
    assert len(found) == count
    lessons = ", ".join(str(lesson) for lesson in {lesson for lesson, _ in found})
    for table in ["grade", "change", "attendance", "lesson_work_type"]:
        await execute(engine, f"DELETE FROM {table} WHERE lesson_id IN ({lessons})")
    return [(lesson, student) for lesson, student in found]


def _write(place: tuple[int, int], n: int, work_type: str) -> tuple[str, dict[str, Any]]:
    lesson, student = relay.to_base64("Lesson", place[0]), relay.to_base64("Person", place[1])
    if n % 2:
        return MARK, {"l": lesson, "m": [{"studentId": student, "kind": "ILL"}]}
    grade = {"studentId": student, "workTypeId": work_type, "mark": "4"}
    return SET, {"i": {"lessonId": lesson, "grades": [grade]}}


async def _work_type(engine: AsyncEngine) -> str:
    found = await rows(engine, "SELECT min(id) FROM work_type")
    return relay.to_base64("WorkType", found[0][0])


async def test_twenty_concurrent_writers_all_succeed_and_every_write_is_kept(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-GRADE-1, R-ATT-1, R-AUDIT-1
    # given twenty places in a teacher's lessons, half to grade and half to mark absent
    token = await api.login(demo_school["teacher"], "demo")
    places = await _places(engine, demo_school["teacher"], 20)
    work_type = await _work_type(engine)
    writes = [_write(place, n, work_type) for n, place in enumerate(places)]
    # when twenty requests write at once
    replies = await race(engine, [api(query, values, token=token) for query, values in writes])
    # then none is refused
    assert [outcome(r) for r in replies] == ["OK"] * 20, [r.body for r in replies]
    # and every acknowledged write is there: each grade with its creation record
    graded = {place for n, place in enumerate(places) if not n % 2}
    kept = await rows(
        engine,
        "SELECT g.lesson_id, g.student_id FROM grade g JOIN change c "
        "ON c.entity_id = g.id AND c.action = 'created' AND c.new_mark = '4'",
    )
    assert {tuple(row) for row in kept} & set(places) == graded
    absent = await rows(engine, "SELECT lesson_id, student_id FROM attendance WHERE kind = 'ill'")
    assert {tuple(row) for row in absent} & set(places) == set(places) - graded


async def test_ten_simultaneous_logins_all_succeed(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given the demo's people, some of them twice
    logins = list(demo_school.values())
    logins = (logins * 2)[:10]
    before = await rows(engine, "SELECT count(*) FROM auth_token WHERE kind = 'login'")
    # when ten of them sign in at the same moment
    replies = await race(engine, [api(LOGIN, {"l": login, "p": "demo"}) for login in logins])
    # then each gets a working token, and all ten are stored
    assert [outcome(r) for r in replies] == ["OK"] * 10, [r.body for r in replies]
    tokens = [r.data["login"]["token"] for r in replies]
    for login, token in zip(logins, tokens, strict=True):
        assert (await api("{ me { login } }", token=token)).data["me"]["login"] == login
    after = await rows(engine, "SELECT count(*) FROM auth_token WHERE kind = 'login'")
    assert after[0][0] == before[0][0] + 10


async def test_inspectors_logged_queries_run_alongside_writers(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # §1.12, R-GRADE-1
    # given an inspector token for the school, and a teacher writing grades
    admin = await api.login(demo_school["admin"], "demo")
    school = (await rows(engine, "SELECT min(id) FROM school"))[0][0]
    issue = {
        "kind": "INSPECTOR",
        "name": "Проверка",
        "schoolIds": [relay.to_base64("School", school)],
        "expiresAt": (utc_now() + timedelta(days=30)).isoformat(),
    }
    inspector = (await api(ISSUE, {"i": issue}, token=admin)).data["apiTokenIssue"]["token"]
    teacher = await api.login(demo_school["teacher"], "demo")
    places = await _places(engine, demo_school["teacher"], 8)
    work_type = await _work_type(engine)
    # when the inspector's queries (each logged before it runs) race the teacher's writes
    requests: list[Any] = [api(JOURNAL, token=inspector) for _ in range(8)]
    requests += [api(*_write(place, 0, work_type), token=teacher) for place in places]
    replies: list[Response] = await race(engine, requests)
    # then every one of them succeeds, and every query the inspector ran is in the log
    assert [outcome(r) for r in replies] == ["OK"] * 16, [r.body for r in replies]
    logged = await rows(
        engine,
        "SELECT count(*) FROM query_log q JOIN auth_token t ON t.id = q.auth_token_id "
        "WHERE t.name = 'Проверка'",
    )
    assert logged[0][0] == 8
