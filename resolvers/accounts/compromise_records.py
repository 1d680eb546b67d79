"""Records put back as the audit trail says they were (R-ACC-3): generic, by table, from the
trail's snapshots (`resolvers/audit.snapshot`), for voiding a compromised account's operations
(`compromise_void`)."""

import enum
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, insert, select, update
from sqlalchemy.orm import Mapper
from sqlalchemy.types import TypeDecorator

import model as m
from model.attribution import Attributed
from model.base import Base, utc_now
from plugins.unlocked_period import lesson_unlocked
from resolvers.audit import SECRETS, snapshot
from resolvers.context import Context

_ATTRIBUTION = frozenset({"version", "updated_by_id", "updated_at"})


@cache
def mapped_classes() -> dict[str, type[Base]]:
    """The mapped class of each table (the trail itself and its grade part excepted)."""
    found: dict[str, type[Base]] = {}
    for mapper in Base.registry.mappers:
        table = mapper.local_table.name  # type: ignore[attr-defined]
        if table != m.Change.__tablename__ and mapper.inherits is None:
            found[table] = mapper.class_
    return found


def secret(entity: type[Base]) -> bool:
    """A record whose secrets the trail never keeps (a password, a token's digest): what it was
    cannot be put back from the trail; the admin resets or revokes it instead."""
    return any((entity.__tablename__, key) in SECRETS for key in columns(entity))


def columns(entity: type[Base]) -> list[str]:
    mapper: Mapper[Any] = entity.__mapper__
    return [attr.key for attr in mapper.column_attrs]


def values_of(entity: type[Base], state: dict[str, Any]) -> dict[str, Any]:
    """A snapshot's values as the columns take them (dates from ISO text, enums by value)."""
    mapper: Mapper[Any] = entity.__mapper__
    values: dict[str, Any] = {}
    for attr in mapper.column_attrs:
        if attr.key not in state:
            continue
        value = state[attr.key]
        column_type = attr.columns[0].type
        if isinstance(column_type, TypeDecorator):  # a UTC timestamp: its impl knows
            column_type = column_type.impl_instance
        try:
            kind = column_type.python_type
        except NotImplementedError:
            kind = object
        if value is not None and isinstance(value, str):
            if issubclass(kind, enum.Enum):
                value = kind(value)
            elif kind is datetime:
                value = datetime.fromisoformat(value)
            elif kind is date:
                value = date.fromisoformat(value)
            elif kind is time:
                value = time.fromisoformat(value)
            elif kind is Decimal:
                value = Decimal(value)
        values[attr.key] = value
    return values


def unlocked(entity: type[Base], state: dict[str, Any], row_id: int) -> ColumnElement[bool] | None:
    """Whether the record's period is open to change (R-LOCK-1), for the journal's records."""
    lesson_id: Any = None
    if entity is m.Lesson:
        lesson_id = row_id
    elif "lesson_id" in state:
        lesson_id = state["lesson_id"]
    elif entity is m.HomeworkStudent:
        lesson_id = (
            select(m.Homework.lesson_id)
            .where(m.Homework.id == state["homework_id"])
            .scalar_subquery()
        )
    if lesson_id is not None:
        return exists().where(m.Lesson.id == lesson_id, lesson_unlocked())
    if entity is m.FinalGrade:
        # A set final grade changes only in a reopened period (Д.2).
        return exists().where(
            m.PeriodReopening.group_id == state["group_id"],
            m.PeriodReopening.subject_id == state["subject_id"],
            m.PeriodReopening.period_id == state["period_id"],
            m.PeriodReopening.closed_at.is_(None),
        )
    return None


def as_left(
    change: m.Change, standing: dict[str, Any] | None, put_back: set[tuple[str, int]]
) -> bool:
    """Whether the record stands as the operation left it. One this void has put back already
    is attributed anew (its version, who and when): those are not compared."""
    became = change.after
    if standing is None or became is None:
        return standing is None and became is None
    ignored = _ATTRIBUTION if (change.entity, change.entity_id) in put_back else frozenset()
    return all(standing.get(key) == value for key, value in became.items() if key not in ignored)


async def put_back_record(
    ctx: Context,
    entity: type[Base],
    row_id: int,
    was: dict[str, Any] | None,
    standing: dict[str, Any] | None,
) -> dict[str, Any] | None:
    """The record as it was; its state now (None: deleted)."""
    id_column: Any = getattr(entity, "id")  # noqa: B009
    if was is None:
        await ctx.db.write(delete(entity).where(id_column == row_id))
        return None
    values = values_of(entity, {key: value for key, value in was.items() if key != "id"})
    if issubclass(entity, Attributed):
        # Attributed to whoever voided it, at a version no one holds yet.
        version = max(was["version"], (standing or was)["version"]) + 1
        principal = ctx.require_principal()
        values.update(version=version, updated_by_id=principal.account_id, updated_at=utc_now())
    if standing is None:
        await ctx.db.execute(insert(entity).values(id=row_id, **values))
    else:
        await ctx.db.write(
            update(entity)
            .where(id_column == row_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    return snapshot(await ctx.db.reload(entity, row_id))
