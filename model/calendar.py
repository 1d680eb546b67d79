"""School years, their reporting periods and the bell schedules (R-SETUP-1)."""

import enum
from datetime import date, time

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from model.base import Base, Id, str_enum


class PeriodKind(enum.StrEnum):
    QUARTER = "quarter"
    TRIMESTER = "trimester"
    HALF = "half"
    YEAR = "year"


class SchoolYear(Base):
    __tablename__ = "school_year"
    __table_args__ = (
        UniqueConstraint("school_id", "name"),
        CheckConstraint("starts_on < ends_on", name="ordered"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[date]
    ends_on: Mapped[date]


class Period(Base):
    """A reporting period: a quarter, trimester or half of a school year, or the year itself."""

    __tablename__ = "period"
    __table_args__ = (
        UniqueConstraint("school_year_id", "kind", "number"),
        CheckConstraint("starts_on < ends_on", name="ordered"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    school_year_id: Mapped[int] = mapped_column(ForeignKey("school_year.id"), index=True)
    kind: Mapped[PeriodKind] = mapped_column(str_enum(PeriodKind, "period_kind"))
    number: Mapped[int] = mapped_column(SmallInteger)
    name: Mapped[str] = mapped_column(String(50))
    starts_on: Mapped[date]
    ends_on: Mapped[date]


class BellSchedule(Base):
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
