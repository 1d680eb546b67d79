"""Running report jobs: a worker takes the oldest queued job (or a running one whose worker
stopped renewing its lease), makes its file as the starter, and stores it in chunks.

Taking a job is one UPDATE of the row the worker found: on PostgreSQL `FOR UPDATE SKIP
LOCKED`, so several workers take different jobs and never one twice; on SQLite every write
transaction holds the database's one write lock, so one worker at a time takes one. A worker
renews its lease while it runs the job (`Options.lease` / 3); a worker that died leaves the
lease to run out, and the job is taken again, at most `MAX_ATTEMPTS` times in all.

The file is made in one read-only transaction (REPEATABLE READ on PostgreSQL; on SQLite a
deferred transaction reads one snapshot of the WAL too), into a spooled temporary file (in
memory up to a chunk, on disk past it), then written as chunks with the job's outcome in one
transaction, at most a chunk in memory: the result is there whole or not at all. Files expire
after `Options.keep` and `sweep` deletes them. None of this is audited: it is bookkeeping of
the jobs, not a change of the school's records (`resolvers/reports/jobs.py`)."""

import asyncio
import hashlib
import logging
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any, BinaryIO, cast

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import model as m
from model.base import utc_now
from model.db import expect_writes
from model.report_job import CHUNK
from policies.engine import PolicyEngine
from policies.principal import Principal
from resolvers.context import Context
from resolvers.database import Database
from resolvers.errors import TabelError
from resolvers.leases import takeable
from resolvers.people import personal_data_log
from resolvers.people.personal_data_log import PersonalReads
from resolvers.reports.downloads import ensure_key
from resolvers.reports.kinds import KINDS
from resolvers.reports.principals import principal_of

logger = logging.getLogger("tabel.reports")

MAX_ATTEMPTS = 3
UNMADE = "The report could not be made; try again, or tell the school's admin."
ABANDONED = f"The report's workers stopped {MAX_ATTEMPTS} times while making it; try again."
Sessions = async_sessionmaker[AsyncSession]


@dataclass(frozen=True)
class Options:
    worker: str  # who takes the jobs, as the rows name it (host:pid:n)
    lease: timedelta = timedelta(seconds=60)
    deadline: timedelta = timedelta(minutes=10)
    keep: timedelta = timedelta(days=7)


@dataclass
class Progress:
    done: int = 0
    total: int = 0
    told: int = 0
    hook: Callable[[int, int], None] | None = field(default=None, repr=False)

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        self.told += 1
        if self.hook is not None:
            self.hook(done, total)


class LostLease(Exception):
    """Another worker took the job: this one's work is thrown away."""


def _takeable(now: Any, job_id: int | None = None) -> Any:
    job = m.ReportJob
    waiting = takeable(
        job.status, m.ReportJobStatus.QUEUED, m.ReportJobStatus.RUNNING, job.lease_until, now
    )
    found = (
        select(m.ReportJob.id)
        .where(waiting, m.ReportJob.attempts < MAX_ATTEMPTS)
        .order_by(m.ReportJob.queued_at, m.ReportJob.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if job_id is not None:
        found = found.where(m.ReportJob.id == job_id)
    return found.scalar_subquery()


async def claim(
    sessions: Sessions, options: Options, job_id: int | None = None
) -> m.ReportJob | None:
    """The job this worker now holds (the given one, or the oldest waiting), or None."""
    now = utc_now()
    async with sessions() as session:
        expect_writes(session)
        job = (
            await session.execute(
                update(m.ReportJob)
                .where(m.ReportJob.id == _takeable(now, job_id))
                .values(
                    status=m.ReportJobStatus.RUNNING,
                    worker=options.worker,
                    lease_until=now + options.lease,
                    attempts=m.ReportJob.attempts + 1,
                    started_at=now,
                    message=None,
                )
                .returning(m.ReportJob)
            )
        ).scalar_one_or_none()
        await session.commit()
    return job


async def _write(sessions: Sessions, job: m.ReportJob, holder: str, /, **values: Any) -> bool:
    """The job's row, if this worker still holds it, in a short transaction of its own."""
    async with sessions() as session:
        expect_writes(session)
        touched = await session.execute(
            update(m.ReportJob)
            .where(
                m.ReportJob.id == job.id,
                m.ReportJob.worker == holder,
                m.ReportJob.status == m.ReportJobStatus.RUNNING,
            )
            .values(values)
        )
        await session.commit()
    return bool(touched.rowcount)  # type: ignore[attr-defined]


async def _heartbeat(sessions: Sessions, job: m.ReportJob, options: Options,
                     progress: Progress) -> None:  # fmt: skip
    """Renews the lease and writes the progress; raises `LostLease` when the job was taken."""
    every = options.lease.total_seconds() / 3
    while True:
        await asyncio.sleep(every)
        held = await _write(
            sessions, job, options.worker, lease_until=utc_now() + options.lease,
            done=progress.done, total=progress.total,
        )  # fmt: skip
        if not held:
            raise LostLease


async def _produce(
    sessions: Sessions, policy: PolicyEngine, job: m.ReportJob, out: BinaryIO, progress: Progress,
    options: Options,
) -> tuple[Principal, PersonalReads]:  # fmt: skip
    """Makes the file; answers who it was made as and whose personal data it read, which
    `_store` logs with the file (R-PD-1), as a request logs what it read."""
    kind = KINDS.get(job.kind)
    if kind is None:
        raise TabelError(f"tabel no longer makes «{job.kind}» reports.")
    async with sessions() as session:
        db = Database(session)
        db.expect_writes(False)
        if session.get_bind().dialect.name == "postgresql":
            # One snapshot for the whole file, which the job cannot change.
            await session.connection(
                execution_options={
                    "isolation_level": "REPEATABLE READ",
                    "postgresql_readonly": True,
                }
            )
            seconds = max(1, int(options.deadline.total_seconds()))
            await db.execute(text(f"SET LOCAL statement_timeout = '{seconds}s'"))
        principal = await principal_of(db, job.requested_by_id)
        ctx = Context(db=db, policy=policy, principal=principal)
        await kind.produce(ctx, kind.load(job.arguments), out, progress)
        await session.rollback()  # it read only
    return principal, ctx.personal_reads


async def chunks(sessions: Sessions, job_id: int) -> AsyncIterator[bytes]:
    """A made file, one chunk at a time, each in a short read of its own: a slow reader holds
    no connection meanwhile, and the file is never held whole."""
    seq = 0
    while True:
        async with sessions() as session:
            data = await session.scalar(
                select(m.ReportChunk.data).where(
                    m.ReportChunk.job_id == job_id, m.ReportChunk.seq == seq
                )
            )
        if data is None:
            return
        yield data
        seq += 1


async def _store(sessions: Sessions, job: m.ReportJob, options: Options, out: BinaryIO,
                 progress: Progress, read: tuple[Principal, PersonalReads]) -> bool:  # fmt: skip
    """The file's chunks, the job's success and whose personal data it holds, in one
    transaction; False if the job was taken meanwhile (nothing is then stored)."""
    kind = KINDS[job.kind]
    arguments = kind.load(job.arguments)
    digest, size, seq = hashlib.sha256(), 0, 0
    now = utc_now()
    async with sessions() as session:
        expect_writes(session)
        held = await session.execute(
            update(m.ReportJob)
            .where(
                m.ReportJob.id == job.id,
                m.ReportJob.worker == options.worker,
                m.ReportJob.status == m.ReportJobStatus.RUNNING,
            )
            .values(lease_until=now + options.lease)
        )
        if not held.rowcount:  # type: ignore[attr-defined]
            await session.rollback()
            return False
        await ensure_key(Database(session))  # for its download URLs
        await session.execute(delete(m.ReportChunk).where(m.ReportChunk.job_id == job.id))
        out.seek(0)
        while data := out.read(CHUNK):
            digest.update(data)
            size += len(data)
            await session.execute(insert(m.ReportChunk).values(job_id=job.id, seq=seq, data=data))
            seq += 1
        await session.execute(
            update(m.ReportJob)
            .where(m.ReportJob.id == job.id)
            .values(
                status=m.ReportJobStatus.SUCCEEDED, finished_at=now, expires_at=now + options.keep,
                file_name=kind.file_name(arguments)[:255], media_type=kind.media_type, size=size,
                sha256=digest.hexdigest(), done=max(progress.done, progress.total),
                total=progress.total, worker=None, lease_until=None,
            )
        )  # fmt: skip
        principal, reads = read
        if job.token_id is not None:  # from the command line: its audited start says who
            await personal_data_log.write(
                Database(session), replace(principal, token_id=job.token_id), reads,
                f"report job {job.id}: {job.kind}", job.arguments, None,
            )  # fmt: skip
        await session.commit()
    return True


async def run(
    sessions: Sessions, policy: PolicyEngine, job: m.ReportJob, options: Options,
    hook: Callable[[int, int], None] | None = None,
) -> m.ReportJobStatus:  # fmt: skip
    """Makes the job's file (the worker holds the job); answers how it ended. Cancelled (the
    worker stops), the job is queued again for the next worker, as it was."""
    progress = Progress(hook=hook)
    heartbeat = asyncio.create_task(_heartbeat(sessions, job, options, progress))
    message: str | None = None
    try:
        with tempfile.SpooledTemporaryFile(max_size=CHUNK) as spooled:
            out = cast(BinaryIO, spooled)
            work = asyncio.create_task(_produce(sessions, policy, job, out, progress, options))
            try:
                async with asyncio.timeout(options.deadline.total_seconds()):
                    done, _ = await asyncio.wait(
                        {work, heartbeat}, return_when=asyncio.FIRST_COMPLETED
                    )
            finally:
                if not work.done():
                    work.cancel()
                    await asyncio.gather(work, return_exceptions=True)
            if heartbeat in done:
                heartbeat.result()  # LostLease
            read = work.result()
            if await _store(sessions, job, options, out, progress, read):
                return m.ReportJobStatus.SUCCEEDED
            raise LostLease
    except LostLease:
        logger.warning("report job %s was taken by another worker", job.id)
        return m.ReportJobStatus.RUNNING
    except TimeoutError:
        minutes = options.deadline.total_seconds() / 60
        message = f"The report took longer than {minutes:g} minutes; it was not made."
    except TabelError as error:
        message = error.message
    except asyncio.CancelledError:
        await asyncio.shield(_release(sessions, job, options))
        raise
    except Exception:  # a kind's own bug fails its job, never the worker
        logger.exception("report job %s (%s) failed", job.id, job.kind)
        message = UNMADE
    finally:
        heartbeat.cancel()
        await asyncio.gather(heartbeat, return_exceptions=True)
    await _write(
        sessions, job, options.worker, status=m.ReportJobStatus.FAILED, finished_at=utc_now(),
        message=message[:1000], done=progress.done, total=progress.total, worker=None,
        lease_until=None,
    )  # fmt: skip
    return m.ReportJobStatus.FAILED


async def _release(sessions: Sessions, job: m.ReportJob, options: Options) -> None:
    """Queued again, as if it had not been taken (the worker was stopped, not the job)."""
    await _write(
        sessions, job, options.worker, status=m.ReportJobStatus.QUEUED, worker=None,
        lease_until=None, attempts=max(0, job.attempts - 1),
    )  # fmt: skip


async def sweep(sessions: Sessions) -> int:
    """Deletes the files past their expiry (their jobs say `expired`) and fails the jobs taken
    too often; answers how many files went."""
    now = utc_now()
    async with sessions() as session:
        expect_writes(session)
        expired = list(
            await session.scalars(
                select(m.ReportJob.id).where(
                    m.ReportJob.status == m.ReportJobStatus.SUCCEEDED, m.ReportJob.expires_at < now
                )
            )
        )
        if expired:
            await session.execute(delete(m.ReportChunk).where(m.ReportChunk.job_id.in_(expired)))
            await session.execute(
                update(m.ReportJob)
                .where(m.ReportJob.id.in_(expired))
                .values(status=m.ReportJobStatus.EXPIRED)
            )
        await session.execute(
            update(m.ReportJob)
            .where(
                m.ReportJob.status == m.ReportJobStatus.RUNNING,
                m.ReportJob.lease_until < now,
                m.ReportJob.attempts >= MAX_ATTEMPTS,
            )
            .values(status=m.ReportJobStatus.FAILED, finished_at=now, message=ABANDONED,
                    worker=None, lease_until=None)
        )  # fmt: skip
        await session.commit()
    return len(expired)
