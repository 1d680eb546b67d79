"""Declarations every root field and mutation carries: who may call it at all.

Rows are filtered in SQL by the policy engine; these checks are synchronous, once per root
field, and refuse a caller whose roles have no rule for the resource and action anywhere.
"""

from functools import cache
from typing import Any

from strawberry.permission import BasePermission

from policies.vocabulary import Action, Resource
from policies.wording import not_allowed
from resolvers.errors import Forbidden
from schema.base import Info


class SignedIn(BasePermission):
    """Any principal, even one that still has to change a temporary password."""

    message = "Sign in first."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        info.context.require_principal()
        return True


class Active(BasePermission):
    """A principal whose temporary password has been changed (R-ACC-1)."""

    message = "Change your temporary password first."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = info.context.require_principal()
        if principal.must_change_password:
            raise Forbidden(self.message, reason="PASSWORD_CHANGE_REQUIRED")
        return True


class PersonalAccount(BasePermission):
    """A person signed in with a login token, not an inspector's or integrator's API token."""

    message = "Only a person's own login can do this."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        if info.context.require_principal().account_id is None:
            raise Forbidden(self.message)
        return True


class Declared(BasePermission):
    """The resource and action a field touches, and the table when only some of the
    resource's tables are (see `can`)."""

    resource: Resource
    action: Action
    table: type[Any] | None = None


@cache
def can(resource: Resource, action: Action, table: type[Any] | None = None) -> type[Declared]:
    """Allows an active principal holding any rule for (resource, action) in some school.
    `table`: the field writes rows of this table only, and the schema says who may by the
    rules whose conditions reach it (the resolver refuses the others, row by row)."""

    def has_permission(self: Declared, source: Any, info: Info, **kwargs: Any) -> bool:
        Active().has_permission(source, info)
        principal = info.context.require_principal()
        if not info.context.policy.allows(principal, resource, action):
            raise Forbidden(
                not_allowed(resource, action), resource=resource.value, action=action.value
            )
        return True

    return type(
        f"Can{action.title()}{resource.title().replace('_', '')}",
        (Declared,),
        {"resource": resource, "action": action, "table": table, "has_permission": has_permission},
    )
