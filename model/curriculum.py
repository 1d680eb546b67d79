"""Subjects, grade scales, work types and the subject↔teacher/room/class links (А #12–#16)."""

from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Numeric,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from model.base import Archivable, Base, Id


class GradeScale(Archivable, Base):
    """The marks a school grades with: the 5-point scale, or pass/fail."""

    __tablename__ = "grade_scale"
    __table_args__ = (UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))


class GradeScaleMark(Base):
    """One mark of a scale; `value` is what averages count (none for «зачёт»)."""

    __tablename__ = "grade_scale_mark"
    __table_args__ = (UniqueConstraint("grade_scale_id", "mark"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    grade_scale_id: Mapped[int] = mapped_column(ForeignKey("grade_scale.id"))
    mark: Mapped[str] = mapped_column(String(8))
    value: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    position: Mapped[int] = mapped_column(SmallInteger)


class Subject(Archivable, Base):
    __tablename__ = "subject"
    __table_args__ = (UniqueConstraint("school_id", "name"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(50))
    grade_scale_id: Mapped[int] = mapped_column(ForeignKey("grade_scale.id"))
    # «Без аттестации»: no term or final grade is expected (R-FINAL-1).
    no_attestation: Mapped[bool] = mapped_column(default=False)


class WorkType(Archivable, Base):
    """A kind of graded work with its weight and how many days its checking may take."""

    __tablename__ = "work_type"
    __table_args__ = (
        UniqueConstraint("school_id", "name"),
        CheckConstraint("weight > 0 AND weight <= 10", name="weight_range"),
        CheckConstraint("checking_days BETWEEN 0 AND 30", name="checking_days_range"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(20))
    weight: Mapped[Decimal] = mapped_column(Numeric(4, 2))
    checking_days: Mapped[int] = mapped_column(SmallInteger, default=2)


class SubjectTeacher(Base):
    __tablename__ = "subject_teacher"
    __table_args__ = (UniqueConstraint("subject_id", "teacher_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)


class SubjectRoom(Base):
    __tablename__ = "subject_room"
    __table_args__ = (UniqueConstraint("subject_id", "room_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"), index=True)


class SubjectClass(Base):
    """A subject in a class's curriculum, with its weekly hours."""

    __tablename__ = "subject_class"
    __table_args__ = (
        UniqueConstraint("subject_id", "school_class_id"),
        CheckConstraint("hours_per_week BETWEEN 0 AND 12", name="hours_range"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    school_class_id: Mapped[int] = mapped_column(ForeignKey("school_class.id"), index=True)
    hours_per_week: Mapped[int] = mapped_column(SmallInteger)
