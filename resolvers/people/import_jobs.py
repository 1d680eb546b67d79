"""Importing a school's people as a job (issue 12): `start` records the job and answers at
once; once that request has committed, the import runs in this server process, in a
transaction of its own, all or nothing and audited as the admin who started it (their
principal as the request resolved it), and the job's row tells its status, progress and
outcome.

One import of a school's people is under way at a time (a unique index on the school's
queued and running jobs: a second start is CONFLICT, and so is the synchronous import
meanwhile). A job runs at most `JOB_DEADLINE`; a job still queued or running `STALE` after
it was queued — its server stopped, or died, while it ran — is reported failed, and the
next start in its school records it so. The file is not kept: a stopped import is started
again, not resumed.

Progress: the process running a job holds it in memory (`LIVE`, read by `peopleImportJob`
when it is asked there); on PostgreSQL it is also written to the job's row twice a second by
a transaction of its own, so that another worker answers it too. On SQLite the import's
transaction holds the database's one write lock, so the row tells the phase it started and
its outcome, and the live counts come from the process (`tabel serve` on SQLite is one
worker)."""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import event, insert, text, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

import model as m
from model.base import utc_now
from model.db import expect_writes, make_sessionmaker
from model.import_job import UNDER_WAY
from policies.engine import PolicyEngine
from policies.principal import Principal
from policies.vocabulary import Resource
from resolvers.context import Context
from resolvers.database import Database
from resolvers.errors import TabelError
from resolvers.people import import_checks
from resolvers.people.import_checks import JOB_DEADLINE, STALE
from resolvers.people.people_file import PeopleFileFormat, people_in
from resolvers.people.people_import import WRITES, ImportReport, people_import
from resolvers.people.role_writes import visible_school
from resolvers.spreadsheet import MAX_PROBLEMS
from resolvers.write_checks import require_writes

logger = logging.getLogger("tabel.import")

FLUSH_EVERY = 0.5  # seconds between two writes of a running job's progress (PostgreSQL)
STOPPED = "The server stopped before the import ended; nothing was written: start it again."


@dataclass
class JobProgress:
    """A running job's progress, as `Progress` hears it."""

    phase: m.ImportPhase | None = None
    done: int = 0
    total: int = 0
    told: int = 0  # how many times it was told: the flusher writes only what is new

    # When each phase began, and each time the write phase moved (the benchmark's figures).
    marks: list[tuple[m.ImportPhase, float]] = field(default_factory=list)

    def __call__(self, phase: m.ImportPhase, done: int, total: int) -> None:
        if phase is not self.phase or phase is m.ImportPhase.WRITE:
            self.marks.append((phase, time.perf_counter()))
        self.phase, self.done, self.total = phase, done, total
        self.told += 1

    def seconds(self) -> dict[str, Any]:
        """Seconds each phase took, and each bulk step of the write phase."""
        ended = [*self.marks[1:], (None, time.perf_counter())]
        spent: dict[str, Any] = {}
        steps = []
        for (phase, began), (_, next_began) in zip(self.marks, ended, strict=True):
            spent[phase.value] = round(spent.get(phase.value, 0) + next_began - began, 3)
            if phase is m.ImportPhase.WRITE:
                steps.append(round(next_began - began, 3))
        spent["writeSteps"] = steps[:-1] if steps else []
        return spent


@dataclass(frozen=True)
class JobFile:
    name: str
    format: PeopleFileFormat
    data: bytes = field(repr=False)


LIVE: dict[int, JobProgress] = {}  # jobs this process runs, by id
_TASKS: set[asyncio.Task[None]] = set()


async def start(
    ctx: Context, school_id: int, school_year_id: int | None, file: JobFile, *, commit: bool
) -> m.ImportJob:
    school = await visible_school(ctx, school_id)
    await require_writes(ctx, Resource.SCHOOL, m.School, [school.id], existing=True, message=WRITES)
    principal = ctx.require_principal()
    assert principal.account_id is not None  # `PersonalAccount` lets only a person start one
    now = utc_now()
    await ctx.db.execute(
        update(m.ImportJob)
        .where(
            m.ImportJob.school_id == school.id,
            m.ImportJob.status.in_(UNDER_WAY),
            m.ImportJob.queued_at < now - STALE,
        )
        .values(status=m.ImportJobStatus.FAILED, finished_at=now, message=STOPPED)
    )
    await import_checks.refuse_under_way(ctx, school.id)
    values = {
        "school_id": school.id,
        "started_by_id": principal.account_id,
        "file_name": file.name,
        "file_bytes": len(file.data),
        "commit": commit,
        "status": m.ImportJobStatus.QUEUED,
        "done": 0,
        "total": 0,
        "queued_at": now,
    }
    try:
        async with ctx.db.session.begin_nested():
            job: m.ImportJob = (
                await ctx.db.execute(insert(m.ImportJob).values(values).returning(m.ImportJob))
            ).scalar_one()
    except IntegrityError:  # another start of the school's import, at the same moment
        await import_checks.refuse_under_way(ctx, school.id)
        raise
    engine = ctx.db.session.bind
    assert isinstance(engine, AsyncEngine)
    sessions = make_sessionmaker(engine)
    run = _runner(job.id, sessions, ctx.policy, principal, (school.id, school_year_id), file)
    _after_commit(ctx.db.session, lambda: _spawn(run(commit)))
    return job


def _after_commit(session: AsyncSession, then: Callable[[], None]) -> None:
    """`then` once the request's transaction has committed: the job's row is there for the
    job to find, and a request that fails starts nothing."""
    event.listen(session.sync_session, "after_commit", lambda _: then(), once=True)


def _spawn(work: Awaitable[None]) -> None:
    async def run() -> None:
        await work

    task = asyncio.get_running_loop().create_task(run())
    _TASKS.add(task)
    task.add_done_callback(_ended)


def _ended(task: asyncio.Task[None]) -> None:
    _TASKS.discard(task)
    if not task.cancelled() and (error := task.exception()) is not None:
        logger.error("an import job failed unforeseen", exc_info=error)


async def settle() -> None:
    """Waits for the jobs this process runs (tests; the server's shutdown cancels them)."""
    while _TASKS:
        await asyncio.gather(*list(_TASKS), return_exceptions=True)


async def stop_all() -> None:
    for task in list(_TASKS):
        task.cancel()
    await settle()


def _runner(
    job_id: int,
    sessions: async_sessionmaker[AsyncSession],
    policy: PolicyEngine,
    principal: Principal,
    where: tuple[int, int | None],  # the school, and the year whose classes the file names
    file: JobFile,
) -> Callable[[bool], Awaitable[None]]:
    school_id, school_year_id = where

    async def run(commit: bool) -> None:
        try:
            await attempt(commit, LIVE.setdefault(job_id, JobProgress()))
        finally:  # an error none foresaw leaves the job to be reported failed once STALE
            LIVE.pop(job_id, None)

    async def attempt(commit: bool, progress: JobProgress) -> None:
        postgres = sessions.kw["bind"].dialect.name == "postgresql"
        flusher = asyncio.create_task(_flush(sessions, job_id, progress)) if postgres else None
        outcome: dict[str, Any]
        try:
            async with asyncio.timeout(JOB_DEADLINE.total_seconds()):
                await _write(
                    sessions, job_id, status=m.ImportJobStatus.RUNNING, started_at=utc_now()
                )
                people = await asyncio.to_thread(people_in, file.format, file.data, progress)
                async with sessions() as session:
                    db = Database(session)
                    db.expect_writes(True)
                    if postgres:  # the job's own bound, above a request's
                        seconds = int(JOB_DEADLINE.total_seconds())
                        await db.execute(text(f"SET LOCAL statement_timeout = '{seconds}s'"))
                    ctx = Context(db=db, policy=policy, principal=principal)
                    report = await people_import(
                        ctx, school_id, people, school_year_id=school_year_id, commit=commit,
                        progress=progress, in_job=True,
                    )  # fmt: skip
                    await db.commit()
            outcome = _succeeded(report, people.encoding)
        except TabelError as error:
            problems = error.extensions.get("problems", [])
            outcome = _failed(error.message, problems)
        except TimeoutError:
            minutes = JOB_DEADLINE.total_seconds() / 60
            outcome = _failed(
                f"The import took longer than {minutes:g} minutes; nothing was written."
            )
        except asyncio.CancelledError:
            outcome = _failed(STOPPED)
        except (SQLAlchemyError, OSError):
            logger.exception("import job %s failed", job_id)
            outcome = _failed("The server could not finish the import; nothing was written.")
        finally:
            if flusher is not None:
                flusher.cancel()
        outcome["report"] = {**(outcome["report"] or {}), "seconds": progress.seconds()}
        try:
            await _write(
                sessions, job_id, finished_at=utc_now(), phase=progress.phase,
                done=progress.done, total=progress.total, **outcome,
            )  # fmt: skip
        except SQLAlchemyError:
            logger.exception("import job %s: its outcome could not be recorded", job_id)

    return run


def _succeeded(report: ImportReport, encoding: str | None) -> dict[str, Any]:
    counts = {key: value for key, value in asdict(report).items() if key != "problems"}
    problems = [
        {"row": p.row, "column": p.column, "message": p.message}
        for p in report.problems[:MAX_PROBLEMS]
    ]
    return {
        "status": m.ImportJobStatus.SUCCEEDED,
        "report": {**counts, "encoding": encoding, "problems": problems},
    }


def _failed(message: str, problems: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    said = [
        {"row": p.get("item"), "column": p.get("field"), "message": p["message"]}
        for p in problems or []
    ]
    return {
        "status": m.ImportJobStatus.FAILED,
        "message": message[:1000],
        "report": {"problems": said} if said else None,
    }


async def _write(sessions: async_sessionmaker[AsyncSession], job_id: int, **values: Any) -> None:
    """The job's row, in a short transaction of its own (bookkeeping, not audited: the
    import's own writes are)."""
    async with sessions() as session:
        expect_writes(session)
        await session.execute(update(m.ImportJob).where(m.ImportJob.id == job_id).values(values))
        await session.commit()


async def _flush(
    sessions: async_sessionmaker[AsyncSession], job_id: int, progress: JobProgress
) -> None:
    written = 0
    while True:
        await asyncio.sleep(FLUSH_EVERY)
        if progress.told == written or progress.phase is None:
            continue
        written = progress.told
        try:
            await _write(
                sessions, job_id, phase=progress.phase, done=progress.done, total=progress.total
            )
        except SQLAlchemyError:
            logger.warning("import job %s: its progress could not be written", job_id)


def status(job: m.ImportJob, now: datetime | None = None) -> m.ImportJobStatus:
    """As the row says, but a job under way that no process runs any more, past `STALE`, is
    failed."""
    under_way = job.status in {m.ImportJobStatus.QUEUED, m.ImportJobStatus.RUNNING}
    if under_way and job.id not in LIVE and job.queued_at < (now or utc_now()) - STALE:
        return m.ImportJobStatus.FAILED
    return job.status


def message(job: m.ImportJob) -> str | None:
    if status(job) is m.ImportJobStatus.FAILED and job.status is not m.ImportJobStatus.FAILED:
        return STOPPED
    return job.message


def progress_of(job: m.ImportJob) -> tuple[m.ImportPhase | None, int, int]:
    live = LIVE.get(job.id)
    if live is not None and live.phase is not None:
        return live.phase, live.done, live.total
    return job.phase, job.done, job.total
