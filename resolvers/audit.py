"""The audit trail: every write records what it did to each record, in the same transaction
(design.md invariant 11) — who, when, the record, its state before and after — so that the
head can follow the admin's and the deputies' work (Б.1 #12) and a compromised account's
operations can be found and undone (R-ACC-3). One trail for everything: the grade change log
(R-AUDIT-1) is its grade part (`resolvers/journal/grade_entry.py` writes those rows)."""

import enum
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, inspect

import model as m
from model.base import Base, utc_now
from resolvers.database import Database

if TYPE_CHECKING:  # resolvers.context imports sign-in, which records password changes
    from resolvers.context import Context


@dataclass(frozen=True)
class Changed:
    """One record's change: `before` None — it was created; `after` None — deleted."""

    school_id: int
    entity: type[Base]
    entity_id: int
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    action: m.ChangeAction | None = None  # derived when None; ARCHIVED is said explicitly
    reason: str | None = None

    @property
    def said_action(self) -> m.ChangeAction:
        if self.action is not None:
            return self.action
        if self.before is None:
            return m.ChangeAction.CREATED
        if self.after is None:
            return m.ChangeAction.DELETED
        return m.ChangeAction.CHANGED


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


# Never in the trail, whoever snapshots the row: the secrets it keeps. A password change is
# recorded by `password_changed_at`, a token by its name and dates — never by a hash or digest.
SECRETS: frozenset[tuple[str, str]] = frozenset(
    {
        ("account", "password_hash"),
        ("auth_token", "digest"),
        ("report_key", "secret"),
        ("notification", "body"),  # it may hold a temporary password (R-ACC-1)
    }
)


def snapshot(row: Base, *, omit: Collection[str] = ()) -> dict[str, Any]:
    """The row's column values by attribute name, as JSON holds them (dates as ISO text),
    without its secrets (`SECRETS`) and the attributes `omit` names (bookkeeping counters)."""
    mapper = inspect(row).mapper
    table = mapper.local_table.name  # type: ignore[attr-defined]
    return {
        attr.key: _plain(getattr(row, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in omit and (table, attr.key) not in SECRETS
    }


def differences(
    entity: type[Base],
    school_id: int,
    before: Mapping[int, Mapping[str, Any]],
    after: Mapping[int, Mapping[str, Any]],
) -> list[Changed]:
    """The changes of a bulk write from the states of the records it touched, by id: a record
    only `after` knows was created, one only `before` knows was deleted, one whose state
    differs was changed; in the order of their ids."""
    return [
        Changed(school_id, entity, row_id, before.get(row_id), after.get(row_id))
        for row_id in sorted(before.keys() | after.keys())
        if before.get(row_id) != after.get(row_id)
    ]


def created(entity: type[Base], school_id: int, rows: Iterable[Base]) -> list[Changed]:
    """Each of the rows, just inserted, as created."""
    return [Changed(school_id, entity, _id(row), None, snapshot(row)) for row in rows]


def _id(row: Base) -> int:
    row_id = getattr(row, "id")  # noqa: B009
    assert isinstance(row_id, int)
    return row_id


async def record(ctx: "Context", changes: Sequence[Changed]) -> None:
    """The caller's changes, in one statement, in the request's transaction."""
    await record_as(ctx.db, ctx.require_principal().account_id, changes)


async def record_as(db: Database, account_id: int | None, changes: Sequence[Changed]) -> None:
    """Changes made by `account_id`, or by tabel itself (None: `tabel init`, the planner)."""
    if not changes:
        return
    now = utc_now()
    await db.execute(
        insert(m.Change),
        [
            {
                "school_id": change.school_id,
                "kind": m.ChangeKind.RECORD,
                "entity": change.entity.__tablename__,
                "entity_id": change.entity_id,
                "action": change.said_action,
                "before": None if change.before is None else dict(change.before),
                "after": None if change.after is None else dict(change.after),
                "changed_by_id": account_id,
                "changed_at": now,
                "reason": change.reason,
            }
            for change in changes
        ],
    )
