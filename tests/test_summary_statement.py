"""The summary statement (сводная ведомость, R-SUMMARY-1): one query gives it for a class or a
student over days of one reporting period; the figures are a hand count's; the PDF prints the
same figures, a student per page."""

import base64
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.lessons import rows

STATEMENTS = """query($c: ID, $s: ID, $from: Date, $to: Date, $paper: Boolean! = false) {
  summaryStatements(classId: $c, studentId: $s, dateFrom: $from, dateTo: $to,
                    paperOnly: $paper) {
    dateFrom dateTo periodName
    statements {
      student { id fullName } schoolClass { name }
      lessonsHeld lates missedValid missedUnexcused
      subjects {
        subject { id name } lessonsHeld average weightedAverage
        lates missedValid missedUnexcused
        grades { id heldOn mark workType weight }
      }
    }
  }
}"""
PDF = STATEMENTS.replace("dateFrom dateTo periodName", "dateFrom dateTo periodName pdf")
AVERAGES = """query($f: JournalFilter!) {
  gradeAverages(filter: $f, first: 100) {
    nodes { average weightedAverage student { id } subject { id } }
  }
}"""
# A student's held lessons on the days they were placed in the lesson's class and group.
HELD = """SELECT cs.student_id, l.subject_id, count(*),
  sum(CASE WHEN a.kind = 'late' THEN 1 ELSE 0 END),
  sum(CASE WHEN a.kind IN ('absent_valid', 'ill') THEN 1 ELSE 0 END),
  sum(CASE WHEN a.kind = 'absent_unexcused' THEN 1 ELSE 0 END)
FROM lesson l JOIN study_group g ON g.id = l.group_id
JOIN class_student cs ON cs.school_class_id = g.school_class_id
  AND (cs.starts_on IS NULL OR cs.starts_on <= l.held_on)
  AND (cs.ends_on IS NULL OR cs.ends_on >= l.held_on)
LEFT JOIN attendance a ON a.lesson_id = l.id AND a.student_id = cs.student_id
WHERE g.school_class_id = :c AND l.status = 'held' AND l.held_on BETWEEN :f AND :t
  AND (g.kind = 'whole_class' OR EXISTS (SELECT 1 FROM group_student gs
       WHERE gs.group_id = g.id AND gs.student_id = cs.student_id))
GROUP BY cs.student_id, l.subject_id"""
GRADES = """SELECT gr.student_id, l.subject_id, count(*) FROM grade gr
JOIN lesson l ON l.id = gr.lesson_id
WHERE gr.student_id IN (SELECT student_id FROM class_student WHERE school_class_id = :c)
  AND l.held_on BETWEEN :f AND :t GROUP BY gr.student_id, l.subject_id"""


def gid(type_name: str, row_id: int) -> str:
    return relay.to_base64(type_name, row_id)


def row_id(global_id: str) -> int:
    return int(relay.from_base64(global_id)[1])


async def _own_class(engine: AsyncEngine, login: str) -> int:
    found = await rows(
        engine,
        "SELECT c.id FROM school_class c JOIN account a ON a.person_id = c.class_teacher_id "
        "WHERE a.login = :l ORDER BY c.id",
        l=login,
    )
    return int(found[-1][0])


async def _days(engine: AsyncEngine) -> tuple[date, date]:
    """The last fortnight of the demo (its today is 20 November) inside the period holding it."""
    to = date(2026, 11, 20)
    [(starts_on,)] = await rows(
        engine,
        "SELECT starts_on FROM period WHERE starts_on <= :t AND ends_on >= :t "
        "ORDER BY ends_on - starts_on LIMIT 1",
        t=to,
    )
    starts = starts_on if isinstance(starts_on, date) else date.fromisoformat(starts_on)
    return max(starts, to - timedelta(days=13)), to


async def test_a_class_statement_is_a_hand_count_in_constant_sql(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:
    """R-SUMMARY-1: lessons held, grades, averages, lates and absences per subject."""
    class_id = await _own_class(engine, demo_school["class_teacher"])
    start, end = await _days(engine)
    token = await api.login(demo_school["class_teacher"], "demo")
    days = {"from": str(start), "to": str(end)}
    sql.reset()
    answer = (await api(STATEMENTS, {"c": gid("SchoolClass", class_id), **days}, token=token)).data
    class_statements = sql.count
    statements = answer["summaryStatements"]["statements"]
    held = {
        (r[0], r[1]): tuple(int(v or 0) for v in r[2:])
        for r in await rows(engine, HELD, c=class_id, f=start, t=end)
    }
    graded = {(r[0], r[1]): r[2] for r in await rows(engine, GRADES, c=class_id, f=start, t=end)}
    averages = (
        await api(AVERAGES, {"f": {"classId": gid("SchoolClass", class_id), "dateFrom":
                                   str(start), "dateTo": str(end)}}, token=token)
    ).data["gradeAverages"]["nodes"]  # fmt: skip
    average_of = {(row_id(a["student"]["id"]), row_id(a["subject"]["id"])): a for a in averages}
    assert len(statements) >= 10
    seen_held, seen_grades = {}, {}
    for statement in statements:
        student = row_id(statement["student"]["id"])
        for line in statement["subjects"]:
            key = (student, row_id(line["subject"]["id"]))
            seen_held[key] = (
                line["lessonsHeld"], line["lates"], line["missedValid"], line["missedUnexcused"]
            )  # fmt: skip
            if line["grades"]:
                seen_grades[key] = len(line["grades"])
            if key in average_of:
                assert line["average"] == average_of[key]["average"]
                assert line["weightedAverage"] == average_of[key]["weightedAverage"]
            if line["average"] is not None:
                values = [Decimal(g["mark"]) for g in line["grades"] if g["mark"].isdigit()]
                assert min(values) <= Decimal(line["average"]) <= max(values)
        assert statement["lessonsHeld"] == sum(s["lessonsHeld"] for s in statement["subjects"])
        assert statement["missedUnexcused"] == sum(
            s["missedUnexcused"] for s in statement["subjects"]
        )
    assert {k: v for k, v in seen_held.items() if v[0]} == held
    assert seen_grades == graded
    assert sum(v[0] for v in held.values()) > 100
    assert sum(graded.values()) > 50
    # and a class of 20 costs what one student does, and its visibility check (BEGIN, the token,
    # the class, the students, the period, the lessons, the grades, the averages)
    sql.reset()
    one = await api(STATEMENTS, {"s": statements[0]["student"]["id"], **days}, token=token)
    assert one.data["summaryStatements"]["statements"] == statements[:1]
    assert sql.count + 1 == class_statements <= 8, sql.statements


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


async def test_the_pdf_prints_the_same_figures_a_student_per_page(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    class_id = await _own_class(engine, demo_school["class_teacher"])
    start, end = await _days(engine)
    token = await api.login(demo_school["class_teacher"], "demo")
    answer = (
        await api(
            PDF, {"c": gid("SchoolClass", class_id), "from": str(start), "to": str(end)},
            token=token,
        )
    ).data["summaryStatements"]  # fmt: skip
    pages = _text(base64.b64decode(answer["pdf"]))
    assert len(pages) == len(answer["statements"])
    for page, statement in zip(pages, answer["statements"], strict=True):
        flat = " ".join(page.split())
        assert "Сводная ведомость" in flat
        assert statement["student"]["fullName"] in flat
        assert f"{start:%d.%m.%Y}" in flat
        assert f"{end:%d.%m.%Y}" in flat
        for line in statement["subjects"]:
            assert line["subject"]["name"] in flat
            if line["average"] is not None:
                assert line["average"] in flat
                assert line["weightedAverage"] in flat


async def test_paper_statements_are_printed_for_the_parents_who_take_them(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    """§4.14: a parent who opted out of the electronic service gets the statement on paper."""
    class_id = await _own_class(engine, demo_school["class_teacher"])
    token = await api.login(demo_school["class_teacher"], "demo")
    variables: dict[str, Any] = {"c": gid("SchoolClass", class_id), "paper": True}
    # given no parent takes paper statements, none is printed
    answer = (await api(PDF, variables, token=token)).data["summaryStatements"]
    assert answer["statements"] == []
    assert len(_text(base64.b64decode(answer["pdf"]))) == 1
    # when one parent of the class does
    [(student_id, parent_id)] = await rows(
        engine,
        "SELECT g.child_id, g.parent_id FROM guardianship g JOIN class_student cs "
        "ON cs.student_id = g.child_id WHERE cs.school_class_id = :c "
        "ORDER BY g.child_id, g.parent_id LIMIT 1",
        c=class_id,
    )
    admin = await api.login(demo_school["admin"], "demo")
    marked = await api(
        "mutation($p: ID!) { personUpdate(input: {personId: $p, paperStatements: true}) { id } }",
        {"p": gid("Person", parent_id)},
        token=admin,
    )
    assert marked.data["personUpdate"]["id"] == gid("Person", parent_id)
    [(before, after)] = await rows(
        engine,
        "SELECT before, after FROM change WHERE entity = 'person' AND entity_id = :p",
        p=parent_id,
    )
    assert '"paper_statements": false' in str(before).lower().replace("'", '"')
    assert '"paper_statements": true' in str(after).lower().replace("'", '"')
    # then their child's statement alone is printed, on the past school week by default
    answer = (await api(PDF, variables, token=token)).data["summaryStatements"]
    assert [row_id(s["student"]["id"]) for s in answer["statements"]] == [student_id]
    today = datetime.now(ZoneInfo("Europe/Moscow")).date()
    monday = today - timedelta(days=today.weekday() + 7)
    assert answer["dateFrom"] >= str(monday)  # from the period's first day, if it began later
    assert answer["dateTo"] == str(monday + timedelta(days=6))


async def test_a_parent_reads_their_childs_statement_and_no_one_elses(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    token = await api.login(demo_school["parent"], "demo")
    [(child,)] = await rows(
        engine,
        "SELECT g.child_id FROM guardianship g JOIN account a ON a.person_id = g.parent_id "
        "WHERE a.login = :l ORDER BY g.child_id LIMIT 1",
        l=demo_school["parent"],
    )
    start, end = await _days(engine)
    days = {"from": str(start), "to": str(end)}
    mine = (await api(STATEMENTS, {"s": gid("Person", child), **days}, token=token)).data
    [statement] = mine["summaryStatements"]["statements"]
    assert statement["subjects"]
    assert statement["lessonsHeld"] > 0
    [(other,)] = await rows(
        engine,
        "SELECT student_id FROM class_student WHERE student_id NOT IN "
        "(SELECT child_id FROM guardianship g JOIN account a ON a.person_id = g.parent_id "
        "WHERE a.login = :l) ORDER BY student_id LIMIT 1",
        l=demo_school["parent"],
    )
    refused = await api(STATEMENTS, {"s": gid("Person", other), **days}, token=token)
    assert refused.error_code == "NOT_FOUND"
    # and their child's class gives them their child's statement alone
    [(class_id,)] = await rows(
        engine, "SELECT school_class_id FROM class_student WHERE student_id = :s", s=child
    )
    answer = await api(STATEMENTS, {"c": gid("SchoolClass", class_id), **days}, token=token)
    assert answer.data["summaryStatements"]["statements"] == [statement]


async def test_days_across_two_periods_or_backwards_are_refused(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    class_id = gid("SchoolClass", await _own_class(engine, demo_school["class_teacher"]))
    token = await api.login(demo_school["class_teacher"], "demo")
    [(starts_on,)] = await rows(
        engine,
        "SELECT starts_on FROM period WHERE starts_on <= :t AND ends_on >= :t "
        "ORDER BY ends_on - starts_on LIMIT 1",
        t=date(2026, 11, 20),
    )
    starts = starts_on if isinstance(starts_on, date) else date.fromisoformat(starts_on)
    across = {"c": class_id, "from": str(starts - timedelta(days=3)), "to": "2026-11-20"}
    refused = await api(STATEMENTS, across, token=token)
    assert refused.error_code == "BAD_USER_INPUT"
    assert "one reporting period" in refused.body["errors"][0]["message"]
    backwards = {"c": class_id, "from": "2026-11-20", "to": "2026-11-10"}
    assert (await api(STATEMENTS, backwards, token=token)).error_code == "BAD_USER_INPUT"
    both = {"c": class_id, "s": gid("Person", 1)}
    assert (await api(STATEMENTS, both, token=token)).error_code == "BAD_USER_INPUT"
