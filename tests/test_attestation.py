"""The attestation summary (R-ATTEST-1, А #6): built in real time from the final grades, the
same figures as a hand count; exported as XLSX and PDF; certified by the admin with a checksum
the API verifies later, and no longer verified once a grade on it changed."""

import base64
import io
from collections import Counter
from datetime import date

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.lessons import execute, rows

SUMMARY = """query($s: ID!, $p: [ID!]!, $c: ID) {
  attestationSummary(schoolId: $s, periodIds: $p, classId: $c) {
    checksum
    columns { subject { name } periodName }
    classes { name students { student { shortName } marks } total { students twos } }
    school {
      total { students fives fours threes twos notAttested exempt passed
              successPercent qualityPercent }
      subjects { subject { name } students fives twos successPercent qualityPercent }
    }
  }
}"""
FILES = """query($s: ID!, $p: [ID!]!) {
  attestationSummary(schoolId: $s, periodIds: $p) { xlsx pdf classes { name } }
}"""
CERTIFY = """mutation($s: ID!, $p: [ID!]!) {
  attestationSummaryCertify(schoolId: $s, periodIds: $p) { checksum generatedAt pdf }
}"""
CHECK = """query($c: String!) {
  attestationCertificate(checksum: $c) {
    stillMatches certificate { checksum generatedBy { shortName } school { name } }
  }
}"""
# The school's final grades of the period, each counted as the summary counts it.
HAND = """SELECT CASE WHEN f.special = 'not_attested' THEN 'н/а'
  WHEN f.special = 'exempt' THEN 'осв.' WHEN f.special = 'pass' THEN 'зач.'
  WHEN v.value IS NULL THEN 'зач.' WHEN v.value >= 5 THEN '5' WHEN v.value >= 4 THEN '4'
  WHEN v.value >= 3 THEN '3' ELSE '2' END, f.student_id
FROM final_grade f LEFT JOIN grade_scale_mark v
  ON v.grade_scale_id = f.grade_scale_id AND v.mark = f.mark
WHERE f.period_id = :p"""


def gid(type_name: str, row_id: int) -> str:
    return relay.to_base64(type_name, row_id)


async def _first_term(engine: AsyncEngine) -> tuple[str, str]:
    """The demo school and its first quarter, which ended before the demo's 20 November."""
    [(school, period)] = await rows(
        engine,
        "SELECT p.school_id, p.id FROM period p WHERE p.ends_on < :d AND p.kind = 'quarter' "
        "ORDER BY p.starts_on LIMIT 1",
        d=date(2026, 11, 20),
    )
    return gid("School", school), gid("Period", period)


async def test_the_summary_is_the_hand_count_of_the_final_grades_in_constant_sql(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:
    school, period = await _first_term(engine)
    token = await api.login(demo_school["head"], "demo")
    sql.reset()
    answer = (await api(SUMMARY, {"s": school, "p": [period]}, token=token)).data
    whole_school = sql.count
    summary = answer["attestationSummary"]
    hand = await rows(engine, HAND, p=int(relay.from_base64(period)[1]))
    counts = Counter(mark for mark, _ in hand)
    total = summary["school"]["total"]
    assert len(hand) > 50
    assert (total["fives"], total["fours"], total["threes"], total["twos"]) == (
        counts["5"], counts["4"], counts["3"], counts["2"]
    )  # fmt: skip
    assert total["notAttested"] == counts["н/а"]
    assert total["students"] == len({student for _, student in hand})
    # the shares: students without a 2 or «н/а», and with only 4s and 5s
    worst: dict[int, set[str]] = {}
    for mark, student in hand:
        worst.setdefault(student, set()).add(mark)
    attested = [marks for marks in worst.values() if marks != {"осв."}]
    success = sum(1 for marks in attested if not marks & {"2", "н/а"}) / len(attested)
    quality = sum(1 for marks in attested if not marks & {"3", "2", "н/а"}) / len(attested)
    assert total["successPercent"] == f"{100 * success:.1f}"
    assert total["qualityPercent"] == f"{100 * quality:.1f}"
    # each student's row holds a mark in the columns their grades are in
    marks = sum(1 for c in summary["classes"] for s in c["students"] for m in s["marks"] if m)
    assert marks == len(hand)
    assert sum(s["fives"] for s in summary["school"]["subjects"]) == counts["5"]
    # and one class costs the statements the whole school does
    class_id = (await rows(engine, "SELECT min(id) FROM school_class"))[0][0]
    sql.reset()
    one = await api(SUMMARY, {"s": school, "p": [period], "c": gid("SchoolClass", class_id)},
                    token=token)  # fmt: skip
    assert len(one.data["attestationSummary"]["classes"]) == 1
    assert sql.count == whole_school <= 6, sql.statements


async def test_the_xlsx_and_pdf_hold_the_summarys_figures(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    school, period = await _first_term(engine)
    token = await api.login(demo_school["admin"], "demo")
    files = (await api(FILES, {"s": school, "p": [period]}, token=token)).data
    summary = (await api(SUMMARY, {"s": school, "p": [period]}, token=token)).data
    book = load_workbook(io.BytesIO(base64.b64decode(files["attestationSummary"]["xlsx"])))
    classes = summary["attestationSummary"]["classes"]
    assert book.sheetnames == [c["name"] for c in classes] + ["Итоги"]
    first = book[classes[0]["name"]]
    assert first.freeze_panes == "B3"
    assert first["A2"].value == "Учащийся"
    assert first["A2"].font.bold
    columns = summary["attestationSummary"]["columns"]
    assert [c.value for c in first[2]][1:] == [
        f"{c['subject']['name']}, {c['periodName']}" for c in columns
    ]
    for row, student in zip(first.iter_rows(min_row=3, values_only=True), classes[0]["students"],
                            strict=True):  # fmt: skip
        assert row[0] == student["student"]["shortName"]
        assert [value or None for value in row[1:]] == student["marks"]
    assert first.column_dimensions["A"].width >= len(classes[0]["students"][0]["student"]
                                                     ["shortName"])  # fmt: skip
    totals = book["Итоги"]
    school_row = [r for r in totals.iter_rows(values_only=True) if r[1] == "Все предметы"][-1]
    total = summary["attestationSummary"]["school"]["total"]
    assert school_row[2:6] == (total["students"], total["fives"], total["fours"], total["threes"])
    # the draft PDF names every class and says it is not certified
    pages = PdfReader(io.BytesIO(base64.b64decode(files["attestationSummary"]["pdf"]))).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "Сводная ведомость итогов аттестации" in text
    assert "не заверен" in text
    for c in classes:
        assert f"{c['name']} класс" in text


async def test_the_admin_certifies_and_a_paper_is_verified_until_a_grade_on_it_changes(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    """R-ATTEST-1: certified — who generated it, when, and a checksum the API verifies later."""
    school, period = await _first_term(engine)
    admin = await api.login(demo_school["admin"], "demo")
    certified = (await api(CERTIFY, {"s": school, "p": [period]}, token=admin)).data
    checksum = certified["attestationSummaryCertify"]["checksum"]
    summary = (await api(SUMMARY, {"s": school, "p": [period]}, token=admin)).data
    assert checksum == summary["attestationSummary"]["checksum"]
    pages = PdfReader(io.BytesIO(base64.b64decode(certified["attestationSummaryCertify"]["pdf"])))
    footer = " ".join(pages.pages[0].extract_text().split())
    assert checksum in footer.replace(" ", "")
    assert demo_school["admin"] in footer
    # the certificate is in the trail
    trail = await rows(engine, "SELECT count(*) FROM change WHERE entity = 'certificate'")
    assert trail[0][0] == 1
    # the head checks the paper later: it holds
    head = await api.login(demo_school["head"], "demo")
    check = (await api(CHECK, {"c": checksum.upper()}, token=head)).data["attestationCertificate"]
    assert check["stillMatches"] is True
    assert check["certificate"]["checksum"] == checksum
    assert check["certificate"]["generatedBy"]["shortName"]
    # until a grade on it changes
    await execute(
        engine,
        "UPDATE final_grade SET mark = CASE WHEN mark = '5' THEN '4' ELSE '5' END "
        "WHERE id = (SELECT min(id) FROM final_grade WHERE period_id = :p AND mark IS NOT NULL)",
        p=int(relay.from_base64(period)[1]),
    )
    check = (await api(CHECK, {"c": checksum}, token=head)).data["attestationCertificate"]
    assert check["stillMatches"] is False


async def test_only_the_admin_certifies_and_checksums_are_checked_as_written(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    school, period = await _first_term(engine)
    for role in ("head", "teacher", "student"):
        token = await api.login(demo_school[role], "demo")
        refused = await api(CERTIFY, {"s": school, "p": [period]}, token=token)
        assert refused.error_code == "FORBIDDEN", role
    assert (await rows(engine, "SELECT count(*) FROM certificate"))[0][0] == 0
    head = await api.login(demo_school["head"], "demo")
    assert (await api(CHECK, {"c": "12ab"}, token=head)).error_code == "BAD_USER_INPUT"
    assert (await api(CHECK, {"c": "0" * 64}, token=head)).error_code == "NOT_FOUND"
    parent = await api.login(demo_school["parent"], "demo")
    assert (await api(CHECK, {"c": "0" * 64}, token=parent)).error_code == "FORBIDDEN"
