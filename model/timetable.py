"""The weekly timetable of a school year and its dated changes."""

import enum
from datetime import date

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    SmallInteger,
    String,
    UniqueConstraint,
    column,
    func,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from model.base import Base, Id, str_enum


def _booked_once(what: str) -> ExcludeConstraint:
    """No two slots of a school book one teacher, room or group at one bell of one weekday on a
    day both hold (R-TT-1), on PostgreSQL (btree_gist for the equalities). SQLite has no
    exclusion constraints: there every timetable write checks inside its transaction, which
    holds the write lock from its start."""
    days = func.daterange(column("valid_from"), column("valid_to"), "[]")
    constraint = ExcludeConstraint(
        (column("school_id"), "="),
        (column(f"{what}_id"), "="),
        (column("weekday"), "="),
        (column("bell_number"), "="),
        (days, "&&"),
        name=f"ex_timetable_entry_{what}_booked_once",
        using="gist",
    )
    constraint.ddl_if(dialect="postgresql")
    return constraint


class TimetableEntry(Base):
    """A weekly slot: this group has this subject with this teacher on this weekday and bell,
    on every day from `valid_from` to `valid_to` (both included; none: until further notice).
    A slot changed from a date ends the day before and a new one starts: the history is kept."""

    __tablename__ = "timetable_entry"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 1 AND 7", name="weekday_range"),
        CheckConstraint("valid_to IS NULL OR valid_from <= valid_to", name="ordered"),
        _booked_once("teacher"),
        _booked_once("room"),
        _booked_once("group"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    school_year_id: Mapped[int] = mapped_column(ForeignKey("school_year.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("study_group.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id"))
    weekday: Mapped[int] = mapped_column(SmallInteger)
    bell_number: Mapped[int] = mapped_column(SmallInteger)
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]


class TimetableChangeKind(enum.StrEnum):
    CANCELLED = "cancelled"
    SUBSTITUTION = "substitution"
    ROOM_CHANGE = "room_change"
    MOVED = "moved"
    EXTRA = "extra"


class TimetableChange(Base):
    """A change to one day's timetable: a cancellation, a substitute, a new room or slot."""

    __tablename__ = "timetable_change"
    __table_args__ = (
        # One change of a kind per lesson and day: a second substitute replaces the first.
        UniqueConstraint("timetable_entry_id", "on_date", "kind"),
        # What each kind changes is there: an extra lesson is a whole lesson of its own, every
        # other kind changes a weekly slot.
        CheckConstraint(
            "(kind = 'extra') = (timetable_entry_id IS NULL)"
            " AND (kind <> 'extra' OR (subject_id IS NOT NULL AND teacher_id IS NOT NULL"
            " AND bell_number IS NOT NULL))"
            " AND (kind <> 'substitution' OR teacher_id IS NOT NULL)"
            " AND (kind <> 'room_change' OR room_id IS NOT NULL)"
            " AND (kind <> 'moved' OR bell_number IS NOT NULL)",
            name="what_changes",
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    on_date: Mapped[date] = mapped_column(index=True)
    kind: Mapped[TimetableChangeKind] = mapped_column(
        str_enum(TimetableChangeKind, "timetable_change_kind")
    )
    timetable_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("timetable_entry.id"), index=True
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("study_group.id"), index=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subject.id"))
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id"))
    bell_number: Mapped[int | None] = mapped_column(SmallInteger)
    reason: Mapped[str | None] = mapped_column(String(500))
