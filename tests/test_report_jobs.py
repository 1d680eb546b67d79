"""Reports and exports made as jobs (issue 13, item 7): started over GraphQL with a real token,
made by tabel's worker as the account that started them, downloaded at an expiring URL that
serves their starter only — the same bytes as the screen's own field gives — on both engines.
A queued job survives a restart, a dead worker's job is taken again, two workers on PostgreSQL
take a job once, a failing kind fails its job with a clear message, and `tabel report` does
it all from the command line."""

import asyncio
import base64
import hashlib
import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from model.base import utc_now
from model.db import make_sessionmaker
from policies.engine import PolicyEngine
from policies.vocabulary import Resource
from resolvers.context import Context
from resolvers.database import Database
from resolvers.errors import BadUserInput
from resolvers.reports import downloads, kinds, runner
from resolvers.reports.kinds import KINDS, ReportKind, SchoolArguments, school_check
from resolvers.reports.principals import BLOCKED
from server import cli
from server.app import create_app
from server.settings import Settings
from server.worker import ReportWorker
from tests.client import GraphQLClient
from tests.lessons import execute, rows

START = """mutation($i: ReportStartInput!) {
  reportStart(input: $i) { id kind status done total downloadUrl }
}"""
JOB = """query($id: ID!) {
  reportJob(id: $id) {
    id kind status done total message fileName mediaType size sha256 expiresAt downloadUrl
  }
}"""
JOBS = "query { reportJobs(first: 10) { totalCount nodes { id kind status } } }"
STATEMENT = """query($s: ID!, $from: Date, $to: Date) {
  summaryStatements(studentId: $s, dateFrom: $from, dateTo: $to) { pdf }
}"""
ATTESTATION = """query($s: ID!, $p: [ID!]!) {
  attestationSummary(schoolId: $s, periodIds: $p) { xlsx pdf }
}"""
FROM, TO = date(2026, 11, 9), date(2026, 11, 20)


def gid(type_name: str, row_id: int) -> str:
    return relay.to_base64(type_name, row_id)


def _worker(engine: AsyncEngine, **settings: Any) -> ReportWorker:
    return ReportWorker(
        make_sessionmaker(engine), PolicyEngine(), Settings(database_url="sqlite://", **settings)
    )


async def _child(engine: AsyncEngine, login: str) -> int:
    [(child,)] = await rows(
        engine,
        "SELECT g.child_id FROM guardianship g JOIN account a ON a.person_id = g.parent_id "
        "WHERE a.login = :l ORDER BY g.child_id LIMIT 1",
        l=login,
    )
    return int(child)


async def _another_parent(engine: AsyncEngine, demo_parent: str) -> str:
    """A second parent's login (of a child not the demo parent's), with the demo password."""
    [(person, password_hash)] = await rows(
        engine,
        "SELECT g.parent_id, (SELECT password_hash FROM account WHERE login = :l) "
        "FROM guardianship g WHERE g.child_id NOT IN (SELECT g2.child_id FROM guardianship g2 "
        "JOIN account a ON a.person_id = g2.parent_id WHERE a.login = :l) "
        "ORDER BY g.parent_id LIMIT 1",
        l=demo_parent,
    )
    async with engine.begin() as connection:
        await connection.execute(delete(m.Account).where(m.Account.person_id == person))
        await connection.execute(
            insert(m.Account).values(
                person_id=person,
                login="parent2",
                password_hash=password_hash,
                must_change_password=False,
            )
        )
    return "parent2"


def _statement_input(student: int) -> dict[str, Any]:
    return {"summaryStatementsPdf": {"studentId": gid("Person", student), "dateFrom": str(FROM),
                                     "dateTo": str(TO)}}  # fmt: skip


async def _job(api: GraphQLClient, job_id: str, token: str) -> dict[str, Any]:
    job: dict[str, Any] = (await api(JOB, {"id": job_id}, token=token)).data["reportJob"]
    return job


async def test_a_parent_gets_their_childs_statement_and_no_one_else_does(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    """R-SUMMARY-1 as a job: the parent's download is the screen's PDF, byte for byte."""
    parent = await api.login(demo_school["parent"], "demo")
    child = await _child(engine, demo_school["parent"])
    # when the parent starts their child's statement
    started = await api(START, {"i": _statement_input(child)}, token=parent)
    job = started.data["reportStart"]
    # then it is queued, audited as theirs, and made by the worker
    assert (job["kind"], job["status"], job["downloadUrl"]) == (
        "summary_statements_pdf", "QUEUED", None
    )  # fmt: skip
    [(audited,)] = await rows(
        engine,
        "SELECT count(*) FROM change c JOIN account a ON a.id = c.changed_by_id "
        "WHERE c.entity = 'report_job' AND a.login = :l",
        l=demo_school["parent"],
    )
    assert audited == 1
    assert await _worker(engine).run_once() is m.ReportJobStatus.SUCCEEDED
    done = await _job(api, job["id"], parent)
    assert (done["status"], done["done"], done["total"]) == ("SUCCEEDED", 2, 2)
    assert done["mediaType"] == "application/pdf"
    assert done["fileName"] == f"Сводная ведомость {FROM}–{TO}.pdf"
    # and its file is the screen's PDF, byte for byte
    reply = await api.http.get(done["downloadUrl"], headers={"Authorization": f"Bearer {parent}"})
    assert reply.status_code == 200
    screen = await api(STATEMENT, {"s": gid("Person", child), "from": str(FROM), "to": str(TO)},
                       token=parent)  # fmt: skip
    assert reply.content == base64.b64decode(screen.data["summaryStatements"]["pdf"])
    assert done["size"] == len(reply.content)
    assert done["sha256"] == hashlib.sha256(reply.content).hexdigest()
    assert reply.headers["content-type"] == "application/pdf"
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["cache-control"] == "private, no-store"
    assert reply.headers["content-disposition"].startswith("attachment; ")
    assert "filename*=UTF-8''%D0%A1%D0%B2%D0%BE" in reply.headers["content-disposition"]
    [page] = PdfReader(io.BytesIO(reply.content)).pages
    assert "Сводная ведомость" in " ".join(page.extract_text().split())
    # and without a bearer token the URL alone serves it (a browser's link), while it lasts
    assert (await api.http.get(done["downloadUrl"])).status_code == 200
    # when another parent tries: their token with the URL, the job, and a statement of the child
    other = await api.login(await _another_parent(engine, demo_school["parent"]), "demo")
    theirs = await api.http.get(done["downloadUrl"], headers={"Authorization": f"Bearer {other}"})
    assert (theirs.status_code, theirs.content) == (404, b"")
    assert (await api(JOB, {"id": job["id"]}, token=other)).error_code == "NOT_FOUND"
    assert (await api(JOBS, token=other)).data["reportJobs"]["totalCount"] == 0
    refused = await api(START, {"i": _statement_input(child)}, token=other)
    assert refused.error_code == "NOT_FOUND"  # as `summaryStatements` refuses it
    # and the parent's own list has their job
    mine = (await api(JOBS, token=parent)).data["reportJobs"]
    assert mine["nodes"] == [{"id": job["id"], "kind": "summary_statements_pdf",
                              "status": "SUCCEEDED"}]  # fmt: skip


async def test_the_attestation_summary_files_are_the_screens(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    """R-ATTEST-1 as jobs: the XLSX has the screen's cells, the PDF is the screen's bytes."""
    admin = await api.login(demo_school["admin"], "demo")
    [(school, period)] = await rows(
        engine,
        "SELECT school_id, id FROM period WHERE ends_on < :d AND kind = 'quarter' "
        "ORDER BY starts_on LIMIT 1",
        d=TO,
    )
    arguments = {"schoolId": gid("School", school), "periodIds": [gid("Period", period)]}
    ids = {}
    for member in ("attestationSummaryXlsx", "attestationSummaryPdf"):
        started = await api(START, {"i": {member: arguments}}, token=admin)
        ids[member] = started.data["reportStart"]["id"]
    worker = _worker(engine)
    assert await worker.run_once() is m.ReportJobStatus.SUCCEEDED
    assert await worker.run_once() is m.ReportJobStatus.SUCCEEDED
    assert await worker.run_once() is None
    screen = (
        await api(ATTESTATION, {"s": arguments["schoolId"], "p": arguments["periodIds"]},
                  token=admin)
    ).data["attestationSummary"]  # fmt: skip
    files = {}
    for member, job_id in ids.items():
        url = (await _job(api, job_id, admin))["downloadUrl"]
        reply = await api.http.get(url, headers={"Authorization": f"Bearer {admin}"})
        assert reply.status_code == 200
        files[member] = reply
    assert files["attestationSummaryPdf"].content == base64.b64decode(screen["pdf"])
    xlsx = files["attestationSummaryXlsx"]
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    made = load_workbook(io.BytesIO(xlsx.content))
    shown = load_workbook(io.BytesIO(base64.b64decode(screen["xlsx"])))
    assert made.sheetnames == shown.sheetnames
    for name in made.sheetnames:
        cells = [list(row) for row in made[name].iter_rows(values_only=True)]
        assert cells == [list(row) for row in shown[name].iter_rows(values_only=True)]
    assert len(made.sheetnames) > 2


async def _made(api: GraphQLClient, engine: AsyncEngine, demo_school: dict[str, str]
                ) -> tuple[str, dict[str, Any]]:  # fmt: skip
    parent = await api.login(demo_school["parent"], "demo")
    child = await _child(engine, demo_school["parent"])
    job = (await api(START, {"i": _statement_input(child)}, token=parent)).data["reportStart"]
    assert await _worker(engine).run_once() is m.ReportJobStatus.SUCCEEDED
    return parent, await _job(api, job["id"], parent)


async def test_an_expired_or_forged_url_and_a_blocked_account_get_404(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    _, job = await _made(api, engine, demo_school)
    url = job["downloadUrl"]
    assert (await api.http.get(url)).status_code == 200
    job_id, expires, signature = url.removeprefix(downloads.PATH).split(".")
    # a URL whose expiry was moved, or whose signature is another's, or that names another job
    forgeries = (
        f"{job_id}.{int(expires) + 600}.{signature}",
        f"{job_id}.{expires}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}",
        f"{int(job_id) + 1}.{expires}.{signature}",
        "nonsense",
        "1.2",
    )
    for forged in forgeries:
        reply = await api.http.get(downloads.PATH + forged)
        assert (reply.status_code, reply.content) == (404, b""), forged
    # a URL past its expiry
    async with make_sessionmaker(engine)() as session:
        row = await session.get(m.ReportJob, int(job_id))
        assert row is not None
        old = await downloads.mint(Database(session), row, utc_now() - downloads.URL_TTL)
        assert old is not None
    assert (await api.http.get(old.url)).status_code == 404
    # a blocked account: its URL serves nothing any more
    await execute(engine, "UPDATE account SET is_active = false WHERE login = :l",
                  l=demo_school["parent"])  # fmt: skip
    assert (await api.http.get(url)).status_code == 404


async def test_files_expire_and_the_worker_deletes_them(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    parent, job = await _made(api, engine, demo_school)
    row_id = int(relay.from_base64(job["id"])[1])
    url = job["downloadUrl"]
    await execute(engine, "UPDATE report_job SET expires_at = :t WHERE id = :i",
                  t=utc_now() - timedelta(seconds=1), i=row_id)  # fmt: skip
    assert await runner.sweep(make_sessionmaker(engine)) == 1
    gone = await _job(api, job["id"], parent)
    assert (gone["status"], gone["downloadUrl"]) == ("EXPIRED", None)
    assert await rows(engine, "SELECT seq FROM report_chunk WHERE job_id = :i", i=row_id) == []
    assert (await api.http.get(url)).status_code == 404


async def test_a_blocked_accounts_job_is_not_made(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    parent = await api.login(demo_school["parent"], "demo")
    child = await _child(engine, demo_school["parent"])
    job = (await api(START, {"i": _statement_input(child)}, token=parent)).data["reportStart"]
    await execute(engine, "UPDATE account SET is_active = false WHERE login = :l",
                  l=demo_school["parent"])  # fmt: skip
    assert await _worker(engine).run_once() is m.ReportJobStatus.FAILED
    [(status, message)] = await rows(
        engine, "SELECT status, message FROM report_job WHERE id = :i",
        i=int(relay.from_base64(job["id"])[1]),
    )  # fmt: skip
    assert (status, message) == ("failed", BLOCKED)


async def _wait_for(engine: AsyncEngine, job_id: int, status: str, seconds: float = 60) -> None:
    async with asyncio.timeout(seconds):
        while True:
            [(now,)] = await rows(engine, "SELECT status FROM report_job WHERE id = :i", i=job_id)
            if now == status:
                return
            await asyncio.sleep(0.1)


async def test_a_queued_job_is_made_after_a_restart_and_a_dead_workers_job_again(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    parent = await api.login(demo_school["parent"], "demo")
    child = await _child(engine, demo_school["parent"])
    # given a job queued while no worker ran (the `api` app's lifespan never started)
    queued = (await api(START, {"i": _statement_input(child)}, token=parent)).data["reportStart"]
    # and one a worker took and died making: its lease ran out
    taken = (await api(START, {"i": _statement_input(child)}, token=parent)).data["reportStart"]
    ids = [int(relay.from_base64(job["id"])[1]) for job in (queued, taken)]
    await execute(
        engine, "UPDATE report_job SET status = 'running', worker = 'dead:1:1', attempts = 1, "
        "lease_until = :t WHERE id = :i", t=utc_now() - timedelta(seconds=1), i=ids[1],
    )  # fmt: skip
    # when the server starts again (a new app, its lifespan running its worker)
    settings = Settings(database_url="sqlite://", lesson_planning_hours=0, report_poll_seconds=0.2)
    app = create_app(settings, engine=engine)
    async with app.router.lifespan_context(app):
        # then both are made
        for job_id in ids:
            await _wait_for(engine, job_id, "succeeded")
    [(attempts,)] = await rows(engine, "SELECT attempts FROM report_job WHERE id = :i", i=ids[1])
    assert attempts == 2


async def test_a_stopped_worker_gives_its_job_back(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    """A job the worker was making when the server stopped is queued again at once."""
    block = asyncio.Event()

    async def produce(ctx: Context, a: SchoolArguments, out: BinaryIO, progress: Any) -> None:
        progress(1, 10)
        await block.wait()

    with _kind("test_slow", produce):
        job_id = await _queue(engine, demo_school["admin"], "test_slow")
        worker = _worker(engine, report_poll_seconds=0.1)
        running = asyncio.create_task(worker.run())
        await _wait_for(engine, job_id, "running")
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
    [(status, worker_name, attempts)] = await rows(
        engine, "SELECT status, worker, attempts FROM report_job WHERE id = :i", i=job_id
    )
    assert (status, worker_name, attempts) == ("queued", None, 0)


@dataclass
class _Registered:
    name: str

    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        KINDS.pop(self.name, None)


def _kind(name: str, produce: Any) -> _Registered:
    kinds.register(
        ReportKind(
            name=name, title=name, reads=(Resource.SCHOOL,), arguments=SchoolArguments,
            media_type="text/plain", file_name=lambda a: f"{name}.txt", check=school_check,
            produce=produce,
        )
    )  # fmt: skip
    return _Registered(name)


async def _queue(engine: AsyncEngine, login: str, kind: str) -> int:
    """A job of `kind` for the school of `login`, queued as the GraphQL start records it."""
    [(account, school)] = await rows(
        engine,
        "SELECT a.id, r.school_id FROM account a JOIN school_role r ON r.person_id = a.person_id "
        "WHERE a.login = :l LIMIT 1",
        l=login,
    )
    async with engine.begin() as connection:
        job_id = await connection.scalar(
            insert(m.ReportJob)
            .values(kind=kind, arguments={"school_id": school}, requested_by_id=account,
                    school_id=school, status=m.ReportJobStatus.QUEUED, done=0, total=0,
                    attempts=0, queued_at=utc_now())
            .returning(m.ReportJob.id)
        )  # fmt: skip
    assert isinstance(job_id, int)
    return job_id


async def test_a_failing_kind_fails_its_job_with_a_clear_message(
    engine: AsyncEngine, demo_school: dict[str, str]
) -> None:
    async def refuses(ctx: Context, a: SchoolArguments, out: BinaryIO, progress: Any) -> None:
        out.write(b"half a file")
        raise BadUserInput("The school has no classes to print.")

    async def breaks(ctx: Context, a: SchoolArguments, out: BinaryIO, progress: Any) -> None:
        raise RuntimeError("a bug")

    async def dawdles(ctx: Context, a: SchoolArguments, out: BinaryIO, progress: Any) -> None:
        await asyncio.sleep(60)

    with (
        _kind("test_refuses", refuses),
        _kind("test_breaks", breaks),
        _kind("test_dawdles", dawdles),
    ):
        said = {}
        for name in ("test_refuses", "test_breaks", "test_dawdles"):
            job_id = await _queue(engine, demo_school["admin"], name)
            assert await _worker(engine, report_deadline_seconds=0.5).run_once() is (
                m.ReportJobStatus.FAILED
            )
            [(message, chunks)] = await rows(
                engine,
                "SELECT message, (SELECT count(*) FROM report_chunk WHERE job_id = :i) "
                "FROM report_job WHERE id = :i",
                i=job_id,
            )
            assert chunks == 0
            said[name] = message
    assert said == {
        "test_refuses": "The school has no classes to print.",
        "test_breaks": runner.UNMADE,
        "test_dawdles": "The report took longer than 0.00833333 minutes; it was not made.",
    }


async def test_a_large_file_is_stored_in_chunks_and_streamed_back(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    body = bytes(range(256)) * (4096 * 3 + 7)  # 3 MiB and a little

    async def big(ctx: Context, a: SchoolArguments, out: BinaryIO, progress: Any) -> None:
        for start in range(0, len(body), 100_000):
            out.write(body[start : start + 100_000])

    with _kind("test_big", big):
        job_id = await _queue(engine, demo_school["admin"], "test_big")
        assert await _worker(engine).run_once() is m.ReportJobStatus.SUCCEEDED
        sizes = await rows(engine, "SELECT length(data) FROM report_chunk WHERE job_id = :i "
                           "ORDER BY seq", i=job_id)  # fmt: skip
        assert [size for (size,) in sizes] == [m.report_job.CHUNK] * 3 + [len(body) - 3 * 2**20]
        admin = await api.login(demo_school["admin"], "demo")
        job = await _job(api, gid("ReportJob", job_id), admin)
        reply = await api.http.get(job["downloadUrl"])
        assert reply.content == body
        assert job["sha256"] == hashlib.sha256(body).hexdigest()


async def test_two_workers_take_each_job_once(
    engine: AsyncEngine, demo_school: dict[str, str]
) -> None:
    """PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: its one write lock."""
    made: list[int] = []

    async def counted(ctx: Context, a: SchoolArguments, out: BinaryIO, progress: Any) -> None:
        made.append(a.school_id)
        await asyncio.sleep(0.05)
        out.write(b"made")

    with _kind("test_counted", counted):
        ids = [await _queue(engine, demo_school["admin"], "test_counted") for _ in range(6)]
        workers = [_worker(engine), _worker(engine)]

        async def drain(worker: ReportWorker) -> list[m.ReportJobStatus]:
            ended = []
            while (status := await worker.run_once()) is not None:
                ended.append(status)
            return ended

        first, second = await asyncio.gather(*(drain(worker) for worker in workers))
    assert len(made) == len(ids) == len(first) + len(second)
    assert set(first + second) == {m.ReportJobStatus.SUCCEEDED}
    statuses = await rows(engine, "SELECT status, attempts FROM report_job ORDER BY id")
    assert statuses == [("succeeded", 1)] * len(ids)


async def test_tabel_report_makes_the_file_with_a_progress_bar(
    database_url: str, engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str],
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    child = await _child(engine, demo_school["parent"])
    out = tmp_path / "statement.pdf"
    command = ["--database-url", database_url, "report", "summary_statements_pdf",
               "--student-id", str(child), "--date-from", str(FROM), "--date-to", str(TO),
               "--as", demo_school["parent"], "--out", str(out)]  # fmt: skip
    await asyncio.to_thread(cli.main, command)
    said = capsys.readouterr()
    assert said.out.startswith(f"Wrote {out} (")
    parent = await api.login(demo_school["parent"], "demo")
    screen = await api(STATEMENT, {"s": gid("Person", child), "from": str(FROM), "to": str(TO)},
                       token=parent)  # fmt: skip
    assert out.read_bytes() == base64.b64decode(screen.data["summaryStatements"]["pdf"])
    assert hashlib.sha256(out.read_bytes()).hexdigest() in said.out
    # and the job is the parent's, audited as theirs
    mine = (await api(JOBS, token=parent)).data["reportJobs"]["nodes"]
    assert [job["status"] for job in mine] == ["SUCCEEDED"]
    # and what the screen refuses, the command refuses, in one line
    with pytest.raises(SystemExit) as refused:
        await asyncio.to_thread(cli.main, [*command[:5], "999999", *command[6:]])
    assert (
        str(refused.value)
        == "tabel report: error: There is no such student, or you may not see them."
    )
