"""User accounts and the bearer tokens they are issued."""

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    false,
)
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
    # Made by `tabel demo`: its password is the published «demo»; production refuses to serve it.
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=false())


class TokenKind(enum.StrEnum):
    LOGIN = "login"
    INSPECTOR = "inspector"
    INTEGRATOR = "integrator"


class AuthToken(Base):
    """An opaque bearer token; only its SHA-256 digest is stored.

    A login token acts as its account. An API token (inspector, integrator) acts on its own:
    read-only, in the schools it lists (or every school of its municipality), within its scopes.
    """

    __tablename__ = "auth_token"
    __table_args__ = (
        CheckConstraint("kind <> 'login' OR account_id IS NOT NULL", name="login_has_account"),
        CheckConstraint("kind = 'login' OR name IS NOT NULL", name="api_token_named"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    digest: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    kind: Mapped[TokenKind] = mapped_column(str_enum(TokenKind, "token_kind"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    # Space-separated read scopes of an integrator token: journal:read roster:read reports:read
    scopes: Mapped[str | None] = mapped_column(String(200))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    # Made by `tabel demo`: the token is published (`tbl_demo.inspector`); see Account.is_demo.
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    # An API token's requests in its current rate window (`resolvers/accounts/api_rate.py`).
    rate_window_start: Mapped[datetime | None]
    rate_window_requests: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class AuthTokenSchool(Base):
    """A school an API token may read."""

    __tablename__ = "auth_token_school"
    __table_args__ = (UniqueConstraint("auth_token_id", "school_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    auth_token_id: Mapped[int] = mapped_column(ForeignKey("auth_token.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
