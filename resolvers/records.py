"""The shared write pipeline of a school's reference and people data: create, correct, remove.

Each step is the same for a room, a subject, a period or a person, so it is written once:
- the policies decide on the targets themselves, in one statement for all of them — for a
  new row after it is inserted (so a condition such as `taught` judges the row as written),
  for a change before and after it (nothing can be moved out of the caller's reach);
  a refusal raises, and the request's transaction rolls back: nothing is left;
- a row that names a version is changed only at that version (CONFLICT otherwise);
- a row that journal data refers to is archived (hidden from new use, kept in every
  report), anything else is deleted;
- every row created, changed, archived or deleted goes to the audit trail (`resolvers/audit.py`).
What these cannot express (a week's timetable replaced, placements with their history)
is written beside its domain, with the same checks."""

import enum
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, delete, insert, select, update

import model as m
from model.base import Archivable, Base, utc_now
from policies.vocabulary import Resource
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, NotFound
from resolvers.write_checks import require_writes

T = TypeVar("T", bound=Base)


class Removal(enum.StrEnum):
    DELETED = "deleted"
    ARCHIVED = "archived"


def school_of(row: Base) -> int:
    """The school a row belongs to (a school belongs to itself). A row of no one school (a
    person, who may hold roles in several) is not written through this pipeline."""
    school_id = row.id if isinstance(row, m.School) else getattr(row, "school_id", None)
    if not isinstance(school_id, int):
        raise TypeError(f"{type(row).__name__} rows belong to no one school")
    return school_id


def _id(entity: type[Base]) -> Any:
    return getattr(entity, "id")  # noqa: B009


async def create(
    ctx: Context,
    resource: Resource,
    entity: type[T],
    rows: Sequence[dict[str, Any]],
    *,
    message: str | None = None,
) -> list[T]:
    """The rows inserted in one statement, allowed, audited, and read back in their order."""
    if not rows:
        return []
    account = ctx.require_principal().account_id
    if hasattr(entity, "created_by_id"):
        rows = [{"created_by_id": account, **row} for row in rows]
    # SQLAlchemy sends a row at a time to SQLite when asked to keep the rows' order: one
    # multi-row INSERT there numbers its rows in their order, so ascending ids are that order.
    sqlite = ctx.db.session.get_bind().dialect.name == "sqlite"
    statement = insert(entity).returning(_id(entity), sort_by_parameter_order=not sqlite)
    ids: list[int] = list((await ctx.db.execute(statement, rows)).scalars())
    if sqlite:
        ids.sort()
    await require_writes(ctx, resource, entity, ids, existing=False, message=message)
    created = await _rows(ctx, entity, ids)
    changes = [Changed(school_of(r), entity, _id_of(r), None, snapshot(r)) for r in created]
    await record(ctx, changes)
    return created


async def change(
    ctx: Context,
    resource: Resource,
    entity: type[T],
    row_id: int,
    values: dict[str, Any],
    *,
    version: int | None = None,
    what: str = "The record",
    message: str | None = None,
) -> T:
    """One readable row changed: allowed before and after, at the version read, audited.
    `what` names the row in the school's words («The room»)."""
    row = await _readable(ctx, entity, row_id, what)
    await require_writes(ctx, resource, entity, [row_id], existing=True, message=message)
    before = snapshot(row)
    statement = update(entity).where(_id(entity) == row_id).values(**values)
    if hasattr(entity, "version"):
        current = getattr(row, "version")  # noqa: B009
        if version is not None and version != current:
            raise Conflict(
                f"{what} was changed meanwhile; reload it and try again.",
                field="version",
                current_version=current,
            )
        column: Any = getattr(entity, "version")  # noqa: B009
        statement = statement.where(column == current).values(version=column + 1)
        if hasattr(entity, "updated_by_id"):
            account = ctx.require_principal().account_id
            statement = statement.values(updated_by_id=account, updated_at=utc_now())
    if await ctx.db.write(statement) != 1:
        raise Conflict(f"{what} was changed meanwhile; reload it and try again.")
    changed = await ctx.db.reload(entity, row_id)
    await require_writes(ctx, resource, entity, [row_id], existing=True, message=message)
    await record(ctx, [Changed(school_of(changed), entity, row_id, before, snapshot(changed))])
    return changed


async def remove(
    ctx: Context,
    resource: Resource,
    entity: type[T],
    row_id: int,
    *,
    in_use: ColumnElement[bool],
    version: int | None = None,
    what: str = "The record",
    message: str | None = None,
) -> Removal:
    """A readable row removed: archived when `in_use` (a condition on what refers to it:
    lessons in the room, grades of the work type), else deleted; audited either way."""
    row = await _readable(ctx, entity, row_id, what)
    await require_writes(ctx, resource, entity, [row_id], existing=True, message=message)
    current = getattr(row, "version", None)
    if version is not None and current is not None and version != current:
        raise Conflict(f"{what} was changed meanwhile; reload it and try again.", field="version")
    before = snapshot(row)
    if await ctx.db.scalar(select(in_use)):
        if not isinstance(row, Archivable):
            raise BadUserInput(f"{what} is in use in the journal and cannot be removed.")
        if row.archived_at is None:
            await ctx.db.write(
                update(entity).where(_id(entity) == row_id).values(archived_at=utc_now())
            )
            archived = await ctx.db.reload(entity, row_id)
            await record(
                ctx,
                [
                    Changed(
                        school_of(archived),
                        entity,
                        row_id,
                        before,
                        snapshot(archived),
                        action=m.ChangeAction.ARCHIVED,
                    )
                ],
            )
        return Removal.ARCHIVED
    await ctx.db.write(delete(entity).where(_id(entity) == row_id))
    await record(ctx, [Changed(school_of(row), entity, row_id, before, None)])
    return Removal.DELETED


async def require_usable(
    ctx: Context, entity: type[Base], ids: Sequence[int | None], *, field: str, what: str
) -> None:
    """Every id given (None: not given) names a row the caller reads and that is not
    archived; else BAD_USER_INPUT with the `field` and, in a list, the `item`. One statement.
    `what` names such a row in the school's words («room»)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return
    columns = [_id(entity)]
    archivable = issubclass(entity, Archivable)
    if archivable:
        columns.append(getattr(entity, "archived_at"))  # noqa: B009
    found = {
        row[0]: (row[1] if archivable else None)
        for row in await ctx.db.rows(
            select(*columns).where(_id(entity).in_(wanted), ctx.loaders.readable(entity))
        )
    }
    for index, row_id in enumerate(ids):
        if row_id is None:
            continue
        item = {"item": index} if len(ids) > 1 else {}
        if row_id not in found:
            raise BadUserInput(f"No such {what}, or it is not visible to you.", field=field, **item)
        if found[row_id] is not None:
            raise BadUserInput(
                f"The {what} is archived: it stays in the records, but is no longer used.",
                field=field,
                **item,
            )


async def _readable(ctx: Context, entity: type[T], row_id: int, what: str) -> T:
    row = await ctx.db.scalar(
        select(entity).where(_id(entity) == row_id, ctx.loaders.readable(entity))
    )
    if row is None:
        raise NotFound(f"{what} is not there, or it is not visible to you.")
    return row


async def _rows(ctx: Context, entity: type[T], ids: list[int]) -> list[T]:
    rows = {
        _id_of(row): row
        for row in await ctx.db.scalars(
            select(entity).where(_id(entity).in_(ids)).execution_options(populate_existing=True)
        )
    }
    return [rows[i] for i in ids]


def _id_of(row: Base) -> int:
    row_id = getattr(row, "id")  # noqa: B009
    assert isinstance(row_id, int)
    return row_id
