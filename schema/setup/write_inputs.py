"""What the reference writes share: the answer of a removal, and the fields a correction
sets (a field left out stays as it is; null clears only what may be empty)."""

from collections.abc import Iterable
from typing import Any

import strawberry
from strawberry.utils.str_converters import to_camel_case

from policies.vocabulary import Action, Resource
from resolvers.errors import BadUserInput
from schema.permissions import PersonalAccount, can


def writes(resource: Resource) -> list[type]:
    """Who may call a reference write: a rule for writing `resource`, with one's own login."""
    return [can(resource, Action.WRITE), PersonalAccount]


def changes(input: Any, fields: Iterable[str], *, nullable: Iterable[str] = ()) -> dict[str, Any]:
    """The fields of `input` that were given, by their column names (`short_name`); null in a
    field that cannot be empty is BAD_USER_INPUT naming it."""
    empty_ok = set(nullable)
    given = {}
    for name in fields:
        value = getattr(input, name)
        if value is strawberry.UNSET:
            continue
        if value is None and name not in empty_ok:
            camel = to_camel_case(name)
            raise BadUserInput(f"`{camel}` cannot be null: leave it out to keep it.", field=camel)
        given[name] = value
    return given
