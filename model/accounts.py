"""User accounts and the bearer tokens they are issued."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from model.base import Base, Id, str_enum, utc_now


class Account(Base):
    __tablename__ = "account"
    # Logins are compared as typed; storing them in lower case keeps «Ivanov» and «ivanov» one.
    __table_args__ = (CheckConstraint("login = lower(login)", name="login_lowercase"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    # A temporary password (R-ACC-1) must be changed before anything else is allowed.
    must_change_password: Mapped[bool] = mapped_column(default=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    password_changed_at: Mapped[datetime | None]


class TokenKind(enum.StrEnum):
    LOGIN = "login"
    INSPECTOR = "inspector"
    INTEGRATOR = "integrator"


class AuthToken(Base):
    """An opaque bearer token; only its SHA-256 digest is stored."""

    __tablename__ = "auth_token"
    __table_args__ = (
        CheckConstraint("kind <> 'login' OR account_id IS NOT NULL", name="login_has_account"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    digest: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    kind: Mapped[TokenKind] = mapped_column(str_enum(TokenKind, "token_kind"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
