"""Signing in and out, changing the password, and who is calling."""

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

import model as m
from policies.principal import Principal, SchoolRoleGrant
from policies.vocabulary import Action, Resource
from resolvers import accounts
from resolvers.listing import equal, listing
from schema import list_sizes as sizes
from schema.base import CALLER, Connection, Info, ModelNode, related
from schema.bounds import After, text_argument, width
from schema.enums import TokenKind
from schema.list_sizes import at_most
from schema.people import Person, RoleGrant, account_holder
from schema.permissions import PersonalAccount, SignedIn, can
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


@strawberry.type(description="A sign-in to an account of your school whose password was wrong.")
class SignInFailure(ModelNode):
    __model__ = m.SignInFailure
    id: relay.NodeID[int]
    attempted_at: datetime
    login: str = strawberry.field(description="The login tried, in lower case.")
    client_address: str = strawberry.field(description="Where the attempt came from.")

    person = account_holder("account_id", "The person whose account it names, if you may see them.")


@strawberry.type
class LoginPayload:
    token: str = strawberry.field(description="Send as `Authorization: Bearer <token>`.")
    expires_at: datetime
    must_change_password: bool = strawberry.field(
        description="A temporary password: call `passwordChange` before anything else."
    )


def me(info: Info) -> Principal:
    return info.context.require_principal()


MAX_PASSWORD = 256
Login = Annotated[str, text_argument(width(m.Account.login))]
Password = Annotated[str, text_argument(MAX_PASSWORD)]


async def login(info: Info, login: Login, password: Password) -> LoginPayload:
    context = info.context
    issued = await accounts.login(
        context.db, login, password, context.token_ttl, context.client_address
    )
    return LoginPayload(
        token=issued.token,
        expires_at=issued.expires_at,
        must_change_password=issued.account.must_change_password,
    )


async def logout(info: Info) -> bool:
    await accounts.logout(info.context.db, info.context.require_principal())
    return True


async def password_change(info: Info, old_password: Password, new_password: Password) -> bool:
    principal = info.context.require_principal()
    await accounts.password_change(
        info.context.db, principal, old_password, new_password, info.context.client_address
    )
    return True


async def sign_in_failures(
    info: Info,
    login: Annotated[str | None, text_argument(width(m.Account.login))] = None,
    first: int | None = None,
    after: After = None,
) -> Connection[SignInFailure]:
    condition = None if login is None else login.strip().lower()
    page = await listing(
        info.context,
        m.SignInFailure,
        equal(m.SignInFailure.login, condition),
        (m.SignInFailure.attempted_at,),
        first=first,
        after=after,
    )
    return Connection(page=page)


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
sign_in_failures_field = strawberry.field(
    resolver=sign_in_failures,
    permission_classes=[can(Resource.SIGN_IN_FAILURE, Action.READ), PersonalAccount],
    description="Failed sign-ins on your school's accounts over the last 90 days, oldest first "
    "(attempts refused while throttled are not listed).",
)
