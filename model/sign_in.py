"""Failed sign-ins: the throttle's counters and the admin's record of who tried what."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from model.base import Base, Id, str_enum

# The longest login an account may have (`account.login`) and a textual IPv6 address, roomily.
LOGIN_LENGTH = 64
ADDRESS_LENGTH = 64


class ThrottleKind(enum.StrEnum):
    LOGIN = "login"
    ADDRESS = "address"
    PAIR = "pair"


class SignInThrottle(Base):
    """Recent failed sign-ins counted per login (`client_address` empty), per client address
    (`login` empty) and per pair; `resolvers/accounts/sign_in_throttle.py` holds the rules. A
    counter whose last failure is older than the throttle's memory counts as none and is deleted."""

    __tablename__ = "sign_in_throttle"

    kind: Mapped[ThrottleKind] = mapped_column(
        str_enum(ThrottleKind, "throttle_kind"), primary_key=True
    )
    login: Mapped[str] = mapped_column(String(LOGIN_LENGTH), primary_key=True)
    client_address: Mapped[str] = mapped_column(String(ADDRESS_LENGTH), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[datetime] = mapped_column(index=True)


class SignInFailure(Base):
    """A sign-in whose password was checked and was wrong (or whose account is disabled), for
    the admin: kept for a bounded time. Attempts refused by the throttle are not listed."""

    __tablename__ = "sign_in_failure"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    attempted_at: Mapped[datetime] = mapped_column(index=True)
    login: Mapped[str] = mapped_column(String(LOGIN_LENGTH))
    # The account the login names, if there is one.
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    client_address: Mapped[str] = mapped_column(String(ADDRESS_LENGTH))
