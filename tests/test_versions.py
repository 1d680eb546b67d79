"""A change of a journal record names the version read of it (issue 10): left out, the client is
told that it is needed and where to read it (BAD_USER_INPUT, `field: version`), not that the
journal changed meanwhile — which stays the answer when the record was entered just now."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from tests.client import GraphQLClient, Response
from tests.lessons import execute, rows, teacher_lesson

SET = """mutation($i: GradesSetInput!) { gradesSet(input: $i) { grades { mark version } } }"""
MARK = """mutation($l: ID!, $m: [AttendanceEntryInput!]!) {
  attendanceMark(lessonId: $l, marks: $m) { attendance { kind version } } }"""
FINALS = """mutation($i: FinalGradesSetInput!) { finalGradesSet(input: $i) { mark version } }"""


def _version_needed(reply: Response, item: int = 0) -> str:
    error = reply.body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["extensions"]["field"] == "version"
    assert error["extensions"]["item"] == item
    message: str = error["message"]
    assert "`version`" in message, message
    assert "meanwhile" not in message, message
    return message


async def _age(engine: AsyncEngine, table: str, lesson_id: int) -> None:
    """The lesson's records of `table` were entered when the demo's first ones were, not now."""
    await execute(
        engine,
        f"UPDATE {table} SET created_at = (SELECT min(created_at) FROM {table}), "
        "updated_at = NULL WHERE lesson_id = :l",
        l=lesson_id,
    )


def _grade(lesson: dict[str, Any], mark: str, **extra: Any) -> dict[str, Any]:
    entry = {"studentId": lesson["students"][0], "workTypeId": lesson["work_type"], "mark": mark}
    return {"i": {"lessonId": lesson["gid"], "grades": [{**entry, **extra}]}}


async def test_changing_a_grade_without_its_version_says_the_version_is_needed(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-GRADE-1
    # given a grade the teacher entered earlier
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    await execute(engine, "DELETE FROM grade WHERE lesson_id = :l", l=lesson["id"])
    assert (await api(SET, _grade(lesson, "4"), token=token)).data
    await _age(engine, "grade", lesson["id"])
    # when the teacher changes it without the version they read
    reply = await api(SET, _grade(lesson, "5"), token=token)
    # then they are told to send it and where it is, and the grade stands as it was
    assert "`grades`" in _version_needed(reply)
    stored = await rows(
        engine, "SELECT mark, version FROM grade WHERE lesson_id = :l", l=lesson["id"]
    )
    assert [tuple(row) for row in stored] == [("4", 1)]
    # and with the version, the change goes in
    changed = await api(SET, _grade(lesson, "5", version=1), token=token)
    assert changed.data["gradesSet"]["grades"][0] == {"mark": "5", "version": 2}
    # and a grade entered just now by someone else is still a change made meanwhile
    await execute(engine, "UPDATE grade SET updated_at = CURRENT_TIMESTAMP WHERE lesson_id = :l",
                  l=lesson["id"])  # fmt: skip
    assert (await api(SET, _grade(lesson, "3"), token=token)).error_code == "CONFLICT"


async def test_changing_an_attendance_mark_without_its_version_says_the_version_is_needed(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-ATT-1
    # given a student marked ill in the teacher's lesson earlier
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    await execute(engine, "DELETE FROM attendance WHERE lesson_id = :l", l=lesson["id"])
    student, other = lesson["students"][:2]
    ill = {"l": lesson["gid"], "m": [{"studentId": student, "kind": "ILL"}]}
    assert (await api(MARK, ill, token=token)).data
    await _age(engine, "attendance", lesson["id"])
    # when the teacher corrects it (with a new mark first) and leaves out its version
    fix = [{"studentId": other, "kind": "LATE", "lateMinutes": 5},
           {"studentId": student, "kind": "ABSENT_VALID"}]  # fmt: skip
    reply = await api(MARK, {"l": lesson["gid"], "m": fix}, token=token)
    # then the item without its version is named, and nothing of the call is written
    assert "`attendance`" in _version_needed(reply, item=1)
    stored = await rows(engine, "SELECT kind FROM attendance WHERE lesson_id = :l", l=lesson["id"])
    assert stored == [("ill",)]


async def test_changing_a_final_grade_without_its_version_says_the_version_is_needed(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-FINAL-1
    # given a student's term grade, set when the first quarter ended
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"], locked=True)
    student_id = relay.from_base64(lesson["students"][0])[1]
    found = await rows(
        engine,
        "SELECT period_id, mark FROM final_grade WHERE group_id = :g AND subject_id = :s "
        "AND student_id = :st AND mark IS NOT NULL",
        g=lesson["group_id"],
        s=lesson["subject_id"],
        st=int(student_id),
    )
    period_id, mark = found[0]
    given = {
        "groupId": relay.to_base64("Group", lesson["group_id"]),
        "subjectId": relay.to_base64("Subject", lesson["subject_id"]),
        "periodId": relay.to_base64("Period", period_id),
        "grades": [{"studentId": lesson["students"][0], "mark": "5" if mark != "5" else "4"}],
    }
    # when the teacher sets it again without its version
    reply = await api(FINALS, {"i": given}, token=token)
    # then they are told the version is needed, and where to read it
    assert "`finalGrades`" in _version_needed(reply)
