"""Who may call a field at all: signed in, and with a password that is no longer temporary."""

from typing import Any

from strawberry.permission import BasePermission

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
