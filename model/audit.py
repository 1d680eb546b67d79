"""The audit trail: every write to a school's records, who made it, when, the state before and
after (design.md invariant 11), append-only, in the same transaction as the write. The grade
change log (R-AUDIT-1) is its grade part: rows of the same table with the grade's own columns,
so that the teacher reads the changes of what they teach and the head reads everything."""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from model.base import Base, Id, str_enum, utc_now

# The record's columns as they were and became, by attribute name (JSONB on PostgreSQL).
State = JSON().with_variant(JSONB(), "postgresql")


class ChangeAction(enum.StrEnum):
    CREATED = "created"
    CHANGED = "changed"
    DELETED = "deleted"
    ARCHIVED = "archived"


class ChangeKind(enum.StrEnum):
    """Which part of the trail a row is: the grade change log, or any other record."""

    GRADE = "grade"
    RECORD = "record"


class Change(Base):
    __tablename__ = "change"
    __table_args__ = (
        CheckConstraint(
            "kind = 'record' OR (lesson_id IS NOT NULL AND student_id IS NOT NULL "
            "AND work_type_id IS NOT NULL)",
            name="grade_change_says_what_grade",
        ),
        Index("ix_change_entity_entity_id", "entity", "entity_id"),
        Index("ix_change_school_id_changed_at", "school_id", "changed_at"),
    )
    __mapper_args__: dict[str, Any] = {  # noqa: RUF012
        "polymorphic_on": "kind",
        "polymorphic_identity": ChangeKind.RECORD,
    }

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    kind: Mapped[ChangeKind] = mapped_column(str_enum(ChangeKind, "change_kind"))
    # The changed record: its table and id. No foreign key: the record outlives a deleted row.
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Id)
    action: Mapped[ChangeAction] = mapped_column(str_enum(ChangeAction, "change_action"))
    before: Mapped[dict[str, Any] | None] = mapped_column(State)
    after: Mapped[dict[str, Any] | None] = mapped_column(State)
    # Null: made by the system itself (`tabel init`, the lesson planner).
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    changed_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    reason: Mapped[str | None] = mapped_column(String(1000))


class GradeChange(Change):
    """An entry of the grade change log (R-AUDIT-1): the grade's lesson, student, work type and
    marks in columns of their own, for the policies' row filters and the report."""

    __mapper_args__: dict[str, Any] = {"polymorphic_identity": ChangeKind.GRADE}  # noqa: RUF012

    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id"), nullable=True, index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("person.id"), nullable=True, index=True)
    work_type_id: Mapped[int] = mapped_column(ForeignKey("work_type.id"), nullable=True)
    old_mark: Mapped[str | None] = mapped_column(String(8))
    new_mark: Mapped[str | None] = mapped_column(String(8))
    # The wrong-grade report (Е.1) this change corrected the grade for, if any.
    grade_report_id: Mapped[int | None] = mapped_column(ForeignKey("grade_report.id"), index=True)


class QueryLog(Base):
    """Every query an inspector's token ran (§1.12): when, which token, what, with what values;
    and every request of staff or an integrator that read someone's personal data (R-PD-1),
    with `PersonalDataRead` rows saying whose data and which fields."""

    __tablename__ = "query_log"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    auth_token_id: Mapped[int] = mapped_column(ForeignKey("auth_token.id"), index=True)
    ran_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    operation_name: Mapped[str | None] = mapped_column(String(200))
    query_sha256: Mapped[str] = mapped_column(String(64))
    variables: Mapped[str] = mapped_column(Text)


class PersonalDataRead(Base):
    """Whose personal data one logged request read, and which of its fields (R-PD-1, 152-FZ)."""

    __tablename__ = "personal_data_read"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    query_log_id: Mapped[int] = mapped_column(ForeignKey("query_log.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # Space-separated field names, as the API spells them: `birthDate email phone address`.
    fields: Mapped[str] = mapped_column(String(200))


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
