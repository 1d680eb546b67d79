"""Closing a school year (R-YEAR-1): its journal becomes read-only history. Every write into a
closed year — grades, attendance, homework, lessons and topics, final grades, grade reports,
the timetable, КТП, classes, groups and placements — is refused with PERIOD_LOCKED by the
`open_year` condition, which the write probe adds to every write rule; reads go on.

A year closes after its last day. Only the school's admin closes it, and only the admin reopens
it, writing why (a correction the law requires); both are audited with the year's state before
and after, the reason with the reopening. Reopened, the year is written as any other until it
is closed again."""

from typing import Any

from sqlalchemy import select, update

import model as m
from model.base import utc_now
from plugins.open_year import CLOSED_WORDS
from policies.vocabulary import Action, Resource
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, Forbidden, NotFound, PeriodLocked
from resolvers.people.names import day

MIN_REASON = 10
ADMIN_WORDS = "Only the school's admin closes and reopens a school year."


async def year_of(ctx: Context, year_id: int, argument: str) -> m.SchoolYear:
    """The school year, if the caller reads it (NOT_FOUND naming the argument otherwise)."""
    year = await ctx.db.scalar(
        select(m.SchoolYear).where(m.SchoolYear.id == year_id, ctx.loaders.readable(m.SchoolYear))
    )
    if year is None:
        raise NotFound("No such school year, or it is not visible to you.", argument=argument)
    return year


def require_rollover(ctx: Context, school_id: int, *, commit: bool, words: str) -> None:
    """The caller may preview (read) or commit (write) the school's year rollover or closing."""
    principal = ctx.require_principal()
    action = Action.WRITE if commit else Action.READ
    if school_id not in ctx.policy.report_schools(principal, Resource.YEAR_ROLLOVER, action):
        raise Forbidden(words, resource=Resource.YEAR_ROLLOVER.value, action=action.value)


def require_open(year: m.SchoolYear, **details: Any) -> None:
    """A closed year's own dates and name stay as they were closed."""
    if year.closed_at is not None:
        raise PeriodLocked(CLOSED_WORDS, **details)


async def _set_closed(
    ctx: Context, year: m.SchoolYear, closed: bool, reason: str | None
) -> m.SchoolYear:
    before = snapshot(year)
    values = (
        {"closed_at": utc_now(), "closed_by_id": ctx.require_principal().account_id}
        if closed
        else {"closed_at": None, "closed_by_id": None}
    )
    was = m.SchoolYear.closed_at.is_(None) if closed else m.SchoolYear.closed_at.is_not(None)
    if (
        await ctx.db.write(
            update(m.SchoolYear).where(m.SchoolYear.id == year.id, was).values(values)
        )
        != 1
    ):
        raise Conflict("The school year was closed or reopened meanwhile; reload it.")
    changed = await ctx.db.reload(m.SchoolYear, year.id)
    await record(
        ctx,
        [Changed(year.school_id, m.SchoolYear, year.id, before, snapshot(changed), reason=reason)],
    )
    return changed


async def school_year_close(ctx: Context, year_id: int) -> m.SchoolYear:
    year = await year_of(ctx, year_id, "schoolYearId")
    require_rollover(ctx, year.school_id, commit=True, words=ADMIN_WORDS)
    if year.closed_at is not None:
        raise BadUserInput(f"«{year.name}» is closed already.", argument="schoolYearId")
    today = ctx.require_principal().scope(year.school_id).today
    if today <= year.ends_on:
        raise BadUserInput(
            f"«{year.name}» runs until {day(year.ends_on)}: a school year is closed after its "
            "last day.",
            argument="schoolYearId",
        )
    return await _set_closed(ctx, year, True, None)


async def school_year_reopen(ctx: Context, year_id: int, reason: str) -> m.SchoolYear:
    year = await year_of(ctx, year_id, "schoolYearId")
    require_rollover(ctx, year.school_id, commit=True, words=ADMIN_WORDS)
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise BadUserInput(f"Write the reason, {MIN_REASON} characters at least.", field="reason")
    if year.closed_at is None:
        raise BadUserInput(f"«{year.name}» is not closed.", argument="schoolYearId")
    return await _set_closed(ctx, year, False, reason)
