"""Demo sign-ins left in a database: the accounts with the published password «demo» and the
published API tokens that still work, and the way to end them before serving it in production."""

import asyncio
from dataclasses import dataclass

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

import model as m
from model.base import utc_now
from model.db import make_engine

ALLOW_SETTING = "TABEL_ALLOW_DEMO_CREDENTIALS=true"


@dataclass(frozen=True)
class DemoCredentials:
    accounts: int
    api_tokens: int

    def __bool__(self) -> bool:
        return bool(self.accounts or self.api_tokens)


async def _count(connection: AsyncConnection) -> DemoCredentials:
    accounts = select(func.count()).where(m.Account.is_demo, m.Account.is_active)
    tokens = select(func.count()).where(
        m.AuthToken.is_demo, m.AuthToken.revoked_at.is_(None), m.AuthToken.expires_at > utc_now()
    )
    return DemoCredentials(
        accounts=await connection.scalar(accounts) or 0,
        api_tokens=await connection.scalar(tokens) or 0,
    )


async def usable_demo_credentials(engine: AsyncEngine) -> DemoCredentials:
    async with engine.connect() as connection:
        return await _count(connection)


async def revoke_demo_credentials(engine: AsyncEngine) -> DemoCredentials:
    """Disable the demo accounts, end their sessions and revoke the demo API tokens; returns
    what was still usable. The demo school's journal stays, readable by real accounts."""
    now = utc_now()
    async with engine.begin() as connection:
        found = await _count(connection)
        demo_accounts = select(m.Account.id).where(m.Account.is_demo)
        await connection.execute(
            update(m.Account).where(m.Account.is_demo, m.Account.is_active).values(is_active=False)
        )
        await connection.execute(
            update(m.AuthToken)
            .where(
                or_(m.AuthToken.is_demo, m.AuthToken.account_id.in_(demo_accounts)),
                m.AuthToken.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        )
    return found


def refusal(found: DemoCredentials) -> str:
    """Why a production server does not start, and the ways out."""
    return (
        f"Refusing to serve: the database holds demo sign-ins that anyone can use — "
        f"{found.accounts} accounts with the published password «demo» and "
        f"{found.api_tokens} published demo API tokens.\n"
        "  End them before serving real schools:  tabel demo --revoke\n"
        "  or serve the demo as the demo:          tabel serve --demo\n"
        f"  or, to serve them on purpose (a test bench), set {ALLOW_SETTING}"
    )


async def _refusal(url: str) -> str | None:
    engine = make_engine(url)
    try:
        found = await usable_demo_credentials(engine)
    except (DBAPIError, OSError) as error:
        # Not knowing is no licence: the check is what stands between the demo and the public.
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        return (
            f"Refusing to serve: the database could not be checked for demo sign-ins ({reason}).\n"
            "  Is it up, and at the newest schema (tabel db upgrade)?"
        )
    finally:
        await engine.dispose()
    return refusal(found) if found else None


def serving_refusal(url: str) -> str | None:
    """Why a production `serve` must not start on this database, or None when it may."""
    return asyncio.run(_refusal(url))


def revoke(url: str) -> str:
    """`tabel demo --revoke`: what was ended, as the operator reads it."""

    async def run() -> DemoCredentials:
        engine = make_engine(url)
        try:
            return await revoke_demo_credentials(engine)
        finally:
            await engine.dispose()

    found = asyncio.run(run())
    return (
        f"Disabled {found.accounts} demo accounts and revoked {found.api_tokens} demo API tokens; "
        "the demo schools' data stays."
    )
