"""Classes of a school year and their groups; every lesson is given to a group."""

import enum
from datetime import date

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    SmallInteger,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from model.base import Archivable, Base, Id, str_enum
from model.calendar import PeriodKind


class GroupKind(enum.StrEnum):
    WHOLE_CLASS = "whole_class"
    SUBGROUP = "subgroup"


class SchoolClass(Archivable, Base):
    """A class of one school year, e.g. 5«А» of 2026/27: parallel 5, letter «А»."""

    __tablename__ = "school_class"
    __table_args__ = (
        UniqueConstraint("school_year_id", "parallel", "letter"),
        # What a placement refers to: the class, and the year it is of (one class per year).
        UniqueConstraint("id", "school_year_id", name="uq_school_class_id_school_year_id"),
        CheckConstraint("parallel BETWEEN 1 AND 11", name="parallel_range"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    school_year_id: Mapped[int] = mapped_column(ForeignKey("school_year.id"), index=True)
    parallel: Mapped[int] = mapped_column(SmallInteger)
    letter: Mapped[str] = mapped_column(String(4))
    class_teacher_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id"))
    # Which reporting periods grade the class: quarters for grades 1–9, halves for 10–11 are usual.
    period_kind: Mapped[PeriodKind] = mapped_column(
        str_enum(PeriodKind, "class_period_kind"), default=PeriodKind.QUARTER
    )
    # The timetable's bell numbers refer to this schedule (first graders have shorter lessons).
    bell_schedule_id: Mapped[int | None] = mapped_column(ForeignKey("bell_schedule.id"))


class ClassStudent(Base):
    """A student's placement in a class (зачисление), from `starts_on` to `ends_on`, both days
    included; null: from the start, or to the end, of the class's school year.

    Enrolling, moving and leaving add placements and end them; none is ever rewritten, so a
    student's rows are their history. A student is in one class of a school year at a time:
    PostgreSQL excludes overlapping placements of one student in one year; on SQLite the write
    checks the same in its transaction (writers there take the lock in turn).
    """

    __tablename__ = "class_student"
    __table_args__ = (
        UniqueConstraint("school_class_id", "student_id"),
        ForeignKeyConstraint(
            ["school_class_id", "school_year_id"],
            ["school_class.id", "school_class.school_year_id"],
            name="fk_class_student_class_of_the_year",
        ),
        CheckConstraint(
            "starts_on IS NULL OR ends_on IS NULL OR ends_on >= starts_on",
            name="ends_after_it_starts",
        ),
        ExcludeConstraint(
            ("student_id", "="),
            ("school_year_id", "="),
            (text("daterange(starts_on, ends_on, '[]')"), "&&"),
            name="ex_class_student_one_class_at_a_time",
            using="gist",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_class_id: Mapped[int] = mapped_column(ForeignKey("school_class.id"), index=True)
    school_year_id: Mapped[int] = mapped_column(ForeignKey("school_year.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]


class Group(Archivable, Base):
    """A class as a whole, or a subgroup of it (for languages, labour, IT…).

    The whole-class group's students are the class's students; a subgroup lists its own.
    """

    __tablename__ = "study_group"
    __table_args__ = (
        UniqueConstraint("school_class_id", "name"),
        Index(
            "uq_study_group_one_whole_class",
            "school_class_id",
            unique=True,
            sqlite_where=text("kind = 'whole_class'"),
            postgresql_where=text("kind = 'whole_class'"),
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    school_class_id: Mapped[int] = mapped_column(ForeignKey("school_class.id"), index=True)
    kind: Mapped[GroupKind] = mapped_column(str_enum(GroupKind, "group_kind"))
    name: Mapped[str] = mapped_column(String(100))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subject.id"))


class GroupStudent(Base):
    __tablename__ = "group_student"
    __table_args__ = (UniqueConstraint("group_id", "student_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("study_group.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
