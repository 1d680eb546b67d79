"""Signing in and out, changing the password, and who is calling."""

from datetime import datetime

import strawberry

import model as m
from policies.principal import Principal, SchoolRoleGrant
from resolvers import accounts
from schema.base import Info
from schema.people import Person, RoleGrant
from schema.permissions import SignedIn


@strawberry.type(description="The caller: their account, person and roles per school.")
class Me:
    login: str
    must_change_password: bool

    @strawberry.field(graphql_type=list[RoleGrant])
    def roles(self, root: strawberry.Parent[Principal]) -> list[SchoolRoleGrant]:
        return list(root.grants)

    @strawberry.field(graphql_type=Person | None)
    async def person(self, root: strawberry.Parent[Principal], info: Info) -> m.Person | None:
        return await info.context.loaders.one(m.Person).load(root.person_id)


@strawberry.type
class LoginPayload:
    token: str = strawberry.field(description="Send as `Authorization: Bearer <token>`.")
    expires_at: datetime
    must_change_password: bool = strawberry.field(
        description="A temporary password: call `passwordChange` before anything else."
    )


def me(info: Info) -> Principal:
    return info.context.require_principal()


async def login(info: Info, login: str, password: str) -> LoginPayload:
    issued = await accounts.login(info.context.db, login, password, info.context.token_ttl)
    return LoginPayload(
        token=issued.token,
        expires_at=issued.expires_at,
        must_change_password=issued.account.must_change_password,
    )


async def logout(info: Info) -> bool:
    await accounts.logout(info.context.db, info.context.require_principal())
    return True


async def password_change(info: Info, old_password: str, new_password: str) -> bool:
    principal = info.context.require_principal()
    await accounts.password_change(info.context.db, principal, old_password, new_password)
    return True


me_field = strawberry.field(
    resolver=me, graphql_type=Me, permission_classes=[SignedIn], description="Who is calling."
)
login_field = strawberry.mutation(
    resolver=login, description="Sign in; returns a bearer token that expires."
)
logout_field = strawberry.mutation(
    resolver=logout, permission_classes=[SignedIn], description="Revoke the calling token."
)
password_change_field = strawberry.mutation(
    resolver=password_change,
    permission_classes=[SignedIn],
    description="Change the password; every other session of the account is signed out.",
)
