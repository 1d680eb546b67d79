"""Term and final grades (R-FINAL-1) and the lock they put on the period's journal (R-LOCK-1)."""

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from tests.client import GraphQLClient, Response
from tests.lessons import execute, rows, teacher_lesson

FINAL = """mutation($i: FinalGradesSetInput!) {
  finalGradesSet(input: $i) { mark special version student { id } period { name } }
}"""
GRADE = """mutation($i: GradesSetInput!) { gradesSet(input: $i) { grades { id } } }"""


async def _quarter_lesson(engine: AsyncEngine, login: str) -> dict[str, Any]:
    """A teacher's second-quarter lesson in a class graded by quarters, before any final grade."""
    lesson = await teacher_lesson(engine, login)
    kind_of_group = (
        "SELECT c.period_kind FROM study_group g JOIN school_class c "
        "ON c.id = g.school_class_id WHERE g.id = :g"
    )
    kind = (await rows(engine, kind_of_group, g=lesson["group_id"]))[0][0]
    assert kind == "quarter"
    period = (await rows(engine, "SELECT id FROM period WHERE school_id = :s AND kind = 'quarter' "
                                 "AND number = 2", s=lesson["school_id"]))[0][0]  # fmt: skip
    await execute(engine, "DELETE FROM final_grade WHERE period_id = :p", p=period)
    return lesson | {"period": relay.to_base64("Period", period)}


def _final(lesson: dict[str, Any], marks: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "i": {
            "groupId": relay.to_base64("Group", lesson["group_id"]),
            "subjectId": relay.to_base64("Subject", lesson["subject_id"]),
            "periodId": lesson["period"],
            "grades": [
                {"studentId": s, "mark": mark, **extra}
                for s, mark in zip(lesson["students"], marks, strict=False)
            ],
        }
    }


def _grade(lesson: dict[str, Any], mark: str) -> dict[str, Any]:
    entry = {"studentId": lesson["students"][0], "workTypeId": lesson["work_type"], "mark": mark}
    return {"i": {"lessonId": lesson["gid"], "grades": [entry]}}


async def test_final_grades_lock_the_periods_journal(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-FINAL-1, R-LOCK-1
    # given a teacher's second-quarter lesson that still takes grades
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await _quarter_lesson(engine, demo_school["teacher"])
    await execute(engine, "DELETE FROM grade WHERE lesson_id = :l", l=lesson["id"])
    assert (await api(GRADE, _grade(lesson, "4"), token=token)).data
    # when the quarter grades are set, one of them a special value
    marks = ["4"] * len(lesson["students"])
    request = _final(lesson, marks)
    request["i"]["grades"][1] = {"studentId": lesson["students"][1], "special": "EXEMPT"}
    finals = (await api(FINAL, request, token=token)).data["finalGradesSet"]
    assert [f["special"] for f in finals][:2] in (["EXEMPT", None], [None, "EXEMPT"])
    assert {f["period"]["name"] for f in finals} == {"2 четверть"} or len(finals) == len(marks)
    # then the quarter's journal no longer takes the teacher's changes
    assert (await api(GRADE, _grade(lesson, "5"), token=token)).error_code == "PERIOD_LOCKED"


async def test_final_grades_are_checked(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-FINAL-1
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await _quarter_lesson(engine, demo_school["teacher"])
    both = _final(lesson, ["5"], special="PASS")
    assert (await api(FINAL, both, token=token)).error_code == "BAD_USER_INPUT"
    assert (await api(FINAL, _final(lesson, ["9"]), token=token)).error_code == "BAD_USER_INPUT"
    no_attestation = (await rows(engine, "SELECT id FROM subject WHERE no_attestation"))[0][0]
    request = _final(lesson, ["5"])
    request["i"]["subjectId"] = relay.to_base64("Subject", no_attestation)
    assert (await api(FINAL, request, token=token)).error_code == "BAD_USER_INPUT"
    student = await api.login(demo_school["student"], "demo")
    assert (await api(FINAL, _final(lesson, ["5"]), token=student)).error_code == "FORBIDDEN"


async def test_a_finalisation_racing_an_edit_never_lets_the_edit_into_a_locked_period(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-LOCK-1
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await _quarter_lesson(engine, demo_school["teacher"])
    for attempt in range(4):
        await execute(engine, "DELETE FROM final_grade WHERE group_id = :g", g=lesson["group_id"])
        await execute(engine, "DELETE FROM grade WHERE lesson_id = :l", l=lesson["id"])
        # when an edit and the finalisation race
        edit, final = await asyncio.gather(
            api(GRADE, _grade(lesson, "5"), token=token),
            api(FINAL, _final(lesson, ["4"] * len(lesson["students"])), token=token),
        )
        # then one of them wins; a losing write is refused (CONFLICT, or PERIOD_LOCKED for an
        # edit that came after), and no grade is ever written into a period already locked
        assert _ok(edit) or _ok(final), (edit.body, final.body)
        assert edit.error_codes in ([], ["PERIOD_LOCKED"], ["CONFLICT"]), edit.body
        assert final.error_codes in ([], ["CONFLICT"]), final.body
        written = await rows(
            engine, "SELECT created_at FROM grade WHERE lesson_id = :l", l=lesson["id"]
        )
        first_final = "SELECT min(created_at) FROM final_grade WHERE group_id = :g"
        locked_at = (await rows(engine, first_final, g=lesson["group_id"]))[0][0]
        assert _ok(edit) == bool(written), attempt
        if written and locked_at is not None:
            assert str(written[0][0]) <= str(locked_at), attempt


def _ok(reply: Response) -> bool:
    return not reply.error_codes


REOPEN = """mutation($g: ID!, $s: ID!, $p: ID!, $r: String!) {
  periodReopen(groupId: $g, subjectId: $s, periodId: $p, reason: $r) { reason closedAt }
}"""


async def test_the_admin_reopens_a_locked_period_with_a_reason(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-LOCK-1
    # given a quarter locked by its final grades
    teacher = await api.login(demo_school["teacher"], "demo")
    lesson = await _quarter_lesson(engine, demo_school["teacher"])
    await execute(engine, "DELETE FROM grade WHERE lesson_id = :l", l=lesson["id"])
    final = _final(lesson, ["4"] * len(lesson["students"]))
    assert (await api(FINAL, final, token=teacher)).data
    assert (await api(GRADE, _grade(lesson, "5"), token=teacher)).error_code == "PERIOD_LOCKED"
    target = {
        k: final["i"][v] for k, v in [("g", "groupId"), ("s", "subjectId"), ("p", "periodId")]
    }
    # when the teacher tries to reopen it, or the admin without a reason, they are refused
    reason = "Ошибка в оценке за контрольную работу, служебная записка № 12"
    assert (await api(REOPEN, target | {"r": reason}, token=teacher)).error_code == "FORBIDDEN"
    admin = await api.login(demo_school["admin"], "demo")
    assert (await api(REOPEN, target | {"r": "надо"}, token=admin)).error_code == "BAD_USER_INPUT"
    # when the admin reopens it with the reason, then the teacher can correct the journal
    reopened = (await api(REOPEN, target | {"r": reason}, token=admin)).data["periodReopen"]
    assert reopened == {"reason": reason, "closedAt": None}
    assert (await api(GRADE, _grade(lesson, "5"), token=teacher)).data
    # and setting the final grades again locks it again, the record of the reopening kept
    again = _final(lesson, ["5"] * len(lesson["students"]), version=1)
    assert (await api(FINAL, again, token=teacher)).data
    assert (await api(GRADE, _grade(lesson, "3"), token=teacher)).error_code == "PERIOD_LOCKED"
    log = (await api("{ periodReopenings { nodes { reason closedAt } } }", token=admin)).data
    assert [n["reason"] for n in log["periodReopenings"]["nodes"]] == [reason]
    assert log["periodReopenings"]["nodes"][0]["closedAt"] is not None


FINALS = """SELECT student_id, mark, special, version, updated_by_id FROM final_grade
WHERE group_id = :g AND subject_id = :s AND period_id = :p ORDER BY student_id"""


async def _finals(engine: AsyncEngine, lesson: dict[str, Any]) -> list[tuple[Any, ...]]:
    period = relay.from_base64(lesson["period"])[1]
    found = await rows(engine, FINALS, g=lesson["group_id"], s=lesson["subject_id"], p=period)
    return [tuple(row) for row in found]


def _reopening(final: dict[str, Any]) -> dict[str, Any]:
    keys = [("g", "groupId"), ("s", "subjectId"), ("p", "periodId")]
    return {k: final["i"][v] for k, v in keys} | {"r": "Ошибка в итоговой оценке, записка № 7"}


async def test_a_set_final_grade_changes_only_in_a_reopened_period(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-LOCK-1 (Д.2): the final grades are part of the locked journal
    # given a quarter whose final grades the teacher set, all but the last student's
    teacher = await api.login(demo_school["teacher"], "demo")
    lesson = await _quarter_lesson(engine, demo_school["teacher"])
    *first, last = lesson["students"]
    assert (
        await api(FINAL, _final(lesson | {"students": first}, ["4"] * len(first)), token=teacher)
    ).data
    # when the last student's grade is set, then that is setting, not changing: it is taken
    assert (await api(FINAL, _final(lesson | {"students": [last]}, ["3"]), token=teacher)).data
    before = await _finals(engine, lesson)
    assert len(before) == len(lesson["students"])
    # when the teacher changes a set grade without a reopening, then it is refused as locked
    change = _final(lesson, ["5"], version=1)
    assert (await api(FINAL, change, token=teacher)).error_code == "PERIOD_LOCKED"
    # and nothing changed, the set grade not even with a new student's beside it
    assert await _finals(engine, lesson) == before
    # when the admin reopens the period with a reason, then the teacher changes it
    admin = await api.login(demo_school["admin"], "demo")
    assert (await api(REOPEN, _reopening(change), token=admin)).data
    changed = (await api(FINAL, change, token=teacher)).data["finalGradesSet"]
    assert {(f["student"]["id"], f["mark"], f["version"]) for f in changed} >= {
        (lesson["students"][0], "5", 2)
    }
    # and the grades set again lock the period again: the next change is refused
    again = _final(lesson, ["4"], version=2)
    assert (await api(FINAL, again, token=teacher)).error_code == "PERIOD_LOCKED"


CLASS_SUBJECT = """SELECT l.id, l.group_id, l.subject_id, l.school_id, c.period_kind
FROM lesson l JOIN study_group g ON g.id = l.group_id AND g.kind = 'whole_class'
JOIN school_class c ON c.id = g.school_class_id JOIN account a ON a.person_id = c.class_teacher_id
JOIN subject s ON s.id = l.subject_id
WHERE a.login = :login AND NOT s.no_attestation AND l.teacher_id <> a.person_id
  AND NOT EXISTS (SELECT 1 FROM timetable_entry t WHERE t.teacher_id = a.person_id
                  AND t.group_id = l.group_id AND t.subject_id = l.subject_id)
ORDER BY l.id LIMIT 1"""


async def test_a_class_teacher_changes_no_set_final_grade_of_a_subject_they_do_not_teach(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-LOCK-1 (Д.2), Г: final grades for the own class
    # given a subject of the class teacher's class taught by a colleague, its second period
    login = demo_school["class_teacher"]
    _, group, subject, school, kind = (await rows(engine, CLASS_SUBJECT, login=login))[0]
    period = (
        await rows(
            engine,
            "SELECT id FROM period WHERE school_id = :s AND kind = :k AND number = 2",
            s=school,
            k=kind,
        )
    )[0][0]
    await execute(engine, "DELETE FROM final_grade WHERE period_id = :p", p=period)
    students = await rows(
        engine,
        "SELECT cs.student_id FROM class_student cs JOIN study_group g "
        "ON g.school_class_id = cs.school_class_id WHERE g.id = :g ORDER BY 1",
        g=group,
    )
    lesson = {
        "group_id": group,
        "subject_id": subject,
        "period": relay.to_base64("Period", period),
        "students": [relay.to_base64("Person", s) for (s,) in students],
    }
    class_teacher = await api.login(login, "demo")
    # when they set the period's final grades, then it is taken: setting is theirs (Г)
    assert (await api(FINAL, _final(lesson, ["4"] * len(students)), token=class_teacher)).data
    before = await _finals(engine, lesson)
    # when they change one of them, then it is refused as locked, and nothing changed
    change = _final(lesson, ["2"], version=1)
    assert (await api(FINAL, change, token=class_teacher)).error_code == "PERIOD_LOCKED"
    assert await _finals(engine, lesson) == before
    # and a student or parent is refused outright
    for role in ("student", "parent"):
        token = await api.login(demo_school[role], "demo")
        assert (await api(FINAL, change, token=token)).error_code == "FORBIDDEN", role
    assert await _finals(engine, lesson) == before
