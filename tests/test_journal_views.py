"""The journal's screens (issue 5): each is complete, filtered for the caller, and costs the same
SQL for a class of 10 or 40 and for one term of data or three."""

import re
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

# The screens' queries are the benchmark's, which checks their answers against hand-written SQL.
from bench.shapes import DIARY_QUERY as DIARY
from bench.shapes import GRID_QUERY as GRID
from bench.shapes import JOURNAL_QUERY as CLASS_JOURNAL
from bench.shapes import OVERVIEW_QUERY as OVERVIEW
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.lessons import execute, rows

AVERAGES = """
query($group: ID!, $subject: ID!, $period: ID!) {
  gradeAverages(filter: {groupId: $group, subjectId: $subject, periodId: $period}, first: 100) {
    nodes { average weightedAverage student { id } }
  }
}
"""

LISTS = """
query($group: ID!, $subject: ID!, $period: ID!) {
  lessons(filter: {groupId: $group, subjectId: $subject, periodId: $period}) { totalCount }
  grades(filter: {groupId: $group, subjectId: $subject, periodId: $period}) { totalCount }
  attendance(filter: {groupId: $group, subjectId: $subject, periodId: $period}) { totalCount }
}
"""


async def _teachers_grid(engine: AsyncEngine, login: str) -> dict[str, Any]:
    """A group and subject the teacher teaches, and the school's quarters."""
    group_id, subject_id, school_id = (
        await rows(
            engine,
            """SELECT t.group_id, t.subject_id, t.school_id FROM timetable_entry t
            JOIN account a ON a.person_id = t.teacher_id
            JOIN study_group g ON g.id = t.group_id
            WHERE a.login = :login ORDER BY g.kind DESC, t.id LIMIT 1""",
            login=login,
        )
    )[0]
    quarters = await rows(
        engine,
        "SELECT id, starts_on, ends_on FROM period WHERE school_id = :s AND kind = 'quarter' "
        "ORDER BY number",
        s=school_id,
    )
    return {
        "group_id": group_id,
        "school_id": school_id,
        "group": relay.to_base64("Group", group_id),
        "subject": relay.to_base64("Subject", subject_id),
        "quarters": [relay.to_base64("Period", row[0]) for row in quarters],
        "quarter_rows": quarters,
    }


async def test_grade_grid_holds_the_journal_page_and_its_averages(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given a teacher's group and subject in the first quarter
    grid = await _teachers_grid(engine, demo_school["teacher"])
    token = await api.login(demo_school["teacher"], "demo")
    variables = {"group": grid["group"], "subject": grid["subject"], "period": grid["quarters"][0]}
    # when the grid is read
    data = (await api(GRID, variables, token=token)).data["gradeGrid"]
    # then it holds the group's students, the lessons in order, and their grades and absences
    lessons = data["lessons"]
    assert len(data["students"]) >= 5
    assert len(lessons) >= 10
    assert [(x["heldOn"], x["bellNumber"]) for x in lessons] == sorted(
        (x["heldOn"], x["bellNumber"]) for x in lessons
    )
    starts_on, ends_on = (date.fromisoformat(str(d)) for d in grid["quarter_rows"][0][1:])
    assert all(starts_on <= date.fromisoformat(x["heldOn"]) <= ends_on for x in lessons)
    lesson_ids = {x["id"] for x in lessons}
    student_ids = {x["id"] for x in data["students"]}
    lists = (await api(LISTS, variables, token=token)).data
    assert len(data["grades"]) == lists["grades"]["totalCount"] > 10
    assert len(data["attendance"]) == lists["attendance"]["totalCount"]
    assert len(lessons) == lists["lessons"]["totalCount"]
    assert all(g["lessonId"] in lesson_ids for g in data["grades"])
    assert {g["studentId"] for g in data["grades"]} <= student_ids
    assert all(a["lessonId"] in lesson_ids for a in data["attendance"])
    assert any(x["workTypes"] for x in lessons)
    # and each ID is the node's own
    node = await api(
        "query($id: ID!) { node(id: $id) { ... on Lesson { heldOn } } }",
        {"id": lessons[0]["id"]},
        token=token,
    )
    assert node.data["node"]["heldOn"] == lessons[0]["heldOn"]
    # and the averages are those of gradeAverages (R-SUMMARY-1: one computation everywhere)
    expected = (await api(AVERAGES, variables, token=token)).data["gradeAverages"]["nodes"]
    by_student = {a["student"]["id"]: (a["average"], a["weightedAverage"]) for a in expected}
    got = {
        s["id"]: (s["average"], s["weightedAverage"])
        for s in data["students"]
        if s["average"] is not None
    }
    assert got == by_student
    assert got


async def test_grade_grid_is_filtered_for_the_caller(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given a grid of the teacher's and a student of another class
    grid = await _teachers_grid(engine, demo_school["teacher"])
    variables = {"group": grid["group"], "subject": grid["subject"], "period": grid["quarters"][0]}
    # when a student who is not in the group asks for it
    outsider = await rows(
        engine,
        """SELECT a.login FROM account a JOIN class_student cs ON cs.student_id = a.person_id
        JOIN study_group g ON g.school_class_id = cs.school_class_id
        WHERE g.id <> :g AND g.kind = 'whole_class'
          AND cs.school_class_id <> (SELECT school_class_id FROM study_group WHERE id = :g)
        ORDER BY a.id LIMIT 1""",
        g=grid["group_id"],
    )
    await execute(engine, "UPDATE account SET must_change_password = false")
    await execute(
        engine,
        "UPDATE account SET password_hash = (SELECT password_hash FROM account WHERE login = :l) "
        "WHERE login = :o",
        l=demo_school["student"],
        o=outsider[0][0],
    )
    token = await api.login(outsider[0][0], "demo")
    reply = await api(GRID, variables, token=token)
    # then the group is not there for them
    assert reply.error_code == "NOT_FOUND"
    # and a student of the group sees only their own grades and marks in it
    own = await rows(
        engine,
        """SELECT a.login, a.person_id FROM account a
        JOIN class_student cs ON cs.student_id = a.person_id
        JOIN study_group g ON g.school_class_id = cs.school_class_id
        WHERE g.id = :g ORDER BY a.id LIMIT 1""",
        g=grid["group_id"],
    )
    await execute(
        engine,
        "UPDATE account SET password_hash = (SELECT password_hash FROM account WHERE login = :l) "
        "WHERE login = :o",
        l=demo_school["student"],
        o=own[0][0],
    )
    token = await api.login(own[0][0], "demo")
    data = (await api(GRID, variables, token=token)).data["gradeGrid"]
    me = relay.to_base64("Person", own[0][1])
    assert data["grades"]
    assert {g["studentId"] for g in data["grades"]} == {me}
    assert {a["studentId"] for a in data["attendance"]} <= {me}
    assert len(data["lessons"]) >= 10


async def _add_students(engine: AsyncEngine, group_id: int, count: int) -> None:
    """`count` more students in the group (and its class)."""
    for n in range(count):
        await execute(
            engine,
            "INSERT INTO person (region_id, last_name, first_name) "
            "SELECT region_id, :last, 'Новый' FROM person ORDER BY id LIMIT 1",
            last=f"Ученик{n:02d}",
        )
        await execute(
            engine,
            """INSERT INTO class_student (school_class_id, school_year_id, student_id)
            SELECT g.school_class_id, c.school_year_id, (SELECT max(id) FROM person)
            FROM study_group g JOIN school_class c ON c.id = g.school_class_id
            WHERE g.id = :g""",
            g=group_id,
        )
        await execute(
            engine,
            """INSERT INTO school_role (person_id, school_id, role)
            SELECT (SELECT max(id) FROM person), school_id, 'student' FROM study_group
            WHERE id = :g""",
            g=group_id,
        )
        await execute(
            engine,
            """INSERT INTO group_student (group_id, student_id)
            SELECT id, (SELECT max(id) FROM person) FROM study_group
            WHERE id = :g AND kind <> 'whole_class'""",
            g=group_id,
        )


async def test_grade_grid_costs_the_same_sql_for_10_or_40_students_and_a_term_or_the_year(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:
    grid = await _teachers_grid(engine, demo_school["teacher"])
    token = await api.login(demo_school["admin"], "demo")
    # the year: every term of data so far
    year = await rows(
        engine, "SELECT id FROM period WHERE school_id = :s AND kind = 'year'", s=grid["school_id"]
    )

    async def count(period: str) -> tuple[int, int, int]:
        variables = {"group": grid["group"], "subject": grid["subject"], "period": period}
        sql.reset()
        data = (await api(GRID, variables, token=token)).data["gradeGrid"]
        return sql.count, len(data["students"]), len(data["lessons"])

    one_term = await count(grid["quarters"][0])
    the_year = await count(relay.to_base64("Period", year[0][0]))
    await _add_students(engine, grid["group_id"], 40 - one_term[1])
    forty = await count(grid["quarters"][0])
    assert the_year[2] > one_term[2]
    assert forty[1] == 40
    assert one_term[0] == the_year[0] == forty[0] <= 10, sql.statements


async def _class_of(engine: AsyncEngine, login: str) -> tuple[int, str]:
    found = await rows(
        engine,
        "SELECT sc.id FROM school_class sc JOIN account a ON a.person_id = sc.class_teacher_id "
        "WHERE a.login = :login",
        login=login,
    )
    return found[0][0], relay.to_base64("SchoolClass", found[0][0])


async def test_class_journal_page_holds_every_subject_of_the_class(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:
    # given the class teacher's class and two weeks of its journal
    class_pk, class_id = await _class_of(engine, demo_school["class_teacher"])
    token = await api.login(demo_school["class_teacher"], "demo")
    variables = {"class": class_id, "from": "2026-11-02", "to": "2026-11-15"}
    # when the page is read
    data = (await api(CLASS_JOURNAL, variables, token=token)).data["classJournal"]
    # then it holds every lesson of the class's groups in those dates, in every subject
    expected = await rows(
        engine,
        """SELECT count(*), count(DISTINCT subject_id) FROM lesson
        WHERE group_id IN (SELECT id FROM study_group WHERE school_class_id = :c)
          AND held_on BETWEEN '2026-11-02' AND '2026-11-15'""",
        c=class_pk,
    )
    lessons = data["lessons"]
    assert len(lessons) == expected[0][0]
    assert len({x["subject"]["id"] for x in lessons}) == expected[0][1] > 3
    assert all("2026-11-02" <= x["heldOn"] <= "2026-11-15" for x in lessons)
    assert all(x["teacher"]["shortName"] for x in lessons)
    assert any(x["homework"] for x in lessons)
    lesson_ids = {x["id"] for x in lessons}
    assert data["grades"]
    assert all(g["lessonId"] in lesson_ids for g in data["grades"])
    students = await rows(
        engine, "SELECT count(*) FROM class_student WHERE school_class_id = :c", c=class_pk
    )
    assert len(data["students"]) == students[0][0]
    # and a page of one week costs the statements of a page of three months
    sql.reset()
    await api(CLASS_JOURNAL, {**variables, "to": "2026-11-08"}, token=token)
    short = sql.count
    sql.reset()
    await api(CLASS_JOURNAL, {**variables, "from": "2026-09-01", "to": "2026-11-20"}, token=token)
    assert sql.count == short <= 12, sql.statements


async def test_class_journal_pages_are_bounded(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    _, class_id = await _class_of(engine, demo_school["class_teacher"])
    token = await api.login(demo_school["head"], "demo")
    too_long = {"class": class_id, "from": "2026-09-01", "to": "2026-12-31"}
    backwards = {"class": class_id, "from": "2026-11-10", "to": "2026-11-01"}
    for variables in (too_long, backwards):
        reply = await api(CLASS_JOURNAL, variables, token=token)
        assert reply.error_code == "BAD_USER_INPUT"


async def test_diary_week_shows_the_students_lessons_grades_and_the_timetable_ahead(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:
    # given a student, and the week that holds the demo's today (Friday 2026-11-20)
    student = (await rows(engine, "SELECT person_id FROM account WHERE login = :l", l="student"))[
        0
    ][0]
    student_id = relay.to_base64("Person", student)
    token = await api.login(demo_school["student"], "demo")
    # when they open their diary on Wednesday
    sql.reset()
    data = (await api(DIARY, {"student": student_id, "week": "2026-11-18"}, token=token)).data
    this_week = sql.count
    days = data["diaryWeek"]["days"]
    # then it runs Monday to the school's last school day
    week_length = await rows(
        engine,
        """SELECT s.week_length FROM school s JOIN school_class sc ON sc.school_id = s.id
        JOIN class_student cs ON cs.school_class_id = sc.id WHERE cs.student_id = :p""",
        p=student,
    )
    assert [d["date"] for d in days][:2] == ["2026-11-16", "2026-11-17"]
    assert len(days) == week_length[0][0]
    # and each day holds the lessons of the student's groups, by bell
    held = await rows(
        engine,
        """SELECT held_on, count(*) FROM lesson WHERE held_on BETWEEN '2026-11-16' AND '2026-11-22'
          AND group_id IN (SELECT g.id FROM study_group g JOIN class_student cs
                           ON cs.school_class_id = g.school_class_id
                           WHERE cs.student_id = :p AND g.kind = 'whole_class'
                           UNION SELECT group_id FROM group_student WHERE student_id = :p)
        GROUP BY held_on""",
        p=student,
    )
    by_day = {str(day): count for day, count in held}
    for day in days:
        with_id = [x for x in day["lessons"] if x["id"] is not None]
        assert len(with_id) == by_day.get(day["date"], 0)
        bells = [x["bellNumber"] for x in day["lessons"]]
        assert bells == sorted(bells)
    # and the grades are the student's own, as many as they got that week
    grades = await rows(
        engine,
        """SELECT count(*) FROM grade g JOIN lesson l ON l.id = g.lesson_id
        WHERE g.student_id = :p AND l.held_on BETWEEN '2026-11-16' AND '2026-11-22'""",
        p=student,
    )
    shown = [g for d in days for x in d["lessons"] for g in x["grades"]]
    assert len(shown) == grades[0][0] > 0
    assert all(g["workType"]["weight"] for g in shown)
    assert any(x["homework"] for d in days for x in d["lessons"])
    assert all(x["topic"] for d in days[:4] for x in d["lessons"] if x["status"] == "HELD")
    # and next week, nothing held yet, shows the timetable ahead
    sql.reset()
    ahead = (await api(DIARY, {"student": student_id, "week": "2026-11-23"}, token=token)).data
    slots = [x for d in ahead["diaryWeek"]["days"] for x in d["lessons"]]
    assert slots
    assert all(x["id"] is None and x["subject"]["name"] for x in slots)
    assert sql.count == this_week <= 14, sql.statements


async def test_a_saturday_worked_as_a_monday_is_in_the_diary_with_mondays_timetable(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:  # §4.1: a day worked instead of another (перенос рабочего дня)
    # given the demo student's coming week, Monday to Friday, nothing held yet
    [(student, school)] = await rows(
        engine,
        """SELECT a.person_id, min(sc.school_id) FROM account a
        JOIN class_student cs ON cs.student_id = a.person_id
        JOIN school_class sc ON sc.id = cs.school_class_id WHERE a.login = :l
        GROUP BY a.person_id""",
        l=demo_school["student"],
    )
    token = await api.login(demo_school["student"], "demo")
    week = {"student": relay.to_base64("Person", student), "week": "2026-11-23"}
    sql.reset()
    plain = (await api(DIARY, week, token=token)).data["diaryWeek"]["days"]
    statements = sql.count
    assert [day["date"] for day in plain] == [f"2026-11-{n}" for n in range(23, 28)]
    # when its Saturday is worked as a Monday
    await execute(
        engine,
        "INSERT INTO working_day (school_id, on_date, follows_weekday, name) "
        "VALUES (:s, '2026-11-28', 1, 'Перенос с 4 ноября')",
        s=school,
    )
    sql.reset()
    worked = (await api(DIARY, week, token=token)).data["diaryWeek"]["days"]
    # then the diary shows it after Friday, with Monday's timetable, for the same SQL
    assert [day["date"] for day in worked] == [*(day["date"] for day in plain), "2026-11-28"]

    def slots(day: dict[str, Any]) -> list[tuple[int, str]]:
        return [(x["bellNumber"], x["subject"]["name"]) for x in day["lessons"]]

    assert slots(worked[-1]) == slots(plain[0]) != []
    assert sql.count == statements


async def test_diary_week_is_for_the_student_and_their_parents_only(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given the demo parent's child and another student
    child, other = await rows(
        engine,
        """SELECT g.child_id FROM guardianship g JOIN account a ON a.person_id = g.parent_id
        WHERE a.login = 'parent'
        UNION ALL SELECT min(student_id) FROM class_student WHERE student_id NOT IN
          (SELECT g.child_id FROM guardianship g JOIN account a ON a.person_id = g.parent_id
           WHERE a.login = 'parent')""",
    )
    token = await api.login(demo_school["parent"], "demo")
    week = {"week": "2026-11-18"}
    # when the parent opens their child's diary, they see it
    mine = await api(DIARY, {"student": relay.to_base64("Person", child[0]), **week}, token=token)
    assert any(x["grades"] for d in mine.data["diaryWeek"]["days"] for x in d["lessons"])
    # and another child's is not there for them
    theirs = await api(DIARY, {"student": relay.to_base64("Person", other[0]), **week}, token=token)
    assert theirs.error_code == "NOT_FOUND"


async def test_school_overview_sums_the_whole_school_per_class_and_subject(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:
    # given the head and the first quarter
    grid = await _teachers_grid(engine, demo_school["teacher"])
    school = relay.to_base64("School", grid["school_id"])
    token = await api.login(demo_school["head"], "demo")
    # when the overview is read
    sql.reset()
    reply = await api(OVERVIEW, {"school": school, "period": grid["quarters"][0]}, token=token)
    quarter = sql.count
    overview = reply.data["schoolOverview"]["rows"]["nodes"]
    assert reply.data["schoolOverview"]["rows"]["totalCount"] == len(overview)
    # then every class × subject with lessons is there, with the figures of the journal
    starts_on, ends_on = grid["quarter_rows"][0][1:]
    expected = await rows(
        engine,
        """SELECT sc.parallel || sc.letter, s.name, count(*) FILTER (WHERE l.status = 'held'),
          count(*) FILTER (WHERE l.status = 'held' AND (l.topic IS NULL OR l.topic = '')),
          count(*) FILTER (WHERE l.status = 'held'
                           AND NOT EXISTS (SELECT 1 FROM homework h WHERE h.lesson_id = l.id))
        FROM lesson l JOIN study_group g ON g.id = l.group_id
        JOIN school_class sc ON sc.id = g.school_class_id JOIN subject s ON s.id = l.subject_id
        WHERE l.held_on BETWEEN :a AND :b GROUP BY 1, 2""",
        a=starts_on,
        b=ends_on,
    )
    got = {
        (r["schoolClass"]["name"], r["subject"]["name"]): (
            r["lessonsHeld"],
            r["lessonsWithoutTopic"],
            r["lessonsWithoutHomework"],
        )
        for r in overview
    }
    assert got == {(c, s): tuple(n) for c, s, *n in expected}
    assert any(r["lessonsWithoutHomework"] for r in overview)
    # and a class's average in a subject is that of its marks
    first = next(r for r in overview if r["gradeCount"])
    marks = await rows(
        engine,
        """SELECT sum(m.value), count(m.value) FROM grade gr
        JOIN lesson l ON l.id = gr.lesson_id JOIN study_group g ON g.id = l.group_id
        JOIN grade_scale_mark m ON m.grade_scale_id = gr.grade_scale_id AND m.mark = gr.mark
        WHERE g.school_class_id = (SELECT id FROM school_class WHERE parallel || letter = :c)
          AND l.subject_id = (SELECT id FROM subject WHERE name = :s AND school_id = :school)
          AND l.held_on BETWEEN :a AND :b AND m.value IS NOT NULL""",
        c=first["schoolClass"]["name"],
        s=first["subject"]["name"],
        school=grid["school_id"],
        a=starts_on,
        b=ends_on,
    )
    total, count = marks[0]
    assert first["gradeCount"] == count
    assert abs(float(first["average"]) - float(total) / count) < 0.006
    # and every average is shown to 2 decimals (issue 10), null without marks
    shown = [r[key] for r in overview for key in ("average", "weightedAverage")]
    assert all(v is None or re.fullmatch(r"[0-9]\.[0-9]{2}", v) for v in shown), shown
    assert {r["average"] is None for r in overview} >= {False}
    # and the year costs the statements of a quarter
    year = await rows(
        engine, "SELECT id FROM period WHERE school_id = :s AND kind = 'year'", s=grid["school_id"]
    )
    sql.reset()
    await api(
        OVERVIEW, {"school": school, "period": relay.to_base64("Period", year[0][0])}, token=token
    )
    assert sql.count == quarter <= 8, sql.statements


async def test_every_screen_costs_the_same_sql_for_a_class_of_5_or_40(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:
    # given the four screens of one class, read by the head
    grid = await _teachers_grid(engine, demo_school["teacher"])
    class_pk = (
        await rows(
            engine, "SELECT school_class_id FROM study_group WHERE id = :g", g=grid["group_id"]
        )
    )[0][0]
    student = (
        await rows(
            engine,
            "SELECT min(student_id) FROM class_student WHERE school_class_id = :c",
            c=class_pk,
        )
    )[0][0]
    token = await api.login(demo_school["head"], "demo")
    screens = [
        (GRID, {"group": grid["group"], "subject": grid["subject"], "period": grid["quarters"][0]}),
        (
            CLASS_JOURNAL,
            {
                "class": relay.to_base64("SchoolClass", class_pk),
                "from": "2026-11-02",
                "to": "2026-11-15",
            },
        ),
        (DIARY, {"student": relay.to_base64("Person", student), "week": "2026-11-18"}),
        (
            OVERVIEW,
            {"school": relay.to_base64("School", grid["school_id"]), "period": grid["quarters"][0]},
        ),
    ]

    async def counts() -> list[int]:
        found = []
        for query, variables in screens:
            sql.reset()
            assert (await api(query, variables, token=token)).data
            found.append(sql.count)
        return found

    small = await counts()
    size = await rows(
        engine, "SELECT count(*) FROM class_student WHERE school_class_id = :c", c=class_pk
    )
    # when the class grows to 40
    await _add_students(engine, grid["group_id"], 40 - size[0][0])
    # then no screen costs a statement more
    assert await counts() == small
    # and a screen costs what the README says beyond resolving the caller's token
    sql.reset()
    assert (await api("{ me { login } }", token=token)).data
    assert [count - sql.count for count in small] == [5, 6, 8, 3]
