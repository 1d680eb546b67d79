"""The control of how journals are kept (R-CONTROL-1): per teacher, class and subject, what is
missing past its deadline and what was entered late, for the head, deputies, admin, inspectors."""

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.journal_days import blank_lesson_on, sunday_past
from tests.lessons import execute, rows, teacher_lesson

FIGURES = (
    "lessonsHeld lessonsWithoutTopic lessonsWithoutAttendance lessonsWithoutGrades "
    "lessonsWithoutHomework lateGrades lateAttendance lateHomework missingFinalGrades"
)
CONTROL = f"""query($s: ID!, $t: ID, $c: ID, $first: Int = 100, $after: String) {{
  journalControl(schoolId: $s, teacherId: $t, classId: $c, first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage hasPreviousPage endCursor }}
    nodes {{ {FIGURES} teacher {{ id }} schoolClass {{ id }} subject {{ id }} }} }} }}"""
GRADES = """mutation($i: GradesSetInput!) { gradesSet(input: $i) { grades { id } } }"""
MARK = """mutation($l: ID!) { attendanceMark(lessonId: $l, marks: []) { lesson { id } } }"""
HOMEWORK = """mutation($i: HomeworkAssignInput!) { homeworkAssign(input: $i) { id } }"""


async def _class_of(engine: AsyncEngine, group_id: int) -> int:
    found = await rows(engine, "SELECT school_class_id FROM study_group WHERE id = :g", g=group_id)
    class_id: int = found[0][0]
    return class_id


async def _teacher(engine: AsyncEngine, login: str) -> int:
    found = await rows(engine, "SELECT person_id FROM account WHERE login = :l", l=login)
    person: int = found[0][0]
    return person


async def _row(
    api: GraphQLClient, token: str, lesson: dict[str, Any], teacher: int, class_id: int
) -> dict[str, int]:
    """The control's row for the lesson's teacher, class and subject."""
    ids = {
        "s": relay.to_base64("School", lesson["school_id"]),
        "t": relay.to_base64("Person", teacher),
        "c": relay.to_base64("SchoolClass", class_id),
    }
    found = (await api(CONTROL, ids, token=token)).data["journalControl"]["nodes"]
    subject = relay.to_base64("Subject", lesson["subject_id"])
    (row,) = [r for r in found if r["subject"]["id"] == subject]
    assert row["teacher"]["id"] == ids["t"]
    assert row["schoolClass"]["id"] == ids["c"]
    return {name: row[name] for name in FIGURES.split()}


def _plus(row: dict[str, int], **delta: int) -> dict[str, int]:
    return {name: value + delta.get(name, 0) for name, value in row.items()}


async def test_the_head_sees_what_a_teacher_left_undone_and_did_late(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-CONTROL-1
    # given a teacher's lesson a week ago with its topic and nothing else recorded
    head = await api.login(demo_school["head"], "demo")
    teacher_token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    teacher = await _teacher(engine, demo_school["teacher"])
    class_id = await _class_of(engine, lesson["group_id"])
    await blank_lesson_on(engine, lesson, sunday_past())
    before = await _row(api, head, lesson, teacher, class_id)
    assert before["lessonsHeld"] > 10
    # when its topic goes missing too
    await execute(engine, "UPDATE lesson SET topic = NULL WHERE id = :l", l=lesson["id"])
    # then the head sees no topic and no attendance (the homework was missing already)
    bare = await _row(api, head, lesson, teacher, class_id)
    assert bare == _plus(before, lessonsWithoutTopic=1)
    assert bare["lessonsWithoutAttendance"] >= 1
    assert bare["lessonsWithoutHomework"] >= 1
    # when the teacher now takes attendance, sets homework and grades two students
    assert (await api(MARK, {"l": lesson["gid"]}, token=teacher_token)).data
    due = (sunday_past() + timedelta(days=2)).isoformat()
    homework = {"lessonId": lesson["gid"], "text": "Упр. 3", "dueOn": due}
    assert (await api(HOMEWORK, {"i": homework}, token=teacher_token)).data
    grades = [
        {"studentId": student, "workTypeId": lesson["work_type"], "mark": "5"}
        for student in lesson["students"][:2]
    ]
    entry = {"i": {"lessonId": lesson["gid"], "grades": grades}}
    assert (await api(GRADES, entry, token=teacher_token)).data
    # then nothing is missing but the topic, and the entries count as late
    late = await _row(api, head, lesson, teacher, class_id)
    assert late == _plus(
        bare,
        lessonsWithoutAttendance=-1,
        lessonsWithoutHomework=-1,
        lateAttendance=1,
        lateHomework=1,
        lateGrades=2,
    )
    # when the grades are deleted again, the work type stays declared without grades
    for grade in grades:
        grade.update(mark=None, version=1)
    assert (await api(GRADES, entry, token=teacher_token)).data
    ungraded = await _row(api, head, lesson, teacher, class_id)
    assert ungraded == _plus(late, lateGrades=-2, lessonsWithoutGrades=1)


async def test_missing_term_grades_are_counted_per_student(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-CONTROL-1, R-FINAL-1
    # given the first quarter, over for weeks, and two of a group's quarter grades removed
    head = await api.login(demo_school["head"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"], locked=True)
    teacher = await _teacher(engine, demo_school["teacher"])
    class_id = await _class_of(engine, lesson["group_id"])
    before = await _row(api, head, lesson, teacher, class_id)
    assert before["missingFinalGrades"] == 0
    await execute(
        engine,
        "DELETE FROM final_grade WHERE id IN (SELECT f.id FROM final_grade f JOIN period p "
        "ON p.id = f.period_id WHERE f.group_id = :g AND f.subject_id = :s AND p.number = 1 "
        "AND p.kind = 'quarter' ORDER BY f.id LIMIT 2)",
        g=lesson["group_id"],
        s=lesson["subject_id"],
    )
    # then the head sees the two missing
    after = await _row(api, head, lesson, teacher, class_id)
    assert after == _plus(before, missingFinalGrades=2)


async def test_the_control_costs_the_same_statements_for_a_class_and_a_school(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:  # R-CONTROL-1, constant SQL
    head = await api.login(demo_school["head"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    school = relay.to_base64("School", lesson["school_id"])
    one_class = relay.to_base64("SchoolClass", await _class_of(engine, lesson["group_id"]))
    counts, sizes = [], []
    for variables in [{"s": school, "c": one_class}, {"s": school}]:
        sql.reset()
        found = (await api(CONTROL, variables, token=head)).data["journalControl"]["nodes"]
        counts.append(sql.count)
        sizes.append(len(found))
    assert sizes[0] < sizes[1]
    assert counts[0] == counts[1] <= 10, sql.statements
    # and first graders, who get no homework, lack none
    first = await rows(engine, "SELECT id FROM school_class WHERE parallel = 1")
    first_grade = {relay.to_base64("SchoolClass", class_id) for (class_id,) in first}
    rows_of_first = [r for r in found if r["schoolClass"]["id"] in first_grade]
    assert rows_of_first
    assert {r["lessonsWithoutHomework"] for r in rows_of_first} == {0}
    assert any(r["lessonsWithoutHomework"] for r in found)


async def test_only_those_who_control_journals_may_ask(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-CONTROL-1
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    school = {"s": relay.to_base64("School", lesson["school_id"])}
    for role in ["head", "deputy", "admin"]:
        token = await api.login(demo_school[role], "demo")
        assert (await api(CONTROL, school, token=token)).data["journalControl"]["nodes"], role
    inspector = await api(CONTROL, school, token="tbl_demo.inspector")
    assert inspector.data["journalControl"]["nodes"]
    for role in ["teacher", "class_teacher", "psychologist", "student", "parent"]:
        token = await api.login(demo_school[role], "demo")
        assert (await api(CONTROL, school, token=token)).error_code == "FORBIDDEN", role
    assert (await api(CONTROL, school)).error_code == "UNAUTHENTICATED"
    head = await api.login(demo_school["head"], "demo")
    elsewhere = {"s": relay.to_base64("School", 10**6)}
    assert (await api(CONTROL, elsewhere, token=head)).error_code == "NOT_FOUND"
    backwards = """query($s: ID!) { journalControl(schoolId: $s, dateFrom: "2026-11-10",
      dateTo: "2026-11-01") { totalCount } }"""
    refused = await api(backwards, school, token=head)
    assert refused.error_code == "BAD_USER_INPUT"
    assert refused.body["errors"][0]["extensions"]["argument"] == "dateFrom"


async def test_work_the_plan_sets_for_a_lesson_is_expected_to_be_graded(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-TOPIC-1, R-CONTROL-1
    # given a teacher's lesson a week ago with nothing recorded
    head = await api.login(demo_school["head"], "demo")
    teacher_token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    teacher = await _teacher(engine, demo_school["teacher"])
    class_id = await _class_of(engine, lesson["group_id"])
    await blank_lesson_on(engine, lesson, sunday_past())
    before = await _row(api, head, lesson, teacher, class_id)
    planned = await rows(
        engine,
        "SELECT pi.id FROM plan_item pi JOIN plan p ON p.id = pi.plan_id JOIN work_type w "
        "ON w.id = pi.work_type_id WHERE p.subject_id = :s AND w.checking_days <= 5 "
        "ORDER BY pi.id",
        s=lesson["subject_id"],
    )
    version = await rows(engine, "SELECT version FROM lesson WHERE id = :l", l=lesson["id"])
    # when the teacher gives the lesson the КТП topic that plans a test
    update = """mutation($i: LessonUpdateInput!) { lessonUpdate(input: $i) { workTypes { id } } }"""
    given = {"lessonId": lesson["gid"], "version": version[0][0],
             "planItemId": relay.to_base64("PlanItem", planned[0][0])}  # fmt: skip
    declared = (await api(update, {"i": given}, token=teacher_token)).data["lessonUpdate"]
    # then the test is the lesson's work, and its checking days over, its grades are missing
    assert len(declared["workTypes"]) == 1
    after = await _row(api, head, lesson, teacher, class_id)
    assert after == _plus(before, lessonsWithoutGrades=1)


async def test_the_control_comes_in_pages_that_cost_the_same_statements(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:  # R-CONTROL-1, constant SQL; issue 10: long lists paged
    # given the head and the whole school's control in one page
    head = await api.login(demo_school["head"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    school = relay.to_base64("School", lesson["school_id"])
    whole = (await api(CONTROL, {"s": school}, token=head)).data["journalControl"]
    assert 20 < whole["totalCount"] == len(whole["nodes"]) <= 100
    assert not whole["pageInfo"]["hasNextPage"]
    # when they read it 7 rows at a time, following endCursor
    pages, counts, after = [], [], None
    while True:
        sql.reset()
        variables = {"s": school, "first": 7, "after": after}
        page = (await api(CONTROL, variables, token=head)).data["journalControl"]
        counts.append(sql.count)
        pages.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    # then the pages hold the whole report, in its order, each row once
    assert [row for page in pages for row in page["nodes"]] == whole["nodes"]
    assert {len(page["nodes"]) for page in pages[:-1]} == {7}
    assert {page["totalCount"] for page in pages} == {whole["totalCount"]}
    assert [page["pageInfo"]["hasPreviousPage"] for page in pages[:2]] == [False, True]
    # and every page costs the statements of the first
    assert len(set(counts)) == 1, counts
    # and first: 0 counts without rows, a made-up cursor is refused
    empty = (await api(CONTROL, {"s": school, "first": 0}, token=head)).data["journalControl"]
    assert (empty["nodes"], empty["totalCount"]) == ([], whole["totalCount"])
    for cursor in ["bm90IGEgY3Vyc29y", pages[0]["pageInfo"]["endCursor"] + "A"]:
        refused = await api(CONTROL, {"s": school, "after": cursor}, token=head)
        assert refused.error_code == "BAD_USER_INPUT"
        assert refused.body["errors"][0]["extensions"]["argument"] == "after"
    too_many = await api(CONTROL, {"s": school, "first": 101}, token=head)
    assert too_many.error_code == "BAD_USER_INPUT"
