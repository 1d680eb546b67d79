"""The policy engine: Casbin decides which rules apply to a role, plugins render their conditions.

Per request the cost is constant: a (role, school, resource, action) decision is made once per
process and cached; a principal's row filter for a table is built once per request.
"""

import logging
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import casbin
from sqlalchemy import ColumnElement, and_, false, or_

from plugins.base import Condition
from plugins.registry import Registry, discover
from policies.principal import Principal
from policies.rules import POLICY_CONF, Inclusion, Rule, parse, policy_files
from policies.vocabulary import (
    ADDRESSED_TO,
    FIELDS_ON,
    RESOURCE_OF,
    SCHOOL_REPORTS,
    WRITTEN_ON,
    Action,
    Resource,
)

Alternatives = tuple[tuple[Condition, ...], ...]
FILTER_CACHE_SIZE = 20_000


class PolicyError(Exception):
    """The policies cannot be loaded: a line names an unknown resource, action or condition."""


@dataclass(frozen=True)
class Permission:
    school_id: int
    resource: Resource
    action: Action
    conditions: tuple[str, ...]  # alternatives, each "a&b"


class PolicyEngine:
    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry or discover()
        self.rules: list[Rule] = []
        self.inclusions: list[Inclusion] = []
        for source, text in [*policy_files(), *self.registry.policies]:
            rules, inclusions = parse(text, source)
            self.rules += rules
            self.inclusions += inclusions
        problems = self.problems()
        if problems:
            raise PolicyError("; ".join(problems))
        self.enforcer = casbin.Enforcer(str(POLICY_CONF))
        # Casbin logs each match as a request granted (INFO) or refused (WARNING), and a server's
        # logging set-up turns its loggers back on. The engine asks Casbin which rules apply,
        # not whether to let a request through, so its "False" is no refusal worth a line.
        logging.getLogger("casbin").setLevel(logging.ERROR)
        rule_cells = [[r.role, r.domain, r.resource, r.action, r.condition] for r in self.rules]
        self.enforcer.add_policies(rule_cells)
        self.enforcer.add_grouping_policies([[i.role, i.included] for i in self.inclusions])
        self._cells = _cells_by_key(self.rules, self.inclusions)
        self._decisions: dict[tuple[str, int, str, str], Alternatives] = {}
        self._filters: OrderedDict[Hashable, ColumnElement[bool]] = OrderedDict()

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(rule.role for rule in self.rules) | {i.role for i in self.inclusions}

    def problems(self) -> list[str]:
        """Every rule naming something unknown, or a condition that cannot filter its resource."""
        found = []
        for rule in self.rules:
            where = f"{rule.source}: "
            if rule.resource != "*" and rule.resource not in Resource.__members__.values():
                found.append(f"{where}unknown resource {rule.resource!r}")
            if rule.action not in Action.__members__.values():
                found.append(f"{where}unknown action {rule.action!r}")
            if not rule.domain.startswith("school:"):
                found.append(f"{where}domain must be school:* or school:<id>, not {rule.domain!r}")
            for name in rule.conditions:
                condition = self.registry.conditions.get(name)
                if condition is None:
                    found.append(f"{where}unknown condition {name!r}")
                elif rule.resource in SCHOOL_REPORTS and name != "same_school":
                    found.append(f"{where}{rule.resource!r} is granted per school: same_school")
                elif rule.resource not in ("*", *SCHOOL_REPORTS) and not any(
                    condition.supports(entity) for entity in _tables(rule.resource)
                ):
                    found.append(f"{where}condition {name!r} cannot filter {rule.resource!r}")
            if rule.resource in WRITTEN_ON and rule.action != Action.WRITE:
                found.append(f"{where}{rule.resource!r} is only written, never read")
        return found

    def alternatives(
        self, role: str, school_id: int, resource: Resource, action: Action
    ) -> Alternatives:
        """The condition sets (any one suffices; all of a set must hold) for a role's action."""
        key = (role, school_id, resource.value, action.value)
        decided = self._decisions.get(key)
        if decided is None:
            domain = f"school:{school_id}"
            cells = self._cells.get((role, resource.value, action.value), ())
            decided = tuple(
                tuple(self.registry.conditions[name.strip()] for name in cell.split("&"))
                for cell in cells
                if self.enforcer.enforce(role, domain, resource.value, action.value, cell)
            )
            self._decisions[key] = decided
        return decided

    def allows(self, principal: Principal, resource: Resource, action: Action) -> bool:
        """Whether the principal may do this anywhere at all (rows are filtered separately)."""
        if action is Action.WRITE and principal.read_only:
            return False
        return any(
            self.alternatives(grant.role, grant.school_id, resource, action)
            for grant in principal.grants
        )

    def report_schools(
        self, principal: Principal, resource: Resource, action: Action = Action.READ
    ) -> frozenset[int]:
        """The schools a report about a whole school (`SCHOOL_REPORTS`) may be read for."""
        assert resource in SCHOOL_REPORTS
        return frozenset(
            grant.school_id
            for grant in principal.grants
            if self.alternatives(grant.role, grant.school_id, resource, action)
        )

    def row_filter(
        self,
        principal: Principal,
        entity: type[Any],
        action: Action = Action.READ,
        resource: Resource | None = None,
    ) -> ColumnElement[bool]:
        """The SQL condition that keeps exactly the rows of `entity` the principal may act on.

        Built once per caller and table (a dashboard asks the same shapes all day): the filter
        depends on the person, their grants, their schools' settings and the day (who teaches
        a group now, edit windows), all of which are in the key. `resource` names a resource
        on some of the table's columns (`FIELDS_ON`) instead of the table's own.
        """
        if action is Action.WRITE and principal.read_only:
            return false()
        key = (self.caller_key(principal), entity, action, resource)
        cached = self._filters.get(key)
        if cached is None:
            cached = self._filters[key] = self._render(principal, entity, action, resource)
            if len(self._filters) > FILTER_CACHE_SIZE:
                self._filters.popitem(last=False)
        else:
            self._filters.move_to_end(key)
        return cached

    @staticmethod
    def caller_key(principal: Principal) -> Hashable:
        """Everything a caller's row filters depend on: the person, their grants, their
        schools' settings and the day (who teaches a group now, edit windows)."""
        return (
            principal.person_id,
            principal.grants,
            tuple(sorted(principal.schools.items())),
            principal.must_change_password,
            principal.now.date() if principal.now else None,
        )

    def _render(
        self, principal: Principal, entity: type[Any], action: Action, of: Resource | None
    ) -> ColumnElement[bool]:
        resource = of or RESOURCE_OF[entity]
        clauses: dict[tuple[int, tuple[str, ...]], ColumnElement[bool]] = {}
        for grant in principal.grants:
            scope = principal.scope(grant.school_id)
            for conditions in self.alternatives(grant.role, grant.school_id, resource, action):
                key = (grant.school_id, tuple(condition.name for condition in conditions))
                rendered = [condition.render(scope, entity) for condition in conditions]
                if key in clauses or any(part is None for part in rendered):
                    continue  # already there, or a condition that does not know this table
                clauses[key] = and_(*(part for part in rendered if part is not None))
        return or_(*clauses.values()) if clauses else false()

    def permissions(self, principal: Principal) -> Sequence[Permission]:
        """What the principal may do, per school, resource and action: for clients' menus."""
        found = []
        for school_id in sorted(principal.school_ids):
            roles = [grant.role for grant in principal.grants if grant.school_id == school_id]
            for resource in Resource:
                for action in Action:
                    if action is Action.WRITE and principal.read_only:
                        continue
                    cells = {
                        "&".join(condition.name for condition in conditions)
                        for role in roles
                        for conditions in self.alternatives(role, school_id, resource, action)
                    }
                    if cells:
                        found.append(Permission(school_id, resource, action, tuple(sorted(cells))))
        return found


def _tables(resource: str) -> list[type[Any]]:
    """The tables whose rows a rule for `resource` judges."""
    tables = [entity for entity, of in RESOURCE_OF.items() if of == resource]
    others = [*WRITTEN_ON.items(), *FIELDS_ON.items(), *ADDRESSED_TO.items()]
    return tables + [entity for of, entity in others if of == resource]


def _cells_by_key(
    rules: list[Rule], inclusions: list[Inclusion]
) -> dict[tuple[str, str, str], tuple[str, ...]]:
    """For each (role, resource, action), the conditions of the rules that could apply: those
    of the role or of a role it includes, for that resource (or "*") and action. Casbin still
    decides which do (the domain, the matcher); it is asked only about these, not about every
    condition of every rule — each question walks all the rules, some 4 ms apiece."""
    included: dict[str, set[str]] = {}
    for inclusion in inclusions:
        included.setdefault(inclusion.role, set()).add(inclusion.included)
    roles = {rule.role for rule in rules} | set(included)
    resources = [resource.value for resource in Resource]
    cells: dict[tuple[str, str, str], set[str]] = {}
    for role in roles:
        reach, pending = {role}, [role]
        while pending:
            for other in included.get(pending.pop(), ()):
                if other not in reach:
                    reach.add(other)
                    pending.append(other)
        for rule in rules:
            if rule.role in reach:
                for resource in resources if rule.resource == "*" else [rule.resource]:
                    cells.setdefault((role, resource, rule.action), set()).add(rule.condition)
    return {key: tuple(sorted(found)) for key, found in cells.items()}
