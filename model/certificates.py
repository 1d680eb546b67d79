"""Certified statements (R-ATTEST-1): a printed statement that tabel vouches for. It records
what was generated (its kind and what it was asked for), the SHA-256 of its data, who
generated it and when; the checksum printed on the paper finds it again, and the data as it
stands today either still gives that checksum or no longer does."""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from model.base import Base, Id, str_enum, utc_now


class CertificateKind(enum.StrEnum):
    ATTESTATION_SUMMARY = "attestation_summary"


class Certificate(Base):
    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    kind: Mapped[CertificateKind] = mapped_column(str_enum(CertificateKind, "certificate_kind"))
    # What it was asked for, as its query takes it: {"period_ids": [..], "class_id": ..}.
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    checksum: Mapped[str] = mapped_column(String(64), index=True)
    generated_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    generated_at: Mapped[datetime] = mapped_column(default=utc_now)
