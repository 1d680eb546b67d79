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
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

import model as m
from model.base import Base, utc_now
from policies.vocabulary import Resource
from resolvers.accounts.compromise import compromise as visible_compromise
from resolvers.accounts.compromise_operations import Operation, operations
from resolvers.accounts.compromise_records import (
    as_left,
    columns,
    mapped_classes,
    put_back_record,
    secret,
    unlocked,
)
from resolvers.audit import Changed, record, snapshot
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
    entity = mapped_classes().get(change.entity)
    if entity is None:
        return Skip.NOT_RESTORABLE
    was, became = change.before, change.after
    if secret(entity):
        return Skip.NOT_RESTORABLE
    id_column: Any = getattr(entity, "id")  # noqa: B009
    current = await ctx.db.scalar(
        select(entity)
        .where(id_column == change.entity_id)
        .execution_options(populate_existing=True)
    )
    standing = None if current is None else snapshot(current)
    if not as_left(change, standing, put_back):
        return Skip.CHANGED_UNRECORDED
    if was is not None and standing is None and not set(columns(entity)) <= set(was):
        return Skip.NOT_RESTORABLE
    open_ = unlocked(entity, was or became or {}, change.entity_id)
    if open_ is not None and not await ctx.db.scalar(select(open_)):
        # Refused whole, not skipped: once the admin reopens the period the void can be done.
        raise PeriodLocked(
            f"{JOURNAL_WORDS.get(entity, 'A record').capitalize()} the account changed is in a "
            "period locked by final grades: reopen the period, then void again.",
            changedAt=change.changed_at.isoformat(),
        )
    savepoint = await ctx.db.session.begin_nested()
    try:
        after = await put_back_record(ctx, entity, change.entity_id, was, standing)
    except IntegrityError:
        await savepoint.rollback()
        return Skip.DEPENDED_ON
    await savepoint.commit()
    put_back.add((change.entity, change.entity_id))
    await _note(ctx, compromise, entity, change, standing, after, reason)
    return None


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
