"""Imports run as jobs in the server (issue 12): one row a job, its progress and its outcome.
The file itself is not kept: it holds personal data, and a job the server stopped running
is failed, not resumed."""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from model.audit import State
from model.base import Base, Id, str_enum, utc_now


class ImportJobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class ImportPhase(enum.StrEnum):
    """What an import does, in order: read the file's rows, check them against the school,
    write them."""

    READ = "read"
    VALIDATE = "validate"
    WRITE = "write"


UNDER_WAY = ("queued", "running")


class ImportJob(Base):
    __tablename__ = "import_job"
    __table_args__ = (
        # One import under way a school at a time (the second is refused, CONFLICT).
        Index(
            "uq_import_job_under_way",
            "school_id",
            unique=True,
            sqlite_where=text("status IN ('queued', 'running')"),
            postgresql_where=text("status IN ('queued', 'running')"),
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    started_by_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    file_bytes: Mapped[int] = mapped_column(Integer)
    commit: Mapped[bool] = mapped_column()
    status: Mapped[ImportJobStatus] = mapped_column(str_enum(ImportJobStatus, "import_job_status"))
    phase: Mapped[ImportPhase | None] = mapped_column(str_enum(ImportPhase, "import_phase"))
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    queued_at: Mapped[datetime] = mapped_column(default=utc_now)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    # Why it failed, in the school's words.
    message: Mapped[str | None] = mapped_column(String(1000))
    # The import's counts and its problems (row, column, message), as the report says them.
    report: Mapped[dict[str, Any] | None] = mapped_column(State)
