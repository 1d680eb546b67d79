"""API tokens: read-only access for inspectors and integrators, issued and revoked by the admin."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Action, Resource
from resolvers import api_tokens
from resolvers.errors import NotFound
from resolvers.listing import listing
from schema import list_sizes as sizes
from schema.base import Connection, Info, ModelNode, decode_id, reads, related
from schema.bounds import After, list_field, text_field
from schema.enums import TokenKind
from schema.list_sizes import at_most
from schema.people import account_holder
from schema.permissions import PersonalAccount, can
from schema.school import Municipality, School


@strawberry.type(description="An inspector's or integrator's token; its secret is never shown.")
class ApiToken(ModelNode):
    __model__ = m.AuthToken
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Who holds it and why.")
    kind: TokenKind
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None = strawberry.field(description="Recorded to the minute.")

    @strawberry.field(
        description="roster:read, journal:read, reports:read; none for inspectors.",
        metadata=at_most(sizes.SCOPES),
    )
    def scopes(self, root: strawberry.Parent[m.AuthToken]) -> list[str]:
        return (root.scopes or "").split()

    @strawberry.field(
        graphql_type=list[School],
        description="The listed schools you may see.",
        metadata=reads(Resource.SCHOOL) | at_most(sizes.SCHOOLS),
    )
    async def schools(self, root: strawberry.Parent[m.AuthToken], info: Info) -> list[m.School]:
        return await info.context.loaders.linked(
            m.AuthTokenSchool.auth_token_id, m.AuthTokenSchool.school_id, m.School, m.School.name
        ).load(root.id)

    municipality = related(
        m.Municipality, "municipality_id", Municipality, "Every school of it: an operator's token."
    )

    issued_by = account_holder("issued_by_id", "Null when the operator issued it.")

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
    name: str = text_field(api_tokens.MAX_NAME_LENGTH, description="Who holds it and why")
    kind: TokenKind = strawberry.field(description="INSPECTOR or INTEGRATOR.")
    expires_at: datetime = strawberry.field(description="In the future, at most a year ahead.")
    school_ids: list[strawberry.ID] = list_field(
        MAX_SCHOOLS, optional=True, description="The schools it reads"
    )
    municipality_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Every school of a municipality: only the operator issues these (CLI).",
    )
    scopes: list[str] = list_field(
        10,
        max_length=32,
        optional=True,
        description="roster:read, journal:read, reports:read; an inspector's token takes none",
    )


@strawberry.type
class ApiTokenIssuePayload:
    token: str = strawberry.field(
        description="Shown only now: send as `Authorization: Bearer <token>`."
    )
    api_token: m.AuthToken = strawberry.field(graphql_type=ApiToken)


async def api_token_issue(info: Info, input: ApiTokenIssueInput) -> ApiTokenIssuePayload:
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


async def api_token_revoke(info: Info, id: strawberry.ID) -> m.AuthToken:
    return await api_tokens.api_token_revoke(info.context, decode_id(id, ApiToken))


async def api_token_list(
    info: Info, first: int | None = None, after: After = None
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
    description="API tokens of your schools, oldest first.",
)
api_token_issue_field = strawberry.mutation(
    resolver=api_token_issue,
    permission_classes=_declared(Action.WRITE),
    description="Issue an inspector's or integrator's token; its secret is shown only once.",
)
api_token_revoke_field = strawberry.mutation(
    resolver=api_token_revoke,
    graphql_type=ApiToken,
    permission_classes=_declared(Action.WRITE),
    description="Revoke an API token: its next request is refused. Revoking twice is harmless.",
)
