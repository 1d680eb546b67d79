"""The tenant hierarchy (region → municipality → school) and a school's premises."""

import enum

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from model.base import Archivable, Base, Id, str_enum


class EditWindow(enum.StrEnum):
    """How long after the lesson date an existing grade may still be changed (R-EDIT-1)."""

    NEVER = "never"
    ONE_WEEK = "one_week"
    TWO_WEEKS = "two_weeks"
    THREE_WEEKS = "three_weeks"
    ONE_MONTH = "one_month"


class Region(Base):
    __tablename__ = "region"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Municipality(Base):
    __tablename__ = "municipality"
    __table_args__ = (UniqueConstraint("region_id", "name"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))


class School(Base):
    __tablename__ = "school"
    __table_args__ = (CheckConstraint("week_length IN (5, 6)", name="week_length"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(100))
    # IANA zone: deadlines (2 days after a lesson, 18:00 for homework) are the school's time.
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow")
    address: Mapped[str | None] = mapped_column(String(500))
    grade_edit_window: Mapped[EditWindow] = mapped_column(
        str_enum(EditWindow, "edit_window"), default=EditWindow.NEVER
    )
    # A five- or six-day school week.
    week_length: Mapped[int] = mapped_column(SmallInteger, default=5)


class Building(Archivable, Base):
    __tablename__ = "building"
    __table_args__ = (UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(500))


class Room(Archivable, Base):
    __tablename__ = "room"
    __table_args__ = (
        UniqueConstraint("building_id", "name"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    capacity: Mapped[int | None]
