"""School years, their reporting periods, the bell schedules and the days that are not
ordinary school days (R-SETUP-1).

No two school years of a school overlap, nor two periods of one kind within a year: on
PostgreSQL exclusion constraints over the dates (btree_gist for the equality parts) decide it
even against concurrent writes; SQLite has none, and the writes check the same inside their
transaction, which holds SQLite's write lock from its start (`resolvers/setup/calendar_writes`).
"""

import enum
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
    literal_column,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from model.base import Archivable, Base, Id, str_enum


class PeriodKind(enum.StrEnum):
    QUARTER = "quarter"
    TRIMESTER = "trimester"
    HALF = "half"
    YEAR = "year"


def _days(starts_on: str = "starts_on", ends_on: str = "ends_on") -> tuple[Any, str]:
    """The closed range of days `[starts_on, ends_on]`, for an exclusion constraint."""
    days = func.daterange(literal_column(starts_on), literal_column(ends_on), "[]")
    return (days, "&&")


class SchoolYear(Base):
    __tablename__ = "school_year"
    __table_args__ = (
        UniqueConstraint("school_id", "name"),
        CheckConstraint("starts_on < ends_on", name="ordered"),
        ExcludeConstraint(
            ("school_id", "="), _days(), name="ex_school_year_overlap", using="gist"
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    # Closed (R-YEAR-1): its journal is read-only history; the admin may reopen it, audited.
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))


class Period(Base):
    """A reporting period: a quarter, trimester or half of a school year, or the year itself."""

    __tablename__ = "period"
    __table_args__ = (
        UniqueConstraint("school_year_id", "kind", "number"),
        CheckConstraint("starts_on < ends_on", name="ordered"),
        CheckConstraint("number >= 1", name="number_positive"),
        ExcludeConstraint(
            ("school_year_id", "="),
            ("kind", "="),
            _days(),
            name="ex_period_overlap",
            using="gist",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    school_year_id: Mapped[int] = mapped_column(ForeignKey("school_year.id"), index=True)
    kind: Mapped[PeriodKind] = mapped_column(str_enum(PeriodKind, "period_kind"))
    number: Mapped[int] = mapped_column(SmallInteger)
    name: Mapped[str] = mapped_column(String(50))
    starts_on: Mapped[date]
    ends_on: Mapped[date]


class BellSchedule(Archivable, Base):
    __tablename__ = "bell_schedule"
    __table_args__ = (UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))


class Bell(Base):
    """One lesson slot of a bell schedule: its number and its start and end time."""

    __tablename__ = "bell"
    __table_args__ = (
        UniqueConstraint("bell_schedule_id", "number"),
        CheckConstraint("starts_at < ends_at", name="ordered"),
        CheckConstraint("number BETWEEN 0 AND 12", name="number_range"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    bell_schedule_id: Mapped[int] = mapped_column(ForeignKey("bell_schedule.id"), index=True)
    number: Mapped[int] = mapped_column(SmallInteger)
    starts_at: Mapped[time]
    ends_at: Mapped[time]


class DayOff(Base):
    """A weekday without lessons: a public holiday, a moved day off, a quarantine day.

    Holidays between reporting periods are the gaps between periods; weekends follow
    `School.week_length`. No lesson is held on them, so the control of missing entries has
    nothing to count there; entry deadlines count calendar days and are not extended by them
    (`resolvers/journal/deadlines.py`).
    """

    __tablename__ = "day_off"
    __table_args__ = (UniqueConstraint("school_id", "on_date"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    on_date: Mapped[date]
    name: Mapped[str] = mapped_column(String(200))


class WorkingDay(Base):
    """A day worked instead of another (перенос рабочего дня): e.g. a Saturday worked as a
    Monday, whose timetable it follows; the Monday it replaces is then a `DayOff`.

    Lessons are planned on it by `follows_weekday`'s timetable, not by its own weekday. A date
    is never both a day off and a working day (checked by the writes).
    """

    __tablename__ = "working_day"
    __table_args__ = (
        UniqueConstraint("school_id", "on_date"),
        CheckConstraint("follows_weekday BETWEEN 1 AND 7", name="follows_weekday_range"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    on_date: Mapped[date]
    # The ISO weekday (1 Monday … 7 Sunday) whose timetable the day follows.
    follows_weekday: Mapped[int] = mapped_column(SmallInteger)
    name: Mapped[str] = mapped_column(String(200))
