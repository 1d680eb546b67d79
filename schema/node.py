"""`node(id:)`: any object by its global ID; what you may not read answers NOT_FOUND."""

from typing import Annotated, Any

import strawberry
from strawberry import relay

from policies.vocabulary import RESOURCE_OF, Action
from policies.wording import not_allowed
from resolvers.errors import Forbidden, NotFound
from schema.base import Info, ModelNode, global_id_parts


async def node(
    info: Info,
    id: Annotated[
        strawberry.ID, strawberry.argument(description="A global ID, as an `id` field gives it.")
    ],
) -> relay.Node:
    type_name, row_id = global_id_parts(id)
    definition = info.schema.get_type_by_name(type_name)
    origin: Any = getattr(definition, "origin", None)
    if not (isinstance(origin, type) and issubclass(origin, ModelNode)):
        raise NotFound("No such object, or it is not visible to you.")
    principal = info.context.require_principal()
    resource = RESOURCE_OF[origin.__model__]
    if not info.context.policy.allows(principal, resource, Action.READ):
        refusal = not_allowed(resource, Action.READ)
        raise Forbidden(refusal, resource=resource.value, action=Action.READ.value)
    rows = await origin.resolve_nodes(info=info, node_ids=[str(row_id)], required=True)
    found: relay.Node = rows[0]
    return found
