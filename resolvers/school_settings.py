"""The admin's settings of a school: how long grades stay editable (R-EDIT-1)."""

from sqlalchemy import select, update

import model as m
from policies.vocabulary import Resource
from policies.writes import WriteProbe
from resolvers.context import Context
from resolvers.errors import REFUSALS, NotFound


async def grade_edit_window_set(ctx: Context, school_id: int, window: m.EditWindow) -> m.School:
    principal = ctx.require_principal()
    school = await ctx.db.scalar(
        select(m.School).where(m.School.id == school_id, ctx.loaders.readable(m.School))
    )
    if school is None:
        raise NotFound("No such school, or it is not visible to you.")
    probe = WriteProbe(ctx.policy, principal, Resource.SCHOOL, m.School)
    verdict = probe.verdict((await ctx.db.rows(probe.statement([school.id])))[0], existing=True)
    if not verdict.allowed:
        raise REFUSALS[verdict.refusal or "FORBIDDEN"]("Only the school's admin sets this.")
    await ctx.db.write(
        update(m.School).where(m.School.id == school.id).values(grade_edit_window=window)
    )
    saved = await ctx.db.scalar(
        select(m.School).where(m.School.id == school.id).execution_options(populate_existing=True)
    )
    assert saved is not None
    return saved
