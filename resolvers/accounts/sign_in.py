"""Signing in and out, changing passwords, and turning a bearer token into a principal.

A password change goes to the audit trail (that it changed, when: never a hash). Signing in
and out, the sessions' tokens and the throttle's counters do not: they are the accounts'
bookkeeping, logs of their own, not writes to the school's records."""

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NoReturn

from sqlalchemy import String, Subquery, cast, literal, select, true, union_all, update

import model as m
from model.base import utc_now
from policies.principal import (
    CLASS_TEACHER,
    INSPECTOR,
    INTEGRATOR_SCOPES,
    Principal,
    SchoolRoleGrant,
    SchoolSettings,
)
from resolvers.accounts import sign_in_throttle
from resolvers.accounts.departures import role_counts
from resolvers.accounts.passwords import (
    check_password,
    hash_password,
    needs_rehash,
    new_password_hash,
)
from resolvers.accounts.sign_in_throttle import Attempt
from resolvers.accounts.token_cache import TokenCache
from resolvers.audit import Changed, record_as, snapshot
from resolvers.database import Database
from resolvers.errors import BadUserInput, Unauthenticated
from resolvers.notifications import live

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


async def login(
    db: Database, login_name: str, password: str, ttl: timedelta, client_address: str = ""
) -> IssuedToken:
    """A token for the right password; failures are throttled (`sign_in_throttle`)."""
    # Read first, without the write lock (SQLite): the password check must not hold back
    # every writer of the journal, nor a failure's record, for the time Argon2 takes.
    db.expect_writes(False)
    now = utc_now()
    attempt = Attempt.of(login_name, client_address, now)
    failed_here = await sign_in_throttle.admit(db, attempt)
    account = await db.scalar(
        select(m.Account).where(m.Account.login == login_name.strip().lower())
    )
    if account is None:
        await check_password(_DUMMY_HASH, password)
        await _refuse(db, attempt, None)
    if not await check_password(account.password_hash, password) or not account.is_active:
        await _refuse(db, attempt, account.id)
    await db.begin_writing()
    # Bookkeeping, not audited: the same password, hashed anew by today's parameters; the
    # session's token below likewise.
    if needs_rehash(account.password_hash):
        account.password_hash = await new_password_hash(password)
    if failed_here:
        await sign_in_throttle.forget_pair(db, attempt)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
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


async def _refuse(db: Database, attempt: Attempt, account_id: int | None) -> NoReturn:
    await sign_in_throttle.record_failure(db, attempt, account_id)
    raise Unauthenticated("Wrong login or password.")


async def logout(db: Database, principal: Principal) -> None:
    # The session's end: bookkeeping of the account, not audited.
    await db.execute(
        update(m.AuthToken)
        .where(m.AuthToken.id == principal.token_id, m.AuthToken.revoked_at.is_(None))
        .values(revoked_at=utc_now())
    )
    await live.tell_access_taken(db)  # its live subscriptions end (schema/subscriptions)


async def password_change(
    db: Database,
    principal: Principal,
    old_password: str,
    new_password: str,
    client_address: str = "",
) -> m.Account:
    """Guessing the current password with a stolen token is throttled as signing in is."""
    account = await db.scalar(select(m.Account).where(m.Account.id == principal.account_id))
    if account is None:
        raise BadUserInput("The current password is wrong.", argument="oldPassword")
    attempt = Attempt.of(account.login, client_address, utc_now())
    failed_here = await sign_in_throttle.admit(db, attempt)
    if not await check_password(account.password_hash, old_password):
        await sign_in_throttle.record_failure(db, attempt, account.id)
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
    before = snapshot(account)
    account.password_hash = await new_password_hash(new_password)
    if failed_here:
        await sign_in_throttle.forget_pair(db, attempt)
    account.must_change_password = False
    account.password_changed_at = now
    # In the trail of every school where the account's holder has a role (their admin and head
    # see it): the account before and after, its hash never (`resolvers/audit.py`).
    after = snapshot(account)
    changes = [Changed(s, m.Account, account.id, before, after) for s in sorted(principal.schools)]
    await record_as(db, account.id, changes)
    # Every other session of the account ends: a password change is how a leak is contained.
    # The sessions' tokens are bookkeeping, not audited.
    await db.execute(
        update(m.AuthToken)
        .where(
            m.AuthToken.account_id == account.id,
            m.AuthToken.id != principal.token_id,
            m.AuthToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    await live.tell_access_taken(db)  # the other sessions' live subscriptions end
    return account


def _held_roles(person: Any, today: date) -> Subquery:
    """(role, school id, time zone, edit window) of every role `person` holds on `today`: their
    school roles (a student's and a parent's only until they leave, `departures`), class
    teacher where a class names them, and a municipality's roles (its operator) in every school
    of the municipality."""
    school = (m.School.id, m.School.timezone, m.School.grade_edit_window)
    held = (
        select(cast(m.SchoolRole.role, String).label("role"), *school)
        .select_from(m.SchoolRole)
        .join(m.School, m.School.id == m.SchoolRole.school_id)
        .where(m.SchoolRole.person_id == person, role_counts(person, today))
    )
    class_teacher = (
        select(literal(CLASS_TEACHER, String).label("role"), *school)
        .select_from(m.SchoolClass)
        .join(m.School, m.School.id == m.SchoolClass.school_id)
        .where(m.SchoolClass.class_teacher_id == person)
    )
    over_municipality = (
        select(cast(m.MunicipalityRole.role, String).label("role"), *school)
        .select_from(m.MunicipalityRole)
        .join(m.School, m.School.municipality_id == m.MunicipalityRole.municipality_id)
        .where(m.MunicipalityRole.person_id == person)
    )
    return union_all(held, class_teacher, over_municipality).subquery()


async def principal_for_token(
    db: Database, token: str, kept: TokenCache | None = None
) -> Principal:
    """The caller behind a bearer token and every role they hold: no statement when `kept`
    holds the token's caller (`token_cache`), else one for a person's login (a row per role),
    two for an API token."""
    now = utc_now()
    digest = token_digest(token)
    if kept is None:
        return (await _read_principal(db, digest, now))[0]
    if (principal := kept.get(digest, now)) is not None:
        return principal
    generation = kept.generation
    principal, expires_at = await _read_principal(db, digest, now)
    kept.put(digest, principal, expires_at, generation)
    return principal


async def _read_principal(db: Database, digest: bytes, now: datetime) -> tuple[Principal, datetime]:
    person = (
        select(m.Account.person_id)
        .join(m.AuthToken, m.AuthToken.account_id == m.Account.id)
        .where(m.AuthToken.digest == digest)
        .scalar_subquery()
    )
    roles = _held_roles(person, now.date())
    rows = await db.rows(
        select(m.AuthToken, m.Account, *roles.c)
        .outerjoin(m.Account, m.Account.id == m.AuthToken.account_id)
        .outerjoin(roles, true())
        .where(m.AuthToken.digest == digest)
    )
    if not rows:
        raise Unauthenticated("The token is not known.")
    auth_token, account = rows[0][:2]
    if auth_token.revoked_at is not None or auth_token.expires_at <= now:
        raise Unauthenticated("The token has expired or was revoked; sign in again.")
    if account is not None and not account.is_active:
        raise Unauthenticated("The account is disabled.")
    if auth_token.kind is m.TokenKind.LOGIN and account is not None:
        held = [row[2:] for row in rows if row[2] is not None]
        return _personal(account, held, now, token_id=auth_token.id), auth_token.expires_at
    return await _api_principal(db, auth_token, now), auth_token.expires_at


def _personal(
    account: m.Account, held: Sequence[Sequence[Any]], now: datetime, *, token_id: int
) -> Principal:
    """A person signed in with their login, holding the roles of `_held_roles`' rows."""
    return Principal(
        token_id=token_id,
        kind=m.TokenKind.LOGIN,
        name=account.login,
        account_id=account.id,
        person_id=account.person_id,
        must_change_password=account.must_change_password,
        grants=tuple(sorted({SchoolRoleGrant(row[1], row[0]) for row in held}, key=_order)),
        schools={row[1]: _settings(row[2], row[3]) for row in held},
        now=now,
    )


def _settings(timezone: str, window: m.EditWindow) -> SchoolSettings:
    return SchoolSettings(timezone=timezone, grade_edit_window=window)


async def _api_principal(db: Database, auth_token: m.AuthToken, now: datetime) -> Principal:
    """An inspector reads as `inspector`, an integrator as the roles of its scopes."""
    listed = select(m.AuthTokenSchool.school_id).where(
        m.AuthTokenSchool.auth_token_id == auth_token.id
    )
    in_municipality = m.School.municipality_id == auth_token.municipality_id
    rows = await db.rows(
        select(m.School.id, m.School.timezone, m.School.grade_edit_window).where(
            m.School.id.in_(listed) | in_municipality
        )
    )
    if auth_token.kind is m.TokenKind.INSPECTOR:
        roles = [INSPECTOR]
    else:
        scopes = (auth_token.scopes or "").split()
        roles = [INTEGRATOR_SCOPES[scope] for scope in scopes if scope in INTEGRATOR_SCOPES]
    grants = {SchoolRoleGrant(row[0], role) for row in rows for role in roles}
    return Principal(
        token_id=auth_token.id,
        kind=auth_token.kind,
        name=auth_token.name or "",
        account_id=None,
        person_id=None,
        must_change_password=False,
        grants=tuple(sorted(grants, key=_order)),
        schools={row[0]: _settings(row[1], row[2]) for row in rows},
        now=now,
    )


def _order(grant: SchoolRoleGrant) -> tuple[int, str]:
    return grant.school_id, grant.role


async def principal_for_login(db: Database, login_name: str) -> Principal:
    """The person whose login it is, with every role they hold, without a session: a `tabel`
    command run on the server acts as them (`--as LOGIN`), and their writes are audited as
    theirs. Refused as a sign-in would be: an unknown or disabled account, or one whose
    temporary password is still to be changed."""
    account = await db.scalar(
        select(m.Account).where(m.Account.login == login_name.strip().lower())
    )
    if account is None or not account.is_active:
        raise Unauthenticated(f"No active account has the login «{login_name}».")
    if account.must_change_password:
        raise Unauthenticated(f"«{account.login}» has a temporary password to change first.")
    now = utc_now()
    roles = _held_roles(account.person_id, now.date())
    held = list(await db.rows(select(*roles.c)))
    return _personal(account, held, now, token_id=0)  # no session token
