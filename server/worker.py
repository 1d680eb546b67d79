"""The report worker (issue 13): takes the queued report jobs from the database and makes
them, `slots` at a time. It runs inside every `tabel serve` process (the demo's, and by
default production's), or alone as `tabel worker` (production: API processes with
TABEL_REPORT_WORKER=false, and as many `tabel worker` processes as the reports need; on
PostgreSQL any number of them share the queue, on SQLite run one). A job queued while no
worker ran is made when one starts; one whose worker died is taken again once its lease runs
out."""

import asyncio
import logging
import os
import socket
from contextlib import suppress
from datetime import timedelta
from itertools import count

from sqlalchemy.exc import SQLAlchemyError

import model as m
from policies.engine import PolicyEngine
from resolvers.reports import jobs, runner
from server.settings import Settings

logger = logging.getLogger("tabel.reports")

SWEEP_EVERY = 60.0  # seconds between two sweeps of expired files
_NUMBERS = count(1)


def worker_name() -> str:
    """A worker as the rows it holds name it: host, process, and which of the process's."""
    return f"{socket.gethostname()}:{os.getpid()}:{next(_NUMBERS)}"[:128]


async def rest(wake: asyncio.Event, seconds: float) -> None:
    """Until woken, or the poll's time is up."""
    with suppress(TimeoutError):
        await asyncio.wait_for(wake.wait(), seconds)


def options(settings: Settings) -> runner.Options:
    return runner.Options(
        worker=worker_name(),
        lease=timedelta(seconds=settings.report_lease_seconds),
        deadline=timedelta(seconds=settings.report_deadline_seconds),
        keep=timedelta(days=settings.report_keep_days),
    )


class ReportWorker:
    def __init__(self, sessions: runner.Sessions, policy: PolicyEngine, settings: Settings) -> None:
        self.sessions = sessions
        self.policy = policy
        self.options = options(settings)
        self.slots = max(1, settings.report_jobs_at_once)
        self.poll = settings.report_poll_seconds
        self.running: set[asyncio.Task[m.ReportJobStatus]] = set()

    async def run_once(self, job_id: int | None = None) -> m.ReportJobStatus | None:
        """Takes one job (that one, or the oldest waiting) and makes it; None: none waits."""
        job = await runner.claim(self.sessions, self.options, job_id)
        if job is None:
            return None
        return await runner.run(self.sessions, self.policy, job, self.options)

    async def run(self) -> None:
        """Until cancelled: takes jobs while a slot is free, sweeps expired files now and then.
        A database that went away is logged and tried again at the next poll."""
        swept = 0.0
        loop = asyncio.get_running_loop()
        try:
            while True:
                try:
                    if loop.time() - swept >= SWEEP_EVERY:
                        await runner.sweep(self.sessions)
                        swept = loop.time()
                    while len(self.running) < self.slots:
                        job = await runner.claim(self.sessions, self.options)
                        if job is None:
                            break
                        task = asyncio.create_task(
                            runner.run(self.sessions, self.policy, job, self.options)
                        )
                        self.running.add(task)
                        task.add_done_callback(self._ended)
                except (SQLAlchemyError, OSError) as error:
                    logger.warning("report worker: %s", str(error).split("\n", 1)[0])
                jobs.WAKE.clear()
                await rest(jobs.WAKE, self.poll)
        finally:
            for task in list(self.running):
                task.cancel()
            await asyncio.gather(*self.running, return_exceptions=True)

    def _ended(self, task: "asyncio.Task[m.ReportJobStatus]") -> None:
        self.running.discard(task)
        jobs.WAKE.set()  # a slot is free
        if not task.cancelled() and (error := task.exception()) is not None:
            logger.error("a report job failed unforeseen", exc_info=error)


async def serve(settings: Settings) -> None:
    """`tabel worker`: the report worker and the notification worker, alone, until
    interrupted."""
    from model.db import make_sessionmaker
    from server.app import served_engine
    from server.notification_worker import NotificationWorker

    engine = served_engine(settings, settings.database_url)
    sessions = make_sessionmaker(engine)
    worker = ReportWorker(sessions, PolicyEngine(), settings)
    notifications = NotificationWorker(sessions, settings)
    logger.info("report worker %s: %d job(s) at a time", worker.options.worker, worker.slots)
    logger.info("notification worker %s", notifications.options.worker)
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(worker.run())
            group.create_task(notifications.run())
    finally:
        await engine.dispose()
