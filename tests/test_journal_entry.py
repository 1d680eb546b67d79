"""Filling in a lesson: attendance (R-ATT-1), topic (R-TOPIC-1), substitutes (R-SUB-1),
homework (R-HW-1) — through the endpoint with the teachers' own tokens."""

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from tests.client import GraphQLClient
from tests.lessons import execute, rows, teacher_lesson

MARK = """mutation($l: ID!, $m: [AttendanceEntryInput!]!) {
  attendanceMark(lessonId: $l, marks: $m) { attendance { kind lateMinutes version student { id } } }
}"""
UPDATE = """mutation($i: LessonUpdateInput!) {
  lessonUpdate(input: $i) { topic material status version planItem { topic } substitute { id } }
}"""
SUBSTITUTE = """mutation($l: ID!, $v: Int!, $s: ID) {
  lessonSubstitute(lessonId: $l, version: $v, substituteId: $s) { version substitute { id } }
}"""
HOMEWORK = """mutation($i: HomeworkAssignInput!) {
  homeworkAssign(input: $i) { text dueOn isIndividual students { id } }
}"""


async def test_attendance_is_marked_in_bulk_with_minutes_for_lates(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-ATT-1
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    await execute(engine, "DELETE FROM attendance WHERE lesson_id = :l", l=lesson["id"])
    first, second, third = lesson["students"][:3]
    marks = [
        {"studentId": first, "kind": "ILL"},
        {"studentId": second, "kind": "LATE", "lateMinutes": 7},
        {"studentId": third, "kind": "ABSENT_UNEXCUSED"},
    ]
    marked = (await api(MARK, {"l": lesson["gid"], "m": marks}, token=token)).data
    assert [(a["kind"], a["lateMinutes"]) for a in marked["attendanceMark"]["attendance"]] == [
        ("ILL", None), ("LATE", 7), ("ABSENT_UNEXCUSED", None)
    ]  # fmt: skip
    # a late without minutes, and minutes without a late, are refused and change nothing
    for bad in [{"studentId": first, "kind": "LATE", "version": 1},
                {"studentId": first, "kind": "ILL", "lateMinutes": 5, "version": 1}]:  # fmt: skip
        reply = await api(MARK, {"l": lesson["gid"], "m": [bad]}, token=token)
        assert reply.error_code == "BAD_USER_INPUT"
        assert reply.body["errors"][0]["extensions"]["field"] == "lateMinutes"
    # the class teacher's correction: the unexcused absence had a valid reason; the ill one came
    fix = [{"studentId": third, "kind": "ABSENT_VALID", "version": 1},
           {"studentId": first, "kind": None, "version": 1}]  # fmt: skip
    fixed = (await api(MARK, {"l": lesson["gid"], "m": fix}, token=token)).data
    kinds = {
        a["student"]["id"]: (a["kind"], a["version"]) for a in fixed["attendanceMark"]["attendance"]
    }
    assert kinds == {second: ("LATE", 1), third: ("ABSENT_VALID", 2)}
    stale = await api(
        MARK,
        {"l": lesson["gid"], "m": [{"studentId": third, "kind": "ILL", "version": 1}]},
        token=token,
    )
    assert stale.error_code == "CONFLICT"


async def test_a_locked_period_takes_no_attendance(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-LOCK-1
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"], locked=True)
    await execute(engine, "DELETE FROM attendance WHERE lesson_id = :l", l=lesson["id"])
    marks = [{"studentId": lesson["students"][0], "kind": "ILL"}]
    assert (
        await api(MARK, {"l": lesson["gid"], "m": marks}, token=token)
    ).error_code == "PERIOD_LOCKED"


async def test_the_topic_comes_from_the_plan_and_a_held_lesson_needs_one(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-TOPIC-1
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    plan = "SELECT pi.id, pi.topic FROM plan_item pi JOIN plan p ON p.id = pi.plan_id"
    item = (
        await rows(engine, f"{plan} WHERE p.subject_id = :s ORDER BY pi.id", s=lesson["subject_id"])
    )[0]
    given = {"lessonId": lesson["gid"], "version": lesson["version"]}
    from_plan = {**given, "planItemId": relay.to_base64("PlanItem", item.id), "material": "§ 12"}
    updated = await api(UPDATE, {"i": from_plan}, token=token)
    lesson_now = updated.data["lessonUpdate"]
    assert (lesson_now["topic"], lesson_now["planItem"]["topic"]) == (item.topic, item.topic)
    assert lesson_now["material"] == "§ 12"
    assert lesson_now["version"] == lesson["version"] + 1
    empty = await api(
        UPDATE, {"i": {**given, "version": lesson_now["version"], "topic": "  "}}, token=token
    )
    assert empty.error_code == "BAD_USER_INPUT"
    stale = await api(UPDATE, {"i": {**given, "topic": "Повторение"}}, token=token)
    assert stale.error_code == "CONFLICT"


async def test_a_substitute_fills_in_that_lesson_and_no_other(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-SUB-1
    # given the admin records that the psychologist gave a teacher's lesson
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    admin = await api.login(demo_school["admin"], "demo")
    substitute = (await rows(engine, "SELECT person_id FROM account WHERE login = 'psychologist'"))[
        0
    ][0]
    recorded = await api(
        SUBSTITUTE,
        {"l": lesson["gid"], "v": lesson["version"], "s": relay.to_base64("Person", substitute)},
        token=admin,
    )
    assert recorded.data["lessonSubstitute"]["substitute"]["id"] == relay.to_base64(
        "Person", substitute
    )
    # when the substitute marks attendance there, then it goes in; other lessons stay closed
    token = await api.login(demo_school["psychologist"], "demo")
    await execute(engine, "DELETE FROM attendance WHERE lesson_id = :l", l=lesson["id"])
    marks = [{"studentId": lesson["students"][0], "kind": "ILL"}]
    assert (await api(MARK, {"l": lesson["gid"], "m": marks}, token=token)).data
    teachers_lessons = (
        "SELECT id FROM lesson WHERE id <> :l AND teacher_id = "
        "(SELECT person_id FROM account WHERE login = 'teacher') ORDER BY id DESC"
    )
    other = (await rows(engine, teachers_lessons, l=lesson["id"]))[0][0]
    assert (
        await api(MARK, {"l": relay.to_base64("Lesson", other), "m": marks}, token=token)
    ).error_code == "NOT_FOUND"
    # and the lesson's own teacher may clear it (they gave the lesson after all); the head may not
    teacher = await api.login(demo_school["teacher"], "demo")
    clear = {"l": lesson["gid"], "v": lesson["version"] + 1, "s": None}
    assert (await api(SUBSTITUTE, clear, token=teacher)).data["lessonSubstitute"][
        "substitute"
    ] is None
    head = await api.login(demo_school["head"], "demo")
    again = {"l": lesson["gid"], "v": lesson["version"] + 2, "s": None}
    assert (await api(SUBSTITUTE, again, token=head)).error_code == "FORBIDDEN"


async def test_homework_for_the_group_or_for_listed_students(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-HW-1
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    due = (lesson["held_on"] + timedelta(days=2)).isoformat()

    def assign(text: str, due_on: str = due, **extra: object) -> dict[str, object]:
        return {"i": {"lessonId": lesson["gid"], "text": text, "dueOn": due_on, **extra}}

    general = (await api(HOMEWORK, assign("Упр. 5", pages="12-13"), token=token)).data
    assert general["homeworkAssign"] == {
        "text": "Упр. 5", "dueOn": due, "isIndividual": False, "students": []
    }  # fmt: skip
    one, other = lesson["students"][:2]
    individual = (await api(HOMEWORK, assign("Доклад", studentIds=[one]), token=token)).data
    assert individual["homeworkAssign"]["students"] == [{"id": one}]
    # it shows in that student's homework list, not in a classmate's
    query = """query($s: ID!, $d: Date!) {
      homework(filter: {studentId: $s, dateFrom: $d, dateTo: $d}) { nodes { text } } }"""
    day = lesson["held_on"].isoformat()
    admin = await api.login(demo_school["admin"], "demo")
    for student, sees in [(one, True), (other, False)]:
        texts = [
            n["text"]
            for n in (await api(query, {"s": student, "d": day}, token=admin)).data["homework"][
                "nodes"
            ]
        ]
        assert ("Доклад" in texts) is sees
        assert "Упр. 5" in texts
    # homework due on the lesson's own day, or set by the head, is refused
    same_day = assign("x", lesson["held_on"].isoformat())
    assert (await api(HOMEWORK, same_day, token=token)).error_code == "BAD_USER_INPUT"
    head = await api.login(demo_school["head"], "demo")
    assert (await api(HOMEWORK, assign("x"), token=head)).error_code == "FORBIDDEN"


DAY = """mutation($c: ID!, $d: Date!, $m: [DayAbsenceInput!]!) {
  attendanceDayMark(classId: $c, date: $d, marks: $m) { kind lesson { id } student { id } }
}"""


async def test_the_class_teacher_marks_a_whole_day_of_absence(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-ATT-1
    # given the class teacher's class and a November day with lessons
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
    student = (
        await rows(
            engine,
            "SELECT min(student_id) FROM class_student WHERE school_class_id = :c",
            c=class_id,
        )
    )[0][0]
    await execute(engine, "DELETE FROM attendance WHERE student_id = :s", s=student)
    lessons = await rows(
        engine,
        "SELECT count(*) FROM lesson l JOIN study_group g ON g.id = l.group_id "
        "WHERE g.school_class_id = :c AND l.held_on = :d AND l.status <> 'cancelled' AND ("
        "g.kind = 'whole_class' OR EXISTS (SELECT 1 FROM group_student gs "
        "WHERE gs.group_id = g.id AND gs.student_id = :s))",
        c=class_id, d=day, s=student,
    )  # fmt: skip
    of_the_day = (
        "SELECT l.id FROM lesson l JOIN study_group g ON g.id = l.group_id "
        "WHERE g.school_class_id = :c AND l.held_on = :d AND l.status <> 'cancelled'"
    )
    await execute(engine, "UPDATE lesson SET attendance_taken_at = NULL, attendance_on_time = "
                  f"NULL WHERE id IN ({of_the_day})", c=class_id, d=day)  # fmt: skip
    token = await api.login(demo_school["class_teacher"], "demo")
    who = relay.to_base64("Person", student)
    variables: dict[str, object] = {
        "c": relay.to_base64("SchoolClass", class_id),
        "d": day,
        "m": [{"studentId": who, "kind": "ILL"}],
    }
    # when they record the student ill for the day
    marked = (await api(DAY, variables, token=token)).data["attendanceDayMark"]
    # then every lesson of the student's that day has the mark
    assert len(marked) == lessons[0][0] > 1
    assert {a["kind"] for a in marked} == {"ILL"}
    # and every lesson of the class that day has its attendance taken, days late (R-CONTROL-1)
    taken = await rows(
        engine,
        "SELECT count(*), count(attendance_taken_at), "
        "sum(CASE WHEN attendance_on_time THEN 0 ELSE 1 END) FROM lesson "
        f"WHERE id IN ({of_the_day})",
        c=class_id, d=day,
    )  # fmt: skip
    assert taken[0][0] == taken[0][1] == taken[0][2] >= len(marked)
    # and a subject teacher may not do it for the whole class; a late is no day's record
    teacher = await api.login(demo_school["teacher"], "demo")
    assert (await api(DAY, variables, token=teacher)).error_codes[0] in {"FORBIDDEN", "NOT_FOUND"}
    late = {**variables, "m": [{"studentId": who, "kind": "LATE"}]}
    assert (await api(DAY, late, token=token)).error_code == "BAD_USER_INPUT"
