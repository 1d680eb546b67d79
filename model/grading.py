"""Grades for lessons and the term and final grades of a reporting period."""

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from model.attribution import Attributed, Timely
from model.base import Base, Id, str_enum, utc_now


class Grade(Attributed, Timely, Base):
    """A mark for a student's work of one type in one lesson; the mark must be on its scale."""

    __tablename__ = "grade"
    __table_args__ = (
        UniqueConstraint("lesson_id", "student_id", "work_type_id"),
        ForeignKeyConstraint(
            ["grade_scale_id", "mark"],
            ["grade_scale_mark.grade_scale_id", "grade_scale_mark.mark"],
            name="fk_grade_mark_on_scale",
        ),
        # A school's grades by lesson with what the control and the averages read of them: the
        # journal control, the activity rating and the school overview sum them from the index
        # alone, in lesson order, instead of looking up each of a school's grades.
        Index(
            "ix_grade_school_id_lesson_id",
            "school_id",
            "lesson_id",
            "on_time",
            "work_type_id",
            "grade_scale_id",
            "mark",
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    work_type_id: Mapped[int] = mapped_column(ForeignKey("work_type.id"))
    grade_scale_id: Mapped[int] = mapped_column(ForeignKey("grade_scale.id"))
    mark: Mapped[str] = mapped_column(String(8))
    comment: Mapped[str | None] = mapped_column(String(1000))


class FinalGradeSpecial(enum.StrEnum):
    NOT_ATTESTED = "not_attested"
    EXEMPT = "exempt"
    PASS = "pass"


class FinalGrade(Attributed, Timely, Base):
    """A student's term or final grade in a subject: a mark, or one of the special values."""

    __tablename__ = "final_grade"
    __table_args__ = (
        UniqueConstraint("student_id", "subject_id", "period_id"),
        CheckConstraint("(mark IS NULL) <> (special IS NULL)", name="mark_xor_special"),
        ForeignKeyConstraint(
            ["grade_scale_id", "mark"],
            ["grade_scale_mark.grade_scale_id", "grade_scale_mark.mark"],
            name="fk_final_grade_mark_on_scale",
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("study_group.id"), index=True)
    grade_scale_id: Mapped[int] = mapped_column(ForeignKey("grade_scale.id"))
    mark: Mapped[str | None] = mapped_column(String(8))
    special: Mapped[FinalGradeSpecial | None] = mapped_column(
        str_enum(FinalGradeSpecial, "final_grade_special")
    )


class PeriodReopening(Base):
    """The admin's reopening of a locked period's journal for a group and subject (R-LOCK-1),
    with the written reason. It lasts until final grades are set again; the row stays as the
    record of who reopened what, when and why."""

    __tablename__ = "period_reopening"
    __table_args__ = (CheckConstraint("length(reason) >= 10", name="reason_written"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("study_group.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"))
    reason: Mapped[str] = mapped_column(String(1000))
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    reopened_at: Mapped[datetime] = mapped_column(default=utc_now)
    closed_at: Mapped[datetime | None]
