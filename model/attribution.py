"""Who wrote a journal record and when: every write is attributable and revertible (R-ACC-3)."""

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from model.base import utc_now


class Attributed:
    """Columns shared by every journal record; `version` guards against lost updates."""

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    updated_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)


class Timely:
    """Whether the record was made by its deadline, in the school's time zone (R-CONTROL-1).

    Decided once, when the record is first made (the rules are in `resolvers.journal.deadlines`):
    a later correction does not make a late entry timely, nor a timely one late.
    """

    on_time: Mapped[bool]
