"""The principal a job runs as: its starter's, built anew from their account when it runs and
when its file is downloaded, so that a blocked account's jobs stop and its files are no
longer served, and the roles are those held that day."""

from sqlalchemy import select

import model as m
from policies.principal import Principal
from resolvers.accounts.sign_in import principal_for_login
from resolvers.database import Database
from resolvers.errors import Unauthenticated

BLOCKED = "The account that asked for it is blocked or gone: the report was not made."


async def principal_of(db: Database, account_id: int) -> Principal:
    """UNAUTHENTICATED (`BLOCKED`) for an account that is no longer active."""
    login = await db.scalar(
        select(m.Account.login).where(m.Account.id == account_id, m.Account.is_active)
    )
    if login is None:
        raise Unauthenticated(BLOCKED)
    try:
        return await principal_for_login(db, login)
    except Unauthenticated:
        raise Unauthenticated(BLOCKED) from None
