"""The archive of a school's period (issue 13 item 6, §1.11): one zip that needs no tabel to read —
the journal's tables as CSV and XLSX with the database's rows, the audit trail, the statements
as PDFs with the names in them, a README and a manifest that `sha256sum -c` verifies; the same
data gives the same bytes, a changed grade a changed bundle; and it holds only what its maker
may read (an integrator without the journal's scope gets the tables' headers, no grades)."""

import asyncio
import csv
import hashlib
import io
import shutil
import subprocess
import zipfile
from datetime import date
from functools import partial
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

import model as m
from model.base import utc_now
from policies.engine import PolicyEngine
from policies.principal import Principal, SchoolRoleGrant, SchoolSettings
from resolvers.accounts.sign_in import principal_for_login
from resolvers.context import Context
from resolvers.database import Database
from resolvers.exports.archive import archive_zip
from tests.lessons import execute, rows

TABLES = ["lessons", "grades", "attendance", "homework", "final_grades", "grade_changes"]
POLICY = PolicyEngine()
IN_PERIOD = (
    "JOIN lesson l ON l.id = x.lesson_id WHERE l.school_id = :s AND l.held_on BETWEEN :a AND :b"
)
COUNTS = {
    "lessons": "SELECT count(*) FROM lesson x WHERE x.school_id = :s "
    "AND x.held_on BETWEEN :a AND :b",
    "grades": f"SELECT count(*) FROM grade x {IN_PERIOD}",
    "attendance": f"SELECT count(*) FROM attendance x {IN_PERIOD}",
    "homework": f"SELECT count(*) FROM homework x {IN_PERIOD}",
    "grade_changes": f"SELECT count(*) FROM change x {IN_PERIOD} AND x.kind = 'grade'",
    "final_grades": "SELECT count(*) FROM final_grade x WHERE x.period_id = :p",
}  # fmt: skip


class Pipe:
    """An output that cannot seek or tell, as a socket or a pipe."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None


async def _quarter(engine: AsyncEngine) -> dict[str, Any]:
    [(school, tz)] = await rows(engine, "SELECT id, timezone FROM school")
    [(period, starts, ends)] = await rows(
        engine, "SELECT id, starts_on, ends_on FROM period WHERE kind = 'quarter' AND number = 1"
    )
    day = date.fromisoformat if isinstance(starts, str) else (lambda d: d)
    return {"s": school, "p": period, "a": day(starts), "b": day(ends), "tz": tz}


async def archive(
    engine: AsyncEngine, who: str | Principal, quarter: dict[str, Any], out: Any = None
) -> bytes:
    """The archive as `who` (a login, or a principal) makes it, in one transaction."""
    seen: list[tuple[int, int]] = []
    async with AsyncSession(engine, expire_on_commit=False) as session:
        db = Database(session)
        principal = who if isinstance(who, Principal) else await principal_for_login(db, who)
        ctx = Context(db=db, policy=POLICY, principal=principal)
        target = out if out is not None else io.BytesIO()
        await archive_zip(ctx, quarter["s"], quarter["p"], target, lambda d, t: seen.append((d, t)))
        await session.rollback()
    # the progress only rises, to the end
    assert seen == sorted(seen)
    assert seen[-1][0] == seen[-1][1]
    return b"".join(target.chunks) if isinstance(target, Pipe) else target.getvalue()


def _files(bundle: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bundle)) as unzipped:
        return {name: unzipped.read(name) for name in unzipped.namelist()}


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


async def test_the_archive_holds_every_file_and_its_manifest_verifies(
    engine: AsyncEngine, demo_school: dict[str, str], tmp_path: Any
) -> None:
    quarter = await _quarter(engine)
    classes = await rows(engine, "SELECT parallel, letter FROM school_class ORDER BY 1, 2")
    # when the admin archives the first quarter
    files = _files(await archive(engine, demo_school["admin"], quarter))
    # then it holds every table twice, the audit trail, each class's statements, the
    # attestation summary, the README and the manifest
    expected = {f"tables/{t}.{kind}" for t in TABLES for kind in ("csv", "xlsx")}
    expected |= {"README.txt", "audit/audit_trail.jsonl", "manifest.csv", "SHA256SUMS"}
    expected |= {f"summary_statements/quarter-1/{p:02d}{letter}.pdf" for p, letter in classes}
    expected |= {f"class_journals/{p:02d}{letter}.pdf" for p, letter in classes}
    expected |= {"attestation/quarter-1.pdf", "attestation/quarter-1.xlsx"}
    assert set(files) == expected
    # and SHA256SUMS names every file but itself with its SHA-256, as sha256sum checks it
    sums = dict(line.split("  ", 1)[::-1] for line in files["SHA256SUMS"].decode().splitlines())
    assert set(sums) == set(files) - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest, name
    manifest = _csv(files["manifest.csv"])
    assert {row["name"] for row in manifest} == set(files) - {"SHA256SUMS", "manifest.csv"}
    for row in manifest:
        assert int(row["size"]) == len(files[row["name"]])
        assert row["sha256"] == sums[row["name"]]
    if shutil.which("sha256sum"):
        for name, data in files.items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_bytes(data)
        command = ["sha256sum", "-c", "SHA256SUMS"]
        run = partial(subprocess.run, cwd=tmp_path, check=False, capture_output=True, text=True)
        checked = await asyncio.to_thread(run, command)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    readme = files["README.txt"].decode()
    assert "sha256sum -c SHA256SUMS" in readme
    assert "АРХИВ ЭЛЕКТРОННОГО ЖУРНАЛА" in readme


async def test_the_tables_hold_the_databases_rows_with_their_names(
    engine: AsyncEngine, demo_school: dict[str, str]
) -> None:
    quarter = await _quarter(engine)
    files = _files(await archive(engine, demo_school["admin"], quarter))
    manifest = {row["name"]: row for row in _csv(files["manifest.csv"])}
    params = {key: quarter[key] for key in ("s", "a", "b", "p")}
    for table in TABLES:
        [(count,)] = await rows(engine, COUNTS[table], **params)
        assert count > 0, table  # the demo's quarter has every kind of row
        # the CSV's rows are the database's, and the XLSX's rows the CSV's, below two header rows
        assert len(_csv(files[f"tables/{table}.csv"])) == count, table
        sheet = openpyxl.load_workbook(io.BytesIO(files[f"tables/{table}.xlsx"])).worksheets[0]
        assert sheet.max_row == count + 2, table
        assert manifest[f"tables/{table}.csv"]["rows"] == str(count)
    # and Cyrillic is intact: a grade's student and subject as the database spells them
    grade = _csv(files["tables/grades.csv"])[0]
    [(last, first, subject)] = await rows(
        engine,
        "SELECT p.last_name, p.first_name, s.name FROM grade g JOIN person p ON p.id = "
        "g.student_id JOIN lesson l ON l.id = g.lesson_id JOIN subject s ON s.id = l.subject_id "
        "WHERE g.id = :g",
        g=int(grade["grade_id"]),
    )
    assert grade["student"].startswith(f"{last} {first}")
    assert grade["subject"] == subject
    sheet = openpyxl.load_workbook(io.BytesIO(files["tables/grades.xlsx"])).worksheets[0]
    assert [c.value for c in sheet[3]][6] == grade["student"]
    trail = files["audit/audit_trail.jsonl"].decode().splitlines()
    assert trail
    assert all(line.startswith("{") for line in trail)
    # and the PDFs' text has the names: each student of a class on its statements, the school
    [(class_id, parallel, letter)] = await rows(
        engine, "SELECT id, parallel, letter FROM school_class ORDER BY parallel, letter LIMIT 1"
    )
    pdf = PdfReader(io.BytesIO(files[f"summary_statements/quarter-1/{parallel:02d}{letter}.pdf"]))
    text = " ".join(page.extract_text() for page in pdf.pages)
    students = await rows(
        engine, "SELECT p.last_name FROM class_student cs JOIN person p ON p.id = cs.student_id "
        "WHERE cs.school_class_id = :c", c=class_id,
    )  # fmt: skip
    assert len(pdf.pages) >= len(students)
    assert all(last_name in text for (last_name,) in students)
    # and the class journal's pages have the students and the class's subjects
    journal = PdfReader(io.BytesIO(files[f"class_journals/{parallel:02d}{letter}.pdf"]))
    text = " ".join(page.extract_text() for page in journal.pages)
    assert all(last_name in text for (last_name,) in students)
    subjects = await rows(
        engine, "SELECT DISTINCT s.name FROM lesson l JOIN subject s ON s.id = l.subject_id "
        "JOIN study_group g ON g.id = l.group_id WHERE g.school_class_id = :c "
        "AND l.status = 'held' AND l.held_on BETWEEN :a AND :b",
        c=class_id, a=quarter["a"], b=quarter["b"],
    )  # fmt: skip
    assert subjects
    assert all(name in text for (name,) in subjects)
    attestation = PdfReader(io.BytesIO(files["attestation/quarter-1.pdf"]))
    text = " ".join(page.extract_text() for page in attestation.pages)
    assert "Сводная ведомость итогов аттестации" in text
    assert demo_school["admin"] in text


async def test_the_same_data_gives_the_same_bytes_and_a_changed_grade_another_bundle(
    engine: AsyncEngine, demo_school: dict[str, str]
) -> None:
    quarter = await _quarter(engine)
    first = await archive(engine, demo_school["admin"], quarter)
    # when it is made again, into an output that cannot seek
    again = await archive(engine, demo_school["admin"], quarter, Pipe())
    # then the bytes are the same
    assert again == first
    # and when one grade of the quarter changes, the bundle changes: that grade's files
    [(grade_id, mark)] = await rows(
        engine, f"SELECT x.id, x.mark FROM grade x {IN_PERIOD} ORDER BY x.id LIMIT 1",
        s=quarter["s"], a=quarter["a"], b=quarter["b"],
    )  # fmt: skip
    await execute(engine, "UPDATE grade SET mark = :m WHERE id = :g", m="2" if mark != "2" else "3",
                  g=grade_id)  # fmt: skip
    changed = await archive(engine, demo_school["admin"], quarter)
    assert changed != first
    before, after = _files(first), _files(changed)
    assert before["tables/grades.csv"] != after["tables/grades.csv"]
    assert before["tables/lessons.csv"] == after["tables/lessons.csv"]


@pytest.mark.parametrize("scopes", [("integrator_roster", "integrator_reports")])
async def test_a_principal_that_may_not_read_grades_gets_an_archive_without_them(
    engine: AsyncEngine, demo_school: dict[str, str], scopes: tuple[str, ...]
) -> None:
    quarter = await _quarter(engine)
    # given an integrator's token with the roster and the reports, not the journal
    integrator = Principal(
        token_id=0, kind=m.TokenKind.INTEGRATOR, name="отчёты", account_id=None, person_id=None,
        must_change_password=False,
        grants=tuple(SchoolRoleGrant(quarter["s"], role) for role in scopes),
        schools={quarter["s"]: SchoolSettings(quarter["tz"], m.EditWindow.NEVER)}, now=utc_now(),
    )  # fmt: skip
    # when it archives the quarter
    files = _files(await archive(engine, integrator, quarter))
    # then the journal's tables and the audit trail are there with no rows (policies filter
    # them, as every read), and the final grades it may read are
    for table in ("lessons", "grades", "attendance", "homework", "grade_changes"):
        assert _csv(files[f"tables/{table}.csv"]) == [], table
    assert files["audit/audit_trail.jsonl"] == b""
    # and no class journal: printing its pages is the staff's
    assert not [name for name in files if name.startswith("class_journals/")]
    [(finals,)] = await rows(engine, COUNTS["final_grades"], p=quarter["p"])
    assert len(_csv(files["tables/final_grades.csv"])) == finals > 0
