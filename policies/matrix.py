"""The permission matrix as a school administrator reads it: `docs/permissions.md`."""

from pathlib import Path

from policies.engine import PolicyEngine
from policies.vocabulary import WRITTEN_ON, Action, Resource

DOCS = Path(__file__).parent.parent / "docs" / "permissions.md"

ROLE_ORDER = [
    "admin",
    "head",
    "deputy",
    "class_teacher",
    "teacher",
    "psychologist",
    "student",
    "parent",
    "inspector",
]


def _cell(engine: PolicyEngine, role: str, resource: Resource, action: Action) -> str:
    # Domain "school:0" matches every `school:*` rule: the matrix any school starts from.
    alternatives = engine.alternatives(role, 0, resource, action)
    return " or ".join(
        " and ".join(condition.name for condition in conditions) for conditions in alternatives
    )


def render(engine: PolicyEngine) -> str:
    roles = [r for r in ROLE_ORDER if r in engine.roles]
    roles += sorted(engine.roles - set(roles))
    lines = [
        "# Who may do what",
        "",
        "Generated from `policy.conf` and `policies/*.csv` by `tabel policy docs`; do not edit.",
        "A cell names the conditions under which the role may act (any alternative suffices);",
        "an empty cell means never. Rows the conditions exclude are never read nor counted.",
        "",
        "## Conditions",
        "",
        "| condition | rows it allows |",
        "|---|---|",
    ]
    for name, condition in sorted(engine.registry.conditions.items()):
        lines.append(f"| `{name}` | {condition.description} |")
    included = [f"`{i.role}` has every rule of `{i.included}`" for i in engine.inclusions]
    lines += ["", "## Roles", "", *(f"- {line}" for line in included)]
    for action in Action:
        lines += ["", f"## {action.title()}", "", "| resource | " + " | ".join(roles) + " |"]
        lines.append("|---" * (len(roles) + 1) + "|")
        for resource in Resource:
            if action is not Action.WRITE and resource in WRITTEN_ON:
                continue  # only written: an empty row
            cells = [_cell(engine, role, resource, action) for role in roles]
            lines.append(f"| {resource} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
