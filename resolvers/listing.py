"""A root list of one entity: the caller's readable rows matching the filters, one page."""

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute

from policies.vocabulary import Resource
from resolvers.context import Context
from resolvers.pagination import Page, paginate

E = TypeVar("E")


async def listing(
    ctx: Context,
    entity: type[E],
    conditions: Sequence[ColumnElement[bool]],
    order_by: Sequence[InstrumentedAttribute[Any]],
    *,
    first: int | None,
    after: str | None,
    resource: Resource | None = None,
) -> Page[E]:
    """A page of the rows the caller reads (of `resource`, when it is one on some of the
    table's rows, `policies.vocabulary.FIELDS_ON`)."""
    statement = select(entity).where(ctx.loaders.readable(entity, resource), *conditions)
    return await paginate(ctx.db, statement, entity, order_by, first=first, after=after)


def equal(column: InstrumentedAttribute[Any], value: object | None) -> list[ColumnElement[bool]]:
    """The condition `column = value` when a filter value is given, else nothing."""
    return [] if value is None else [column == value]
