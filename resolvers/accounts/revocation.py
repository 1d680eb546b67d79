"""Access taken away: the sessions of accounts that are blocked or whose holders left, and the
API tokens those accounts issued, in the request's transaction.

The sessions are bookkeeping, as signing out is (`sign_in.logout`); an API token's revocation
goes to the trail of the schools it reaches (`api_tokens.revoke`)."""

from collections.abc import Collection

from sqlalchemy import select, update

import model as m
from model.base import utc_now
from resolvers.accounts.api_tokens import API_TOKEN_KINDS, revoke
from resolvers.database import Database


async def revoke_access(db: Database, by: int | None, account_ids: Collection[int]) -> None:
    """Every live session of the accounts ends; every API token they issued is revoked by `by`."""
    if not account_ids:
        return
    ids = sorted(account_ids)
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
