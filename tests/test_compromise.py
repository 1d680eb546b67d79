"""A compromised account (R-ACC-2, R-ACC-3): reported with the moment it was noticed, blocked
at once, and what it did since reviewed and voided by the school's admin, through the endpoint
with the callers' own tokens on a generated school.

The trail's clock: the writes are made now, through the API, and then their trail entries are
moved to the moments the story needs (10:05, 10:10 yesterday), as if made then; what the void
reads of them is the trail."""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from tests.client import GraphQLClient
from tests.factories import PASSWORD, Factory, build
from tests.lessons import execute, rows, teacher_lesson

REPORT = """mutation($s: ID!, $p: ID, $n: DateTime!, $note: String) {
  compromiseReport(schoolId: $s, personId: $p, noticedAt: $n, note: $note) {
    id noticedAt voidedAt person { lastName } } }"""
OPERATIONS = """query($id: ID!) { node(id: $id) { ... on Compromise { voidedAt
  operations(first: 100) { totalCount nodes {
    change { record recordId action before after changedAt }
    conflict { changedAt changedBy { id } } } } } } }"""
VOID = """mutation($c: ID!, $n: Int!) { compromiseVoid(compromiseId: $c, operationCount: $n) {
  compromise { voidedAt }
  undone { record recordId action }
  skipped { why operation { change { record recordId } conflict { changedBy { id } } } } } }"""
GRADES = """mutation($i: GradesSetInput!) { gradesSet(input: $i) { grades { id version
  student { id } } } }"""
SUBSTITUTE = """mutation($l: ID!, $v: Int!, $s: ID) {
  lessonSubstitute(lessonId: $l, version: $v, substituteId: $s) { version } }"""
MARK = """mutation($l: ID!, $m: [AttendanceEntryInput!]!) {
  attendanceMark(lessonId: $l, marks: $m) { attendance { id } } }"""
HOMEWORK = """mutation($i: HomeworkAssignInput!) { homeworkAssign(input: $i) { id } }"""
UPDATE = """mutation($i: LessonUpdateInput!) { lessonUpdate(input: $i) { topic version } }"""
FINAL = """mutation($i: FinalGradesSetInput!) { finalGradesSet(input: $i) { id } }"""
REOPEN = """mutation($g: ID!, $s: ID!, $p: ID!, $r: String!) {
  periodReopen(groupId: $g, subjectId: $s, periodId: $p, reason: $r) { id } }"""
ME = "{ me { login } }"

YESTERDAY = (datetime.now(UTC) - timedelta(days=1)).date()


def at(hour: int, minute: int) -> datetime:
    """Yesterday at hh:mm UTC: past, whenever the suite runs."""
    return datetime(YESTERDAY.year, YESTERDAY.month, YESTERDAY.day, hour, minute, tzinfo=UTC)


async def _account(engine: AsyncEngine, login: str) -> tuple[int, str]:
    """The login's account id and its holder's `Person` ID."""
    [(account, person)] = await rows(
        engine, "SELECT id, person_id FROM account WHERE login = :l", l=login
    )
    return account, relay.to_base64("Person", person)


async def _school(engine: AsyncEngine) -> str:
    [(school,)] = await rows(engine, "SELECT min(id) FROM school")
    return relay.to_base64("School", school)


async def _made_at(engine: AsyncEngine, account: int, moment: datetime) -> None:
    """The account's trail entries not yet moved, as made at `moment`."""
    await execute(
        engine,
        "UPDATE change SET changed_at = :t WHERE changed_by_id = :a AND changed_at > :now",
        t=moment,
        a=account,
        now=datetime.now(UTC) - timedelta(hours=1),
    )


async def _operations(api: GraphQLClient, token: str, compromise: str) -> list[dict[str, Any]]:
    node = (await api(OPERATIONS, {"id": compromise}, token=token)).data["node"]
    listed: list[dict[str, Any]] = node["operations"]["nodes"]
    assert node["operations"]["totalCount"] == len(listed)
    return listed


async def test_a_compromise_noticed_at_10_voids_the_10_05_grade_and_keeps_the_10_10_change(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-ACC-3, R-ACC-2
    # given a teacher's lesson without grades, which another teacher gave as a substitute
    teacher = await api.login(demo_school["teacher"], "demo")
    admin = await api.login(demo_school["admin"], "demo")
    colleague_login = demo_school["class_teacher"]  # a teacher of the school, as substitute
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    await execute(engine, "DELETE FROM grade WHERE lesson_id = :l", l=lesson["id"])
    teacher_account, teacher_person = await _account(engine, demo_school["teacher"])
    colleague_account, colleague_person = await _account(engine, colleague_login)
    admin_account, _ = await _account(engine, demo_school["admin"])
    substitute = {"l": lesson["gid"], "v": lesson["version"], "s": colleague_person}
    assert (await api(SUBSTITUTE, substitute, token=admin)).data
    await _made_at(engine, admin_account, at(9, 0))
    colleague = await api.login(colleague_login, "demo")
    # and at 10:05 the teacher's account grades two students
    first, second = lesson["students"][:2]
    work = lesson["work_type"]
    entries = [{"studentId": s, "workTypeId": work, "mark": "5"} for s in (first, second)]
    given = {"i": {"lessonId": lesson["gid"], "grades": entries}}
    graded = (await api(GRADES, given, token=teacher)).data["gradesSet"]["grades"]
    ids = {g["student"]["id"]: g["id"] for g in graded}
    await _made_at(engine, teacher_account, at(10, 5))
    # and at 10:10 the other teacher corrects the first of those grades
    fix = [{"studentId": first, "workTypeId": work, "mark": "4", "version": 1}]
    fixed = {"i": {"lessonId": lesson["gid"], "grades": fix}}
    assert (await api(GRADES, fixed, token=colleague)).data
    await _made_at(engine, colleague_account, at(10, 10))

    # when the admin reports the teacher's account compromised, noticed at 10:00
    school = await _school(engine)
    variables = {"s": school, "p": teacher_person, "n": at(10, 0).isoformat(),
                 "note": "Пароль видели посторонние"}  # fmt: skip
    reported = (await api(REPORT, variables, token=admin)).data["compromiseReport"]
    # then the account is blocked at once: its token no longer works
    assert (await api(ME, token=teacher)).error_code == "UNAUTHENTICATED"
    [(active,)] = await rows(engine, "SELECT is_active FROM account WHERE id = :a",
                             a=teacher_account)  # fmt: skip
    assert not active
    # and the admin reads what the account did since 10:00: the two grades, the first with
    # the other teacher's later change as a conflict
    listed = await _operations(api, admin, reported["id"])
    grades = {o["change"]["recordId"]: o for o in listed if o["change"]["record"] == "Grade"}
    assert set(grades) == {ids[first], ids[second]}
    assert all(o["change"]["action"] == "CREATED" for o in grades.values())
    assert grades[ids[first]]["conflict"]["changedBy"] == {"id": colleague_person}
    assert grades[ids[first]]["conflict"]["changedAt"].startswith(at(10, 10).isoformat()[:16])
    assert grades[ids[second]]["conflict"] is None
    assert all(o["change"]["record"] in {"Grade", "LessonWorkType"} for o in listed)

    # when the admin voids them
    voided = (await api(VOID, {"c": reported["id"], "n": len(listed)}, token=admin)).data
    result = voided["compromiseVoid"]
    # then the 10:05 grade nobody else touched is gone, and the other teacher's 10:10 change
    # stands, listed as a conflict
    assert result["compromise"]["voidedAt"] is not None
    assert {"record": "Grade", "recordId": ids[second], "action": "CREATED"} in result["undone"]
    [kept] = [s for s in result["skipped"] if s["operation"]["change"]["record"] == "Grade"]
    assert kept["why"] == "CHANGED_LATER"
    assert kept["operation"]["change"]["recordId"] == ids[first]
    assert kept["operation"]["conflict"]["changedBy"] == {"id": colleague_person}
    standing = await rows(engine, "SELECT id, mark, version FROM grade WHERE lesson_id = :l",
                          l=lesson["id"])  # fmt: skip
    assert [(relay.to_base64("Grade", g), mark, v) for g, mark, v in standing] == [
        (ids[first], "4", 2)
    ]
    # and the undoing is in the trail and the grade change log, by the admin, naming the report
    log = await rows(
        engine,
        "SELECT kind, action, old_mark, new_mark, reason, changed_by_id FROM change "
        "WHERE entity = 'grade' AND changed_by_id = :a",
        a=admin_account,
    )
    [(kind, action, old, new, reason, by)] = log
    assert (kind, action, old, new, by) == ("grade", "deleted", "5", None, admin_account)
    assert "reported compromised" in reason
    # and voiding again is refused, changing nothing
    again = await api(VOID, {"c": reported["id"], "n": len(listed)}, token=admin)
    assert again.error_code == "CONFLICT"


async def _quarter_lesson(engine: AsyncEngine, login: str) -> dict[str, Any]:
    """The teacher's lesson in a class graded by quarters, its quarter without final grades
    nor attendance taken."""
    lesson = await teacher_lesson(engine, login)
    period = (await rows(engine, "SELECT id FROM period WHERE school_id = :s AND kind = 'quarter' "
                                 "AND number = 2", s=lesson["school_id"]))[0][0]  # fmt: skip
    await execute(engine, "DELETE FROM final_grade WHERE period_id = :p", p=period)
    await execute(engine, "DELETE FROM period_reopening WHERE period_id = :p", p=period)
    await execute(engine, "DELETE FROM attendance WHERE lesson_id = :l", l=lesson["id"])
    await execute(engine, "UPDATE lesson SET attendance_taken_at = NULL, attendance_on_time = "
                  "NULL WHERE id = :l", l=lesson["id"])  # fmt: skip
    return lesson | {"period": relay.to_base64("Period", period)}


async def _snapshot(engine: AsyncEngine, lesson: dict[str, Any]) -> dict[str, Any]:
    """What the void may touch: the lesson's attendance, homework, topic and finals."""
    lesson_id = lesson["id"]
    topic = await rows(
        engine, "SELECT topic, attendance_taken_at FROM lesson WHERE id = :l", l=lesson_id
    )
    finals = "SELECT id, mark FROM final_grade WHERE group_id = :g AND subject_id = :s"
    return {
        "lesson": [tuple(r) for r in topic],
        "attendance": await rows(
            engine, "SELECT id, kind FROM attendance WHERE lesson_id = :l", l=lesson_id
        ),
        "homework": await rows(engine, "SELECT id FROM homework WHERE lesson_id = :l", l=lesson_id),
        "homework_student": await rows(engine, "SELECT count(*) FROM homework_student"),
        "final": await rows(engine, finals, g=lesson["group_id"], s=lesson["subject_id"]),
        "trail": await rows(engine, "SELECT count(*) FROM change"),
        "voided": await rows(engine, "SELECT voided_at FROM compromise"),
    }


async def test_a_void_puts_back_attendance_homework_a_topic_and_a_final_grade(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-ACC-3, R-LOCK-1
    # given a teacher's lesson of the second quarter, nothing marked or set in it yet
    teacher = await api.login(demo_school["teacher"], "demo")
    admin = await api.login(demo_school["admin"], "demo")
    lesson = await _quarter_lesson(engine, demo_school["teacher"])
    teacher_account, teacher_person = await _account(engine, demo_school["teacher"])
    before = await _snapshot(engine, lesson)
    # when after 10:00 the teacher's account marks a student absent, sets homework for two,
    # changes the lesson's topic and sets a student's quarter grade, locking the quarter
    first, second = lesson["students"][:2]
    marks = [{"studentId": first, "kind": "ABSENT_UNEXCUSED"}]
    assert (await api(MARK, {"l": lesson["gid"], "m": marks}, token=teacher)).data
    due = (lesson["held_on"] + timedelta(days=2)).isoformat()
    homework = {"lessonId": lesson["gid"], "text": "Выучить правило", "dueOn": due,
                "studentIds": [first, second]}  # fmt: skip
    assert (await api(HOMEWORK, {"i": homework}, token=teacher)).data
    [(version,)] = await rows(engine, "SELECT version FROM lesson WHERE id = :l", l=lesson["id"])
    topic = {"lessonId": lesson["gid"], "version": version, "topic": "Чужая тема"}
    assert (await api(UPDATE, {"i": topic}, token=teacher)).data
    target = {
        "g": relay.to_base64("Group", lesson["group_id"]),
        "s": relay.to_base64("Subject", lesson["subject_id"]),
        "p": lesson["period"],
    }
    final = {"groupId": target["g"], "subjectId": target["s"], "periodId": target["p"],
             "grades": [{"studentId": first, "mark": "2"}]}  # fmt: skip
    assert (await api(FINAL, {"i": final}, token=teacher)).data
    await _made_at(engine, teacher_account, at(10, 5))
    # and the admin reports the account, noticed at 10:00
    variables = {"s": await _school(engine), "p": teacher_person, "n": at(10, 0).isoformat()}
    reported = (await api(REPORT, variables, token=admin)).data["compromiseReport"]
    listed = await _operations(api, admin, reported["id"])
    records = {o["change"]["record"] for o in listed}
    assert {"Attendance", "Homework", "HomeworkStudent", "Lesson", "FinalGrade"} <= records
    assert all(o["conflict"] is None for o in listed)
    done = await _snapshot(engine, lesson)

    # when the admin voids them while the quarter is locked by the final grade
    refused = await api(VOID, {"c": reported["id"], "n": len(listed)}, token=admin)
    # then nothing is voided: the whole void is refused, and nothing changed
    assert refused.error_code == "PERIOD_LOCKED"
    assert await _snapshot(engine, lesson) == done
    # and a void of another number of operations than reviewed is refused too
    stale = await api(VOID, {"c": reported["id"], "n": len(listed) - 1}, token=admin)
    assert stale.error_code == "CONFLICT"
    assert await _snapshot(engine, lesson) == done

    # when the admin reopens the quarter and voids again
    reason = "Оценка выставлена с чужой учётной записи"
    assert (await api(REOPEN, {**target, "r": reason}, token=admin)).data
    result = (await api(VOID, {"c": reported["id"], "n": len(listed)}, token=admin)).data
    # then every operation was undone, newest first, none left
    undone = result["compromiseVoid"]["undone"]
    assert result["compromiseVoid"]["skipped"] == []
    assert len(undone) == len(listed)
    assert undone[0]["record"] == "FinalGrade"
    # and the lesson is as it was: no absence, no homework, its topic, no final grade
    after = await _snapshot(engine, lesson)
    for part in ("lesson", "attendance", "homework", "homework_student", "final"):
        assert after[part] == before[part], part
    # and each undoing is in the trail, by the admin, naming the report
    admin_account, _ = await _account(engine, demo_school["admin"])
    undoings = await rows(
        engine,
        "SELECT entity, reason FROM change WHERE changed_by_id = :a AND reason LIKE :r",
        a=admin_account,
        r="Voided:%",
    )
    assert {entity for entity, _ in undoings} >= {
        "attendance", "homework", "homework_student", "lesson", "final_grade", "compromise"
    }  # fmt: skip


async def test_reporting_ones_own_account_blocks_it_at_once(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-ACC-2
    student = await api.login(demo_school["student"], "demo")
    school = await _school(engine)
    account, _ = await _account(engine, demo_school["student"])
    # a moment in the future is refused, nothing written
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    refused = await api(REPORT, {"s": school, "n": future}, token=student)
    assert refused.error_code == "BAD_USER_INPUT"
    assert (await api(ME, token=student)).data["me"]["login"] == demo_school["student"]
    # another person's account is not theirs to report: nothing told, nothing blocked
    _, teacher = await _account(engine, demo_school["teacher"])
    other = await api(REPORT, {"s": school, "p": teacher, "n": at(9, 0).isoformat()},
                      token=student)  # fmt: skip
    assert other.error_code in {"FORBIDDEN", "NOT_FOUND"}
    assert await rows(engine, "SELECT count(*) FROM compromise") == [(0,)]
    # when the student reports their own account
    reply = await api(REPORT, {"s": school, "n": at(9, 0).isoformat(),
                               "note": "Вошли с чужого телефона"}, token=student)  # fmt: skip
    assert reply.data["compromiseReport"]["voidedAt"] is None
    # then its token stops working at once, and its password no longer signs in
    assert (await api(ME, token=student)).error_code == "UNAUTHENTICATED"
    [(active,)] = await rows(engine, "SELECT is_active FROM account WHERE id = :a", a=account)
    assert not active
    # and the report and the block are in the trail, made by the student
    trail = await rows(engine, "SELECT entity, action, changed_by_id FROM change "
                       "WHERE entity IN ('compromise', 'account') ORDER BY id")  # fmt: skip
    assert [tuple(r) for r in trail] == [("account", "changed", account),
                                         ("compromise", "created", account)]  # fmt: skip
    login = await api(
        "mutation($l: String!, $p: String!) { login(login: $l, password: $p) { token } }",
        {"l": demo_school["student"], "p": "demo"},
    )
    assert login.error_code == "UNAUTHENTICATED"
    # and the admin finds the report, its operations none of them made after it
    admin = await api.login(demo_school["admin"], "demo")
    nodes = (await api("{ compromises { nodes { id reportedBy { id } } } }", token=admin)).data
    [found] = nodes["compromises"]["nodes"]
    assert found["id"] == reply.data["compromiseReport"]["id"]
    assert all(
        o["change"]["record"] not in {"Account", "Compromise"}
        for o in await _operations(api, admin, found["id"])
    )


async def test_only_the_schools_admin_sees_and_voids_a_compromise(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-ACC-3; schools are tenants
    # given the demo parent's account reported by the admin, and another school's admin
    admin = await api.login(demo_school["admin"], "demo")
    _, parent = await _account(engine, demo_school["parent"])
    variables = {"s": await _school(engine), "p": parent, "n": at(9, 0).isoformat()}
    reported = (await api(REPORT, variables, token=admin)).data["compromiseReport"]

    async def other_school(f: Factory) -> None:
        setup = await f.school("Чужая школа")
        await f.account(await f.person(setup, "Чужова", m.Role.ADMIN), "their.admin")

    await build(engine, other_school)
    theirs = await api.login("their.admin", PASSWORD)
    # then another school's admin neither finds it nor voids it
    assert (await api("{ compromises { totalCount } }", token=theirs)).data == {
        "compromises": {"totalCount": 0}
    }
    assert (await api(OPERATIONS, {"id": reported["id"]}, token=theirs)).error_code == "NOT_FOUND"
    void = {"c": reported["id"], "n": 0}
    assert (await api(VOID, void, token=theirs)).error_code == "NOT_FOUND"
    # and a teacher, the head or a student may not void (the head voids an admin's compromise
    # only, and sees no other)
    for role, code in (("teacher", "FORBIDDEN"), ("head", "NOT_FOUND"), ("student", "FORBIDDEN")):
        token = await api.login(demo_school[role], "demo")
        assert (await api(VOID, void, token=token)).error_code == code, role
    assert await rows(engine, "SELECT voided_at FROM compromise") == [(None,)]
    # and the school's admin does
    assert (await api(VOID, void, token=admin)).data["compromiseVoid"]["undone"] == []


async def test_a_grade_the_account_deleted_is_restored_and_one_it_changed_put_back(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-ACC-3, R-AUDIT-1
    # given two of a teacher's grades, entered before the compromise
    teacher = await api.login(demo_school["teacher"], "demo")
    admin = await api.login(demo_school["admin"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    await execute(engine, "DELETE FROM grade WHERE lesson_id = :l", l=lesson["id"])
    account, person = await _account(engine, demo_school["teacher"])
    first, second = lesson["students"][:2]
    work = lesson["work_type"]
    entries = [{"studentId": s, "workTypeId": work, "mark": "5", "comment": "Устно"}
               for s in (first, second)]  # fmt: skip
    given = {"i": {"lessonId": lesson["gid"], "grades": entries}}
    assert (await api(GRADES, given, token=teacher)).data
    await _made_at(engine, account, at(8, 0))
    before = await rows(engine, "SELECT id, student_id, mark, comment FROM grade "
                        "WHERE lesson_id = :l ORDER BY id", l=lesson["id"])  # fmt: skip
    # when after 10:00 the account deletes the first and marks the second down
    changed = [{"studentId": first, "workTypeId": work, "mark": None, "version": 1},
               {"studentId": second, "workTypeId": work, "mark": "2", "version": 1}]  # fmt: skip
    assert (await api(GRADES, {"i": {"lessonId": lesson["gid"], "grades": changed}},
                      token=teacher)).data  # fmt: skip
    await _made_at(engine, account, at(10, 30))
    variables = {"s": await _school(engine), "p": person, "n": at(10, 0).isoformat()}
    reported = (await api(REPORT, variables, token=admin)).data["compromiseReport"]
    listed = await _operations(api, admin, reported["id"])
    assert sorted(o["change"]["action"] for o in listed) == ["CHANGED", "DELETED"]
    # and the admin voids them
    result = (await api(VOID, {"c": reported["id"], "n": 2}, token=admin)).data["compromiseVoid"]
    # then both grades stand as before, the deleted one under its own id again
    assert result["skipped"] == []
    after = await rows(engine, "SELECT id, student_id, mark, comment FROM grade "
                       "WHERE lesson_id = :l ORDER BY id", l=lesson["id"])  # fmt: skip
    assert [tuple(r) for r in after] == [tuple(r) for r in before]
    # and the grade change log has both undoings, by the admin
    admin_account, _ = await _account(engine, demo_school["admin"])
    undoings = await rows(
        engine,
        "SELECT kind, action, old_mark, new_mark FROM change WHERE entity = 'grade' "
        "AND changed_by_id = :a AND reason LIKE 'Voided:%' ORDER BY action",
        a=admin_account,
    )
    assert [tuple(r) for r in undoings] == [("grade", "changed", "2", "5"),
                                            ("grade", "created", None, "5")]  # fmt: skip


async def test_a_wrong_grade_report_made_with_the_account_is_voided(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-ACC-3, Е.1
    # given the student's fresh grade, and the student's account reporting it after 10:00
    found = await rows(
        engine,
        "SELECT g.id FROM grade g JOIN account a ON a.person_id = g.student_id "
        "WHERE a.login = :l ORDER BY g.id DESC",
        l=demo_school["student"],
    )
    grade_id = found[0][0]
    await execute(engine, "UPDATE grade SET created_at = :now WHERE id = :g",
                  now=datetime.now(UTC), g=grade_id)  # fmt: skip
    await execute(engine, "DELETE FROM grade_report")
    student = await api.login(demo_school["student"], "demo")
    report = "mutation($g: ID!, $t: String!) { gradeReport(gradeId: $g, text: $t) { id } }"
    text = "Оценку я не получал"
    grade = relay.to_base64("Grade", grade_id)
    assert (await api(report, {"g": grade, "t": text}, token=student)).data
    account, person = await _account(engine, demo_school["student"])
    await _made_at(engine, account, at(10, 20))
    # when the admin reports the account and voids what it did
    admin = await api.login(demo_school["admin"], "demo")
    variables = {"s": await _school(engine), "p": person, "n": at(10, 0).isoformat()}
    reported = (await api(REPORT, variables, token=admin)).data["compromiseReport"]
    listed = await _operations(api, admin, reported["id"])
    assert [o["change"]["record"] for o in listed] == ["GradeReport"]
    voided = (await api(VOID, {"c": reported["id"], "n": 1}, token=admin)).data
    # then the report is gone, and the grade stands
    assert [u["record"] for u in voided["compromiseVoid"]["undone"]] == ["GradeReport"]
    assert await rows(engine, "SELECT count(*) FROM grade_report") == [(0,)]
    assert await rows(engine, "SELECT count(*) FROM grade WHERE id = :g", g=grade_id) == [(1,)]
