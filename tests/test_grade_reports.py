"""Wrong-grade reports (Е.1): reported within 3 days by the student or a parent, answered by
the teacher, read by those who read the journal."""

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from tests.client import GraphQLClient
from tests.lessons import execute, rows

REPORT = """mutation($g: ID!, $t: String!) {
  gradeReport(gradeId: $g, text: $t) { id mark status student { id } }
}"""
ANSWER = """mutation($r: ID!, $a: String!) {
  gradeReportAnswer(reportId: $r, answer: $a) { status answer resolvedAt }
}"""
OPEN = "{ gradeReports(status: OPEN) { totalCount nodes { text grade { mark } } } }"


async def _students_grade(engine: AsyncEngine) -> tuple[int, int]:
    """The demo student's newest grade, given today, and the teacher of its lesson."""
    found = await rows(
        engine,
        "SELECT g.id, l.teacher_id FROM grade g JOIN account a ON a.person_id = g.student_id "
        "JOIN lesson l ON l.id = g.lesson_id WHERE a.login = 'student' ORDER BY g.id DESC",
    )
    grade_id, teacher = found[0]
    await execute(engine, "UPDATE grade SET created_at = :now WHERE id = :g",
                  now=datetime.now(UTC), g=grade_id)  # fmt: skip
    return grade_id, teacher


async def test_a_student_reports_a_grade_and_the_teacher_answers(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given the student's fresh grade
    grade_id, teacher = await _students_grade(engine)
    student = await api.login(demo_school["student"], "demo")
    grade = relay.to_base64("Grade", grade_id)
    # when they report it
    text = "Я отвечал у доски, а оценка поставлена за домашнюю работу"
    report = (await api(REPORT, {"g": grade, "t": text}, token=student)).data["gradeReport"]
    assert report["status"] == "OPEN"
    again = await api(REPORT, {"g": grade, "t": text}, token=student)
    assert again.error_code == "CONFLICT"
    # then the lesson's teacher sees it among the open reports and answers it
    login = (await rows(engine, "SELECT login FROM account WHERE person_id = :p", p=teacher))[0][0]
    demo_password = (
        "UPDATE account SET must_change_password = false, password_hash = "
        "(SELECT password_hash FROM account WHERE login = 'admin') WHERE login = :l"
    )
    await execute(engine, demo_password, l=login)
    token = await api.login(login, "demo")
    open_reports = (await api(OPEN, token=token)).data["gradeReports"]
    assert [n["text"] for n in open_reports["nodes"]] == [text]
    answered = await api(ANSWER, {"r": report["id"], "a": "Проверил, оценка верна."}, token=token)
    assert answered.data["gradeReportAnswer"]["status"] == "ANSWERED"
    assert (
        await api(ANSWER, {"r": report["id"], "a": "Ещё раз."}, token=token)
    ).error_code == "CONFLICT"
    # and the head reads the record; the parent may report their child's grade anew
    head = await api.login(demo_school["head"], "demo")
    listed = (await api("{ gradeReports { totalCount } }", token=head)).data["gradeReports"]
    assert listed["totalCount"] == 1
    parent = await api.login(demo_school["parent"], "demo")
    assert (await api(REPORT, {"g": grade, "t": text}, token=parent)).data
    # but nobody reports another child's grade: it is not found
    not_mine = (
        "SELECT min(g.id) FROM grade g JOIN account a "
        "ON a.login = 'student' WHERE g.student_id <> a.person_id"
    )
    others = (await rows(engine, not_mine))[0][0]
    other = {"g": relay.to_base64("Grade", others), "t": text}
    assert (await api(REPORT, other, token=student)).error_code == "NOT_FOUND"


async def test_reports_are_taken_within_three_days(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    grade_id, _ = await _students_grade(engine)
    await execute(engine, "UPDATE grade SET created_at = :old WHERE id = :g",
                  old=datetime.now(UTC) - timedelta(days=5), g=grade_id)  # fmt: skip
    student = await api.login(demo_school["student"], "demo")
    reply = await api(
        REPORT, {"g": relay.to_base64("Grade", grade_id), "t": "Оценка неверна"}, token=student
    )
    assert reply.error_code == "BAD_USER_INPUT"
    teacher = await api.login(demo_school["teacher"], "demo")
    assert (
        await api(
            REPORT, {"g": relay.to_base64("Grade", grade_id), "t": "Оценка неверна"}, token=teacher
        )
    ).error_codes


CORRECT = """mutation($r: ID!, $a: String!, $m: String) {
  gradeReportAnswer(reportId: $r, answer: $a, correctedMark: $m) {
    status grade { mark version } correction { oldMark newMark reason gradeReport { id } } } }"""


async def test_a_teacher_corrects_a_reported_grade_and_the_log_names_the_report(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # Е.1, R-AUDIT-1
    # given the student's report of a fresh grade in an open period, in a school whose edit
    # window does not close (the demo school is of 20 November; the clock is today's)
    grade_id, teacher = await _students_grade(engine)
    await execute(engine, "DELETE FROM grade_report")
    await execute(engine, "UPDATE school SET grade_edit_window = 'never'")
    mark = (await rows(engine, "SELECT mark FROM grade WHERE id = :g", g=grade_id))[0][0]
    right = "5" if mark != "5" else "4"
    student = await api.login(demo_school["student"], "demo")
    text = "Я писал контрольную без ошибок"
    grade = relay.to_base64("Grade", grade_id)
    report = (await api(REPORT, {"g": grade, "t": text}, token=student)).data["gradeReport"]
    login = (await rows(engine, "SELECT login FROM account WHERE person_id = :p", p=teacher))[0][0]
    await execute(
        engine,
        "UPDATE account SET must_change_password = false, password_hash = "
        "(SELECT password_hash FROM account WHERE login = 'admin') WHERE login = :l",
        l=login,
    )
    token = await api.login(login, "demo")
    # when a mark off the scale is given, nothing changes and the argument is named
    wrong = {"r": report["id"], "a": "Исправляю оценку", "m": "7"}
    refused = await api(CORRECT, wrong, token=token)
    assert refused.error_code == "BAD_USER_INPUT"
    assert refused.body["errors"][0]["extensions"]["argument"] == "correctedMark"
    # when the teacher answers with the right mark
    answer = {"r": report["id"], "a": "Вы правы, исправляю оценку", "m": right}
    answered = (await api(CORRECT, answer, token=token)).data["gradeReportAnswer"]
    # then the grade is corrected, and the report shows its correction, which names it
    assert answered["status"] == "ANSWERED"
    assert answered["grade"]["mark"] == right
    assert answered["correction"] == {
        "oldMark": mark,
        "newMark": right,
        "reason": "Вы правы, исправляю оценку",
        "gradeReport": {"id": report["id"]},
    }
    logged = await rows(
        engine,
        "SELECT c.new_mark, r.status FROM change c JOIN grade_report r "
        "ON r.id = c.grade_report_id WHERE c.entity_id = :g",
        g=grade_id,
    )
    assert [tuple(row) for row in logged] == [(right, "answered")]
    # and the student, who does not read the change log, sees the grade but not the record
    mine = """query($id: ID!) { node(id: $id) { ... on GradeReport { grade { mark }
      correction { newMark } } } }"""
    seen = (await api(mine, {"id": report["id"]}, token=student)).data["node"]
    assert seen == {"grade": {"mark": right}, "correction": None}


NOT_THE_CLASS_TEACHERS = """SELECT g.id, l.teacher_id FROM grade g
JOIN account a ON a.person_id = g.student_id AND a.login = 'student'
JOIN lesson l ON l.id = g.lesson_id
JOIN study_group sg ON sg.id = l.group_id JOIN school_class c ON c.id = sg.school_class_id
WHERE l.teacher_id <> c.class_teacher_id AND NOT EXISTS (SELECT 1 FROM timetable_entry t
  WHERE t.teacher_id = c.class_teacher_id AND t.group_id = l.group_id
    AND t.subject_id = l.subject_id)
ORDER BY g.id DESC LIMIT 1"""
STORED = "SELECT status, answer, resolved_by_id, resolved_at FROM grade_report WHERE id = :r"
WHO_ANSWERED = """mutation($r: ID!, $a: String!) {
  gradeReportAnswer(reportId: $r, answer: $a) { status answeredBy { id } } }"""


async def test_only_the_lessons_teacher_or_the_admin_answers_a_report(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # Е.1: the student reports a wrong grade; the answer is the teacher's
    # given the student's report of a fresh grade in a subject their class teacher does not teach
    grade_id, teacher = (await rows(engine, NOT_THE_CLASS_TEACHERS))[0]
    await execute(engine, "UPDATE grade SET created_at = :now WHERE id = :g",
                  now=datetime.now(UTC), g=grade_id)  # fmt: skip
    student = await api.login(demo_school["student"], "demo")
    text = "Оценка стоит за урок, на котором я болел"
    grade = relay.to_base64("Grade", grade_id)
    report = (await api(REPORT, {"g": grade, "t": text}, token=student)).data["gradeReport"]
    report_pk = relay.from_base64(report["id"])[1]
    answer = {"r": report["id"], "a": "Сам себе отвечаю: всё верно."}
    # when the student, the parent, the class teacher or the head answer it
    for role in ("student", "parent", "class_teacher", "head"):
        token = await api.login(demo_school[role], "demo")
        reply = await api(ANSWER, answer, token=token)
        # then they are refused, and the report stays open and unanswered
        assert reply.error_code == "FORBIDDEN", (role, reply.body)
        stored = (await rows(engine, STORED, r=report_pk))[0]
        assert tuple(stored) == ("open", None, None, None), role
    # and the lesson's teacher may not make a report of their own grade either
    login = (await rows(engine, "SELECT login FROM account WHERE person_id = :p", p=teacher))[0][0]
    await execute(
        engine,
        "UPDATE account SET must_change_password = false, password_hash = "
        "(SELECT password_hash FROM account WHERE login = 'admin') WHERE login = :l",
        l=login,
    )
    teacher_token = await api.login(login, "demo")
    await execute(engine, "DELETE FROM grade_report")
    made = await api(REPORT, {"g": grade, "t": text}, token=teacher_token)
    assert made.error_code == "FORBIDDEN"
    assert (await rows(engine, "SELECT count(*) FROM grade_report"))[0][0] == 0
    # when the admin answers a report, then it is answered, and the record keeps who did
    report = (await api(REPORT, {"g": grade, "t": text}, token=student)).data["gradeReport"]
    admin = await api.login(demo_school["admin"], "demo")
    answered = (await api(WHO_ANSWERED, answer | {"r": report["id"]}, token=admin)).data
    admin_person = (
        await rows(engine, "SELECT person_id FROM account WHERE login = :l", l=demo_school["admin"])
    )[0][0]
    assert answered["gradeReportAnswer"] == {
        "status": "ANSWERED",
        "answeredBy": {"id": relay.to_base64("Person", admin_person)},
    }
    # and the student reads who answered: the teacher's answer names the teacher
    await execute(engine, "DELETE FROM grade_report")
    report = (await api(REPORT, {"g": grade, "t": text}, token=student)).data["gradeReport"]
    by_teacher = await api(WHO_ANSWERED, answer | {"r": report["id"]}, token=teacher_token)
    assert by_teacher.data["gradeReportAnswer"]["answeredBy"] == {
        "id": relay.to_base64("Person", teacher)
    }
    mine = "query($id: ID!) { node(id: $id) { ... on GradeReport { answeredBy { id } } } }"
    seen = (await api(mine, {"id": report["id"]}, token=student)).data["node"]
    assert seen == {"answeredBy": {"id": relay.to_base64("Person", teacher)}}
