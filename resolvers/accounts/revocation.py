"""Access taken away: the sessions of accounts that are blocked or whose holders left, and the
API tokens those accounts issued, in the request's transaction.

The sessions are bookkeeping, as signing out is (`sign_in.logout`); an API token's revocation
goes to the trail of the schools it reaches (`api_tokens.revoke`)."""

from collections.abc import Collection
from typing import Any

from sqlalchemy import CompoundSelect, select, union, update

import model as m
from model.base import utc_now
from resolvers.accounts.api_tokens import API_TOKEN_KINDS, revoke
from resolvers.database import Database
from resolvers.notifications import live


async def revoke_access(db: Database, by: int | None, account_ids: Collection[int]) -> None:
    """Every live session of the accounts ends; every API token they issued is revoked by `by`."""
    if not account_ids:
        return
    ids = sorted(account_ids)
    await live.tell_access_taken(db)  # their live subscriptions end (schema/subscriptions)
    await db.execute(
        update(m.AuthToken)
        .where(
            m.AuthToken.account_id.in_(ids),
            m.AuthToken.kind == m.TokenKind.LOGIN,
            m.AuthToken.revoked_at.is_(None),
        )
        .values(revoked_at=utc_now())
    )
    issued = await db.scalars(
        select(m.AuthToken)
        .where(
            m.AuthToken.issued_by_id.in_(ids),
            m.AuthToken.kind.in_(API_TOKEN_KINDS),
            m.AuthToken.revoked_at.is_(None),
        )
        .order_by(m.AuthToken.id)
    )
    for token in issued:
        await revoke(db, by, token)


async def revoke_for_leavers(
    db: Database, by: int | None, school_id: int, person_ids: Collection[int]
) -> None:
    """After people's roles in a school were taken away: the API tokens they issued for it are
    revoked unless they are still its admin, and the sessions of those who hold no role
    anywhere (a school's, a class's, a municipality's) end. Four statements, and one more per
    token revoked."""
    if not person_ids:
        return
    people = sorted(person_ids)
    accounts = {
        row[0]: row[1]
        for row in await db.rows(
            select(m.Account.person_id, m.Account.id).where(m.Account.person_id.in_(people))
        )
    }
    if not accounts:
        return
    await live.tell_access_taken(db)  # their live subscriptions end (schema/subscriptions)
    still_admin = select(m.SchoolRole.person_id).where(
        m.SchoolRole.school_id == school_id, m.SchoolRole.role == m.Role.ADMIN.value
    )
    issuers = select(m.Account.id).where(
        m.Account.id.in_(list(accounts.values())), m.Account.person_id.not_in(still_admin)
    )
    listing_school = select(m.AuthTokenSchool.auth_token_id).where(
        m.AuthTokenSchool.school_id == school_id
    )
    for token in await db.scalars(
        select(m.AuthToken)
        .where(
            m.AuthToken.issued_by_id.in_(issuers),
            m.AuthToken.kind.in_(API_TOKEN_KINDS),
            m.AuthToken.revoked_at.is_(None),
            m.AuthToken.id.in_(listing_school),
        )
        .order_by(m.AuthToken.id)
    ):
        await revoke(db, by, token)
    holding: CompoundSelect[Any] = union(
        select(m.SchoolRole.person_id),
        select(m.MunicipalityRole.person_id),
        select(m.SchoolClass.class_teacher_id).where(m.SchoolClass.class_teacher_id.is_not(None)),
    )
    gone = await db.scalars(
        select(m.Account.id).where(
            m.Account.id.in_(list(accounts.values())), m.Account.person_id.not_in(holding)
        )
    )
    await db.execute(
        update(m.AuthToken)
        .where(
            m.AuthToken.account_id.in_(list(gone)),
            m.AuthToken.kind == m.TokenKind.LOGIN,
            m.AuthToken.revoked_at.is_(None),
        )
        .values(revoked_at=utc_now())
    )
