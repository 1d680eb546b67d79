"""Every screen's file, the paper journal, OneRoster and the archive as report jobs (issue 13,
item 7): started by the admin over GraphQL, made by the worker, downloaded at the job's URL —
the same bytes as the screen's own field gives, where the screen gives the file — and the
school's zips whole (the archive's SHA256SUMS verifies); a parent may not print the journal's
pages. Both engines."""

import base64
import csv
import hashlib
import io
import zipfile
from datetime import date
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from model.db import make_sessionmaker
from policies.engine import PolicyEngine
from server.settings import Settings
from server.worker import ReportWorker
from tests.client import GraphQLClient
from tests.lessons import rows

START = "mutation($i: ReportStartInput!) { reportStart(input: $i) { id } }"
JOB = "query($id: ID!) { reportJob(id: $id) { status message mediaType downloadUrl } }"


def gid(type_name: str, row_id: int) -> str:
    return relay.to_base64(type_name, row_id)


async def _ids(engine: AsyncEngine) -> dict[str, str]:
    [(group, subject, school, school_class)] = await rows(
        engine,
        """SELECT t.group_id, t.subject_id, t.school_id, g.school_class_id FROM timetable_entry t
        JOIN study_group g ON g.id = t.group_id ORDER BY g.kind DESC, t.id LIMIT 1""",
    )
    [(period, starts_on)] = await rows(
        engine,
        "SELECT id, starts_on FROM period WHERE school_id = :s AND kind = 'quarter' "
        "ORDER BY number LIMIT 1",
        s=school,
    )
    [(student,)] = await rows(
        engine,
        "SELECT student_id FROM class_student WHERE school_class_id = :c ORDER BY id LIMIT 1",
        c=school_class,
    )
    start = starts_on if isinstance(starts_on, date) else date.fromisoformat(str(starts_on))
    return {
        "group": gid("Group", group), "subject": gid("Subject", subject),
        "school": gid("School", school), "class": gid("SchoolClass", school_class),
        "period": gid("Period", period), "student": gid("Person", student),
        "from": str(start), "to": str(date.fromordinal(start.toordinal() + 13)),
    }  # fmt: skip


def _screens(ids: dict[str, str]) -> dict[str, tuple[dict[str, Any], str, dict[str, Any]]]:
    """Kind → (its arguments, the screen's query giving the same file, its variables)."""
    grid = {"groupId": ids["group"], "subjectId": ids["subject"], "periodId": ids["period"]}
    days = {"classId": ids["class"], "dateFrom": ids["from"], "dateTo": ids["to"]}
    overview = {"schoolId": ids["school"], "periodId": ids["period"]}
    grid_q = "query($g: ID!, $s: ID!, $p: ID!) { gradeGrid(groupId: $g, subjectId: $s, periodId: $p) { %s } }"  # noqa: E501
    days_q = "query($c: ID!, $f: Date!, $t: Date!) { classJournal(classId: $c, dateFrom: $f, dateTo: $t) { %s } }"  # noqa: E501
    overview_q = "query($s: ID!, $p: ID!) { schoolOverview(schoolId: $s, periodId: $p) { %s } }"
    pages_q = "query($c: ID!, $p: ID!) { classJournalPages(classId: $c, periodId: $p) { pdf } }"
    grid_v = {"g": ids["group"], "s": ids["subject"], "p": ids["period"]}
    days_v = {"c": ids["class"], "f": ids["from"], "t": ids["to"]}
    overview_v = {"s": ids["school"], "p": ids["period"]}
    return {
        "gradeGridXlsx": (grid, grid_q % "xlsx", grid_v),
        "gradeGridCsv": (grid, grid_q % "csv", grid_v),
        "gradeGridPdf": (grid, grid_q % "pdf", grid_v),
        "classJournalXlsx": (days, days_q % "xlsx", days_v),
        "classJournalCsv": (days, days_q % "csv", days_v),
        "classJournalPagesPdf": (
            {"classId": ids["class"], "periodId": ids["period"]}, pages_q,
            {"c": ids["class"], "p": ids["period"]},
        ),
        "schoolOverviewXlsx": (overview, overview_q % "xlsx", overview_v),
        "schoolOverviewCsv": (overview, overview_q % "csv", overview_v),
    }  # fmt: skip


async def _made(api: GraphQLClient, engine: AsyncEngine, token: str, member: str,
                arguments: dict[str, Any]) -> Any:  # fmt: skip
    started = await api(START, {"i": {member: arguments}}, token=token)
    job_id = started.data["reportStart"]["id"]
    worker = ReportWorker(
        make_sessionmaker(engine), PolicyEngine(), Settings(database_url="sqlite://")
    )
    assert await worker.run_once() is m.ReportJobStatus.SUCCEEDED
    job = (await api(JOB, {"id": job_id}, token=token)).data["reportJob"]
    assert job["status"] == "SUCCEEDED", job
    reply = await api.http.get(job["downloadUrl"])
    assert reply.status_code == 200
    return reply


@pytest.mark.parametrize(
    "member",
    ["gradeGridXlsx", "gradeGridCsv", "gradeGridPdf", "classJournalXlsx", "classJournalCsv",
     "classJournalPagesPdf", "schoolOverviewXlsx", "schoolOverviewCsv"],
)  # fmt: skip
async def test_a_screens_file_as_a_job_is_the_screens_own(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], member: str
) -> None:
    admin = await api.login(demo_school["admin"], "demo")
    arguments, query, variables = _screens(await _ids(engine))[member]
    reply = await _made(api, engine, admin, member, arguments)
    screen = (await api(query, variables, token=admin)).data
    [answer] = screen.values()
    [(field, encoded)] = answer.items()
    assert reply.content == base64.b64decode(encoded), field
    expected = {"pdf": "application/pdf", "csv": "text/csv", "xlsx": "application/vnd."}[field]
    assert reply.headers["content-type"].startswith(expected)


async def test_the_archive_and_oneroster_as_jobs_are_whole_zips(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    admin = await api.login(demo_school["admin"], "demo")
    ids = await _ids(engine)
    archive = await _made(
        api, engine, admin, "archiveZip", {"schoolId": ids["school"], "periodId": ids["period"]}
    )
    with zipfile.ZipFile(io.BytesIO(archive.content)) as bundle:
        names = set(bundle.namelist())
        sums = bundle.read("SHA256SUMS").decode().splitlines()
        for line in sums:
            digest, name = line.split("  ", 1)
            assert hashlib.sha256(bundle.read(name)).hexdigest() == digest, name
        assert {line.split("  ", 1)[1] for line in sums} == names - {"SHA256SUMS"}
    assert any(name.startswith("class_journals/") for name in names)
    roster = await _made(api, engine, admin, "onerosterZip", {"schoolId": ids["school"]})
    with zipfile.ZipFile(io.BytesIO(roster.content)) as files:
        manifest = dict(csv.reader(io.StringIO(files.read("manifest.csv").decode())))
        assert manifest["oneroster.version"] == "1.2"
        assert manifest["file.results"] == "bulk"
        assert "results.csv" in files.namelist()


async def test_a_parent_may_not_print_the_journals_pages_as_a_job(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    parent = await api.login(demo_school["parent"], "demo")
    ids = await _ids(engine)
    refused = await api(START, {"i": {"classJournalPagesPdf": {
        "classId": ids["class"], "periodId": ids["period"]}}}, token=parent)  # fmt: skip
    assert refused.error_code == "FORBIDDEN"
