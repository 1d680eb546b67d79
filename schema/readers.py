"""Who may read or write what, in the school's words, for the schema's descriptions.

Worked out from the built-in policies (`policy.conf`, `policies/*.csv`, the built-in
conditions, each saying whose rows in its own words) when the schema is built, so the
documentation says what the rules do; a plugin documents its own roles and rules.
`docs/permissions.md` is the full matrix."""

from functools import cache
from typing import Any

from plugins.registry import BUILT_IN, Registry
from policies.engine import PolicyEngine
from policies.matrix import ROLE_ORDER
from policies.vocabulary import Action, Resource

ROLE_WORDS = {
    "admin": "the school's admin",
    "head": "the head (директор)",
    "deputy": "deputy heads (завуч)",
    "class_teacher": "class teachers (классный руководитель)",
    "teacher": "teachers",
    "psychologist": "psychologists (педагог-психолог)",
    "student": "students",
    "parent": "parents",
    "inspector": "inspectors' tokens",
}
# The roles people hold in a school: when all of them may, everyone of the school may.
PERSONAL_ROLES = frozenset(
    {"admin", "head", "deputy", "teacher", "psychologist", "student", "parent"}
)
INTEGRATOR = "integrator_"  # integrator_journal reads as "journal:read", and so on


@cache
def _engine() -> PolicyEngine:
    return PolicyEngine(Registry(conditions={c.name: c for c in BUILT_IN}))


def _rows(
    engine: PolicyEngine, role: str, resource: Resource, action: Action, table: type[Any] | None
) -> str:
    alternatives = [
        conditions
        for conditions in engine.alternatives(role, 0, resource, action)
        if table is None or all(condition.supports(table) for condition in conditions)
    ]
    return " or ".join(
        ", ".join(c.in_words or c.name for c in conditions) for conditions in alternatives
    )


def _listed(words: list[str], last: str = "and") -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {last} " + words[-1]


def _who(roles: list[str]) -> str:
    scopes = [f"{r.removeprefix(INTEGRATOR)}:read" for r in roles if r.startswith(INTEGRATOR)]
    people = [role for role in roles if not role.startswith(INTEGRATOR)]
    words = []
    if set(people) >= PERSONAL_ROLES:
        words.append("everyone holding a role in the school")
        people = [role for role in people if role not in PERSONAL_ROLES]
    words += [ROLE_WORDS.get(role, role) for role in people]
    if scopes:
        words.append(f"integrators' tokens with {_listed(sorted(scopes), 'or')}")
    return _listed(words)


@cache
def who_may(resource: Resource, action: Action, table: type[Any] | None = None) -> str:
    """E.g. "Who may read: the head (директор) — the whole school; teachers — what they
    teach." Roles with the same rows are named together, in the permission matrix's order;
    with `table`, only the rules that reach its rows."""
    engine = _engine()
    roles = [r for r in ROLE_ORDER if r in engine.roles]
    roles += sorted(engine.roles - set(roles))
    by_rows: dict[str, list[str]] = {}
    for role in roles:
        rows = _rows(engine, role, resource, action, table)
        if rows:
            by_rows.setdefault(rows, []).append(role)
    if not by_rows:
        return f"Nobody may {action} these."
    parts = [f"{_who(names)} — {rows}" for rows, names in by_rows.items()]
    return f"Who may {action}: " + "; ".join(parts) + "."
