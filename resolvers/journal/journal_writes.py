"""What every write to a lesson's journal does first: find the lesson, lock, ask the policy."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

import model as m
from policies.principal import Principal
from policies.vocabulary import Resource
from policies.writes import Verdict, WriteProbe
from resolvers.context import Context
from resolvers.errors import NotFound
from resolvers.write_checks import refuse_unless

MAX_BATCH = 200


@dataclass(frozen=True)
class LessonWrite:
    lesson: m.Lesson
    principal: Principal
    probe: WriteProbe
    flags: Any

    def verdict(self, *, existing: bool) -> Verdict:
        return self.probe.verdict(self.flags, existing=existing)

    def require(self, *, existing: bool, **details: Any) -> None:
        refuse_unless(self.verdict(existing=existing), **details)


async def open_lesson(ctx: Context, lesson_id: int, resource: Resource) -> LessonWrite:
    """The lesson (NOT_FOUND if the caller cannot see it), locked against finalisation.

    Setting final grades locks the group's row FOR UPDATE; entries lock it FOR SHARE first, so
    a finalisation and an entry never interleave between the lock check and the write.
    """
    principal = ctx.require_principal()
    lesson = await ctx.db.scalar(
        select(m.Lesson).where(m.Lesson.id == lesson_id, ctx.loaders.readable(m.Lesson))
    )
    if lesson is None:
        raise NotFound("No such lesson, or it is not visible to you.")
    await ctx.db.execute(
        select(m.Group.id).where(m.Group.id == lesson.group_id).with_for_update(read=True)
    )
    probe = WriteProbe(ctx.policy, principal, resource, m.Lesson)
    flags = (await ctx.db.rows(probe.statement([lesson.id])))[0]
    return LessonWrite(lesson=lesson, principal=principal, probe=probe, flags=flags)
