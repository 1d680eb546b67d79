"""Reports and exports run as jobs (issue 13): a row per job, queued in the database and taken
by any worker (`resolvers/reports/worker.py`); its file kept in chunks of at most `CHUNK`
bytes, so that any process serves it and none holds it whole; and the key download URLs are
signed with, one per database, so that every process checks what another minted."""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column

from model.audit import State
from model.base import Base, Id, str_enum, utc_now

CHUNK = 1024 * 1024  # bytes of a result's row at most


class ReportJobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    EXPIRED = "expired"


class ReportJob(Base):
    __tablename__ = "report_job"
    __table_args__ = (
        # What a worker looks for: the oldest queued job, or a running one whose lease ran out.
        Index(
            "ix_report_job_waiting",
            "queued_at",
            sqlite_where=text("status IN ('queued', 'running')"),
            postgresql_where=text("status IN ('queued', 'running')"),
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    # The kind's arguments, as its registry entry reads them (`resolvers/reports/kinds.py`).
    arguments: Mapped[dict[str, Any]] = mapped_column(State)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    # The token it was started with (null from the command line): the personal data the file
    # holds is logged as read through it, as the request's reads are (R-PD-1).
    token_id: Mapped[int | None] = mapped_column(ForeignKey("auth_token.id", ondelete="SET NULL"))
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    status: Mapped[ReportJobStatus] = mapped_column(str_enum(ReportJobStatus, "report_job_status"))
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    # Why it failed, in the school's words.
    message: Mapped[str | None] = mapped_column(String(1000))
    file_name: Mapped[str | None] = mapped_column(String(255))
    media_type: Mapped[str | None] = mapped_column(String(128))
    size: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    queued_at: Mapped[datetime] = mapped_column(default=utc_now)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    # When its file is deleted (a succeeded job's).
    expires_at: Mapped[datetime | None] = mapped_column()
    # The worker running it, and until when it holds it: past that, another takes it again.
    worker: Mapped[str | None] = mapped_column(String(128))
    lease_until: Mapped[datetime | None] = mapped_column()


class ReportChunk(Base):
    """A piece of a job's file, `seq` from 0."""

    __tablename__ = "report_chunk"

    job_id: Mapped[int] = mapped_column(
        ForeignKey("report_job.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ReportKey(Base):
    """The secret download URLs are signed with (one row, made at the first use)."""

    __tablename__ = "report_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    secret: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
