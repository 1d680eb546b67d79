"""A reported compromise of an account (R-ACC-2, R-ACC-3): whose, since when it was noticed,
who reported it and when, and whether the admin has voided what it did in the school since."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from model.base import Base, Id, utc_now


class Compromise(Base):
    __tablename__ = "compromise"
    __table_args__ = (
        CheckConstraint("noticed_at <= reported_at", name="noticed_before_reported"),
        CheckConstraint("(voided_at IS NULL) = (voided_by_id IS NULL)", name="voided_by_whom"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    # The school whose records it reaches: its admin reviews and voids them there.
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    noticed_at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(String(1000))
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    reported_at: Mapped[datetime] = mapped_column(default=utc_now)
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    voided_at: Mapped[datetime | None]
