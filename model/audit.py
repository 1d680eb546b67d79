"""The grade change log (R-AUDIT-1): append-only, written in the same transaction as the grade."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from model.base import Base, Id, str_enum, utc_now


class GradeChangeAction(enum.StrEnum):
    CREATED = "created"
    CHANGED = "changed"
    DELETED = "deleted"


class GradeChange(Base):
    __tablename__ = "grade_change"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    # No foreign key to `grade`: the record outlives a deleted grade.
    grade_id: Mapped[int] = mapped_column(Id, index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    work_type_id: Mapped[int] = mapped_column(ForeignKey("work_type.id"))
    action: Mapped[GradeChangeAction] = mapped_column(
        str_enum(GradeChangeAction, "grade_change_action")
    )
    old_mark: Mapped[str | None] = mapped_column(String(8))
    new_mark: Mapped[str | None] = mapped_column(String(8))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    changed_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    reason: Mapped[str | None] = mapped_column(String(1000))
    # The wrong-grade report (Е.1) this change corrected the grade for, if any.
    grade_report_id: Mapped[int | None] = mapped_column(ForeignKey("grade_report.id"), index=True)


class QueryLog(Base):
    """Every query an inspector's token ran (§1.12): when, which token, what, with what values."""

    __tablename__ = "query_log"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    auth_token_id: Mapped[int] = mapped_column(ForeignKey("auth_token.id"), index=True)
    ran_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    operation_name: Mapped[str | None] = mapped_column(String(200))
    query_sha256: Mapped[str] = mapped_column(String(64))
    variables: Mapped[str] = mapped_column(Text)


class GradeReportStatus(enum.StrEnum):
    OPEN = "open"
    ANSWERED = "answered"


class GradeReport(Base):
    """A student's or parent's report that a grade is wrong (Е.1), and the teacher's answer."""

    __tablename__ = "grade_report"
    __table_args__ = (
        CheckConstraint("(status = 'open') = (resolved_at IS NULL)", name="resolved_when_answered"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    # No foreign key to `grade`: a corrected grade may be deleted; the report stays.
    grade_id: Mapped[int] = mapped_column(Id, index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    mark: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(String(2000))
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    reported_at: Mapped[datetime] = mapped_column(default=utc_now)
    status: Mapped[GradeReportStatus] = mapped_column(
        str_enum(GradeReportStatus, "grade_report_status"), default=GradeReportStatus.OPEN
    )
    answer: Mapped[str | None] = mapped_column(String(2000))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    resolved_at: Mapped[datetime | None]
