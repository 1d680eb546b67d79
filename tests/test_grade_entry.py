"""Grade entry through `gradesSet` (R-GRADE-1, R-LOCK-1, R-EDIT-1, R-AUDIT-1), as teachers do it."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from tests.client import GraphQLClient, Response
from tests.conftest import StatementCounter
from tests.lessons import execute, rows, teacher_lesson

GRADES = "SELECT mark, version FROM grade WHERE lesson_id = :l AND work_type_id = :w"
SET = """
mutation($input: GradesSetInput!) {
  gradesSet(input: $input) { grades { id mark comment version student { id } } }
}
"""
ENTERED = """{ gradeChanges(first: 100) {
  totalCount nodes { action oldMark newMark reason changedBy { id } } } }"""


def _input(lesson: dict[str, Any], marks: list[str | None], **extra: Any) -> dict[str, Any]:
    grades = [
        {"studentId": student, "workTypeId": lesson["work_type"], "mark": mark, **extra}
        for student, mark in zip(lesson["students"], marks, strict=False)
    ]
    return {"input": {"lessonId": lesson["gid"], "grades": grades}}


async def _clear(engine: AsyncEngine, lesson: dict[str, Any]) -> None:
    await execute(engine, "DELETE FROM grade WHERE lesson_id = :l AND work_type_id = :w",
                   l=lesson["id"], w=lesson["work_type_pk"])  # fmt: skip


async def test_a_teacher_enters_a_whole_class_in_one_call_in_constant_sql(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:  # R-GRADE-1, R-AUDIT-1
    # given a teacher's lesson without grades of one work type
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    await _clear(engine, lesson)
    counts = []
    # (the first entry of a work type also lists it among the lesson's, R-TOPIC-1: one more)
    for size in [1, 1, len(lesson["students"])]:
        await _clear(engine, lesson)
        sql.reset()
        # when the teacher enters marks for `size` students at once
        entry = _input(lesson, ["5", "4", "3"] * 20)
        entry["input"]["grades"] = entry["input"]["grades"][:size]
        reply = await api(SET, entry, token=token)
        counts.append(sql.count)
        # then every grade stands, version 1
        grades = reply.data["gradesSet"]["grades"]
        entered = [g for g in grades if g["student"]["id"] in lesson["students"][:size]]
        assert len([g for g in entered if g["version"] == 1]) >= size
    assert counts[1] == counts[2], sql.statements
    assert len(lesson["students"]) >= 4
    # and each creation is in the change log, with who made it
    log = (await api(ENTERED, token=token)).data["gradeChanges"]["nodes"]
    assert [n["action"] for n in log].count("CREATED") >= len(lesson["students"])


async def test_invalid_entries_name_the_item_and_write_nothing(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-GRADE-1
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    await _clear(engine, lesson)
    before = await rows(engine, "SELECT count(*) FROM grade")
    bad_mark = await api(SET, _input(lesson, ["5", "6"]), token=token)
    assert bad_mark.error_code == "BAD_USER_INPUT"
    assert bad_mark.body["errors"][0]["extensions"]["item"] == 1
    assert bad_mark.body["errors"][0]["extensions"]["field"] == "mark"
    stranger = _input(lesson, ["5"])
    stranger["input"]["grades"].append(
        {
            "studentId": relay.to_base64("Person", 10**6),
            "workTypeId": lesson["work_type"],
            "mark": "4",
        }
    )
    assert (await api(SET, stranger, token=token)).error_code == "BAD_USER_INPUT"
    twice = _input(lesson, ["5"])
    twice["input"]["grades"] *= 2
    assert (await api(SET, twice, token=token)).error_code == "BAD_USER_INPUT"
    assert await rows(engine, "SELECT count(*) FROM grade") == before


async def test_the_journal_locks_once_final_grades_are_set(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-LOCK-1
    # given a first-quarter lesson whose quarter grades are set
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"], locked=True)
    await _clear(engine, lesson)
    # when the teacher grades it, then the period is locked and nothing is written
    reply = await api(SET, _input(lesson, ["5"]), token=token)
    assert reply.error_code == "PERIOD_LOCKED"
    assert await rows(engine, GRADES, l=lesson["id"], w=lesson["work_type_pk"]) == []


async def test_changes_past_the_edit_window_are_refused_new_grades_are_not(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-EDIT-1
    # given a school with a two-week edit window and a graded lesson three weeks ago
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    await _clear(engine, lesson)
    assert (await api(SET, _input(lesson, ["4"]), token=token)).data
    # three weeks ago, or the nearest day before it the group has no lesson at that bell
    taken = {
        str(day)
        for (day,) in await rows(
            engine,
            "SELECT o.held_on FROM lesson o JOIN lesson l ON l.group_id = o.group_id "
            "AND l.bell_number = o.bell_number WHERE l.id = :l",
            l=lesson["id"],
        )
    }
    today = datetime.now(UTC).date()
    three_weeks_ago = next(
        day for back in range(21, 120) if str(day := today - timedelta(days=back)) not in taken
    )
    await execute(
        engine, "UPDATE lesson SET held_on = :d WHERE id = :l", d=three_weeks_ago, l=lesson["id"]
    )
    window = """mutation($s: ID!, $w: EditWindow!) {
      gradeEditWindowSet(schoolId: $s, window: $w) { gradeEditWindow } }"""
    school = relay.to_base64("School", lesson["school_id"])
    refused = await api(window, {"s": school, "w": "ONE_WEEK"}, token=token)
    assert refused.error_code == "FORBIDDEN"
    admin = await api.login(demo_school["admin"], "demo")
    set_window = await api(window, {"s": school, "w": "TWO_WEEKS"}, token=admin)
    assert set_window.data["gradeEditWindowSet"]["gradeEditWindow"] == "TWO_WEEKS"
    token = await api.login(demo_school["teacher"], "demo")
    # when the grade is changed, then it is refused
    changed = await api(SET, _input(lesson, ["5"], version=1), token=token)
    assert changed.error_code == "EDIT_WINDOW_CLOSED"
    # but a new grade for another student still goes in
    second = _input(lesson, [None, "3"])
    second["input"]["grades"] = second["input"]["grades"][1:]
    assert (await api(SET, second, token=token)).data
    # and with no limit set, the change goes in too
    assert (await api(window, {"s": school, "w": "NEVER"}, token=admin)).data
    token = await api.login(demo_school["teacher"], "demo")
    assert (await api(SET, _input(lesson, ["5"], version=1), token=token)).data


async def test_a_stale_edit_gets_conflict_and_the_log_keeps_every_change(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-AUDIT-1, concurrency
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    await _clear(engine, lesson)
    assert (await api(SET, _input(lesson, ["3"]), token=token)).data
    # when two edits both start from version 1
    first = _input(lesson, ["4"], version=1)
    first["input"]["reason"] = "пересдача"
    assert (await api(SET, first, token=token)).data["gradesSet"]["grades"][0]["version"] == 2
    stale = await api(SET, _input(lesson, ["5"], version=1), token=token)
    # then the second is refused, not lost over the first
    assert stale.error_code == "CONFLICT"
    assert stale.body["errors"][0]["extensions"]["current_version"] == 2
    # and a deletion with the right version goes through
    assert (await api(SET, _input(lesson, [None], version=2), token=token)).data
    log = await rows(
        engine,
        "SELECT action, old_mark, new_mark, reason FROM change WHERE lesson_id = :l "
        "AND work_type_id = :w ORDER BY id",
        l=lesson["id"], w=lesson["work_type_pk"],
    )  # fmt: skip
    assert [tuple(r) for r in log[-3:]] == [
        ("created", None, "3", None),
        ("changed", "3", "4", "пересдача"),
        ("deleted", "4", None, None),
    ]


async def test_concurrent_edits_of_one_grade_lose_nothing(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    await _clear(engine, lesson)
    assert (await api(SET, _input(lesson, ["3"]), token=token)).data
    # when two edits from version 1 race
    replies: tuple[Response, Response] = await asyncio.gather(
        api(SET, _input(lesson, ["4"], version=1), token=token),
        api(SET, _input(lesson, ["5"], version=1), token=token),
    )
    # then exactly one wins, the other gets CONFLICT, and the grade is the winner's
    codes = sorted(r.error_codes[0] if r.error_codes else "OK" for r in replies)
    assert codes == ["CONFLICT", "OK"]
    winner = next(r for r in replies if not r.error_codes).data["gradesSet"]["grades"][0]["mark"]
    stored = await rows(engine, GRADES, l=lesson["id"], w=lesson["work_type_pk"])
    assert [tuple(r) for r in stored if r[0] == winner] == [(winner, 2)]


async def test_read_only_roles_and_other_teachers_cannot_grade(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    await _clear(engine, lesson)
    for role, code in [("head", "FORBIDDEN"), ("deputy", "FORBIDDEN"), ("student", "FORBIDDEN"),
                       ("parent", "FORBIDDEN"), ("psychologist", "NOT_FOUND")]:  # fmt: skip
        token = await api.login(demo_school[role], "demo")
        assert (await api(SET, _input(lesson, ["5"]), token=token)).error_code == code, role
    inspector = await api(SET, _input(lesson, ["5"]), token="tbl_demo.inspector")
    assert inspector.error_code == "FORBIDDEN"
    assert (await api(SET, _input(lesson, ["5"]))).error_code == "UNAUTHENTICATED"


async def test_the_change_log_filters_by_teacher(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-AUDIT-1
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    await execute(engine, "DELETE FROM grade WHERE lesson_id = :l", l=lesson["id"])
    assert (await api(SET, _input(lesson, ["3"]), token=token)).data
    teacher = (await rows(engine, "SELECT person_id FROM account WHERE login = 'teacher'"))[0][0]
    admin = await api.login(demo_school["admin"], "demo")
    query = """query($t: ID!) { gradeChanges(teacherId: $t, first: 100) {
      totalCount nodes { changedBy { id } } } }"""
    me = relay.to_base64("Person", teacher)
    log = (await api(query, {"t": me}, token=admin)).data["gradeChanges"]
    expected = await rows(
        engine,
        "SELECT count(*) FROM change c JOIN account a ON a.id = c.changed_by_id "
        "WHERE a.person_id = :p AND c.kind = 'grade'",  # the trail's grade part
        p=teacher,
    )
    everything = await rows(engine, "SELECT count(*) FROM change")
    assert 0 < log["totalCount"] == expected[0][0] < everything[0][0]
    assert {n["changedBy"]["id"] for n in log["nodes"]} == {me}


async def test_the_change_log_filters_days_by_the_schools_midnight(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-AUDIT-1
    # given a school at UTC+14 and a change made at 13:00 UTC: 03:00 the next day there
    await execute(engine, "UPDATE school SET timezone = 'Pacific/Kiritimati'")
    change = (await rows(engine, "SELECT min(id) FROM change"))[0][0]
    at = datetime(2026, 11, 10, 13, 0, tzinfo=UTC)
    await execute(engine, "UPDATE change SET changed_at = :t WHERE id = :c", t=at, c=change)
    admin = await api.login(demo_school["admin"], "demo")
    query = """query($from: Date, $to: Date) { gradeChanges(dateFrom: $from, dateTo: $to,
      first: 100) { nodes { id } } }"""
    me = relay.to_base64("GradeChange", change)

    async def listed(date_from: str | None, date_to: str | None) -> bool:
        reply = await api(query, {"from": date_from, "to": date_to}, token=admin)
        return me in [n["id"] for n in reply.data["gradeChanges"]["nodes"]]

    # when the admin filters by the school's days, then it is on the 11th, not the 10th
    assert await listed("2026-11-11", "2026-11-11")
    assert not await listed("2026-11-10", "2026-11-10")
    assert not await listed(None, "2026-11-10")
    assert await listed("2026-11-11", None)
