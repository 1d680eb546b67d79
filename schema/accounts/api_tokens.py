"""API tokens: read-only access for inspectors and integrators, issued and revoked by the admin."""

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Action, Resource
from resolvers.accounts import api_tokens
from resolvers.errors import NotFound
from resolvers.listing import listing
from schema import list_sizes as sizes
from schema.base import Connection, Info, ModelNode, decode_id, reads, related
from schema.bounds import After, First, list_field, text_field
from schema.enums import TokenKind
from schema.list_sizes import at_most
from schema.people.person import account_holder
from schema.permissions import PersonalAccount, can
from schema.setup.school import Municipality, School


@strawberry.type(
    description="An inspector's or integrator's API token: read-only access to listed schools "
    "(or a municipality's), without a person's login; its secret is never shown again."
)
class ApiToken(ModelNode):
    __model__ = m.AuthToken
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Who holds it and why.")
    kind: TokenKind = strawberry.field(description="INSPECTOR or INTEGRATOR.")
    created_at: datetime = strawberry.field(description="When it was issued (UTC).")
    expires_at: datetime = strawberry.field(description="When it stops working (UTC).")
    revoked_at: datetime | None = strawberry.field(
        description="When it was revoked (UTC); null: not revoked."
    )
    last_used_at: datetime | None = strawberry.field(
        description="When it was last used (UTC), to the minute; null: never."
    )

    @strawberry.field(
        description="What an integrator's token reads, in alphabetical order: roster:read "
        "(the school's premises, classes, groups, people and timetable), journal:read (that "
        "and the КТП, lessons, attendance, grades, homework and final grades), reports:read "
        "(classes, groups and final grades, without people's details); none for inspectors, "
        "who read every journal.",
        metadata=at_most(sizes.SCOPES),
    )
    def scopes(self, root: strawberry.Parent[m.AuthToken]) -> list[str]:
        return (root.scopes or "").split()

    @strawberry.field(
        graphql_type=list[School],
        description="The schools it reads that you may see, by name (empty for a "
        "municipality's token).",
        metadata=reads(Resource.SCHOOL) | at_most(sizes.SCHOOLS),
    )
    async def schools(self, root: strawberry.Parent[m.AuthToken], info: Info) -> list[m.School]:
        return await info.context.loaders.linked(
            m.AuthTokenSchool.auth_token_id, m.AuthTokenSchool.school_id, m.School, m.School.name
        ).load(root.id)

    municipality = related(
        m.Municipality,
        "municipality_id",
        Municipality,
        "It reads every school of this municipality: a token the operator issued; null: it "
        "reads its listed schools.",
    )

    issued_by = account_holder(
        "issued_by_id", "The admin who issued it; null when the operator issued it (CLI)."
    )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        # A token's holder, scopes and issuer are the admin's business: API tokens never see one
        # another, even should a policy rule let them read `api_token` (inspectors' `*` once did).
        if info.context.require_principal().account_id is None:
            if required:
                raise NotFound("No such object, or it is not visible to you.")
            return [None for _ in node_ids]
        return await super().resolve_nodes(info=info, node_ids=node_ids, required=required)


MAX_SCHOOLS = 200


@strawberry.input(description="A new API token for schools where you are the admin.")
class ApiTokenIssueInput:
    name: str = text_field(
        api_tokens.MAX_NAME_LENGTH, description="Who holds it and why, at least 1 character"
    )
    kind: TokenKind = strawberry.field(description="INSPECTOR or INTEGRATOR.")
    expires_at: datetime = strawberry.field(
        description="When it stops working: with a time zone (ISO 8601, e.g. "
        "2027-06-30T23:59:00+03:00), in the future, at most 12 months ahead."
    )
    school_ids: list[strawberry.ID] = list_field(
        MAX_SCHOOLS,
        optional=True,
        description="The schools it reads (`School` IDs), each one where you are the admin; "
        "at least one",
    )
    municipality_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Every school of a municipality: only the operator issues these (CLI).",
    )
    scopes: list[str] = list_field(
        10,
        max_length=32,
        optional=True,
        description="roster:read, journal:read, reports:read: at least one for an "
        "integrator's token; an inspector's takes none",
    )


@strawberry.type(description="A token just issued, with its secret.")
class ApiTokenIssuePayload:
    token: str = strawberry.field(
        description="The secret, shown only now: the holder sends it as `Authorization: "
        "Bearer <token>`."
    )
    api_token: m.AuthToken = strawberry.field(
        graphql_type=ApiToken, description="The token as `apiTokens` lists it."
    )


async def api_token_issue(
    info: Info,
    input: Annotated[ApiTokenIssueInput, strawberry.argument(description="The token to issue.")],
) -> ApiTokenIssuePayload:
    issued = await api_tokens.api_token_issue(
        info.context,
        kind=input.kind,
        name=input.name,
        school_ids=[decode_id(school_id, School) for school_id in input.school_ids],
        municipality_wide=input.municipality_id is not None,
        scopes=input.scopes,
        expires_at=input.expires_at,
    )
    return ApiTokenIssuePayload(token=issued.token, api_token=issued.api_token)


async def api_token_revoke(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="The `ApiToken` to revoke.")],
) -> m.AuthToken:
    return await api_tokens.api_token_revoke(info.context, decode_id(id, ApiToken))


async def api_token_list(
    info: Info, first: First = None, after: After = None
) -> Connection[ApiToken]:
    page = await listing(
        info.context,
        m.AuthToken,
        [m.AuthToken.kind != m.TokenKind.LOGIN],
        (m.AuthToken.created_at,),
        first=first,
        after=after,
    )
    return Connection(page=page)


def _declared(action: Action) -> list[Any]:
    return [can(Resource.API_TOKEN, action), PersonalAccount]


api_tokens_field = strawberry.field(
    resolver=api_token_list,
    permission_classes=_declared(Action.READ),
    description="The API tokens of the schools where you are the admin, oldest first. A "
    "person signed in with their own login.",
)
api_token_issue_field = strawberry.mutation(
    resolver=api_token_issue,
    permission_classes=_declared(Action.WRITE),
    description="Issue an inspector's or integrator's token for schools where you are the "
    "admin; its secret is shown only once. A person signed in with their own login.",
)
api_token_revoke_field = strawberry.mutation(
    resolver=api_token_revoke,
    graphql_type=ApiToken,
    permission_classes=_declared(Action.WRITE),
    description="Revoke an API token: its next request is refused (UNAUTHENTICATED). "
    "Revoking twice is harmless. A person signed in with their own login.",
)
