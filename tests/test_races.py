"""Writes that race on a unique key answer CONFLICT or both succeed, never an internal error,
and leave nothing half-written (issue 9, item 5; R-GRADE-1, R-ATT-1, R-TOPIC-1, R-AUDIT-1)."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.client import GraphQLClient
from tests.lessons import execute, rows, teacher_lesson
from tests.races import outcome, race

SET = """mutation($i: GradesSetInput!) {
  gradesSet(input: $i) { grades { id mark version student { id } } } }"""
MARK = """mutation($l: ID!, $m: [AttendanceEntryInput!]!) {
  attendanceMark(lessonId: $l, marks: $m) { attendance { id kind student { id } } } }"""
CREATED = (
    "SELECT g.id, g.mark FROM grade g JOIN change c ON c.entity_id = g.id "
    "AND c.action = 'created' AND c.new_mark = g.mark WHERE g.lesson_id = :l"
)


def _grade(lesson: dict[str, Any], student: str, mark: str) -> dict[str, Any]:
    entry = {"studentId": student, "workTypeId": lesson["work_type"], "mark": mark}
    return {"i": {"lessonId": lesson["gid"], "grades": [entry]}}


async def _two_teachers(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> tuple[dict[str, Any], list[str]]:
    """A lesson without grades or listed work types that two teachers may fill in: its own
    teacher and a colleague who gave it as a substitute (R-SUB-1); each signed in twice."""
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    await execute(
        engine,
        "UPDATE lesson SET substitute_id = "
        "(SELECT person_id FROM account WHERE login = :login) WHERE id = :l",
        login=demo_school["class_teacher"],
        l=lesson["id"],
    )
    tokens = [await api.login(demo_school[role], "demo") for role in ["teacher", "class_teacher"]]
    return lesson, tokens * 2


async def _fresh(engine: AsyncEngine, lesson: dict[str, Any]) -> None:
    for table in ["grade", "change", "lesson_work_type", "attendance"]:
        await execute(engine, f"DELETE FROM {table} WHERE lesson_id = :l", l=lesson["id"])


async def test_two_teachers_grading_a_new_work_type_in_one_lesson_both_succeed(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-GRADE-1, R-TOPIC-1, R-AUDIT-1
    # given a lesson two teachers fill in, where no work type has been graded yet
    lesson, tokens = await _two_teachers(engine, api, demo_school)
    students = lesson["students"]
    for attempt in range(3):
        await _fresh(engine, lesson)
        # when both grade different students with that work type at once
        replies = await race(
            engine,
            [
                api(SET, _grade(lesson, student, "5"), token=tokens[n % len(tokens)])
                for n, student in enumerate(students)
            ],
        )
        # then every grade is written (the lesson lists the work type once), each with its log
        assert [outcome(r) for r in replies] == ["OK"] * len(students), attempt
        listed = await rows(
            engine, "SELECT work_type_id FROM lesson_work_type WHERE lesson_id = :l", l=lesson["id"]
        )
        assert listed == [(lesson["work_type_pk"],)], attempt
        acknowledged = {r.data["gradesSet"]["grades"][0]["id"] for r in replies}
        assert len(acknowledged) == len(students)
        assert len(await rows(engine, CREATED, l=lesson["id"])) == len(students), attempt


async def test_the_same_grade_created_at_once_is_written_once_the_others_get_conflict(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-GRADE-1, R-AUDIT-1
    lesson, tokens = await _two_teachers(engine, api, demo_school)
    student = lesson["students"][0]
    for attempt in range(3):
        await _fresh(engine, lesson)
        # when four requests create the same student's grade of one work type at once
        marks = ["2", "3", "4", "5"]
        replies = await race(
            engine,
            [
                api(SET, _grade(lesson, student, mark), token=t)
                for mark, t in zip(marks, tokens, strict=True)
            ],
        )
        # then one is written; the others are told the journal changed meanwhile
        outcomes = sorted(outcome(r) for r in replies)
        assert outcomes == ["CONFLICT"] * 3 + ["OK"], (attempt, [r.body for r in replies])
        winner = next(mark for mark, r in zip(marks, replies, strict=True) if outcome(r) == "OK")
        # and the grade stands as the winner gave it, once, with its one creation record
        assert [mark for _, mark in await rows(engine, CREATED, l=lesson["id"])] == [winner]
        stored = await rows(engine, "SELECT mark, version FROM grade WHERE lesson_id = :l",
                            l=lesson["id"])  # fmt: skip
        assert [tuple(row) for row in stored] == [(winner, 1)]


async def test_the_same_student_marked_absent_at_once_is_marked_once(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-ATT-1
    lesson, tokens = await _two_teachers(engine, api, demo_school)
    student = lesson["students"][0]
    for attempt in range(3):
        await _fresh(engine, lesson)
        # when both teachers mark the same student at once
        kinds = ["ILL", "ABSENT_VALID", "ABSENT_UNEXCUSED", "ILL"]
        marks = [{"l": lesson["gid"], "m": [{"studentId": student, "kind": k}]} for k in kinds]
        replies = await race(
            engine, [api(MARK, m, token=t) for m, t in zip(marks, tokens, strict=True)]
        )
        # then one mark is written, the others get CONFLICT, and the mark is the winner's
        outcomes = sorted(outcome(r) for r in replies)
        assert outcomes == ["CONFLICT"] * 3 + ["OK"], (attempt, [r.body for r in replies])
        winner = next(kind for kind, r in zip(kinds, replies, strict=True) if outcome(r) == "OK")
        stored = await rows(engine, "SELECT kind FROM attendance WHERE lesson_id = :l",
                            l=lesson["id"])  # fmt: skip
        assert [kind for (kind,) in stored] == [winner.lower()]
