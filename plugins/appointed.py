"""Whose accounts a role may write: those of the people it appoints, never of those above it.

Resetting a password gives its writer the account, so the admin resets the accounts of the
people they appoint (`other_roles`), the head those of the admins they appoint (`admin_role`),
the municipality's operator those of the heads it appoints (`head_role`). A person who holds a
higher role anywhere — an admin in another school, a municipality role — is above all of them
there: a school's teacher who is another school's admin keeps their account out of this admin's
hands."""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, exists, select

import model as m
from plugins.base import Renderer, Scope


def accounts_appointed(role: m.Role | None, above: Sequence[m.Role]) -> Renderer:
    """The accounts of the school's people holding `role` in it (None: any), unless they hold one
    of the roles `above` in any school, or a municipality role."""

    def render(scope: Scope) -> ColumnElement[bool]:
        holding = exists().where(
            m.SchoolRole.person_id == m.Account.person_id,
            m.SchoolRole.school_id == scope.school_id,
        )
        if role is not None:
            holding = holding.where(m.SchoolRole.role == role.value)
        higher = select(m.SchoolRole.person_id).where(
            m.SchoolRole.role.in_([above_role.value for above_role in above])
        )
        return and_(
            holding,
            m.Account.person_id.not_in(higher),
            m.Account.person_id.not_in(select(m.MunicipalityRole.person_id)),
        )

    return render


def compromises_appointed(role: m.Role | None, above: Sequence[m.Role]) -> Renderer:
    """The compromise reports on those accounts (`accounts_appointed`): reporting one blocks
    the account, voiding it undoes what the account did, so neither reaches above the caller."""
    accounts = accounts_appointed(role, above)
    return lambda scope: m.Compromise.account_id.in_(select(m.Account.id).where(accounts(scope)))
