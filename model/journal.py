"""Lessons as held, with the attendance and homework recorded for them."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from model.attribution import Attributed, Timely
from model.base import Base, Id, str_enum


class LessonStatus(enum.StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class Lesson(Attributed, Base):
    """One lesson of a group on a date and bell; `substitute_id` is who actually taught."""

    __tablename__ = "lesson"
    __table_args__ = (
        UniqueConstraint("group_id", "held_on", "bell_number"),
        CheckConstraint("substitute_id IS NULL OR substitute_id <> teacher_id", name="substitute"),
        CheckConstraint(
            "(attendance_taken_at IS NULL) = (attendance_on_time IS NULL)",
            name="attendance_taken_on_time",
        ),
        # A school's lessons over some dates (a period, the control's range): by this index,
        # not by all of the school's lessons.
        Index("ix_lesson_school_id_held_on", "school_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("study_group.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    substitute_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    timetable_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("timetable_entry.id"), index=True
    )
    held_on: Mapped[date] = mapped_column(index=True)
    bell_number: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[LessonStatus] = mapped_column(
        str_enum(LessonStatus, "lesson_status"), default=LessonStatus.PLANNED
    )
    plan_item_id: Mapped[int | None] = mapped_column(ForeignKey("plan_item.id"))
    topic: Mapped[str | None] = mapped_column(String(500))
    material: Mapped[str | None] = mapped_column(Text)
    # When attendance was first taken (R-ATT-1): no marks then means everybody was present;
    # never taken means the lesson's attendance is missing (R-CONTROL-1).
    attendance_taken_at: Mapped[datetime | None]
    attendance_on_time: Mapped[bool | None]


class LessonWorkType(Base):
    """A kind of work done and graded in a lesson (R-TOPIC-1)."""

    __tablename__ = "lesson_work_type"
    __table_args__ = (UniqueConstraint("lesson_id", "work_type_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id"), index=True)
    work_type_id: Mapped[int] = mapped_column(ForeignKey("work_type.id"))


class AttendanceKind(enum.StrEnum):
    ABSENT_VALID = "absent_valid"
    ABSENT_UNEXCUSED = "absent_unexcused"
    ILL = "ill"
    LATE = "late"


class Attendance(Attributed, Timely, Base):
    """A mark against a student in a lesson; a student without one was present."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("lesson_id", "student_id"),
        CheckConstraint(
            "(kind = 'late') = (late_minutes IS NOT NULL)", name="late_minutes_iff_late"
        ),
        CheckConstraint("late_minutes IS NULL OR late_minutes BETWEEN 1 AND 90", name="late"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[AttendanceKind] = mapped_column(str_enum(AttendanceKind, "attendance_kind"))
    late_minutes: Mapped[int | None] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(String(500))


class Homework(Attributed, Timely, Base):
    """Homework set in a lesson: for the whole group, or only for the students listed."""

    __tablename__ = "homework"
    # A school's homework counted per lesson, and late, from the index alone (the control).
    __table_args__ = (
        Index("ix_homework_school_id_lesson_id", "school_id", "lesson_id", "on_time"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    pages: Mapped[str | None] = mapped_column(String(100))
    tasks: Mapped[str | None] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(index=True)
    is_individual: Mapped[bool] = mapped_column(default=False)


class HomeworkStudent(Base):
    __tablename__ = "homework_student"
    __table_args__ = (UniqueConstraint("homework_id", "student_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    homework_id: Mapped[int] = mapped_column(ForeignKey("homework.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
