"""Writes are checked on their targets, in batch: one statement decides a whole bulk entry.

The probe selects every target with one boolean per (school, condition) the principal's write
rules name; a target may be written when some rule's conditions all hold for it. When none
does, the refusal names why: the code of a failing condition (PERIOD_LOCKED,
EDIT_WINDOW_CLOSED) or FORBIDDEN.

Some conditions hold for every write whoever makes it (`EVERY_WRITE`: a closed school year is
read-only history, R-YEAR-1): the probe adds them to each rule of a table they know, so no
policy line can leave them out.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, false, select

from plugins.base import Condition
from plugins.open_year import open_year
from policies.engine import PolicyEngine
from policies.principal import Principal
from policies.vocabulary import Action, Resource

FORBIDDEN = "FORBIDDEN"
EVERY_WRITE: tuple[Condition, ...] = (open_year,)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    refusal: str | None = None
    words: str = ""  # the failing condition's own wording, when it has one


class WriteProbe:
    def __init__(
        self, engine: PolicyEngine, principal: Principal, resource: Resource, entity: type[Any]
    ) -> None:
        self.entity = entity
        self.columns: dict[tuple[int, str], ColumnElement[bool]] = {}
        self.conditions: dict[str, Condition] = {}
        self.rules: list[tuple[tuple[int, str], ...]] = []
        if principal.read_only:
            return
        for grant in principal.grants:
            scope = principal.scope(grant.school_id)
            for alternative in engine.alternatives(
                grant.role, grant.school_id, resource, Action.WRITE
            ):
                keys = []
                always = tuple(c for c in EVERY_WRITE if c.supports(entity))
                for condition in (*always, *alternative):
                    key = (grant.school_id, condition.name)
                    if key not in self.columns:
                        rendered = condition.render(scope, entity)
                        self.columns[key] = false() if rendered is None else rendered
                    self.conditions[condition.name] = condition
                    keys.append(key)
                if tuple(keys) not in self.rules:
                    self.rules.append(tuple(keys))

    def statement(self, ids: Iterable[int]) -> Select[Any]:
        """The targets, each with one flag per condition, in a single statement."""
        flags = [column.label(f"c{index}") for index, column in enumerate(self.columns.values())]
        return select(self.entity.id, *flags).where(self.entity.id.in_(list(ids)))

    def verdict(self, row: Any, *, existing: bool) -> Verdict:
        """May the target be written? `existing`: the write changes or deletes what is there."""
        flags = dict(zip(self.columns, row[1:], strict=True))
        refusals = []
        for rule in self.rules:
            failing = [
                key
                for key in rule
                if not flags[key]
                and (existing or not self.conditions[key[1]].guards_only_existing(self.entity))
            ]
            if not failing:
                return Verdict(allowed=True)
            refusals.append([self.conditions[key[1]] for key in failing])
        # A rule that fails only on a lock or a window explains the refusal best; of its
        # conditions, one that words its refusal itself (a closed year) says it.
        for conditions in sorted(refusals, key=len):
            if all(condition.refusal != FORBIDDEN for condition in conditions):
                worded = [condition for condition in conditions if condition.words]
                first = (worded or conditions)[0]
                return Verdict(allowed=False, refusal=first.refusal, words=first.words)
        return Verdict(allowed=False, refusal=FORBIDDEN)
