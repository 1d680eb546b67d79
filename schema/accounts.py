"""Signing in and out, changing the password, and who is calling."""

from datetime import datetime

import strawberry

import model as m
from policies.principal import Principal, SchoolRoleGrant
from resolvers import accounts
from schema import list_sizes as sizes
from schema.base import CALLER, Info, related
from schema.enums import TokenKind
from schema.list_sizes import at_most
from schema.people import Person, RoleGrant
from schema.permissions import PersonalAccount, SignedIn
from schema.school import School


@strawberry.type(description="Something the caller may do in a school, and on which rows.")
class Permission:
    resource: str
    action: str
    conditions: list[str] = strawberry.field(
        description="Alternatives; each names the conditions that must all hold, joined by &.",
        metadata=at_most(sizes.CONDITIONS),
    )
    school = related(m.School, "school_id", School)


@strawberry.type(description="The caller: their account or API token, person and roles.")
class Me:
    @strawberry.field(description="The login, or an API token's name.")
    def login(self, root: strawberry.Parent[Principal]) -> str:
        return root.name

    kind: TokenKind
    must_change_password: bool
    read_only: bool

    @strawberry.field(
        graphql_type=list[Permission],
        description="What you may do, per school.",
        metadata=CALLER | at_most(sizes.PERMISSIONS),
    )
    def permissions(self, root: strawberry.Parent[Principal], info: Info) -> list[object]:
        return list(info.context.policy.permissions(root))

    @strawberry.field(graphql_type=list[RoleGrant], metadata=CALLER | at_most(sizes.ROLES))
    def roles(self, root: strawberry.Parent[Principal]) -> list[SchoolRoleGrant]:
        return list(root.grants)

    person = related(m.Person, "person_id", Person)


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
    resolver=logout,
    permission_classes=[SignedIn, PersonalAccount],
    description="Revoke the calling token.",
)
password_change_field = strawberry.mutation(
    resolver=password_change,
    permission_classes=[SignedIn, PersonalAccount],
    description="Change the password; every other session of the account is signed out.",
)
