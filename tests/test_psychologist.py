"""The psychologist keeps the journal of their own groups as a teacher does, and no other (Д):
the demo psychologist's course through the screens, with their own token."""

from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from bench.shapes import GRID_QUERY as GRID
from bench.shapes import JOURNAL_QUERY as CLASS_JOURNAL
from tests.client import GraphQLClient
from tests.lessons import execute, rows

MARK = """mutation($l: ID!, $m: [AttendanceEntryInput!]!) {
  attendanceMark(lessonId: $l, marks: $m) { attendance { kind student { id } } } }"""
PERMISSIONS = "{ me { permissions { resource action conditions } } }"


async def _course(engine: AsyncEngine, login: str) -> dict[str, Any]:
    """A class the psychologist teaches, their course's subject there, and the first quarter."""
    group_id, class_id, subject_id, school_id = (
        await rows(
            engine,
            """SELECT e.group_id, g.school_class_id, e.subject_id, e.school_id
            FROM timetable_entry e JOIN account a ON a.person_id = e.teacher_id
            JOIN study_group g ON g.id = e.group_id
            WHERE a.login = :login ORDER BY e.id LIMIT 1""",
            login=login,
        )
    )[0]
    (quarter, starts_on) = (
        await rows(
            engine,
            "SELECT id, starts_on FROM period WHERE school_id = :s AND kind = 'quarter' "
            "AND number = 1",
            s=school_id,
        )
    )[0]
    return {
        "group_id": group_id,
        "class_id": class_id,
        "subject_id": subject_id,
        "group": relay.to_base64("Group", group_id),
        "class": relay.to_base64("SchoolClass", class_id),
        "subject": relay.to_base64("Subject", subject_id),
        "period": relay.to_base64("Period", quarter),
        "from": starts_on if isinstance(starts_on, date) else date.fromisoformat(starts_on),
    }


async def test_the_psychologist_reads_their_own_groups_journal_and_no_other(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # Д
    # given the demo psychologist and a class they give their course to
    token = await api.login(demo_school["psychologist"], "demo")
    course = await _course(engine, demo_school["psychologist"])

    # when they open the grade grid of their group in the first quarter
    variables = {"group": course["group"], "subject": course["subject"], "period": course["period"]}
    grid = (await api(GRID, variables, token=token)).data["gradeGrid"]
    # then it holds the whole class and the lessons they gave, with the КТП's topics
    students = await rows(
        engine,
        "SELECT count(*) FROM class_student WHERE school_class_id = :c",
        c=course["class_id"],
    )
    assert len(grid["students"]) == students[0][0] > 0
    assert len(grid["lessons"]) >= 3
    assert all(lesson["topic"] for lesson in grid["lessons"] if lesson["status"] == "HELD")

    # when they open the class journal for the first two weeks of the quarter
    dates = {"from": course["from"].isoformat(), "to": (course["from"] + timedelta(13)).isoformat()}
    page = (await api(CLASS_JOURNAL, {"class": course["class"], **dates}, token=token)).data
    lessons = page["classJournal"]["lessons"]
    # then they see their own lessons in the class, not the other teachers' of it
    assert lessons
    assert {lesson["subject"]["id"] for lesson in lessons} == {course["subject"]}
    assert {lesson["groupId"] for lesson in lessons} == {course["group"]}

    # when they ask for the grid of a group another teacher teaches (half a class, in English)
    other = await rows(
        engine,
        """SELECT e.group_id, e.subject_id FROM timetable_entry e
        JOIN study_group g ON g.id = e.group_id
        WHERE g.kind <> 'whole_class' AND e.teacher_id <>
          (SELECT person_id FROM account WHERE login = :login) ORDER BY e.id LIMIT 1""",
        login=demo_school["psychologist"],
    )
    theirs = {
        "group": relay.to_base64("Group", other[0][0]),
        "subject": relay.to_base64("Subject", other[0][1]),
        "period": course["period"],
    }
    # then it is not there for them
    assert (await api(GRID, theirs, token=token)).error_code == "NOT_FOUND"
    # and the other subjects of their own class show no lesson to them
    math = await rows(
        engine,
        "SELECT e.subject_id FROM timetable_entry e WHERE e.group_id = :g AND e.subject_id <> :s "
        "ORDER BY e.id LIMIT 1",
        g=course["group_id"],
        s=course["subject_id"],
    )
    not_mine = {**variables, "subject": relay.to_base64("Subject", math[0][0])}
    assert (await api(GRID, not_mine, token=token)).data["gradeGrid"]["lessons"] == []


async def test_the_psychologist_marks_attendance_in_their_lessons_only(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # Д, R-ATT-1
    # given the psychologist's latest held lesson, and a teacher's
    token = await api.login(demo_school["psychologist"], "demo")
    latest = """SELECT l.id, l.group_id FROM lesson l JOIN account a ON a.person_id = l.teacher_id
        WHERE a.login = :login AND l.status = 'held' ORDER BY l.held_on DESC, l.id LIMIT 1"""
    mine = (await rows(engine, latest, login=demo_school["psychologist"]))[0]
    teachers = (await rows(engine, latest, login=demo_school["teacher"]))[0]
    student = await rows(
        engine,
        "SELECT cs.student_id FROM class_student cs JOIN study_group g "
        "ON g.school_class_id = cs.school_class_id WHERE g.id = :g ORDER BY 1 LIMIT 1",
        g=mine[1],
    )
    await execute(engine, "DELETE FROM attendance WHERE lesson_id = :l", l=mine[0])
    marks = [{"studentId": relay.to_base64("Person", student[0][0]), "kind": "ILL"}]
    # when they mark a student ill in their own lesson, then it is written
    reply = await api(MARK, {"l": relay.to_base64("Lesson", mine[0]), "m": marks}, token=token)
    assert [a["kind"] for a in reply.data["attendanceMark"]["attendance"]] == ["ILL"]
    # and a teacher's lesson is not there for them
    other = await api(MARK, {"l": relay.to_base64("Lesson", teachers[0]), "m": marks}, token=token)
    assert other.error_code == "NOT_FOUND"


async def test_the_psychologist_may_do_what_a_teacher_may_and_no_more(
    api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # Д
    # given the demo psychologist and the demo subject teacher (who holds no other role)
    def rules(found: list[dict[str, Any]]) -> set[tuple[str, str, tuple[str, ...]]]:
        return {(p["resource"], p["action"], tuple(p["conditions"])) for p in found}

    granted = {}
    for role in ["psychologist", "teacher"]:
        token = await api.login(demo_school[role], "demo")
        granted[role] = rules((await api(PERMISSIONS, token=token)).data["me"]["permissions"])
    # then both hold the same rules: the journal of what they teach, its КТП, their own data
    assert granted["psychologist"] == granted["teacher"]
    assert ("grade", "write", ("taught&unlocked_period&within_edit_window",)) in granted["teacher"]
    assert not {r for r in granted["psychologist"] if r[0] == "journal_control"}
