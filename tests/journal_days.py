"""Moving a teacher's lesson to a day around today, in the school's time zone, with nothing
recorded in it: a Sunday, when the generated five-day school has no other lesson."""

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.lessons import execute

SCHOOL_ZONE = ZoneInfo("Europe/Moscow")


def school_today() -> date:
    return datetime.now(UTC).astimezone(SCHOOL_ZONE).date()


def sunday_ahead() -> date:
    """A lesson day whose every deadline is still ahead."""
    today = school_today()
    return today + timedelta(days=(6 - today.weekday()) or 7)


def sunday_past() -> date:
    """A lesson day at least a week ago: every 2-day and 18:00 deadline has passed."""
    day = school_today() - timedelta(days=7)
    return day - timedelta(days=(day.weekday() + 1) % 7)


async def blank_lesson_on(engine: AsyncEngine, lesson: dict[str, Any], day: date) -> None:
    """The lesson, held on `day`, with its topic and nothing else recorded."""
    for table in ("grade", "attendance", "lesson_work_type"):
        await execute(engine, f"DELETE FROM {table} WHERE lesson_id = :l", l=lesson["id"])
    await execute(
        engine,
        "DELETE FROM homework_student WHERE homework_id IN "
        "(SELECT id FROM homework WHERE lesson_id = :l)",
        l=lesson["id"],
    )
    await execute(engine, "DELETE FROM homework WHERE lesson_id = :l", l=lesson["id"])
    await execute(
        engine,
        "UPDATE lesson SET held_on = :d, topic = 'Повторение', attendance_taken_at = NULL, "
        "attendance_on_time = NULL WHERE id = :l",
        d=day,
        l=lesson["id"],
    )
