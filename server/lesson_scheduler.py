"""The server plans lessons on its own (R-TT-1, Г.1 #9): at start and then every day, for each
school, from the Monday of the school's current week to two weeks after its today (its own
time zone), so that today's lessons and the coming two weeks' exist whatever date the server
runs on — a demo served weeks after it was generated included. Days since the school's last
lesson are planned too (the server was down, the demo was generated a while ago: their
weeks then have their lessons), up to `CATCH_UP` back; a school without lessons yet starts
with its current week, not with the months before it used tabel.

Each school is planned in a transaction of its own (one school's failure does not stop the
others'). Every worker process runs the scheduler. On PostgreSQL a school's planning first
takes the lock its timetable writes take turns on (a transaction-scoped advisory lock,
`resolvers/setup/timetable_facts.TIMETABLE_LOCK`): it plans from a timetable no
write is changing, and two workers plan one school one after the other, the second finding
nothing left to do; were two to plan at once anyway, each lesson would still be made once
(`resolvers/setup/lesson_planning.py`). On SQLite every write transaction holds the write lock.
"""

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import model as m
from resolvers.database import Database
from resolvers.setup.lesson_planning import PLAN_AHEAD, Planning, plan_lessons
from resolvers.setup.timetable_facts import TIMETABLE_LOCK

logger = logging.getLogger("tabel.lessons")

EVERY = timedelta(days=1)
RETRY = timedelta(minutes=10)
CATCH_UP = timedelta(days=120)


@dataclass(frozen=True)
class Planned:
    school_id: int
    first: date
    last: date
    planning: Planning


def school_today(timezone: str, now: datetime | None = None) -> date:
    moment = now or datetime.now(UTC)
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("Europe/Moscow")
    return moment.astimezone(zone).date()


def planning_range(today: date, last_lesson: date | None = None) -> tuple[date, date]:
    """This school week (its lessons appear in the diary's week) and the next two weeks', from
    the day after `last_lesson` if that is earlier."""
    monday = today - timedelta(days=today.weekday())
    first = monday
    if last_lesson is not None and last_lesson + timedelta(days=1) < monday:
        first = max(last_lesson + timedelta(days=1), monday - CATCH_UP)
    return first, today + PLAN_AHEAD


async def plan_schools(
    sessions: async_sessionmaker[AsyncSession],
    *,
    school_id: int | None = None,
    first: date | None = None,
    last: date | None = None,
    today: date | None = None,
    confirm: bool = False,
    failed: list[int] | None = None,
) -> list[Planned]:
    """Plans every school (or one) over [first, last], by default `planning_range` of each
    school's today (or of `today`). Given `failed`, a school whose planning fails (the database
    went away, a statement timed out) is logged and added to it, and the next one planned."""
    last_lesson = (
        select(func.max(m.Lesson.held_on))
        .where(m.Lesson.school_id == m.School.id)
        .scalar_subquery()
    )
    async with sessions() as session:
        query = select(m.School.id, m.School.timezone, last_lesson).order_by(m.School.id)
        if school_id is not None:
            query = query.where(m.School.id == school_id)
        schools = (await session.execute(query)).all()
    done = []
    for school, timezone, latest in schools:
        start, end = planning_range(today or school_today(timezone), latest)
        span = (first or start, last or end)
        try:
            done.append(await _plan_school(sessions, school, *span, confirm=confirm))
        except (SQLAlchemyError, OSError) as error:
            if failed is None:
                raise
            failed.append(school)
            reason = str(error).split("\n", 1)[0]
            logger.warning("lesson planning failed for school %d: %s", school, reason)
    return done


async def _plan_school(
    sessions: async_sessionmaker[AsyncSession],
    school_id: int,
    first: date,
    last: date,
    *,
    confirm: bool,
) -> Planned:
    async with sessions() as session:
        db = Database(session)
        db.expect_writes()
        if session.get_bind().dialect.name == "postgresql":
            lock = func.pg_advisory_xact_lock(TIMETABLE_LOCK, cast(school_id, Integer))
            await db.execute(select(lock))
        planning = await plan_lessons(db, school_id, first, last, confirm=confirm)
        await db.commit()
    return Planned(school_id, first, last, planning)


def log_planned(done: Sequence[Planned]) -> None:
    for planned in done:
        planning = planned.planning
        if planning.created or planning.changed or planning.deleted:
            logger.info(
                "school %d, %s to %s: %d lessons created, %d re-planned, %d deleted",
                planned.school_id, planned.first, planned.last,
                planning.created, planning.changed, planning.deleted,
            )  # fmt: skip
        for broken in planning.would_break:
            logger.warning("school %d: left as it is: %s", planned.school_id, broken.description)


async def run(
    sessions: async_sessionmaker[AsyncSession], every: timedelta = EVERY, retry: timedelta = RETRY
) -> None:
    """Plans at once, then every `every`, until cancelled. A run that failed for some school
    (or could not list them) is logged and tried again after `retry`; it never stops the
    server."""
    while True:
        failed: list[int] = []
        try:
            log_planned(await plan_schools(sessions, failed=failed))
        except (SQLAlchemyError, OSError) as error:  # the schools could not be listed
            logger.warning("lesson planning failed: %s", str(error).split("\n", 1)[0])
            failed.append(0)
        await asyncio.sleep((retry if failed else every).total_seconds())
