"""When a journal entry is due (R-CONTROL-1), in the school's time zone: the one place that says
so for writes (each entry records `on_time`), for the demo and for the journal's control.

- A grade: by the end of the lesson day plus the work type's checking days, and at least
  `ENTRY_DAYS` (§4.5: "no later than 2 days after the lesson, unless the work type has a longer
  checking period", §4.12). A work type with 0 or 1 checking days still has the 2 days.
- Attendance, and the lesson's topic: by the end of the day `ENTRY_DAYS` after the lesson (§4.5).
- Homework: by 18:00 on the lesson day (§4.7).
- A term or final grade: by the end of the day `FINAL_GRADE_DAYS` after the period ends (§4.8).

Days are calendar days: a weekend or holiday inside a deadline does not extend it.
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Date, case
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

ENTRY_DAYS = 2
FINAL_GRADE_DAYS = 7
HOMEWORK_BY = time(18)


def local(moment: datetime, timezone: str) -> datetime:
    return moment.astimezone(ZoneInfo(timezone))


def grade_due(held_on: date, checking_days: int) -> date:
    return held_on + timedelta(days=max(ENTRY_DAYS, checking_days))


def entry_due(held_on: date) -> date:
    """Attendance and the topic."""
    return held_on + timedelta(days=ENTRY_DAYS)


def final_grade_due(period_ends_on: date) -> date:
    return period_ends_on + timedelta(days=FINAL_GRADE_DAYS)


def homework_due(held_on: date, timezone: str) -> datetime:
    return datetime.combine(held_on, HOMEWORK_BY, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def by_day(moment: datetime, due: date, timezone: str) -> bool:
    """Made on or before the school's date `due`."""
    return local(moment, timezone).date() <= due


def homework_cutoff(now: datetime, timezone: str) -> date:
    """The latest lesson day whose homework is overdue at `now`."""
    here = local(now, timezone)
    return here.date() if here.time() >= HOMEWORK_BY else here.date() - timedelta(days=1)


class days_after(FunctionElement[date]):  # noqa: N801 - reads as the SQL function it renders
    """`day + days` in SQL, for a number of days that is itself a column."""

    type = Date()
    inherit_cache = True
    name = "days_after"


@compiles(days_after, "postgresql")
def _days_after_postgresql(element: days_after, compiler: SQLCompiler, **kw: Any) -> str:
    day, days = list(element.clauses)
    return f"({compiler.process(day, **kw)} + {compiler.process(days, **kw)})"


@compiles(days_after, "sqlite")
def _days_after_sqlite(element: days_after, compiler: SQLCompiler, **kw: Any) -> str:
    day, days = list(element.clauses)
    return f"date({compiler.process(day, **kw)}, '+' || {compiler.process(days, **kw)} || ' days')"


def checking_days(column: InstrumentedAttribute[int]) -> ColumnElement[int]:
    """A work type's checking days as the grade deadline counts them (at least ENTRY_DAYS)."""
    return case((column > ENTRY_DAYS, column), else_=ENTRY_DAYS)
