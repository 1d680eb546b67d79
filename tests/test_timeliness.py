"""Every journal entry records whether it was made by its deadline, in the school's time zone
(R-CONTROL-1): grades (R-GRADE-1), attendance (R-ATT-1), homework (R-HW-1), final grades
(R-FINAL-1); and a lesson records that its attendance was taken."""

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from tests.client import GraphQLClient
from tests.journal_days import blank_lesson_on, sunday_ahead, sunday_past
from tests.lessons import execute, rows, teacher_lesson

GRADES = """mutation($i: GradesSetInput!) {
  gradesSet(input: $i) { grades { mark onTime workType { id } } } }"""
MARK = """mutation($l: ID!, $m: [AttendanceEntryInput!]!) {
  attendanceMark(lessonId: $l, marks: $m) {
    lesson { attendanceTakenAt attendanceOnTime } attendance { onTime } } }"""
HOMEWORK = """mutation($i: HomeworkAssignInput!) { homeworkAssign(input: $i) { onTime } }"""
FINAL = """mutation($i: FinalGradesSetInput!) { finalGradesSet(input: $i) { onTime } }"""


def _grades(lesson: dict[str, Any], work_type: str) -> dict[str, Any]:
    entry = {"studentId": lesson["students"][0], "workTypeId": work_type, "mark": "4"}
    return {"i": {"lessonId": lesson["gid"], "grades": [entry]}}


def _homework(lesson: dict[str, Any], held_on: Any) -> dict[str, Any]:
    due = (held_on + timedelta(days=2)).isoformat()
    return {"i": {"lessonId": lesson["gid"], "text": "Упр. 7", "dueOn": due}}


async def _long_checked_work_type(engine: AsyncEngine, lesson: dict[str, Any]) -> str:
    """Another work type of the school, given 30 checking days (an essay, say)."""
    other = (
        await rows(
            engine,
            "SELECT min(id) FROM work_type WHERE school_id = :s AND id <> :w",
            s=lesson["school_id"],
            w=lesson["work_type_pk"],
        )
    )[0][0]
    await execute(engine, "UPDATE work_type SET checking_days = 30 WHERE id = :w", w=other)
    await execute(engine, "UPDATE work_type SET checking_days = 0 WHERE id = :w",
                  w=lesson["work_type_pk"])  # fmt: skip
    return relay.to_base64("WorkType", other)


async def test_entries_for_a_lesson_ahead_are_on_time(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-CONTROL-1
    # given the teacher's lesson on a day whose deadlines are all ahead
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    day = sunday_ahead()
    await blank_lesson_on(engine, lesson, day)
    # when a grade, an empty attendance list (everybody present) and homework are entered
    graded = (await api(GRADES, _grades(lesson, lesson["work_type"]), token=token)).data
    marked = (await api(MARK, {"l": lesson["gid"], "m": []}, token=token)).data
    homework = (await api(HOMEWORK, _homework(lesson, day), token=token)).data
    # then each is on time, and the lesson records that attendance was taken
    assert [g["onTime"] for g in graded["gradesSet"]["grades"]] == [True]
    taken = marked["attendanceMark"]["lesson"]
    assert taken["attendanceTakenAt"] is not None
    assert taken["attendanceOnTime"] is True
    assert marked["attendanceMark"]["attendance"] == []
    assert homework["homeworkAssign"]["onTime"] is True


async def test_entries_days_after_the_lesson_are_late_unless_checking_takes_longer(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-CONTROL-1, R-GRADE-1, R-ATT-1, R-HW-1
    # given the teacher's lesson a week and more ago, with nothing recorded
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    day = sunday_past()
    await blank_lesson_on(engine, lesson, day)
    essay = await _long_checked_work_type(engine, lesson)
    # when it is filled in now
    oral = (await api(GRADES, _grades(lesson, lesson["work_type"]), token=token)).data
    marks = [{"studentId": lesson["students"][1], "kind": "ILL"}]
    marked = (await api(MARK, {"l": lesson["gid"], "m": marks}, token=token)).data
    homework = (await api(HOMEWORK, _homework(lesson, day), token=token)).data
    # then the grade of a work type with 0 checking days (2 count) is late, an essay's is not
    assert [g["onTime"] for g in oral["gradesSet"]["grades"]] == [False]
    essay_entry = _grades(lesson, essay)
    essay_entry["i"]["grades"][0]["studentId"] = lesson["students"][2]
    essay_grades = (await api(GRADES, essay_entry, token=token)).data["gradesSet"]["grades"]
    assert [g["onTime"] for g in essay_grades if g["workType"]["id"] == essay] == [True]
    # and the attendance and homework are late
    assert marked["attendanceMark"]["lesson"]["attendanceOnTime"] is False
    assert marked["attendanceMark"]["attendance"] == [{"onTime": False}]
    assert homework["homeworkAssign"]["onTime"] is False
    # and taking attendance again keeps the moment it was first taken
    first = marked["attendanceMark"]["lesson"]["attendanceTakenAt"]
    again = (await api(MARK, {"l": lesson["gid"], "m": []}, token=token)).data
    assert again["attendanceMark"]["lesson"]["attendanceTakenAt"] == first
    stored = await rows(engine, "SELECT on_time FROM grade WHERE lesson_id = :l ORDER BY id",
                        l=lesson["id"])  # fmt: skip
    assert [bool(r[0]) for r in stored] == [False, True]


async def test_final_grades_are_due_seven_days_after_the_period(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-CONTROL-1, R-FINAL-1
    # given the first quarter, ended weeks ago, whose grades for one group are set again now
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"], locked=True)
    periods = await rows(
        engine,
        "SELECT id, number FROM period WHERE school_id = :s AND kind = 'quarter' "
        "AND number IN (1, 2) ORDER BY number",
        s=lesson["school_id"],
    )
    on_time = {}
    for period, number in periods:
        await execute(
            engine,
            "DELETE FROM final_grade WHERE group_id = :g AND subject_id = :s AND period_id = :p",
            g=lesson["group_id"], s=lesson["subject_id"], p=period,
        )  # fmt: skip
        given = {
            "groupId": relay.to_base64("Group", lesson["group_id"]),
            "subjectId": relay.to_base64("Subject", lesson["subject_id"]),
            "periodId": relay.to_base64("Period", period),
            "grades": [{"studentId": lesson["students"][0], "mark": "4"}],
        }
        # when the teacher sets them
        reply = await api(FINAL, {"i": given}, token=token)
        on_time[number] = [g["onTime"] for g in reply.data["finalGradesSet"]]
    # then the first quarter's are late, the second's (not yet over) on time
    assert on_time == {1: [False], 2: [True]}
