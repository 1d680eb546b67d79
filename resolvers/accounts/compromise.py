"""Reporting an account as compromised (R-ACC-2, §5.1–5.3): its holder reports their own, the
school's admin any account of the school's people. At once, in the report's transaction, the
account is blocked, its sessions end and the API tokens it issued are revoked
(`account_writes.set_active`), and the report is kept with the moment the compromise was
noticed: from then on until the report, what the account did is void (R-ACC-3,
`compromise_void`)."""

from datetime import datetime

from sqlalchemy import exists, select

import model as m
from model.base import utc_now
from policies.vocabulary import Resource
from resolvers.accounts.account_writes import set_active
from resolvers.audit import created, record
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.people.role_writes import visible_school
from resolvers.write_checks import require_writes

WHO_REPORTS = "Report your own account, or, as the school's admin, any account of its people."


async def compromise_report(
    ctx: Context,
    school_id: int,
    person_id: int | None,
    noticed_at: datetime,
    note: str | None,
) -> m.Compromise:
    principal = ctx.require_principal()
    school = await visible_school(ctx, school_id)
    if noticed_at.tzinfo is None:
        raise BadUserInput("Give the moment with its time zone.", argument="noticedAt")
    now = utc_now()
    if noticed_at > now:
        raise BadUserInput("The compromise cannot be noticed in the future.", argument="noticedAt")
    account = await _account(ctx, school.id, person_id)
    compromise = m.Compromise(
        school_id=school.id,
        account_id=account.id,
        noticed_at=noticed_at,
        note=(note or "").strip() or None,
        reported_by_id=principal.account_id,
        reported_at=now,
    )
    ctx.db.session.add(compromise)
    await ctx.db.flush()
    # Decided on the report as written (its own holder, or the school's admin); a refusal
    # rolls the whole request back, the block with it.
    await require_writes(
        ctx, Resource.COMPROMISE, m.Compromise, [compromise.id], existing=False,
        message=WHO_REPORTS,
    )  # fmt: skip
    await set_active(ctx, school.id, [account], active=False)
    await record(ctx, created(m.Compromise, school.id, [compromise]))
    return compromise


async def _account(ctx: Context, school_id: int, person_id: int | None) -> m.Account:
    """The caller's own account, or the account of the person of the school named."""
    principal = ctx.require_principal()
    if person_id is None:
        own = await ctx.db.scalar(select(m.Account).where(m.Account.id == principal.account_id))
        assert own is not None  # a personal login's principal has its account
        return own
    in_school = exists().where(
        m.SchoolRole.person_id == m.Account.person_id, m.SchoolRole.school_id == school_id
    )
    # Among the accounts the caller may read: whether another person has a login is told to
    # no one who may not know it.
    account = await ctx.db.scalar(
        select(m.Account).where(
            m.Account.person_id == person_id, in_school, ctx.loaders.readable(m.Account)
        )
    )
    if account is None:
        raise NotFound("No such person with a login in the school.", argument="personId")
    return account


async def compromise(ctx: Context, compromise_id: int) -> m.Compromise:
    """A compromise the caller may read, or NOT_FOUND (another school's is not told apart)."""
    found = await ctx.db.scalar(
        select(m.Compromise).where(
            m.Compromise.id == compromise_id, ctx.loaders.readable(m.Compromise)
        )
    )
    if found is None:
        raise NotFound("No such compromise report, or it is not visible to you.")
    return found
