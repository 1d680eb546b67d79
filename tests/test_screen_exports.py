"""Every screen a user looks at as XLSX and CSV (issue 13, item 4): the workbook holds the
screen's own figures (names, marks as the journal writes them, averages as numbers), laid out as
the school formats it (a title, a bold frozen header, widths, Cyrillic); the CSV opens in a
Russian Excel (BOM, `;`, decimal commas) or reads plainly; the same data gives the same bytes;
and whoever may not read a screen gets its refusal for the files too."""

import base64
import codecs
import csv
import io
import time
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from resolvers.exports.sheets import PLAIN, Sheet, csv_of, xlsx
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.lessons import execute, rows

FILES = "xlsx csv plain: csv(dialect: PLAIN) second: csv(sheet: 2)"
KINDS = {"ABSENT_UNEXCUSED": "н", "ABSENT_VALID": "у", "ILL": "б", "LATE": "оп"}
GRID = f"""query($g: ID!, $s: ID!, $p: ID!) {{
  gradeGrid(groupId: $g, subjectId: $s, periodId: $p) {{
    students {{ id shortName average weightedAverage }}
    lessons {{ id heldOn bellNumber topic }}
    grades {{ lessonId studentId mark }}
    attendance {{ lessonId studentId kind }}
    {FILES}
  }}
}}"""
JOURNAL = f"""query($c: ID!, $from: Date!, $to: Date!) {{
  classJournal(classId: $c, dateFrom: $from, dateTo: $to) {{
    students {{ id shortName }}
    lessons {{ id heldOn bellNumber topic subject {{ name }} teacher {{ shortName }}
              homework {{ text }} }}
    grades {{ lessonId studentId mark }}
    attendance {{ lessonId studentId kind }}
    {FILES}
  }}
}}"""
OVERVIEW = f"""query($s: ID!, $p: ID!) {{
  schoolOverview(schoolId: $s, periodId: $p) {{
    rows(first: 5) {{ totalCount nodes {{ schoolClass {{ name }} subject {{ name }} average
                                        weightedAverage gradeCount lessonsHeld }} }}
    everything: rows(first: 100) {{ nodes {{ schoolClass {{ name }} subject {{ name }}
                                           average }} }}
    {FILES}
  }}
}}"""
CONTROL = """query($s: ID!) {
  journalControl(schoolId: $s, first: 3) {
    totalCount nodes { lessonsHeld lessonsWithoutTopic missingFinalGrades
                       teacher { shortName } schoolClass { name } subject { name } }
    xlsx csv plain: csv(dialect: PLAIN)
  }
  all: journalControl(schoolId: $s, first: 100) { nodes { lessonsHeld teacher { shortName } } }
}"""
RATING = """query($s: ID) {
  activityRating(schoolId: $s) {
    nodes { rank score lessonsDue filledPercent onTimePercent school { shortName } }
    xlsx csv plain: csv(dialect: PLAIN)
  }
}"""
STATEMENTS = f"""query($c: ID!, $from: Date, $to: Date) {{
  summaryStatements(classId: $c, dateFrom: $from, dateTo: $to) {{
    dateFrom dateTo
    statements {{
      student {{ fullName }} schoolClass {{ name }} lessonsHeld lates
      subjects {{ subject {{ name }} lessonsHeld average weightedAverage missedUnexcused
                 grades {{ heldOn mark workType }} }}
    }}
    {FILES}
  }}
}}"""
ATTESTATION = """query($s: ID!, $p: [ID!]!) {
  attestationSummary(schoolId: $s, periodIds: $p) {
    classes { name students { student { shortName } marks } }
    school { total { successPercent qualityPercent } }
    xlsx csv plain: csv(dialect: PLAIN) last: csv(sheet: 1, dialect: PLAIN)
  }
}"""


def gid(type_name: str, row_id: int) -> str:
    return relay.to_base64(type_name, row_id)


def _book(data: str) -> Any:
    return load_workbook(io.BytesIO(base64.b64decode(data)))


def _csv(data: str, *, plain: bool = False) -> list[list[str]]:
    """The CSV's rows; Excel's with a BOM and `;`, the plain one without a BOM and with `,`."""
    raw = base64.b64decode(data)
    assert raw.startswith(codecs.BOM_UTF8) is not plain
    text = raw.decode("utf-8-sig")
    assert text.endswith("\r\n")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter="," if plain else ";"))


def _formatted(sheet: Worksheet, header: list[str]) -> None:
    """The school's formatting: a bold title, a bold header kept in view, widths set."""
    assert sheet["A1"].font.bold
    assert sheet["A1"].value
    assert [cell.value for cell in sheet[2]][: len(header)] == header
    assert all(cell.font.bold for cell in sheet[2])
    assert sheet.freeze_panes in {"B3", "C3", "D3"}
    for column in range(1, len(header) + 1):
        letter = sheet.cell(2, column).column_letter
        assert sheet.column_dimensions[letter].width >= 4, letter


def _values(sheet: Worksheet) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(min_row=3, values_only=True))


def _number(value: str | None) -> float | None:
    return None if value is None else float(value)


def _comma(value: str | None) -> str:
    return "" if value is None else value.replace(".", ",")


async def _again(api: GraphQLClient, query: str, variables: dict[str, Any], token: str) -> Any:
    return (await api(query, variables, token=token)).data


async def _grid_of(engine: AsyncEngine, login: str) -> dict[str, str]:
    [(group, subject, school)] = await rows(
        engine,
        """SELECT t.group_id, t.subject_id, t.school_id FROM timetable_entry t
        JOIN account a ON a.person_id = t.teacher_id JOIN study_group g ON g.id = t.group_id
        WHERE a.login = :login ORDER BY g.kind DESC, t.id LIMIT 1""",
        login=login,
    )
    [(period,)] = await rows(
        engine,
        "SELECT id FROM period WHERE school_id = :s AND kind = 'quarter' ORDER BY number LIMIT 1",
        s=school,
    )
    return {"g": gid("Group", group), "s": gid("Subject", subject), "p": gid("Period", period)}


async def _outsider(engine: AsyncEngine, student_login: str, group: str) -> str:
    """A student of another class than the group's, given the demo password."""
    group_id = relay.from_base64(group)[1]
    [(login,)] = await rows(
        engine,
        """SELECT a.login FROM account a JOIN class_student cs ON cs.student_id = a.person_id
        WHERE cs.school_class_id <> (SELECT school_class_id FROM study_group WHERE id = :g)
        ORDER BY a.id LIMIT 1""",
        g=int(group_id),
    )
    await execute(engine, "UPDATE account SET must_change_password = false")
    await execute(
        engine,
        "UPDATE account SET password_hash = (SELECT password_hash FROM account WHERE login = :l) "
        "WHERE login = :o",
        l=student_login,
        o=login,
    )
    return str(login)


def _lesson_columns(lessons: list[dict[str, Any]]) -> list[str]:
    per_day: dict[str, int] = {}
    for lesson in lessons:
        per_day[lesson["heldOn"]] = per_day.get(lesson["heldOn"], 0) + 1
    return [
        f"{date.fromisoformat(x['heldOn']):%d.%m}"
        + ("" if per_day[x["heldOn"]] < 2 else f", {x['bellNumber']} ур.")
        for x in lessons
    ]


def _cells(answer: dict[str, Any]) -> dict[tuple[str, str], str]:
    """Each cell as the journal writes it: the absence, then the marks in the order entered."""
    cells: dict[tuple[str, str], list[str]] = {}
    for a in answer["attendance"]:
        cells.setdefault((a["lessonId"], a["studentId"]), []).append(KINDS[a["kind"]])
    for g in answer["grades"]:
        cells.setdefault((g["lessonId"], g["studentId"]), []).append(g["mark"])
    return {key: " ".join(marks) for key, marks in cells.items()}


async def test_the_grade_grid_as_xlsx_and_csv_holds_the_grids_marks_and_averages(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:
    # given a teacher's grid of the first quarter
    variables = await _grid_of(engine, demo_school["teacher"])
    token = await api.login(demo_school["teacher"], "demo")
    # when they ask for it with its files
    grid = (await api(GRID, variables, token=token)).data["gradeGrid"]
    # then the XLSX's first sheet is the grid: students × lessons, the averages as numbers
    book = _book(grid["xlsx"])
    assert book.sheetnames == ["Оценки", "Уроки"]
    marks = book["Оценки"]
    columns = _lesson_columns(grid["lessons"])
    header = ["Учащийся", *columns, "Средний\nбалл", "Средневзвешенный\nбалл"]
    _formatted(marks, header)
    assert marks.freeze_panes == "B3"
    assert marks["A1"].value.startswith("Журнал успеваемости: ")
    cells = _cells(grid)
    assert len(cells) > 10
    values = _values(marks)
    assert [row[0] for row in values] == [s["shortName"] for s in grid["students"]]
    for row, student in zip(values, grid["students"], strict=True):
        expected = [cells.get((x["id"], student["id"])) for x in grid["lessons"]]
        assert list(row[1:-2]) == expected
        assert row[-2:] == (_number(student["average"]), _number(student["weightedAverage"]))
    averaged = next(i for i, s in enumerate(grid["students"], start=3) if s["average"])
    assert marks.cell(averaged, len(header) - 1).number_format == "0.00"
    assert marks.cell(averaged, len(header) - 1).data_type == "n"
    longest = max(len(s["shortName"]) for s in grid["students"])
    assert marks.column_dimensions["A"].width >= longest
    # and its lessons' sheet has the dates as dates
    lessons = book["Уроки"]
    _formatted(lessons, ["Дата", "Урок", "Состояние", "Тема", "Виды работ (вес)"])
    dated = _values(lessons)
    assert [(r[0].date(), r[1], r[3]) for r in dated] == [
        (date.fromisoformat(x["heldOn"]), x["bellNumber"], x["topic"]) for x in grid["lessons"]
    ]
    assert isinstance(dated[0][0], datetime)
    assert lessons["A3"].number_format == "DD.MM.YYYY"
    # and the CSV is the grid's sheet for Excel: BOM, `;`, decimal commas, no title row
    table = _csv(grid["csv"])
    assert table[0] == [name.replace("\n", " ") for name in header]
    assert [row[0] for row in table[1:]] == [s["shortName"] for s in grid["students"]]
    assert [row[-2] for row in table[1:]] == [_comma(s["average"]) for s in grid["students"]]
    assert [row[1:-2] for row in table[1:]] == [[v or "" for v in r[1:-2]] for r in values]
    # and plainly: `,`, decimal points; its second sheet the lessons, ISO dates
    plain = _csv(grid["plain"], plain=True)
    assert [row[-2] for row in plain[1:]] == [s["average"] or "" for s in grid["students"]]
    second = _csv(grid["second"])
    assert [row[0] for row in second[1:]] == [
        f"{date.fromisoformat(x['heldOn']):%d.%m.%Y}" for x in grid["lessons"]
    ]
    # and the same grid gives the same bytes
    sql.reset()
    again = await _again(api, GRID, variables, token)
    assert again["gradeGrid"] == grid
    # in the grid's own statements and the three names of its title, however many files
    with_files = sql.count
    sql.reset()
    await _again(api, GRID.replace(FILES, ""), variables, token)
    assert with_files == sql.count + 3, sql.statements
    # and past the last sheet is the client's mistake
    third = GRID.replace(FILES, "csv(sheet: 3)")
    refused = await api(third, variables, token=token)
    assert refused.error_code == "BAD_USER_INPUT"
    assert refused.body["errors"][0]["extensions"]["argument"] == "sheet"
    # and a student of another class gets the grid's refusal for its files
    outsider = await api.login(await _outsider(engine, demo_school["student"], variables["g"]),
                               "demo")  # fmt: skip
    files = GRID.replace(GRID[GRID.index("students") : GRID.index(FILES)], "")
    assert (await api(files, variables, token=outsider)).error_code == "NOT_FOUND"


async def _class_of(engine: AsyncEngine, login: str) -> str:
    [(class_id,)] = await rows(
        engine,
        "SELECT c.id FROM school_class c JOIN account a ON a.person_id = c.class_teacher_id "
        "WHERE a.login = :l",
        l=login,
    )
    return gid("SchoolClass", class_id)


async def _not_their_childs_class(engine: AsyncEngine, parent_login: str) -> str:
    [(class_id,)] = await rows(
        engine,
        """SELECT min(id) FROM school_class WHERE id NOT IN (
          SELECT cs.school_class_id FROM class_student cs
          JOIN guardianship g ON g.child_id = cs.student_id
          JOIN account a ON a.person_id = g.parent_id WHERE a.login = :l)""",
        l=parent_login,
    )
    return gid("SchoolClass", class_id)


async def test_the_class_journal_as_xlsx_and_csv_holds_every_subjects_lessons(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given the class teacher's class over a fortnight
    variables = {"c": await _class_of(engine, demo_school["class_teacher"]),
                 "from": "2026-11-02", "to": "2026-11-13"}  # fmt: skip
    token = await api.login(demo_school["class_teacher"], "demo")
    # when they ask for its journal page with its files
    page = (await api(JOURNAL, variables, token=token)).data["classJournal"]
    book = _book(page["xlsx"])
    # then the first sheet is the class × every lesson of the days, marks as the journal's
    assert book.sheetnames == ["Журнал", "Уроки"]
    journal = book["Журнал"]
    lessons = page["lessons"]
    assert len(lessons) > 20
    assert journal["A1"].value.startswith("Классный журнал: 3А, с 02.11.2026 по 13.11.2026")
    header = [cell.value for cell in journal[2]]
    assert header[0] == "Учащийся"
    assert [name.split("\n")[0] for name in header[1:]] == [
        f"{date.fromisoformat(x['heldOn']):%d.%m}, {x['bellNumber']} ур." for x in lessons
    ]
    _formatted(journal, header)
    cells = _cells(page)
    values = _values(journal)
    assert [row[0] for row in values] == [s["shortName"] for s in page["students"]]
    for row, student in zip(values, page["students"], strict=True):
        assert list(row[1:]) == [cells.get((x["id"], student["id"])) for x in lessons]
    # and the lessons' sheet: dates, subjects, teachers, topics, homework
    listed = _values(book["Уроки"])
    assert [(r[0].date(), r[1], r[2], r[3], r[4]) for r in listed] == [
        (date.fromisoformat(x["heldOn"]), x["bellNumber"], x["subject"]["name"],
         x["teacher"]["shortName"], x["topic"])
        for x in lessons
    ]  # fmt: skip
    set_homework = [(r[5], x["homework"]) for r, x in zip(listed, lessons, strict=True)]
    assert any(homework for _, homework in set_homework)
    for text, homework in set_homework:
        assert all(h["text"] in text for h in homework) if homework else text is None
    # and the CSV reads back the same, Cyrillic intact; the same page, the same bytes
    table = _csv(page["csv"])
    assert table[0][1:] == [name.replace("\n", " ") for name in header[1:]]
    assert [row[0] for row in table[1:]] == [s["shortName"] for s in page["students"]]
    assert _csv(page["second"])[1][2] == lessons[0]["subject"]["name"]
    assert (await _again(api, JOURNAL, variables, token))["classJournal"] == page
    # and a parent of another class's child gets the page's refusal for its files
    parent = await api.login(demo_school["parent"], "demo")
    theirs = {**variables, "c": await _not_their_childs_class(engine, demo_school["parent"])}
    files = f"""query($c: ID!, $from: Date!, $to: Date!) {{
      classJournal(classId: $c, dateFrom: $from, dateTo: $to) {{ {FILES} }} }}"""
    assert (await api(files, theirs, token=parent)).error_code == "NOT_FOUND"


async def _school_and_first_quarter(engine: AsyncEngine) -> dict[str, Any]:
    [(school, period)] = await rows(
        engine,
        "SELECT school_id, id FROM period WHERE kind = 'quarter' ORDER BY starts_on LIMIT 1",
    )
    return {"s": gid("School", school), "p": gid("Period", period)}


async def test_the_school_overview_files_hold_every_row_not_a_page(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given the head's overview of the first quarter, asked a page of five rows
    variables = await _school_and_first_quarter(engine)
    token = await api.login(demo_school["head"], "demo")
    overview = (await api(OVERVIEW, variables, token=token)).data["schoolOverview"]
    everything = overview["everything"]["nodes"]
    assert overview["rows"]["totalCount"] == len(everything) > 5
    # then the XLSX lists every row, the averages as numbers to two decimals
    book = _book(overview["xlsx"])
    assert book.sheetnames == ["Сводка", "Средние баллы"]
    summary = book["Сводка"]
    _formatted(summary, ["Класс", "Предмет", "Средний\nбалл"])
    assert summary.freeze_panes == "C3"
    values = _values(summary)
    assert [(r[0], r[1], r[2]) for r in values] == [
        (x["schoolClass"]["name"], x["subject"]["name"], _number(x["average"])) for x in everything
    ]
    first = overview["rows"]["nodes"][0]
    assert values[0][3:6] == (_number(first["weightedAverage"]), first["gradeCount"],
                              first["lessonsHeld"])  # fmt: skip
    averaged = next(i for i, x in enumerate(everything, start=3) if x["average"])
    assert summary.cell(averaged, 3).number_format == "0.00"
    # and the classes × subjects table holds the same averages
    table = book["Средние баллы"]
    subjects = [cell.value for cell in table[2]][1:]
    pivot = {
        (r[0], subject): v
        for r in _values(table)
        for subject, v in zip(subjects, r[1:], strict=True)
    }
    for x in everything:
        assert pivot[(x["schoolClass"]["name"], x["subject"]["name"])] == _number(x["average"])
    # and the CSV too, with decimal commas for Excel and points plainly
    excel, plain = _csv(overview["csv"]), _csv(overview["plain"], plain=True)
    assert [row[2] for row in excel[1:]] == [_comma(x["average"]) for x in everything]
    assert [row[2] for row in plain[1:]] == [x["average"] or "" for x in everything]
    assert (await _again(api, OVERVIEW, variables, token))["schoolOverview"] == overview
    # and a student's file holds what their overview does: their own class's rows
    student = await api.login(demo_school["student"], "demo")
    theirs = (await api(OVERVIEW, variables, token=student)).data["schoolOverview"]
    assert 0 < len(theirs["everything"]["nodes"]) < len(everything)
    assert len(_values(_book(theirs["xlsx"])["Сводка"])) == len(theirs["everything"]["nodes"])


async def test_the_journal_control_files_hold_the_whole_report_for_those_who_control(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-CONTROL-1
    [(school,)] = await rows(engine, "SELECT id FROM school")
    variables = {"s": gid("School", school)}
    token = await api.login(demo_school["head"], "demo")
    # when the head asks for a page of three rows and the files
    answer = (await api(CONTROL, variables, token=token)).data
    control, every = answer["journalControl"], answer["all"]["nodes"]
    assert control["totalCount"] == len(every) > 3
    # then the XLSX is the whole report, in the screen's order, with the names and counts
    sheet = _book(control["xlsx"])["Контроль"]
    _formatted(sheet, ["Учитель", "Класс", "Предмет", "Уроков\nпроведено", "Без темы"])
    assert sheet["A1"].value.startswith("Контроль ведения журналов: ")
    values = _values(sheet)
    assert [(r[0], r[3]) for r in values] == [(x["teacher"]["shortName"], x["lessonsHeld"])
                                              for x in every]  # fmt: skip
    first = control["nodes"][0]
    assert values[0][:5] == (first["teacher"]["shortName"], first["schoolClass"]["name"],
                             first["subject"]["name"], first["lessonsHeld"],
                             first["lessonsWithoutTopic"])  # fmt: skip
    assert values[0][-1] == first["missingFinalGrades"]
    assert all(isinstance(v, int) for r in values for v in r[3:])
    # and the CSV for Excel and plainly the same rows
    for table in (_csv(control["csv"]), _csv(control["plain"], plain=True)):
        assert [[r[0], int(r[3]), int(r[-1])] for r in table[1:]] == [
            [r[0], r[3], r[-1]] for r in values
        ]
    assert (await _again(api, CONTROL, variables, token)) == answer
    # and a teacher, who may not read the report, may not have its files
    teacher = await api.login(demo_school["teacher"], "demo")
    files = "query($s: ID!) { journalControl(schoolId: $s) { xlsx csv } }"
    assert (await api(files, variables, token=teacher)).error_code == "FORBIDDEN"


async def test_the_activity_rating_files_hold_the_scores_as_numbers(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-RATING-1
    [(school,)] = await rows(engine, "SELECT id FROM school")
    variables = {"s": gid("School", school)}
    token = await api.login(demo_school["admin"], "demo")
    rating = (await api(RATING, variables, token=token)).data["activityRating"]
    [node] = rating["nodes"]
    sheet = _book(rating["xlsx"])["Рейтинг"]
    _formatted(sheet, ["Место", "Школа", "Балл"])
    assert sheet.freeze_panes == "C3"
    assert sheet["A1"].value.startswith("Рейтинг активности школ с 01.09.2026 по ")
    [row] = _values(sheet)
    assert row[:4] == (node["rank"], node["school"]["shortName"], float(node["score"]),
                       node["lessonsDue"])  # fmt: skip
    assert (row[5], row[8]) == (float(node["filledPercent"]), float(node["onTimePercent"]))
    assert sheet["C3"].number_format == "0.0"
    [_, excel] = _csv(rating["csv"])
    assert excel[2] == node["score"].replace(".", ",")
    [_, plain] = _csv(rating["plain"], plain=True)
    assert plain[2] == node["score"]
    assert (await _again(api, RATING, variables, token))["activityRating"] == rating
    student = await api.login(demo_school["student"], "demo")
    files = "query { activityRating { xlsx } }"
    assert (await api(files, token=student)).error_code == "FORBIDDEN"


async def test_the_summary_statements_files_hold_the_statements_figures(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-SUMMARY-1
    variables = {"c": await _class_of(engine, demo_school["class_teacher"]),
                 "from": "2026-11-09", "to": "2026-11-20"}  # fmt: skip
    token = await api.login(demo_school["class_teacher"], "demo")
    answer = (await api(STATEMENTS, variables, token=token)).data["summaryStatements"]
    book = _book(answer["xlsx"])
    assert book.sheetnames == ["Ведомость", "Оценки"]
    sheet = book["Ведомость"]
    _formatted(sheet, ["Учащийся", "Класс", "Предмет", "Уроков\nпроведено", "Оценки"])
    assert sheet["A1"].value.startswith("Сводная ведомость с 09.11.2026 по 20.11.2026")
    # a line per student and subject, then the student's totals
    expected: list[tuple[Any, ...]] = []
    for statement in answer["statements"]:
        who = (statement["student"]["fullName"], statement["schoolClass"]["name"])
        for s in statement["subjects"]:
            marks = " ".join(g["mark"] for g in s["grades"]) or None
            expected.append((*who, s["subject"]["name"], s["lessonsHeld"], marks,
                             _number(s["average"]), _number(s["weightedAverage"])))  # fmt: skip
        expected.append((*who, "Всего", statement["lessonsHeld"], None, None, None))
    assert [r[:7] for r in _values(sheet)] == expected
    totals = [r for r in _values(sheet) if r[2] == "Всего"]
    assert [r[7] for r in totals] == [s["lates"] for s in answer["statements"]]
    # every grade with its date as a date
    grades = [(r[0], r[2], r[3].date(), r[4], r[5]) for r in _values(book["Оценки"])]
    assert grades == [
        (st["student"]["fullName"], s["subject"]["name"], date.fromisoformat(g["heldOn"]),
         g["mark"], g["workType"])
        for st in answer["statements"] for s in st["subjects"] for g in s["grades"]
    ]  # fmt: skip
    assert grades
    excel = _csv(answer["csv"])
    assert [r[:4] for r in excel[1:]] == [[*map(str, e[:4])] for e in expected]
    averages = [
        _comma(s["average"])
        for st in answer["statements"]
        for s in [*st["subjects"], {"average": None}]
    ]
    assert [r[5] for r in excel[1:]] == averages
    second = _csv(answer["second"])
    assert second[1][3] == f"{grades[0][2]:%d.%m.%Y}"
    assert (await _again(api, STATEMENTS, variables, token))["summaryStatements"] == answer
    # and a parent asking for another child's class gets the statements' refusal
    parent = await api.login(demo_school["parent"], "demo")
    theirs = {**variables, "c": await _not_their_childs_class(engine, demo_school["parent"])}
    files = """query($c: ID!, $from: Date, $to: Date) {
      summaryStatements(classId: $c, dateFrom: $from, dateTo: $to) { csv } }"""
    assert (await api(files, theirs, token=parent)).error_code == "NOT_FOUND"


async def test_the_attestation_summary_csv_is_its_xlsx_sheet_by_sheet(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-ATTEST-1
    variables = await _school_and_first_quarter(engine)
    variables["p"] = [variables["p"]]
    token = await api.login(demo_school["admin"], "demo")
    summary = (await api(ATTESTATION, variables, token=token)).data["attestationSummary"]
    book = _book(summary["xlsx"])
    first = summary["classes"][0]
    # the first sheet, the first class's students and marks, for Excel and plainly
    for table in (_csv(summary["csv"]), _csv(summary["plain"], plain=True)):
        assert table[0] == [c.value for c in book[first["name"]][2]]
        assert [r[0] for r in table[1:]] == [s["student"]["shortName"] for s in first["students"]]
        assert [[m or None for m in r[1:]] for r in table[1:]] == [
            s["marks"] for s in first["students"]
        ]
    assert summary["last"] == summary["plain"]
    # and the totals' shares are numbers now, the school's as the answer gives them
    totals = book["Итоги"]
    school_row = [r for r in _values(totals) if r[1] == "Все предметы"][-1]
    total = summary["school"]["total"]
    assert school_row[-2:] == (float(total["successPercent"]), float(total["qualityPercent"]))
    assert totals.cell(totals.max_row, totals.max_column).number_format == "0.0"
    sheets = len(book.sheetnames)
    last = ATTESTATION.replace("last: csv(sheet: 1,", f"last: csv(sheet: {sheets},")
    again = (await api(last, variables, token=token)).data["attestationSummary"]
    assert _csv(again["last"], plain=True)[0][:2] == ["Класс, параллель, школа", "Предмет"]
    assert again["xlsx"] == summary["xlsx"]
    # and a student's file holds only their own row, as their answer does
    student = await api.login(demo_school["student"], "demo")
    theirs = (await api(ATTESTATION, variables, token=student)).data["attestationSummary"]
    mine = [s for c in theirs["classes"] for s in c["students"]]
    assert len(mine) == 1
    assert len(_csv(theirs["csv"])) == 2


def test_the_same_sheets_give_the_same_bytes_whenever_written(monkeypatch: Any) -> None:
    sheet = Sheet("Оценки", "Журнал", ["Учащийся", "Средний балл", "Дата"],
                  [["Иванова А.С.", Decimal("4.50"), date(2026, 11, 20)]])  # fmt: skip
    first = xlsx([sheet])
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 86400 * 400)
    assert xlsx([sheet]) == first
    assert (
        csv_of([sheet], 1, PLAIN)
        == "Учащийся,Средний балл,Дата\r\nИванова А.С.,4.50,2026-11-20\r\n".encode()
    )
