"""The admin's settings of a school: how long grades stay editable (R-EDIT-1), audited."""

from sqlalchemy import select, update

import model as m
from policies.vocabulary import Resource
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import NotFound
from resolvers.write_checks import require_writes


async def grade_edit_window_set(ctx: Context, school_id: int, window: m.EditWindow) -> m.School:
    school = await ctx.db.scalar(
        select(m.School).where(m.School.id == school_id, ctx.loaders.readable(m.School))
    )
    if school is None:
        raise NotFound("No such school, or it is not visible to you.")
    message = "Only the school's admin sets this."
    await require_writes(
        ctx, Resource.SCHOOL, m.School, [school.id], existing=True, message=message
    )
    before = snapshot(school)
    await ctx.db.write(
        update(m.School).where(m.School.id == school.id).values(grade_edit_window=window)
    )
    changed = await ctx.db.reload(m.School, school.id)
    if (after := snapshot(changed)) != before:
        await record(ctx, [Changed(changed.id, m.School, changed.id, before, after)])
    return changed
