"""Refusals in the school's words (issue 10): no table or column names, no requirement IDs in a
message; what a client branches on stays in `extensions` (`code`, `field`, `resource`, `action`)."""

import re
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from policies.vocabulary import Action, Resource
from policies.wording import not_allowed
from tests.client import GraphQLClient, Response
from tests.lessons import execute, rows, teacher_lesson

SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
REQUIREMENT_ID = re.compile(r"\bR-[A-Z]+-\d+\b")

GRID = """query($g: ID!, $s: ID!, $p: ID!) {
  gradeGrid(groupId: $g, subjectId: $s, periodId: $p) { lessons { id } } }"""
JOURNAL = """query($c: ID!) {
  classJournal(classId: $c, dateFrom: "2026-11-02", dateTo: "2026-11-06") { lessons { id } } }"""
SET = """mutation($i: GradesSetInput!) { gradesSet(input: $i) { grades { id } } }"""
UPDATE = """mutation($i: LessonUpdateInput!) { lessonUpdate(input: $i) { version } }"""
FINALS = """mutation($i: FinalGradesSetInput!) { finalGradesSet(input: $i) { id } }"""


def _refusal(reply: Response) -> dict[str, Any]:
    assert reply.body.get("errors"), reply.body
    error: dict[str, Any] = reply.body["errors"][0]
    return error


def _in_words(reply: Response, code: str) -> dict[str, Any]:
    """The refusal has the code, and a message with no identifier of ours in it."""
    error = _refusal(reply)
    assert error["extensions"]["code"] == code, error
    message = error["message"]
    assert not SNAKE_CASE.search(message), message
    assert not REQUIREMENT_ID.search(message), message
    assert "study_group" not in message
    return error


async def test_refusals_name_things_as_the_school_does(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given a teacher, a student and a lesson of the teacher's in the locked first quarter
    teacher = await api.login(demo_school["teacher"], "demo")
    student = await api.login(demo_school["student"], "demo")
    locked = await teacher_lesson(engine, demo_school["teacher"], locked=True)
    recent = await teacher_lesson(engine, demo_school["teacher"])
    school = relay.to_base64("School", locked["school_id"])
    group = relay.to_base64("Group", locked["group_id"])
    subject = relay.to_base64("Subject", locked["subject_id"])
    (quarter,) = (
        await rows(
            engine,
            "SELECT min(id) FROM period WHERE school_id = :s AND kind = 'quarter'",
            s=locked["school_id"],
        )
    )[0]
    period = relay.to_base64("Period", quarter)
    grade_change = (await rows(engine, "SELECT min(id) FROM change"))[0][0]
    nowhere = 10**9

    # when they ask for what their roles do not give them
    control = await api(
        "query($s: ID!) { journalControl(schoolId: $s) { __typename } }",
        {"s": school},
        token=teacher,
    )
    failures = await api("{ signInFailures(first: 1) { totalCount } }", token=teacher)
    log = await api(
        "query($id: ID!) { node(id: $id) { id } }",
        {"id": relay.to_base64("GradeChange", grade_change)},
        token=student,
    )
    # then the refusal says what in the school's words, and names the resource for clients
    error = _in_words(control, "FORBIDDEN")
    assert error["message"] == "You may not see the journal control report."
    assert (error["extensions"]["resource"], error["extensions"]["action"]) == (
        "journal_control",
        "read",
    )
    assert _in_words(failures, "FORBIDDEN")["message"] == "You may not see failed sign-ins."
    assert _in_words(log, "FORBIDDEN")["message"] == "You may not see the grade change log."

    # when a screen is asked for a group, class or period that is not there
    no_group = await api(
        GRID, {"g": relay.to_base64("Group", nowhere), "s": subject, "p": period}, token=teacher
    )
    no_class = await api(JOURNAL, {"c": relay.to_base64("SchoolClass", nowhere)}, token=teacher)
    no_period = await api(
        GRID, {"g": group, "s": subject, "p": relay.to_base64("Period", nowhere)}, token=teacher
    )
    # then it is named as the school names it, never by its table
    assert _in_words(no_group, "NOT_FOUND")["message"] == (
        "There is no such group, or you may not see it."
    )
    assert _in_words(no_class, "NOT_FOUND")["message"] == (
        "There is no such class, or you may not see it."
    )
    assert _in_words(no_period, "NOT_FOUND")["message"] == (
        "There is no such period, or you may not see it."
    )

    # when the teacher grades in the locked quarter, or records a held lesson without a topic
    entry = {"studentId": locked["students"][0], "workTypeId": locked["work_type"], "mark": "5"}
    in_locked = await api(SET, {"i": {"lessonId": locked["gid"], "grades": [entry]}}, token=teacher)
    await execute(
        engine, "UPDATE lesson SET topic = NULL, plan_item_id = NULL WHERE id = :l", l=recent["id"]
    )
    no_topic = await api(
        UPDATE,
        {"i": {"lessonId": recent["gid"], "version": recent["version"], "material": "§ 3"}},
        token=teacher,
    )
    # then the rule is said, not its requirement's number
    assert "reopens" in _in_words(in_locked, "PERIOD_LOCKED")["message"]
    assert _in_words(no_topic, "BAD_USER_INPUT")["message"] == "A held lesson needs its topic."


async def test_a_final_grade_for_a_period_the_class_is_not_graded_by_says_which_it_is(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given the class teacher's class, graded by quarters, and the school's first half-year
    token = await api.login(demo_school["class_teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["class_teacher"])
    (half,) = (
        await rows(
            engine,
            "SELECT min(id) FROM period WHERE school_id = :s AND kind = 'half'",
            s=lesson["school_id"],
        )
    )[0]
    grades = [{"studentId": lesson["students"][0], "mark": "5"}]
    given = {
        "groupId": relay.to_base64("Group", lesson["group_id"]),
        "subjectId": relay.to_base64("Subject", lesson["subject_id"]),
        "periodId": relay.to_base64("Period", half),
        "grades": grades,
    }
    # when they set a half-year grade, then the refusal names the class's periods in words
    error = _in_words(await api(FINALS, {"i": given}, token=token), "BAD_USER_INPUT")
    assert error["message"] == "The class is graded by quarters, not by halves of the year."
    assert error["extensions"]["field"] == "periodId"


def test_every_resource_and_action_has_words_of_its_own() -> None:
    # given every resource and action the policies know, then each refusal reads as a sentence
    sentences = {not_allowed(resource, action) for resource in Resource for action in Action}
    assert len(sentences) == len(Resource) * len(Action)
    for sentence in sentences:
        assert not SNAKE_CASE.search(sentence), sentence
        assert sentence.startswith("You may not "), sentence
        assert sentence.endswith("."), sentence
