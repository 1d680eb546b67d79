"""The paper journal and diary (Б.2 #2, В.2 #2): a subject's journal pages, a class's whole
journal and a student's diary week print what their screens answer — the students, the marks
and absences by date, the topics and homework — as the paper forms lay them out, for those who
may print them."""

import base64
import io
import math
import re
from typing import Any

from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from model import AttendanceKind
from resolvers.printing.journal_pages import COLUMNS
from resolvers.printing.journal_pages_layout import ABSENCE
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.lessons import execute, rows

GRID = """query($group: ID!, $subject: ID!, $period: ID!) {
  gradeGrid(groupId: $group, subjectId: $subject, periodId: $period) {
    students { id fullName }
    lessons { id heldOn status topic }
    grades { lessonId studentId mark }
    attendance { lessonId studentId kind }
    pdf
  }
}"""
GRID_PDF = "query($group: ID!, $subject: ID!, $period: ID!) { gradeGrid(groupId: $group, " \
    "subjectId: $subject, periodId: $period) { pdf } }"  # fmt: skip
CLASS_PAGES = """query($class: ID!, $period: ID!) {
  classJournalPages(classId: $class, periodId: $period) { pdf }
}"""
CLASS_JOURNAL = """query($class: ID!, $from: Date!, $to: Date!) {
  classJournal(classId: $class, dateFrom: $from, dateTo: $to) {
    lessons { status subject { name } }
  }
}"""
DIARY = """query($student: ID!, $week: Date!) {
  diaryWeek(studentId: $student, weekOf: $week) {
    days { date lessons { bellNumber topic subject { name } grades { mark }
                         attendance { kind } homework { text } } }
    pdf
  }
}"""
DIARY_PDF = "query($student: ID!, $week: Date!) { diaryWeek(studentId: $student, " \
    "weekOf: $week) { pdf } }"  # fmt: skip


def gid(type_name: str, row_id: int) -> str:
    return relay.to_base64(type_name, row_id)


def pages_of(encoded: str) -> list[str]:
    """Each page's text, a word broken by hyphenation joined again."""
    reader = PdfReader(io.BytesIO(base64.b64decode(encoded)))
    return [re.sub("\xad\\s*", "", page.extract_text()) for page in reader.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


async def _grid(
    engine: AsyncEngine, login: str, kind: str = "quarter", *, busiest: bool = False
) -> dict[str, Any]:
    """A group and subject the teacher teaches (a subgroup first, or the one with the most
    lessons in the school), and a period of the kind."""
    order = "lessons DESC" if busiest else "g.kind DESC"
    who = "a.login IS NOT NULL" if busiest else "a.login = :login"
    [(group_id, subject_id, school_id, class_id, _)] = await rows(
        engine,
        f"""SELECT t.group_id, t.subject_id, t.school_id, g.school_class_id,
          (SELECT count(*) FROM lesson l WHERE l.group_id = t.group_id
           AND l.subject_id = t.subject_id) AS lessons
        FROM timetable_entry t
        JOIN account a ON a.person_id = t.teacher_id JOIN study_group g ON g.id = t.group_id
        WHERE {who} ORDER BY {order}, t.id LIMIT 1""",
        login=login,
    )
    [(period_id, period_name)] = await rows(
        engine,
        "SELECT id, name FROM period WHERE school_id = :s AND kind = :k ORDER BY number LIMIT 1",
        s=school_id,
        k=kind,
    )
    return {
        "group_id": group_id,
        "subject_id": subject_id,
        "class_id": class_id,
        "period_id": period_id,
        "period_name": period_name,
        "variables": {
            "group": gid("Group", group_id),
            "subject": gid("Subject", subject_id),
            "period": gid("Period", period_id),
        },
    }


async def _sign_in_as(engine: AsyncEngine, api: GraphQLClient, person_id: int) -> str:
    """A token of the person's account, its password made the demo's."""
    [(login,)] = await rows(engine, "SELECT login FROM account WHERE person_id = :p", p=person_id)
    await execute(
        engine,
        "UPDATE account SET must_change_password = false, password_hash = (SELECT "
        "password_hash FROM account WHERE login = 'admin') WHERE login = :l",
        l=login,
    )
    return await api.login(login, "demo")


def _printed(grid: dict[str, Any]) -> list[dict[str, Any]]:
    """The grid's lessons the journal prints: those held, and any with a mark in them."""
    marked = {x["lessonId"] for x in grid["grades"] + grid["attendance"]}
    return [x for x in grid["lessons"] if x["status"] == "HELD" or x["id"] in marked]


def _row(grid: dict[str, Any], lessons: list[dict[str, Any]], student: str) -> list[str]:
    """What a student's row prints in these lessons' columns: the absence, then the marks."""
    cells = []
    for lesson in lessons:
        absent = [
            ABSENCE[AttendanceKind(a["kind"].lower())]
            for a in grid["attendance"]
            if a["lessonId"] == lesson["id"] and a["studentId"] == student
        ]
        marks = [
            g["mark"]
            for g in grid["grades"]
            if g["lessonId"] == lesson["id"] and g["studentId"] == student
        ]
        cell = " ".join([*absent, *(["/".join(marks)] if marks else [])])
        if cell:
            cells.extend(cell.split())
    return cells


async def test_a_subjects_pages_print_the_grids_students_marks_dates_and_topics(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    """Б.2 #2, В.2 #2: the head and deputy print the journal's pages."""
    # given a grid of the demo teacher's in the first quarter, as the deputy reads it
    grid = await _grid(engine, demo_school["teacher"])
    token = await api.login(demo_school["deputy"], "demo")
    # when they print it
    answer = (await api(GRID, grid["variables"], token=token)).data["gradeGrid"]
    marks_page, lessons_page = pages_of(answer["pdf"])
    # then its left page is each student's row of the grid: the marks and absences by date,
    # and the final grade given for the quarter
    lessons = _printed(answer)
    assert 10 <= len(lessons) <= COLUMNS
    finals = dict(
        await rows(
            engine,
            "SELECT student_id, coalesce(mark, special) FROM final_grade "
            "WHERE subject_id = :s AND period_id = :p",
            s=grid["subject_id"],
            p=grid["period_id"],
        )
    )
    assert finals
    lines = marks_page.splitlines()
    header = next(line for line in lines if line.startswith("№"))
    days = [str(int(x["heldOn"][-2:])) for x in lessons]
    assert header.split(grid["period_name"])[-1].split() == days
    for n, student in enumerate(answer["students"], start=1):
        last, first = student["fullName"].split()[:2]
        [line] = [x for x in lines if x.startswith(f"{n} {last} {first}")]
        final = finals.get(int(relay.from_base64(student["id"])[1]))
        cells = _row(answer, lessons, student["id"]) + ([final] if final else [])
        assert line.split()[3:] == cells, line
    assert sum(len(_row(answer, lessons, s["id"])) for s in answer["students"]) > 10
    # and its right page the same lessons: dates and topics, and the teacher's column
    text = flat(lessons_page)
    assert "Подпись учителя" in text
    for number, lesson in enumerate(lessons, start=1):
        day = f"{lesson['heldOn'][8:]}.{lesson['heldOn'][5:7]}"
        assert f"{number} {day} {flat(lesson['topic'])}" in text


async def test_many_dates_take_as_many_spreads_with_the_names_on_each(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given the busiest grid of the school over the year, more lessons than a page has columns
    grid = await _grid(engine, demo_school["teacher"], kind="year", busiest=True)
    token = await api.login(demo_school["deputy"], "demo")
    answer = (await api(GRID, grid["variables"], token=token)).data["gradeGrid"]
    lessons = _printed(answer)
    assert len(lessons) > COLUMNS
    # when it is printed, then each spread holds a page of dates and a page of their lessons
    pages = pages_of(answer["pdf"])
    spreads = math.ceil(len(lessons) / COLUMNS)
    assert len(pages) >= 2 * spreads
    marks_pages = [page for page in pages if "успеваемость и посещаемость" in page]
    assert len(marks_pages) == spreads
    for n, page in enumerate(marks_pages, start=1):
        assert f"разворот {n} из {spreads}" in page
        for student in answer["students"]:
            assert " ".join(student["fullName"].split()[:2]) in page
    # and the lessons are numbered on through the spreads, each once
    text = flat(" ".join(page for page in pages if "содержание уроков" in page))
    for number, lesson in enumerate(lessons, start=1):
        day = f"{lesson['heldOn'][8:]}.{lesson['heldOn'][5:7]}"
        assert f" {number} {day} " in f" {text} "


async def test_journal_pages_are_printed_by_those_who_keep_or_supervise_the_journal(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    grid = await _grid(engine, demo_school["teacher"])
    # the head, the deputy and the teacher of the journal print it
    for role in ("head", "deputy", "teacher"):
        token = await api.login(demo_school[role], "demo")
        printed = await api(GRID_PDF, grid["variables"], token=token)
        assert pages_of(printed.data["gradeGrid"]["pdf"])
    # a teacher of another subject in the group reads its grid, but has no pages of it to print
    [(other,)] = await rows(
        engine,
        """SELECT min(t.teacher_id) FROM timetable_entry t WHERE t.group_id IN
          (SELECT id FROM study_group WHERE school_class_id = :c) AND t.subject_id <> :s
          AND t.teacher_id NOT IN (SELECT teacher_id FROM timetable_entry
                                   WHERE group_id = :g AND subject_id = :s)""",
        c=grid["class_id"],
        s=grid["subject_id"],
        g=grid["group_id"],
    )
    token = await _sign_in_as(engine, api, other)
    refused = await api(GRID_PDF, grid["variables"], token=token)
    assert refused.error_code in {"NOT_FOUND", "FORBIDDEN"}
    assert refused.body["data"] is None or refused.body["data"]["gradeGrid"] is None
    # a student of the group and a parent read their own row of it, and print their diary
    for role in ("student", "parent"):
        token = await api.login(demo_school[role], "demo")
        reply = await api(GRID_PDF, grid["variables"], token=token)
        assert reply.error_code in {"FORBIDDEN", "NOT_FOUND"}
        pages = await api(
            CLASS_PAGES,
            {"class": gid("SchoolClass", grid["class_id"]), "period": grid["variables"]["period"]},
            token=token,
        )
        assert pages.error_code == "FORBIDDEN"


async def test_a_class_journal_prints_every_subject_of_the_class_in_bounded_sql(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:
    # given the demo class teacher's class and its first quarter
    [(class_id, school_id)] = await rows(
        engine,
        """SELECT c.id, c.school_id FROM school_class c JOIN account a
        ON a.person_id = c.class_teacher_id WHERE a.login = :l ORDER BY c.id DESC LIMIT 1""",
        l=demo_school["class_teacher"],
    )
    [(period_id, starts_on, ends_on)] = await rows(
        engine,
        "SELECT id, starts_on, ends_on FROM period WHERE school_id = :s AND kind = 'quarter' "
        "ORDER BY number LIMIT 1",
        s=school_id,
    )
    variables = {"class": gid("SchoolClass", class_id), "period": gid("Period", period_id)}
    # when the head prints its journal
    token = await api.login(demo_school["head"], "demo")
    sql.reset()
    pdf = (await api(CLASS_PAGES, variables, token=token)).data["classJournalPages"]["pdf"]
    quarter = sql.count
    pages = pages_of(pdf)
    # then every subject the class journal screen shows held is in it, a spread or more each
    screen = await api(
        CLASS_JOURNAL,
        {"class": variables["class"], "from": str(starts_on), "to": str(ends_on)},
        token=token,
    )
    subjects = {x["subject"]["name"] for x in screen.data["classJournal"]["lessons"]
                if x["status"] == "HELD"}  # fmt: skip
    assert len(subjects) >= 5
    headed = {page.split("\n")[0] for page in pages}
    for subject in subjects:
        assert any(line.startswith(subject) for line in headed), subject
    assert len(pages) >= 2 * len(subjects)
    # and it cost the same statements as a subject's, give or take the class's extra ones —
    # not one a subject (the screen's six, four more, the token's and BEGIN)
    assert quarter <= 6 + 4 + 3, sql.statements
    # and the class teacher prints it too
    token = await api.login(demo_school["class_teacher"], "demo")
    printed = await api(CLASS_PAGES, variables, token=token)
    assert len(pages_of(printed.data["classJournalPages"]["pdf"])) == len(pages)
    # and a teacher prints the pages of the subjects they teach in their class, no other
    grid = await _grid(engine, demo_school["teacher"])
    [(subject,)] = await rows(
        engine, "SELECT name FROM subject WHERE id = :s", s=grid["subject_id"]
    )
    token = await api.login(demo_school["teacher"], "demo")
    theirs = {"class": gid("SchoolClass", grid["class_id"]), "period": grid["variables"]["period"]}
    printed = await api(CLASS_PAGES, theirs, token=token)
    assert {page.split()[0] for page in pages_of(printed.data["classJournalPages"]["pdf"])} == {
        subject.split()[0]
    }


async def test_a_diary_week_prints_the_diarys_lessons_for_the_student_and_parents(
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
    week = {"student": gid("Person", child[0]), "week": "2026-11-18"}
    token = await api.login(demo_school["parent"], "demo")
    # when the parent prints their child's diary week
    answer = (await api(DIARY, week, token=token)).data["diaryWeek"]
    [page] = pages_of(answer["pdf"])
    text = flat(page)
    # then it holds each day, each lesson's subject, topic and homework, the marks
    assert "Подпись родителей" in text
    marks = 0
    for day in answer["days"]:
        assert f"{day['date'][8:]}.{day['date'][5:7]}.{day['date'][:4]}" in text
        for lesson in day["lessons"]:
            assert flat(lesson["subject"]["name"]) in text
            if lesson["topic"]:
                assert flat(lesson["topic"]) in text
            for homework in lesson["homework"]:
                assert flat(homework["text"]) in text
            for grade in lesson["grades"]:
                assert re.search(rf"\b{re.escape(grade['mark'])} \(", text)
                marks += 1
    assert marks > 0
    # and another child's diary is not there for them
    theirs = await api(DIARY_PDF, {**week, "student": gid("Person", other[0])}, token=token)
    assert theirs.error_code == "NOT_FOUND"
    # and the deputy prints the child's diary too (В.2 #2)
    token = await api.login(demo_school["deputy"], "demo")
    assert pages_of((await api(DIARY_PDF, week, token=token)).data["diaryWeek"]["pdf"])
