"""The building blocks every domain module uses: row-backed nodes, connections, IDs."""

from collections.abc import Iterable
from typing import Any, ClassVar, Generic, Optional, TypeVar

import strawberry
from graphql import GraphQLResolveInfo
from strawberry import relay

from policies.vocabulary import RESOURCE_OF, Action, Resource
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.pagination import DEFAULT_FIRST, MAX_FIRST, Page, row_id
from schema.list_sizes import page_rows

Info = strawberry.Info[Context, None]
N = TypeVar("N")


class ModelNode(relay.Node):
    """A node whose resolvers hand back ORM rows of `__model__` (no copying into objects)."""

    __model__: ClassVar[type[Any]]

    @classmethod
    def is_type_of(cls, obj: Any, _info: GraphQLResolveInfo[Any]) -> bool:
        return isinstance(obj, cls.__model__)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        ids = [_int_id(node_id) for node_id in node_ids]
        rows = await info.context.loaders.one(cls.__model__).load_many(ids)
        if required and any(row is None for row in rows):
            raise NotFound("No such object, or it is not visible to you.")
        return list(rows)


def _int_id(node_id: str) -> int:
    found = row_id(node_id)
    if found is None:
        raise NotFound("No such object, or it is not visible to you.")
    return found


MAX_ID_LENGTH = 100  # the longest type name and a 64-bit id, in base64


def global_id_parts(global_id: str) -> tuple[str, int]:
    """The type name and row id of a global ID exactly as this API writes it (its canonical
    base64 of `Type:17`); anything else, `Person: 1`, `Person:+1`, `Person:１`, a value past 64
    bits or base64 with junk, is not an ID of ours."""
    decoded = None
    if len(global_id) <= MAX_ID_LENGTH:
        try:
            decoded = relay.GlobalID.from_id(global_id)
        except (relay.GlobalIDValueError, ValueError):
            decoded = None
    found = None if decoded is None else row_id(decoded.node_id)
    if decoded is None or found is None or relay.to_base64(decoded.type_name, found) != global_id:
        raise BadUserInput(f"Not an ID of this API: {global_id[:MAX_ID_LENGTH]!r}.")
    return decoded.type_name, found


def decode_id(global_id: strawberry.ID | str, expected: type[ModelNode]) -> int:
    """The row id inside a global ID, which must name the expected type."""
    type_name, found = global_id_parts(global_id)
    if type_name != expected.__name__:
        raise BadUserInput(f"Expected an ID of a {expected.__name__}, got a {type_name}.")
    return found


def decode_optional(global_id: strawberry.ID | None, expected: type[ModelNode]) -> int | None:
    return None if global_id is None else decode_id(global_id, expected)


@strawberry.type(description="Where a page sits in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="More rows follow: ask again with `after: endCursor`."
    )
    has_previous_page: bool = strawberry.field(
        description="The page was asked for with `after`: rows come before it."
    )
    start_cursor: str | None = strawberry.field(
        description="The cursor of the page's first row; null on an empty page."
    )
    end_cursor: str | None = strawberry.field(
        description="The cursor of the page's last row, to pass as `after` for the next page; "
        "null on an empty page."
    )


@strawberry.type(description="A row of a page, with its cursor.")
class Edge(Generic[N]):
    cursor: str = strawberry.field(
        description="Where this row stands in the list: pass it as `after` to go on after it."
    )
    node: N = strawberry.field(description="The row itself.")


@strawberry.type(
    description=f"A page of a list (a cursor connection): `first` rows ({DEFAULT_FIRST} when not "
    f"given, at most {MAX_FIRST}) after the `after` cursor, in the order the list's field "
    "states. Ask for `totalCount` to count the whole list."
)
class Connection(Generic[N]):
    page: strawberry.Private[Page[Any]]

    @strawberry.field(
        description="The rows of this page with their cursors, in the list's order.",
        metadata=page_rows(),
    )
    def edges(self) -> list[Edge[N]]:
        return [
            Edge(cursor=cursor, node=row)
            for cursor, row in zip(self.page.cursors, self.page.rows, strict=True)
        ]

    @strawberry.field(
        description="The rows of this page without cursors, in the list's order.",
        metadata=page_rows(),
    )
    def nodes(self) -> list[N]:
        return list(self.page.rows)

    @strawberry.field(description="Whether more rows follow, and the cursors to go on with.")
    def page_info(self) -> PageInfo:
        cursors = self.page.cursors
        return PageInfo(
            has_next_page=self.page.has_next,
            has_previous_page=self.page.has_previous,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        )

    @strawberry.field(
        description="How many rows the whole list has that you may read, on every page alike "
        "(one count in the database: ask only when you show it)."
    )
    async def total_count(self) -> int:
        return await self.page.count()


POLICY = "policy"


def reads(resource: Resource) -> dict[str, object]:
    """A field's declaration: it returns rows of `resource`, filtered for the caller in SQL."""
    return {POLICY: (resource, Action.READ)}


CALLER: dict[str, object] = {POLICY: "caller"}  # the principal's own data, from its token


def related(entity: type[Any], key: str, graphql_type: Any, description: str | None = None) -> Any:
    """A field that follows the foreign key `key` of the row to an `entity`, through its loader."""

    async def resolve(root: strawberry.Parent[Any], info: Info) -> Any:
        value = getattr(root, key)
        return None if value is None else await info.context.loaders.one(entity).load(value)

    return strawberry.field(
        resolver=resolve,
        graphql_type=Optional[graphql_type],  # noqa: UP045 - `|` fails on forward references
        description=description,
        metadata=reads(RESOURCE_OF[entity]),
    )
