"""Every write that existed before issue 11 goes to the one audit trail (design.md invariant 11,
Б.1 #12, R-ACC-3): each record it creates, changes or deletes, with the state before and after,
in the same transaction, in constant SQL; a refused write leaves no entry; no secret enters it.
Through the endpoint with the callers' own tokens; the head reads what was recorded."""

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from strawberry import relay

import model as m
from model.base import Base, utc_now
from resolvers.accounts import api_tokens
from resolvers.audit import SECRETS, snapshot
from resolvers.database import Database
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, Factory, SchoolSetup, build
from tests.lessons import execute, rows, teacher_lesson

TRAIL = """{ changes(first: 100) { totalCount nodes {
  record recordId action before after reason changedBy { id } } } }"""
MARK = """mutation($l: ID!, $m: [AttendanceEntryInput!]!) {
  attendanceMark(lessonId: $l, marks: $m) { attendance { id kind version student { id } } } }"""
DAY = """mutation($c: ID!, $d: Date!, $m: [DayAbsenceInput!]!) {
  attendanceDayMark(classId: $c, date: $d, marks: $m) { id } }"""
UPDATE = """mutation($i: LessonUpdateInput!) { lessonUpdate(input: $i) { topic version } }"""
SUBSTITUTE = """mutation($l: ID!, $v: Int!, $s: ID) {
  lessonSubstitute(lessonId: $l, version: $v, substituteId: $s) { version } }"""
HOMEWORK = """mutation($i: HomeworkAssignInput!) { homeworkAssign(input: $i) { id } }"""
GRADES = """mutation($i: GradesSetInput!) { gradesSet(input: $i) { grades { id } } }"""
FINAL = """mutation($i: FinalGradesSetInput!) {
  finalGradesSet(input: $i) { id mark version student { id } } }"""
REOPEN = """mutation($g: ID!, $s: ID!, $p: ID!, $r: String!) {
  periodReopen(groupId: $g, subjectId: $s, periodId: $p, reason: $r) { id } }"""
REPORT = """mutation($g: ID!, $t: String!) { gradeReport(gradeId: $g, text: $t) { id } }"""
ANSWER = """mutation($r: ID!, $a: String!) {
  gradeReportAnswer(reportId: $r, answer: $a) { status } }"""
WINDOW = """mutation($s: ID!, $w: EditWindow!) {
  gradeEditWindowSet(schoolId: $s, window: $w) { gradeEditWindow } }"""
ISSUE = """mutation($input: ApiTokenIssueInput!) {
  apiTokenIssue(input: $input) { token apiToken { id } } }"""
REVOKE = "mutation($id: ID!) { apiTokenRevoke(id: $id) { revokedAt } }"
PASSWORD_CHANGE = """mutation($o: String!, $n: String!) {
  passwordChange(oldPassword: $o, newPassword: $n) }"""


async def _forget(engine: AsyncEngine) -> None:
    """The trail emptied, so that what a test reads is what its write recorded."""
    await execute(engine, "DELETE FROM change")


async def _trail(api: GraphQLClient, token: str) -> list[dict[str, Any]]:
    """The whole trail as the reader (the head, the admin) reads it, oldest first."""
    nodes: list[dict[str, Any]] = (await api(TRAIL, token=token)).data["changes"]["nodes"]
    return nodes


async def _entries(engine: AsyncEngine) -> int:
    return int((await rows(engine, "SELECT count(*) FROM change"))[0][0])


def _of(trail: list[dict[str, Any]], record: str) -> list[dict[str, Any]]:
    return [entry for entry in trail if entry["record"] == record]


async def _person(engine: AsyncEngine, login: str) -> str:
    found = await rows(engine, "SELECT person_id FROM account WHERE login = :l", l=login)
    return relay.to_base64("Person", found[0][0])


async def _fresh_lesson(engine: AsyncEngine, login: str) -> dict[str, Any]:
    """The teacher's lesson with no attendance taken yet, and an empty trail."""
    lesson = await teacher_lesson(engine, login)
    await execute(engine, "DELETE FROM attendance WHERE lesson_id = :l", l=lesson["id"])
    await execute(engine, "UPDATE lesson SET attendance_taken_at = NULL, attendance_on_time = "
                  "NULL WHERE id = :l", l=lesson["id"])  # fmt: skip
    await _forget(engine)
    return lesson


async def test_attendance_marks_are_in_the_trail_as_set_changed_and_removed(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-ATT-1, design.md invariant 11
    # given a teacher's lesson whose attendance is not taken yet
    teacher = await api.login(demo_school["teacher"], "demo")
    head = await api.login(demo_school["head"], "demo")
    lesson = await _fresh_lesson(engine, demo_school["teacher"])
    first, second, third = lesson["students"][:3]
    # when the teacher marks three students
    marks = [{"studentId": first, "kind": "ILL"},
             {"studentId": second, "kind": "LATE", "lateMinutes": 7},
             {"studentId": third, "kind": "ABSENT_UNEXCUSED"}]  # fmt: skip
    marked = (await api(MARK, {"l": lesson["gid"], "m": marks}, token=teacher)).data
    ids = {a["student"]["id"]: a["id"] for a in marked["attendanceMark"]["attendance"]}
    # then the trail holds each mark as created, and the lesson's attendance as taken, by them
    trail = await _trail(api, head)
    me = await _person(engine, demo_school["teacher"])
    assert {entry["changedBy"]["id"] for entry in trail} == {me}
    created = _of(trail, "Attendance")
    assert [(e["recordId"], e["action"], e["before"]) for e in created] == [
        (ids[s], "CREATED", None) for s in sorted([first, second, third], key=lambda s: ids[s])
    ]
    after = {e["recordId"]: e["after"] for e in created}
    assert (after[ids[second]]["kind"], after[ids[second]]["lateMinutes"]) == ("late", 7)
    assert after[ids[first]]["studentId"] == first
    assert after[ids[first]]["lessonId"] == lesson["gid"]
    [taken] = _of(trail, "Lesson")
    assert (taken["recordId"], taken["action"]) == (lesson["gid"], "CHANGED")
    assert taken["before"]["attendanceTakenAt"] is None
    assert taken["after"]["attendanceTakenAt"] is not None
    assert len(trail) == 4
    # when they correct one mark and remove another (the ill one came after all)
    await _forget(engine)
    fix = [{"studentId": third, "kind": "ABSENT_VALID", "version": 1},
           {"studentId": first, "kind": None, "version": 1}]  # fmt: skip
    assert (await api(MARK, {"l": lesson["gid"], "m": fix}, token=teacher)).data
    # then the trail holds the change, before and after, and the removal; the lesson is taken
    trail = await _trail(api, head)
    by_record = {e["recordId"]: e for e in trail}
    assert set(by_record) == {ids[third], ids[first]}
    changed, removed = by_record[ids[third]], by_record[ids[first]]
    assert changed["action"] == "CHANGED"
    assert (changed["before"]["kind"], changed["before"]["version"]) == ("absent_unexcused", 1)
    assert (changed["after"]["kind"], changed["after"]["version"]) == ("absent_valid", 2)
    assert (removed["action"], removed["after"]) == ("DELETED", None)
    assert removed["before"]["kind"] == "ill"
    # and a refused marking (a stale version) leaves no entry
    await _forget(engine)
    stale = [{"studentId": third, "kind": "ILL", "version": 1}]
    assert (
        await api(MARK, {"l": lesson["gid"], "m": stale}, token=teacher)
    ).error_code == "CONFLICT"
    assert await _entries(engine) == 0


async def test_a_lesson_marked_all_present_is_in_the_trail_as_attendance_taken(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-ATT-1, R-CONTROL-1
    teacher = await api.login(demo_school["teacher"], "demo")
    lesson = await _fresh_lesson(engine, demo_school["teacher"])
    assert (await api(MARK, {"l": lesson["gid"], "m": []}, token=teacher)).data
    [taken] = await _trail(api, await api.login(demo_school["head"], "demo"))
    assert (taken["record"], taken["action"]) == ("Lesson", "CHANGED")
    assert taken["after"]["attendanceOnTime"] is not None
    # marking it again takes nothing anew
    await _forget(engine)
    assert (await api(MARK, {"l": lesson["gid"], "m": []}, token=teacher)).data
    assert await _entries(engine) == 0


async def test_marking_many_students_costs_the_statements_of_marking_one(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:  # constant SQL: one INSERT of the trail for the whole marking
    teacher = await api.login(demo_school["teacher"], "demo")
    counts = []
    for size in [1, 5]:
        lesson = await _fresh_lesson(engine, demo_school["teacher"])
        marks = [{"studentId": s, "kind": "ILL"} for s in lesson["students"][:size]]
        sql.reset()
        assert (await api(MARK, {"l": lesson["gid"], "m": marks}, token=teacher)).data
        counts.append(sql.count)
        assert await _entries(engine) == size + 1
    assert counts[0] == counts[1], sql.statements


async def _day_of_class_teacher(engine: AsyncEngine) -> tuple[str, str, list[str], list[int]]:
    """The class teacher's class, a November day of its lessons with no attendance taken, the
    class's students without marks, and the day's lessons; the trail empty."""
    of_teacher = (
        "SELECT c.id FROM school_class c JOIN account a ON a.person_id = c.class_teacher_id "
        "WHERE a.login = 'class_teacher'"
    )
    class_id = (await rows(engine, of_teacher))[0][0]
    day_of = (
        "SELECT max(l.held_on) FROM lesson l JOIN study_group g ON g.id = l.group_id "
        "WHERE g.school_class_id = :c AND l.held_on >= '2026-11-03'"
    )
    day = str((await rows(engine, day_of, c=class_id))[0][0])
    of_the_day = (
        "SELECT l.id FROM lesson l JOIN study_group g ON g.id = l.group_id "
        "WHERE g.school_class_id = :c AND l.held_on = :d AND l.status <> 'cancelled'"
    )
    lessons = [row[0] for row in await rows(engine, of_the_day, c=class_id, d=day)]
    await execute(engine, f"DELETE FROM attendance WHERE lesson_id IN ({of_the_day})",
                  c=class_id, d=day)  # fmt: skip
    await execute(engine, "UPDATE lesson SET attendance_taken_at = NULL, attendance_on_time = "
                  f"NULL WHERE id IN ({of_the_day})", c=class_id, d=day)  # fmt: skip
    students = await rows(
        engine,
        "SELECT student_id FROM class_student WHERE school_class_id = :c ORDER BY student_id",
        c=class_id,
    )
    await _forget(engine)
    people = [relay.to_base64("Person", s) for (s,) in students]
    return relay.to_base64("SchoolClass", class_id), day, people, lessons


async def test_a_days_absence_is_in_the_trail_for_every_lesson_it_marks(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-ATT-1
    # given the class teacher's class and a day of its lessons
    school_class, day, students, lessons = await _day_of_class_teacher(engine)
    token = await api.login(demo_school["class_teacher"], "demo")
    # when they record a student ill for the day
    variables = {"c": school_class, "d": day, "m": [{"studentId": students[0], "kind": "ILL"}]}
    marked = (await api(DAY, variables, token=token)).data["attendanceDayMark"]
    # then each mark is in the trail as created, and each lesson of the day as taken
    trail = await _trail(api, await api.login(demo_school["head"], "demo"))
    created = _of(trail, "Attendance")
    assert sorted(e["recordId"] for e in created) == sorted(a["id"] for a in marked)
    assert {(e["action"], e["after"]["kind"], e["after"]["studentId"]) for e in created} == {
        ("CREATED", "ill", students[0])
    }
    taken = _of(trail, "Lesson")
    assert sorted(e["recordId"] for e in taken) == sorted(
        relay.to_base64("Lesson", lesson) for lesson in lessons
    )
    assert {(e["before"]["attendanceTakenAt"] is None, e["after"]["attendanceTakenAt"] is None)
            for e in taken} == {(True, False)}  # fmt: skip
    assert len(trail) == len(created) + len(taken)
    # and a mark already there is kept, not recorded again; a refused record leaves nothing
    await _forget(engine)
    assert (await api(DAY, variables, token=token)).data
    assert await _entries(engine) == 0
    present = {**variables, "m": [{"studentId": students[0], "kind": "LATE"}]}
    assert (await api(DAY, present, token=token)).error_code == "BAD_USER_INPUT"
    assert await _entries(engine) == 0


async def test_a_days_absence_of_many_costs_the_statements_of_one(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:  # constant SQL
    token = await api.login(demo_school["class_teacher"], "demo")
    counts, entries = [], []
    for size in [1, 4]:
        school_class, day, students, _ = await _day_of_class_teacher(engine)
        marks = [{"studentId": s, "kind": "ABSENT_VALID"} for s in students[:size]]
        sql.reset()
        assert (await api(DAY, {"c": school_class, "d": day, "m": marks}, token=token)).data
        counts.append(sql.count)
        entries.append(await _entries(engine))
    assert entries[0] < entries[1]
    assert counts[0] == counts[1], sql.statements


async def test_a_lessons_topic_and_substitute_are_in_the_trail_before_and_after(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-TOPIC-1, R-SUB-1
    # given a teacher's lesson
    teacher = await api.login(demo_school["teacher"], "demo")
    head = await api.login(demo_school["head"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    old_topic = (await rows(engine, "SELECT topic FROM lesson WHERE id = :l", l=lesson["id"]))[0][0]
    await _forget(engine)
    # when the teacher corrects its topic
    given = {"lessonId": lesson["gid"], "version": lesson["version"], "topic": "Повторение"}
    assert (await api(UPDATE, {"i": given}, token=teacher)).data
    # then the trail holds the lesson as it was and became
    [entry] = await _trail(api, head)
    assert (entry["record"], entry["recordId"], entry["action"]) == ("Lesson", lesson["gid"],
                                                                      "CHANGED")  # fmt: skip
    assert (entry["before"]["topic"], entry["after"]["topic"]) == (old_topic, "Повторение")
    assert (entry["before"]["version"], entry["after"]["version"]) == (
        lesson["version"], lesson["version"] + 1
    )  # fmt: skip
    # when the admin records the psychologist as its substitute
    await _forget(engine)
    admin = await api.login(demo_school["admin"], "demo")
    substitute = await _person(engine, "psychologist")
    variables = {"l": lesson["gid"], "v": lesson["version"] + 1, "s": substitute}
    assert (await api(SUBSTITUTE, variables, token=admin)).data
    [entry] = await _trail(api, head)
    assert (entry["before"]["substituteId"], entry["after"]["substituteId"]) == (None, substitute)
    assert entry["changedBy"]["id"] == await _person(engine, demo_school["admin"])
    # and the head, who may not, is refused and leaves nothing
    await _forget(engine)
    variables = {"l": lesson["gid"], "v": lesson["version"] + 2, "s": None}
    assert (await api(SUBSTITUTE, variables, token=head)).error_code == "FORBIDDEN"
    assert await _entries(engine) == 0


async def test_a_work_type_a_lesson_first_grades_is_in_the_trail(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-TOPIC-1, R-AUDIT-1
    # given a teacher's lesson without grades nor listed work types
    teacher = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    await execute(engine, "DELETE FROM grade WHERE lesson_id = :l", l=lesson["id"])
    await execute(engine, "DELETE FROM lesson_work_type WHERE lesson_id = :l", l=lesson["id"])
    await _forget(engine)
    # when they enter a grade of a work type
    entry = {"studentId": lesson["students"][0], "workTypeId": lesson["work_type"], "mark": "5"}
    reply = await api(GRADES, {"i": {"lessonId": lesson["gid"], "grades": [entry]}}, token=teacher)
    assert reply.data
    # then the trail holds the grade, and the lesson's new kind of work
    trail = await _trail(api, await api.login(demo_school["head"], "demo"))
    assert [e["record"] for e in trail if e["record"] != "LessonWorkType"] == ["Grade"]
    [listed] = _of(trail, "LessonWorkType")
    assert (listed["action"], listed["before"]) == ("CREATED", None)
    assert listed["after"] == {"lessonId": lesson["gid"], "workTypeId": lesson["work_type"]}
    # and another grade of the same kind lists nothing anew
    await _forget(engine)
    entry = {"studentId": lesson["students"][1], "workTypeId": lesson["work_type"], "mark": "4"}
    more = {"i": {"lessonId": lesson["gid"], "grades": [entry]}}
    assert (await api(GRADES, more, token=teacher)).data
    assert [
        e["record"] for e in await _trail(api, await api.login(demo_school["head"], "demo"))
    ] == ["Grade"]


async def test_a_grade_corrected_and_deleted_is_in_the_trail_whole(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-AUDIT-1: the comment too, so that a correction can be undone
    # given a teacher's grade with a comment
    teacher = await api.login(demo_school["teacher"], "demo")
    head = await api.login(demo_school["head"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    await execute(engine, "DELETE FROM grade WHERE lesson_id = :l", l=lesson["id"])
    given = {"studentId": lesson["students"][0], "workTypeId": lesson["work_type"]}
    grades = {"i": {"lessonId": lesson["gid"], "grades": [{**given, "mark": "3",
                                                            "comment": "Без схемы"}]}}  # fmt: skip
    [grade] = (await api(GRADES, grades, token=teacher)).data["gradesSet"]["grades"]
    await _forget(engine)
    # when they correct its mark and comment, then delete it
    fixed = {**given, "mark": "4", "comment": "Схема сдана", "version": 1}
    grades["i"]["grades"] = [fixed]
    assert (await api(GRADES, grades, token=teacher)).data
    grades["i"]["grades"] = [{**given, "mark": None, "version": 2}]
    assert (await api(GRADES, grades, token=teacher)).data
    # then the trail holds the grade whole as it was and became each time
    changed, deleted = await _trail(api, head)
    assert (changed["recordId"], changed["action"]) == (grade["id"], "CHANGED")
    assert (changed["before"]["mark"], changed["before"]["comment"]) == ("3", "Без схемы")
    assert (changed["after"]["mark"], changed["after"]["comment"]) == ("4", "Схема сдана")
    assert (changed["before"]["version"], changed["after"]["version"]) == (1, 2)
    assert (deleted["recordId"], deleted["action"], deleted["after"]) == (grade["id"], "DELETED",
                                                                          None)  # fmt: skip
    assert (deleted["before"]["mark"], deleted["before"]["comment"]) == ("4", "Схема сдана")
    # and the grade log still reads the marks
    log = "{ gradeChanges(first: 10) { nodes { action oldMark newMark } } }"
    nodes = (await api(log, token=head)).data["gradeChanges"]["nodes"]
    assert [(n["action"], n["oldMark"], n["newMark"]) for n in nodes] == [
        ("CHANGED", "3", "4"), ("DELETED", "4", None)
    ]  # fmt: skip


async def test_homework_is_in_the_trail_with_each_student_it_is_set_for(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:  # R-HW-1; constant SQL
    teacher = await api.login(demo_school["teacher"], "demo")
    head = await api.login(demo_school["head"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    due = (lesson["held_on"] + timedelta(days=2)).isoformat()
    counts = []
    for students in [lesson["students"][:1], lesson["students"][:3]]:
        await _forget(engine)
        homework = {"lessonId": lesson["gid"], "text": "Доклад", "dueOn": due,
                    "studentIds": students}  # fmt: skip
        sql.reset()
        made = (await api(HOMEWORK, {"i": homework}, token=teacher)).data["homeworkAssign"]
        counts.append(sql.count)
        trail = await _trail(api, head)
        [set_] = _of(trail, "Homework")
        assert (set_["recordId"], set_["action"]) == (made["id"], "CREATED")
        assert (set_["after"]["text"], set_["after"]["isIndividual"]) == ("Доклад", True)
        listed = _of(trail, "HomeworkStudent")
        assert sorted(e["after"]["studentId"] for e in listed) == sorted(students)
        assert {e["after"]["homeworkId"] for e in listed} == {made["id"]}
        assert len(trail) == 1 + len(students)
    assert counts[0] == counts[1], sql.statements
    # the head may not set homework: refused, nothing recorded
    await _forget(engine)
    refused = {"lessonId": lesson["gid"], "text": "x", "dueOn": due}
    assert (await api(HOMEWORK, {"i": refused}, token=head)).error_code == "FORBIDDEN"
    assert await _entries(engine) == 0


async def _quarter(engine: AsyncEngine, login: str) -> dict[str, Any]:
    """A teacher's lesson in a class graded by quarters; its second quarter without finals."""
    lesson = await teacher_lesson(engine, login)
    period = (await rows(engine, "SELECT id FROM period WHERE school_id = :s AND kind = 'quarter' "
                                 "AND number = 2", s=lesson["school_id"]))[0][0]  # fmt: skip
    await execute(engine, "DELETE FROM final_grade WHERE period_id = :p", p=period)
    await execute(engine, "DELETE FROM period_reopening WHERE period_id = :p", p=period)
    await _forget(engine)
    return lesson | {"period": relay.to_base64("Period", period)}


def _finals(lesson: dict[str, Any], students: list[str], mark: str, **extra: Any) -> Any:
    return {"i": {
        "groupId": relay.to_base64("Group", lesson["group_id"]),
        "subjectId": relay.to_base64("Subject", lesson["subject_id"]),
        "periodId": lesson["period"],
        "grades": [{"studentId": s, "mark": mark, **extra} for s in students],
    }}  # fmt: skip


async def test_final_grades_and_the_reopening_are_in_the_trail(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:  # R-FINAL-1, R-LOCK-1
    teacher = await api.login(demo_school["teacher"], "demo")
    admin = await api.login(demo_school["admin"], "demo")
    head = await api.login(demo_school["head"], "demo")
    # given the quarter's grades set for one student, then for all the others (constant SQL)
    lesson = await _quarter(engine, demo_school["teacher"])
    first, *others = lesson["students"]
    counts = []
    for students in [[first], others]:
        await _forget(engine)
        sql.reset()
        set_ = (await api(FINAL, _finals(lesson, students, "4"), token=teacher)).data
        counts.append(sql.count)
        trail = await _trail(api, head)
        assert [(e["record"], e["action"], e["before"]) for e in trail] == [
            ("FinalGrade", "CREATED", None)
        ] * len(students)
        mine = {f["id"] for f in set_["finalGradesSet"] if f["student"]["id"] in students}
        assert {e["recordId"] for e in trail} == mine
        assert {e["after"]["mark"] for e in trail} == {"4"}
    assert counts[0] == counts[1], sql.statements
    # when the admin reopens the quarter, saying why
    await _forget(engine)
    reason = "Ошибка в итоговой оценке, служебная записка № 7"
    final = _finals(lesson, [first], "5", version=1)["i"]
    target = {"g": final["groupId"], "s": final["subjectId"], "p": final["periodId"], "r": reason}
    reopened = (await api(REOPEN, target, token=admin)).data["periodReopen"]
    [entry] = await _trail(api, head)
    assert (entry["record"], entry["recordId"], entry["action"]) == (
        "PeriodReopening", reopened["id"], "CREATED"
    )  # fmt: skip
    assert (entry["reason"], entry["after"]["reason"], entry["after"]["closedAt"]) == (
        reason, reason, None
    )  # fmt: skip
    # when the teacher changes the grade, the period locked again
    await _forget(engine)
    changed = (await api(FINAL, {"i": final}, token=teacher)).data["finalGradesSet"]
    trail = await _trail(api, head)
    [grade] = _of(trail, "FinalGrade")
    assert grade["recordId"] == next(f["id"] for f in changed if f["student"]["id"] == first)
    assert (grade["action"], grade["before"]["mark"], grade["after"]["mark"]) == ("CHANGED", "4",
                                                                                  "5")  # fmt: skip
    [closed] = _of(trail, "PeriodReopening")
    assert (closed["recordId"], closed["action"]) == (reopened["id"], "CHANGED")
    assert closed["before"]["closedAt"] is None
    assert closed["after"]["closedAt"] is not None
    # and a change refused as locked leaves nothing
    await _forget(engine)
    again = _finals(lesson, [first], "3", version=2)
    assert (await api(FINAL, again, token=teacher)).error_code == "PERIOD_LOCKED"
    assert (await api(REOPEN, target, token=teacher)).error_code == "FORBIDDEN"
    assert await _entries(engine) == 0


async def test_a_grade_report_and_its_answer_are_in_the_trail(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # Е.1
    # given the student's fresh grade
    found = await rows(
        engine,
        "SELECT g.id, l.teacher_id FROM grade g JOIN account a ON a.person_id = g.student_id "
        "JOIN lesson l ON l.id = g.lesson_id WHERE a.login = 'student' ORDER BY g.id DESC",
    )
    grade_id, teacher = found[0]
    await execute(engine, "UPDATE grade SET created_at = :now WHERE id = :g", now=utc_now(),
                  g=grade_id)  # fmt: skip
    await execute(engine, "DELETE FROM grade_report")
    await _forget(engine)
    student = await api.login(demo_school["student"], "demo")
    head = await api.login(demo_school["head"], "demo")
    # when the student reports it
    text = "Я отвечал у доски, а оценка поставлена за домашнюю работу"
    grade = relay.to_base64("Grade", grade_id)
    report = (await api(REPORT, {"g": grade, "t": text}, token=student)).data["gradeReport"]
    # then the trail holds the report, made by the student
    [entry] = await _trail(api, head)
    assert (entry["record"], entry["recordId"], entry["action"]) == (
        "GradeReport", report["id"], "CREATED"
    )  # fmt: skip
    assert (entry["after"]["text"], entry["after"]["status"]) == (text, "open")
    assert entry["after"]["gradeId"] == grade_id  # the report outlives the grade: no reference
    # when the lesson's teacher answers it
    await _forget(engine)
    login = (await rows(engine, "SELECT login FROM account WHERE person_id = :p", p=teacher))[0][0]
    await execute(engine, "UPDATE account SET must_change_password = false, password_hash = "
                  "(SELECT password_hash FROM account WHERE login = 'admin') WHERE login = :l",
                  l=login)  # fmt: skip
    token = await api.login(login, "demo")
    answer = {"r": report["id"], "a": "Проверил, оценка верна."}
    assert (await api(ANSWER, answer, token=token)).data
    [entry] = await _trail(api, head)
    assert (entry["recordId"], entry["action"]) == (report["id"], "CHANGED")
    assert (entry["before"]["status"], entry["after"]["status"]) == ("open", "answered")
    assert (entry["before"]["answer"], entry["after"]["answer"]) == (
        None,
        "Проверил, оценка верна.",
    )
    # and answering it again is refused, with nothing recorded
    await _forget(engine)
    assert (
        await api(ANSWER, {"r": report["id"], "a": "Ещё раз."}, token=token)
    ).error_code == "CONFLICT"
    assert await _entries(engine) == 0


async def test_the_edit_window_is_in_the_trail(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-EDIT-1
    admin = await api.login(demo_school["admin"], "demo")
    school_id = (await rows(engine, "SELECT min(id) FROM school"))[0][0]
    await execute(engine, "UPDATE school SET grade_edit_window = 'never'")
    await _forget(engine)
    school = relay.to_base64("School", school_id)
    assert (await api(WINDOW, {"s": school, "w": "TWO_WEEKS"}, token=admin)).data
    [entry] = await _trail(api, await api.login(demo_school["head"], "demo"))
    assert (entry["record"], entry["recordId"], entry["action"]) == ("School", school, "CHANGED")
    assert (entry["before"]["gradeEditWindow"], entry["after"]["gradeEditWindow"]) == (
        "never", "two_weeks"
    )  # fmt: skip
    # setting what is already set changes nothing; the teacher may not: neither is recorded
    await _forget(engine)
    assert (await api(WINDOW, {"s": school, "w": "TWO_WEEKS"}, token=admin)).data
    teacher = await api.login(demo_school["teacher"], "demo")
    assert (await api(WINDOW, {"s": school, "w": "NEVER"}, token=teacher)).error_code == "FORBIDDEN"
    assert await _entries(engine) == 0


async def _schools(engine: AsyncEngine) -> tuple[SchoolSetup, SchoolSetup]:
    """Two schools of one admin (`admin`), each with its head (`head1`, `head2`)."""

    async def recipe(f: Factory) -> tuple[SchoolSetup, SchoolSetup]:
        one, two = await f.school("Первая"), await f.school("Вторая")
        admin = await f.person(one, "Админова", m.Role.ADMIN)
        await f.add(m.SchoolRole(person_id=admin.id, school_id=two.school.id, role=m.Role.ADMIN))
        await f.account(admin, "admin")
        await f.account(await f.person(one, "Директорова", m.Role.HEAD), "head1")
        await f.account(await f.person(two, "Директорова", m.Role.HEAD), "head2")
        return one, two

    return await build(engine, recipe)


def _token_input(school_ids: list[str]) -> dict[str, Any]:
    return {"input": {"name": "Проверка управления образования", "kind": "INSPECTOR",
                      "schoolIds": school_ids,
                      "expiresAt": (utc_now() + timedelta(days=30)).isoformat()}}  # fmt: skip


async def _raw_trail(engine: AsyncEngine) -> str:
    states = await rows(engine, "SELECT entity, before, after FROM change ORDER BY id")
    return repr([tuple(row) for row in states])


async def test_an_api_token_issued_and_revoked_is_in_each_of_its_schools_trails(
    engine: AsyncEngine, api: GraphQLClient, sql: StatementCounter
) -> None:  # §1.12, design.md invariant 11
    # given an admin of two schools
    one, two = await _schools(engine)
    admin = await api.login("admin", PASSWORD)
    ids = [relay.to_base64("School", s.school.id) for s in (one, two)]
    # when they issue a token for one school, then for both (the same statements)
    counts = []
    for schools in [ids[:1], ids]:
        await _forget(engine)
        sql.reset()
        issued = (await api(ISSUE, _token_input(schools), token=admin)).data["apiTokenIssue"]
        counts.append(sql.count)
    assert counts[0] == counts[1], sql.statements
    # then each school's head reads the token as created, and the school it lists
    token_id = issued["apiToken"]["id"]
    for head, school in [("head1", ids[0]), ("head2", ids[1])]:
        trail = await _trail(api, await api.login(head, PASSWORD))
        [entry] = _of(trail, "ApiToken")
        assert (entry["recordId"], entry["action"], entry["before"]) == (token_id, "CREATED", None)
        assert entry["after"]["name"] == "Проверка управления образования"
        assert entry["after"]["kind"] == "inspector"
        assert entry["after"]["revokedAt"] is None
        [link] = _of(trail, "AuthTokenSchool")
        assert (link["action"], link["after"]["schoolId"]) == ("CREATED", school)
        assert link["after"]["authTokenId"] == token_id
        assert len(trail) == 2
    # and neither the token, nor its digest, nor its use counters are in the trail
    [(digest,)] = await rows(engine, "SELECT digest FROM auth_token WHERE id = :t",
                             t=int(relay.from_base64(token_id)[1]))  # fmt: skip
    raw = await _raw_trail(engine)
    assert issued["token"] not in raw
    assert bytes(digest).hex() not in raw
    assert "digest" not in raw
    assert "rate_window" not in raw
    assert "last_used_at" not in raw
    # when the admin revokes it, then both trails hold it revoked; revoking again adds nothing
    await _forget(engine)
    assert (await api(REVOKE, {"id": token_id}, token=admin)).data
    for head in ["head1", "head2"]:
        [entry] = await _trail(api, await api.login(head, PASSWORD))
        assert (entry["record"], entry["action"]) == ("ApiToken", "CHANGED")
        assert entry["before"]["revokedAt"] is None
        assert entry["after"]["revokedAt"] is not None
    await _forget(engine)
    assert (await api(REVOKE, {"id": token_id}, token=admin)).data
    assert await _entries(engine) == 0
    # and a refused issue (no such scope for an inspector) leaves nothing
    refused = _token_input(ids)
    refused["input"]["scopes"] = ["journal:read"]
    assert (await api(ISSUE, refused, token=admin)).error_code == "BAD_USER_INPUT"
    assert await _entries(engine) == 0


async def test_the_operators_municipality_wide_token_is_in_the_trail_of_its_schools(
    engine: AsyncEngine, api: GraphQLClient
) -> None:  # the operator's `tabel token`: made by tabel's operator, no account
    one, _ = await _schools(engine)
    await _forget(engine)
    async with AsyncSession(engine, expire_on_commit=False) as session:
        issued = await api_tokens.issue_api_token(
            Database(session),
            kind=m.TokenKind.INSPECTOR,
            name="Муниципальная проверка",
            school_ids=[],
            municipality_id=one.school.municipality_id,
            scopes=[],
            expires_at=utc_now() + timedelta(days=7),
            issued_by_account_id=None,
        )
        await session.commit()
    head = await api.login("head1", PASSWORD)
    [entry] = await _trail(api, head)
    assert (entry["record"], entry["action"], entry["changedBy"]) == ("ApiToken", "CREATED", None)
    assert entry["after"]["municipalityId"] is not None
    assert await _entries(engine) == 1  # the other school is of another municipality
    await _forget(engine)
    async with AsyncSession(engine, expire_on_commit=False) as session:
        await api_tokens.revoke_api_token(Database(session), issued.api_token.id)
        await session.commit()
    [entry] = await _trail(api, head)
    assert (entry["action"], entry["changedBy"]) == ("CHANGED", None)
    assert entry["after"]["revokedAt"] is not None
    assert issued.token not in await _raw_trail(engine)


async def test_a_password_change_is_in_the_trail_without_any_hash(
    engine: AsyncEngine, api: GraphQLClient
) -> None:  # R-ACC-1, R-ACC-3
    # given a teacher of a school with its head
    async def recipe(f: Factory) -> None:
        setup = await f.school()
        await f.account(await f.person(setup, "Петрова", m.Role.TEACHER), "petrova")
        await f.account(await f.person(setup, "Директорова", m.Role.HEAD), "head")

    await build(engine, recipe)
    token = await api.login("petrova", PASSWORD)
    [(old_hash,)] = await rows(engine, "SELECT password_hash FROM account WHERE login = 'petrova'")
    await _forget(engine)
    # when a wrong current password is given, nothing is recorded
    wrong = {"o": "wrong password", "n": "new-secret-42"}
    assert (await api(PASSWORD_CHANGE, wrong, token=token)).error_code == "BAD_USER_INPUT"
    assert await _entries(engine) == 0
    # when the teacher changes their password
    assert (await api(PASSWORD_CHANGE, {"o": PASSWORD, "n": "new-secret-42"}, token=token)).data
    # then the head reads that the account changed: when, by whom — no hash, old or new
    [entry] = await _trail(api, await api.login("head", PASSWORD))
    assert (entry["record"], entry["action"]) == ("Account", "CHANGED")
    assert entry["changedBy"]["id"] == await _person(engine, "petrova")
    assert entry["before"]["passwordChangedAt"] is None
    assert entry["after"]["passwordChangedAt"] is not None
    assert entry["after"]["login"] == "petrova"
    [(new_hash,)] = await rows(engine, "SELECT password_hash FROM account WHERE login = 'petrova'")
    raw = await _raw_trail(engine)
    assert old_hash not in raw
    assert new_hash not in raw
    assert "password_hash" not in raw
    assert "new-secret-42" not in raw
    assert PASSWORD not in raw


def test_no_snapshot_keeps_a_secret() -> None:  # design.md invariant 11: no secret in the trail
    # every column that looks like a secret is one `snapshot` leaves out
    secret_like = re.compile(r"(^|_)(hash|digest|secret|salt)($|_)|password_hash|token$")
    found = {
        (mapper.local_table.name, column.key)  # type: ignore[attr-defined]
        for mapper in Base.registry.mappers
        for column in mapper.column_attrs
        if secret_like.search(column.key)
    }
    # a notification held for the digest, and the digest's time, are no message digests
    not_secret = {("notification", "digest"), ("notification_settings", "digest_at")}
    assert found - not_secret <= SECRETS, found - not_secret - SECRETS
    account = m.Account(id=1, person_id=2, login="x", password_hash="$argon2id$secret")
    token = m.AuthToken(id=3, digest=b"\x01" * 32, kind=m.TokenKind.INSPECTOR, name="n")
    assert "password_hash" not in snapshot(account)
    assert snapshot(account)["login"] == "x"
    assert "digest" not in snapshot(token)
    assert snapshot(token)["name"] == "n"
    assert "name" not in snapshot(token, omit={"name"})
    assert inspect(account).mapper.local_table.name == "account"  # type: ignore[attr-defined]
