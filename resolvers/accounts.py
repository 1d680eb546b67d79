"""Signing in and out, changing passwords, and turning a bearer token into a principal."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, cast, literal, select, union, update

import model as m
from model.base import utc_now
from policies.principal import HeldRole, Principal, SchoolRoleGrant
from resolvers.database import Database
from resolvers.errors import BadUserInput, Unauthenticated
from resolvers.passwords import hash_password, needs_rehash, verify_password

TOKEN_PREFIX = "tbl_"
MIN_PASSWORD_LENGTH = 8
# Verified when the login is unknown, so a wrong login costs as long as a wrong password.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime
    account: m.Account


async def login(db: Database, login_name: str, password: str, ttl: timedelta) -> IssuedToken:
    account = await db.scalar(
        select(m.Account).where(m.Account.login == login_name.strip().lower())
    )
    if account is None:
        verify_password(_DUMMY_HASH, password)
        raise Unauthenticated("Wrong login or password.")
    if not verify_password(account.password_hash, password) or not account.is_active:
        raise Unauthenticated("Wrong login or password.")
    if needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utc_now()
    db.session.add(
        m.AuthToken(
            digest=token_digest(token),
            kind=m.TokenKind.LOGIN,
            account_id=account.id,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    return IssuedToken(token=token, expires_at=now + ttl, account=account)


async def logout(db: Database, principal: Principal) -> None:
    await db.execute(
        update(m.AuthToken)
        .where(m.AuthToken.id == principal.token_id, m.AuthToken.revoked_at.is_(None))
        .values(revoked_at=utc_now())
    )


async def password_change(
    db: Database, principal: Principal, old_password: str, new_password: str
) -> m.Account:
    account = await db.scalar(select(m.Account).where(m.Account.id == principal.account_id))
    if account is None or not verify_password(account.password_hash, old_password):
        raise BadUserInput("The current password is wrong.", argument="oldPassword")
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise BadUserInput(
            f"The new password needs at least {MIN_PASSWORD_LENGTH} characters.",
            argument="newPassword",
        )
    if new_password == old_password or new_password.casefold() == account.login.casefold():
        raise BadUserInput(
            "The new password must differ from the old one and the login.",
            argument="newPassword",
        )
    now = utc_now()
    account.password_hash = hash_password(new_password)
    account.must_change_password = False
    account.password_changed_at = now
    # Every other session of the account ends: a password change is how a leak is contained.
    await db.execute(
        update(m.AuthToken)
        .where(
            m.AuthToken.account_id == account.id,
            m.AuthToken.id != principal.token_id,
            m.AuthToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    return account


async def principal_for_token(db: Database, token: str) -> Principal:
    """The caller behind a bearer token, with every role they hold, in two statements."""
    now = utc_now()
    rows = await db.rows(
        select(m.AuthToken, m.Account)
        .join(m.Account, m.Account.id == m.AuthToken.account_id)
        .where(m.AuthToken.digest == token_digest(token))
    )
    if not rows:
        raise Unauthenticated("The token is not known.")
    auth_token, account = rows[0]
    if auth_token.revoked_at is not None or auth_token.expires_at <= now:
        raise Unauthenticated("The token has expired or was revoked; sign in again.")
    if not account.is_active:
        raise Unauthenticated("The account is disabled.")
    held = select(m.SchoolRole.school_id, cast(m.SchoolRole.role, String)).where(
        m.SchoolRole.person_id == account.person_id
    )
    class_teacher = select(
        m.SchoolClass.school_id, literal(HeldRole.CLASS_TEACHER.value, String)
    ).where(m.SchoolClass.class_teacher_id == account.person_id)
    rows = await db.rows(select(union(held, class_teacher).subquery()))
    grants = {SchoolRoleGrant(school_id, HeldRole(role)) for school_id, role in rows}
    return Principal(
        account_id=account.id,
        person_id=account.person_id,
        login=account.login,
        token_id=auth_token.id,
        must_change_password=account.must_change_password,
        grants=tuple(sorted(grants, key=lambda g: (g.school_id, g.role))),
    )
