"""What every reference write checks before it writes: texts that are not blank, names that
are not taken, and rows it points at that are the school's and still in use (not archived)."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, null, select

import model as m
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound


def at(item: int | None) -> dict[str, int]:
    """The `item` of an error about one entry of a list."""
    return {} if item is None else {"item": item}


def filled(value: str, field: str, what: str, *, item: int | None = None) -> str:
    """The text without surrounding blanks; blank is BAD_USER_INPUT naming `what`."""
    stripped = value.strip()
    if not stripped:
        raise BadUserInput(f"{what} cannot be blank.", field=field, **at(item))
    return stripped


def distinct(values: Sequence[Any], field: str, what: str, *, named: bool = True) -> None:
    """No value twice in one list: the second one is BAD_USER_INPUT with its `item`, naming
    it (`named`, for texts and dates; not for row ids)."""
    seen: set[Any] = set()
    for item, value in enumerate(values):
        if value in seen:
            said = f"{what} «{value}»" if named else what
            raise BadUserInput(f"{said} is listed twice.", field=field, item=item)
        seen.add(value)


async def names_free(
    ctx: Context,
    entity: type[Any],
    among: ColumnElement[bool],
    names: Sequence[str],
    what: str,
    *,
    field: str = "name",
    except_id: int | None = None,
) -> None:
    """None of `names` is taken by another row `among` the entity's (one statement); an
    archived row keeps its name taken, and the message says so."""
    archived = getattr(entity, "archived_at", null())
    query = select(entity.name, archived.label("archived_at")).where(
        among, entity.name.in_(list(names))
    )
    if except_id is not None:
        query = query.where(entity.id != except_id)
    taken = {row.name: row.archived_at is not None for row in await ctx.db.rows(query)}
    for item, name in enumerate(names):
        if name in taken:
            archived = " (archived: its name stays taken)" if taken[name] else ""
            item_of = at(item if len(names) > 1 else None)
            raise BadUserInput(f"{what} «{name}» exists already{archived}.", field=field, **item_of)


async def usable(
    ctx: Context,
    entity: type[Any],
    ids: Sequence[int],
    school_id: int,
    what: str,
    field: str,
) -> list[Any]:
    """The rows `ids` names, each of the school, readable by the caller and not archived, in
    the order given (one statement); otherwise BAD_USER_INPUT with the item."""
    query = select(entity).where(
        entity.id.in_(list(ids)), entity.school_id == school_id, ctx.loaders.readable(entity)
    )
    found = {row.id: row for row in await ctx.db.scalars(query)}
    rows = []
    for item, row_id in enumerate(ids):
        row = found.get(row_id)
        item_of = at(item if len(ids) > 1 else None)
        if row is None:
            raise BadUserInput(f"No such {what} in this school.", field=field, **item_of)
        if getattr(row, "archived_at", None) is not None:
            raise BadUserInput(
                f"{what.capitalize()} «{row.name}» is archived: it is kept for the records, "
                "not for new use.",
                field=field,
                **item_of,
            )
        rows.append(row)
    return rows


async def existing(ctx: Context, entity: type[Any], row_id: int, what: str) -> Any:
    """The row, if the caller reads it; NOT_FOUND otherwise."""
    row = await ctx.db.scalar(
        select(entity).where(entity.id == row_id, ctx.loaders.readable(entity))
    )
    if row is None:
        raise NotFound(f"No such {what}, or it is not visible to you.")
    return row


async def school(ctx: Context, school_id: int) -> m.School:
    found: m.School = await existing(ctx, m.School, school_id, "school")
    return found
