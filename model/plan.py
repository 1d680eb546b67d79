"""The calendar-thematic plan (КТП): the ordered topics of a subject for a parallel."""

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from model.base import Archivable, Base, Id


class Plan(Archivable, Base):
    __tablename__ = "plan"
    __table_args__ = (CheckConstraint("parallel BETWEEN 1 AND 11", name="parallel_range"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    school_year_id: Mapped[int] = mapped_column(ForeignKey("school_year.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    parallel: Mapped[int] = mapped_column(SmallInteger)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    name: Mapped[str] = mapped_column(String(300))


class PlanItem(Base):
    __tablename__ = "plan_item"
    __table_args__ = (
        UniqueConstraint("plan_id", "position"),
        CheckConstraint("hours > 0", name="hours_positive"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    position: Mapped[int] = mapped_column(SmallInteger)
    topic: Mapped[str] = mapped_column(String(500))
    hours: Mapped[int] = mapped_column(SmallInteger, default=1)
    # Work planned for the topic, e.g. a test (контрольная работа) closing a unit.
    work_type_id: Mapped[int | None] = mapped_column(ForeignKey("work_type.id"))
