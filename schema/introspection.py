"""The schema is read by those who signed in: introspection is refused to anonymous callers
(in production; the demo's GraphiQL keeps it), after the caller is resolved and before any
field runs. A document without a token costs no SQL for its refusal."""

from collections.abc import AsyncIterator

from graphql import DocumentNode, FieldNode, visit
from graphql.language import Visitor
from strawberry.extensions import SchemaExtension

from resolvers.context import Context
from resolvers.errors import Unauthenticated

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


class _FindsIntrospection(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_field(self, node: FieldNode, *_: object) -> object:
        if node.name.value in INTROSPECTION_FIELDS:
            self.found = True
            return self.BREAK
        return None


_SEEN: dict[str, bool] = {}
_SEEN_MAX = 256


def _introspects(query: str, document: DocumentNode) -> bool:
    # Keyed by the document's text (an AST node would hash its whole tree); fragments are
    # visited where they are defined, once each, not at every spread.
    found = _SEEN.get(query)
    if found is None:
        finder = _FindsIntrospection()
        visit(document, finder)
        found = finder.found
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.pop(next(iter(_SEEN)))
        _SEEN[query] = found
    return found


class SignedInIntrospection(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context: Context = execution.context
        document = execution.graphql_document
        if document is None or context.principal is not None or execution.query is None:
            yield
            return
        if _introspects(execution.query, document):
            raise Unauthenticated("Sign in to read the schema.")
        yield
