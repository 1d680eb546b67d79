"""The archive's rows in pages, never all at once: the lessons of its days by keyset (date,
bell, id) — what every journal table's rows hang on — and the rows of a table by its id."""

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, select, tuple_

import model as m
from resolvers.exports.archive.scope import Scope

LESSONS_A_PAGE = 200  # a page's grades: 200 lessons × a class's 30 students × a few works
ROWS_A_PAGE = 2000


async def lesson_pages(scope: Scope) -> AsyncIterator[Sequence[m.Lesson]]:
    """The archive's lessons the caller may read, in pages, by date, bell and id."""
    order = (m.Lesson.held_on, m.Lesson.bell_number, m.Lesson.id)
    after: tuple[date, int, int] | None = None
    while True:
        statement = select(m.Lesson).where(
            *scope.lesson_days(), scope.ctx.loaders.readable(m.Lesson)
        )
        if after is not None:
            statement = statement.where(tuple_(*order) > tuple_(*after))
        page = await scope.ctx.db.scalars(statement.order_by(*order).limit(LESSONS_A_PAGE))
        if not page:
            return
        yield page
        last = page[-1]
        after = (last.held_on, last.bell_number, last.id)


async def id_pages(
    scope: Scope,
    entity: type[Any],
    conditions: Sequence[ColumnElement[bool]],
    selected: Any = None,
) -> AsyncIterator[Sequence[Any]]:
    """Rows of `entity` the caller may read matching the conditions, in pages by id;
    `selected`: what is loaded of them (a polymorphic entity, with its subclasses' columns)."""
    id_column = getattr(entity, "id")  # noqa: B009
    after = 0
    while True:
        page = await scope.ctx.db.scalars(
            select(entity if selected is None else selected)
            .where(id_column > after, *conditions, scope.ctx.loaders.readable(entity))
            .order_by(id_column)
            .limit(ROWS_A_PAGE)
        )
        if not page:
            return
        yield page
        after = getattr(page[-1], "id")  # noqa: B009


def moment(value: datetime | None) -> str | None:
    """A timestamp as the files write it: ISO 8601, in UTC."""
    return None if value is None else value.astimezone(UTC).isoformat()


def flag(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")
