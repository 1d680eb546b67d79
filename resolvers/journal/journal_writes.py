"""What every write to a lesson's journal does first: find the lesson, lock, ask the policy."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

import model as m
from policies.principal import Principal
from policies.vocabulary import Resource
from policies.writes import Verdict, WriteProbe
from resolvers.context import Context
from resolvers.database import Database
from resolvers.errors import NotFound
from resolvers.write_checks import refuse_unless

MAX_BATCH = 200
T = TypeVar("T")


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


async def insert_missing(db: Database, entity: type[T], rows: Sequence[dict[str, Any]]) -> list[T]:
    """Inserts the rows whose unique key is not taken, in one statement, and returns those it
    inserted (a row a concurrent request inserted first stands, and is not ours to audit)."""
    if not rows:
        return []
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(entity).on_conflict_do_nothing().returning(entity)
    return list((await db.execute(statement, rows)).scalars())
