"""Signing in and out, changing the password, and who is calling."""

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

import model as m
from policies.principal import Principal, SchoolRoleGrant
from policies.vocabulary import Action, Resource
from resolvers.accounts import sign_in
from resolvers.listing import equal, listing
from schema import list_sizes as sizes
from schema.base import CALLER, Connection, Info, ModelNode, related
from schema.bounds import After, First, text_argument, width
from schema.enums import TokenKind
from schema.list_sizes import at_most
from schema.people.person import Person, RoleGrant, account_holder
from schema.permissions import PersonalAccount, SignedIn, can
from schema.setup.school import School

_RESOURCES = [resource.value for resource in Resource]


@strawberry.type(
    description="Something the caller may do in a school, and on which rows: for a client to "
    "show only what will work. The matrix of every role is in the administrators' guide."
)
class Permission:
    resource: str = strawberry.field(
        description=f"What it is about: {', '.join(_RESOURCES[:-1])} or {_RESOURCES[-1]}."
    )
    action: str = strawberry.field(description="read or write.")
    conditions: list[str] = strawberry.field(
        description="Alternatives, any one of which suffices, in alphabetical order; each "
        "names the conditions that must all hold, joined by &: same_school (every row of the "
        "school), own_class, taught, own_child, self, staff, unlocked_period, "
        "within_edit_window, reporting, answering, or a plugin's.",
        metadata=at_most(sizes.CONDITIONS),
    )
    school = related(m.School, "school_id", School, "The school it holds in.")


@strawberry.type(description="The caller: their account or API token, person and roles.")
class Me:
    @strawberry.field(description="The login, or an API token's name.")
    def login(self, root: strawberry.Parent[Principal]) -> str:
        return root.name

    kind: TokenKind = strawberry.field(description="A person's login, or an API token's kind.")
    must_change_password: bool = strawberry.field(
        description="The password is a temporary one: until `passwordChange`, everything "
        "but `me` and `logout` is FORBIDDEN."
    )
    read_only: bool = strawberry.field(description="An API token: it reads, and writes nothing.")

    @strawberry.field(
        graphql_type=list[Permission],
        description="What you may do, school by school (in the order the schools were "
        "entered), then by resource and action in the order `Permission.resource` lists them.",
        metadata=CALLER | at_most(sizes.PERMISSIONS),
    )
    def permissions(self, root: strawberry.Parent[Principal], info: Info) -> list[object]:
        return list(info.context.policy.permissions(root))

    @strawberry.field(
        graphql_type=list[RoleGrant],
        description="Your roles (an API token's: those its kind and scopes give), school by "
        "school (in the order the schools were entered), each school's by role name.",
        metadata=CALLER | at_most(sizes.ROLES),
    )
    def roles(self, root: strawberry.Parent[Principal]) -> list[SchoolRoleGrant]:
        return list(root.grants)

    person = related(m.Person, "person_id", Person, "Who you are; null for an API token.")


@strawberry.type(description="A sign-in to an account of your school whose password was wrong.")
class SignInFailure(ModelNode):
    __model__ = m.SignInFailure
    id: relay.NodeID[int]
    attempted_at: datetime = strawberry.field(description="When (UTC).")
    login: str = strawberry.field(description="The login tried, in lower case.")
    client_address: str = strawberry.field(description="Where the attempt came from.")

    person = account_holder("account_id", "The person whose account it names, if you may see them.")


@strawberry.type(description="A signed-in session.")
class LoginPayload:
    token: str = strawberry.field(
        description="Send as `Authorization: Bearer <token>` with every request; `logout` "
        "revokes it."
    )
    expires_at: datetime = strawberry.field(
        description="When it stops working (UTC): sign in again after it."
    )
    must_change_password: bool = strawberry.field(
        description="A temporary password: call `passwordChange` before anything else."
    )


def me(info: Info) -> Principal:
    return info.context.require_principal()


MAX_PASSWORD = 256
Login = Annotated[
    str, text_argument(width(m.Account.login), description="The login, in any letter case")
]
Password = Annotated[str, text_argument(MAX_PASSWORD, description="The password")]
OldPassword = Annotated[str, text_argument(MAX_PASSWORD, description="The password now")]
NewPassword = Annotated[
    str,
    text_argument(
        MAX_PASSWORD,
        description=f"The new password: at least {sign_in.MIN_PASSWORD_LENGTH} characters",
    ),
]


async def login(info: Info, login: Login, password: Password) -> LoginPayload:
    context = info.context
    issued = await sign_in.login(
        context.db, login, password, context.token_ttl, context.client_address
    )
    return LoginPayload(
        token=issued.token,
        expires_at=issued.expires_at,
        must_change_password=issued.account.must_change_password,
    )


async def logout(info: Info) -> bool:
    await sign_in.logout(info.context.db, info.context.require_principal())
    return True


async def password_change(info: Info, old_password: OldPassword, new_password: NewPassword) -> bool:
    principal = info.context.require_principal()
    await sign_in.password_change(
        info.context.db, principal, old_password, new_password, info.context.client_address
    )
    return True


async def sign_in_failures(
    info: Info,
    login: Annotated[
        str | None,
        text_argument(width(m.Account.login), description="Only attempts on this login"),
    ] = None,
    first: First = None,
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
    resolver=me,
    graphql_type=Me,
    permission_classes=[SignedIn],
    description="Who is calling: your account or API token, roles and permissions. Any "
    "signed-in caller, even one who still has to change a temporary password.",
)
login_field = strawberry.mutation(
    resolver=login,
    description="Sign in with a login and password; returns a bearer token that expires. "
    "Anyone may call it. Repeated failures make the next attempt wait (RATE_LIMITED with "
    "`retryAfter`); a wrong login or password is UNAUTHENTICATED.",
)
logout_field = strawberry.mutation(
    resolver=logout,
    permission_classes=[SignedIn, PersonalAccount],
    description="Revoke the token of this request. A person signed in with their own login.",
)
password_change_field = strawberry.mutation(
    resolver=password_change,
    permission_classes=[SignedIn, PersonalAccount],
    description="Change your password; every other session of the account is signed out. "
    "A person signed in with their own login.",
)
sign_in_failures_field = strawberry.field(
    resolver=sign_in_failures,
    permission_classes=[can(Resource.SIGN_IN_FAILURE, Action.READ), PersonalAccount],
    description="Failed sign-ins on your school's accounts over the last 90 days, oldest first "
    "(attempts refused while throttled are not listed).",
)
