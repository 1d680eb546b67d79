"""Voiding what a compromised account did in the school (R-ACC-3), as one reviewed action.

Generic, by table, from the audit trail's snapshots: the operations are undone newest first,
each record put back as it was before — one the account created is deleted, one it changed or
archived is restored, one it deleted is inserted again with its id — provided the record still
stands as the account left it. Each undoing goes to the trail in its turn, naming the
compromise. A record is left as it is, and listed with why, when someone else changed it
later (a conflict: their change is never overwritten), when other records now depend on it or
took its place, or when what it was cannot be put back (an account's password, a token's
secret are never in the trail); an older operation on a record left so is left too. A journal
record in a period locked by final grades refuses the whole void (PERIOD_LOCKED): the admin
reopens the period and voids again. All of it in one transaction: the admin voids once (a
second time is CONFLICT)."""

import enum
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapper
from sqlalchemy.types import TypeDecorator

import model as m
from model.attribution import Attributed
from model.base import Base, utc_now
from plugins.unlocked_period import lesson_unlocked
from policies.vocabulary import Resource
from resolvers.accounts.compromise import compromise as visible_compromise
from resolvers.accounts.compromise_operations import Operation, operations
from resolvers.audit import SECRETS, Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import Conflict, PeriodLocked
from resolvers.write_checks import require_writes


class Skip(enum.StrEnum):
    """Why an operation was not undone."""

    CHANGED_LATER = "changed_later"
    DEPENDED_ON = "depended_on"
    NOT_RESTORABLE = "not_restorable"
    CHANGED_UNRECORDED = "changed_unrecorded"
    LEFT_WITH_LATER = "left_with_later"


_ATTRIBUTION = frozenset({"version", "updated_by_id", "updated_at"})

JOURNAL_WORDS: dict[type[Base], str] = {
    m.Grade: "a grade",
    m.Attendance: "an attendance mark",
    m.Homework: "homework",
    m.HomeworkStudent: "homework set for a student",
    m.Lesson: "a lesson",
    m.LessonWorkType: "a kind of work done in a lesson",
    m.FinalGrade: "a final grade",
}


@dataclass(frozen=True)
class Skipped:
    operation: Operation
    why: Skip


@dataclass(frozen=True)
class Voided:
    compromise: m.Compromise
    undone: list[m.Change]  # the operations undone, newest first
    skipped: list[Skipped]  # newest first


@cache
def _classes() -> dict[str, type[Base]]:
    """The mapped class of each table (the trail itself and its grade part excepted)."""
    found: dict[str, type[Base]] = {}
    for mapper in Base.registry.mappers:
        table = mapper.local_table.name  # type: ignore[attr-defined]
        if table != m.Change.__tablename__ and mapper.inherits is None:
            found[table] = mapper.class_
    return found


def _secret(entity: type[Base]) -> bool:
    """A record whose secrets the trail never keeps (a password, a token's digest): what it was
    cannot be put back from the trail; the admin resets or revokes it instead."""
    return any((entity.__tablename__, key) in SECRETS for key in _columns(entity))


def _columns(entity: type[Base]) -> list[str]:
    mapper: Mapper[Any] = entity.__mapper__
    return [attr.key for attr in mapper.column_attrs]


def _values(entity: type[Base], state: dict[str, Any]) -> dict[str, Any]:
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


def _unlocked(entity: type[Base], state: dict[str, Any], row_id: int) -> ColumnElement[bool] | None:
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


def _reason(compromise: m.Compromise, login: str) -> str:
    noticed = compromise.noticed_at.strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"Voided: the account {login} was reported compromised (report {compromise.id}), "
        f"noticed at {noticed}."
    )


async def compromise_void(ctx: Context, compromise_id: int, reviewed: int) -> Voided:
    """`reviewed`: how many operations the admin reviewed; another number now is CONFLICT."""
    principal = ctx.require_principal()
    compromise = await visible_compromise(ctx, compromise_id)
    await require_writes(
        ctx, Resource.COMPROMISE_VOID, m.Compromise, [compromise.id], existing=True,
        message="The school's admin voids a compromised account's operations.",
    )  # fmt: skip
    now = utc_now()
    # Taken first, in the statement itself: of two admins voiding at once, one does.
    taken = await ctx.db.write(
        update(m.Compromise)
        .where(m.Compromise.id == compromise.id, m.Compromise.voided_at.is_(None))
        .values(voided_at=now, voided_by_id=principal.account_id)
        .execution_options(synchronize_session=False)
    )
    if taken != 1:
        raise Conflict("The compromised account's operations have been voided already.")
    before = snapshot(compromise)
    compromise = await ctx.db.reload(m.Compromise, compromise.id)
    listed = await operations(ctx, compromise, readable=False)
    if len(listed) != reviewed:
        raise Conflict(
            f"The account's operations are {len(listed)}, not the {reviewed} reviewed: review "
            "them again.",
            operations=len(listed),
        )
    login = await ctx.db.scalar(
        select(m.Account.login).where(m.Account.id == compromise.account_id)
    )
    reason = _reason(compromise, login or "")
    undone: list[m.Change] = []
    skipped: list[Skipped] = []
    left: set[tuple[str, int]] = set()
    put_back: set[tuple[str, int]] = set()
    for operation in reversed(listed):
        why = await _undo(ctx, compromise, operation, left, put_back, reason)
        if why is None:
            undone.append(operation.change)
        else:
            left.add((operation.change.entity, operation.change.entity_id))
            skipped.append(Skipped(operation, why))
    await record(
        ctx, [Changed(compromise.school_id, m.Compromise, compromise.id, before,
                      snapshot(compromise), reason=reason)],
    )  # fmt: skip
    return Voided(compromise, undone, skipped)


async def _undo(
    ctx: Context,
    compromise: m.Compromise,
    operation: Operation,
    left: set[tuple[str, int]],
    put_back: set[tuple[str, int]],
    reason: str,
) -> Skip | None:
    change = operation.change
    if operation.conflict is not None:
        return Skip.CHANGED_LATER
    if (change.entity, change.entity_id) in left:
        return Skip.LEFT_WITH_LATER
    entity = _classes().get(change.entity)
    if entity is None:
        return Skip.NOT_RESTORABLE
    was, became = change.before, change.after
    if _secret(entity):
        return Skip.NOT_RESTORABLE
    id_column: Any = getattr(entity, "id")  # noqa: B009
    current = await ctx.db.scalar(
        select(entity)
        .where(id_column == change.entity_id)
        .execution_options(populate_existing=True)
    )
    standing = None if current is None else snapshot(current)
    if not _as_left(change, standing, put_back):
        return Skip.CHANGED_UNRECORDED
    if was is not None and standing is None and not set(_columns(entity)) <= set(was):
        return Skip.NOT_RESTORABLE
    unlocked = _unlocked(entity, was or became or {}, change.entity_id)
    if unlocked is not None and not await ctx.db.scalar(select(unlocked)):
        # Refused whole, not skipped: once the admin reopens the period the void can be done.
        raise PeriodLocked(
            f"{JOURNAL_WORDS.get(entity, 'A record').capitalize()} the account changed is in a "
            "period locked by final grades: reopen the period, then void again.",
            changedAt=change.changed_at.isoformat(),
        )
    savepoint = await ctx.db.session.begin_nested()
    try:
        after = await _put_back(ctx, entity, change.entity_id, was, standing)
    except IntegrityError:
        await savepoint.rollback()
        return Skip.DEPENDED_ON
    await savepoint.commit()
    put_back.add((change.entity, change.entity_id))
    await _note(ctx, compromise, entity, change, standing, after, reason)
    return None


def _as_left(
    change: m.Change, standing: dict[str, Any] | None, put_back: set[tuple[str, int]]
) -> bool:
    """Whether the record stands as the operation left it. One this void has put back already
    is attributed anew (its version, who and when): those are not compared."""
    became = change.after
    if standing is None or became is None:
        return standing is None and became is None
    ignored = _ATTRIBUTION if (change.entity, change.entity_id) in put_back else frozenset()
    return all(standing.get(key) == value for key, value in became.items() if key not in ignored)


async def _put_back(
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
    values = _values(entity, {key: value for key, value in was.items() if key != "id"})
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


async def _note(
    ctx: Context,
    compromise: m.Compromise,
    entity: type[Base],
    change: m.Change,
    standing: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str,
) -> None:
    """The undoing in the trail; a grade's in the grade change log too (R-AUDIT-1)."""
    if entity is not m.Grade:
        await record(
            ctx,
            [Changed(compromise.school_id, entity, change.entity_id, standing, after,
                     reason=reason)],
        )  # fmt: skip
        return
    state = after or standing or {}
    if standing is None:
        action = m.ChangeAction.CREATED
    elif after is None:
        action = m.ChangeAction.DELETED
    else:
        action = m.ChangeAction.CHANGED
    await ctx.db.execute(
        insert(m.GradeChange),
        [
            {
                "school_id": compromise.school_id,
                "kind": m.ChangeKind.GRADE,
                "entity": m.Grade.__tablename__,
                "entity_id": change.entity_id,
                "action": action,
                "before": standing,
                "after": after,
                "lesson_id": state["lesson_id"],
                "student_id": state["student_id"],
                "work_type_id": state["work_type_id"],
                "old_mark": None if standing is None else standing["mark"],
                "new_mark": None if after is None else after["mark"],
                "changed_by_id": ctx.require_principal().account_id,
                "changed_at": utc_now(),
                "reason": reason,
            }
        ],
    )
