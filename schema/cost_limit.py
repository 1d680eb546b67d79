"""Every operation within its caller's budget, refused before any SQL runs.

In validation, before graphql-core's own rules (some are super-linear on a fragment bomb): a
document deeper than the depth limit, with too many aliases, or over the largest budget is
refused at once. Just before execution, once `Transaction` has resolved the caller (a token
lookup, nothing more), the cost is held against the caller's own budget; a caller without a
(valid) token over the anonymous budget is told to sign in, since a token's budget would do.
A client that sends `"extensions": {"cost": true}` reads `extensions.cost = {requested, limit}`
in the answer."""

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from graphql import GraphQLError, GraphQLSchema, get_introspection_query, parse
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

import model as m
from policies.principal import Principal
from resolvers.context import Context
from resolvers.errors import QueryTooComplex, Unauthenticated
from schema.cost import INTROSPECTION_NESTING, CostAnalysis, DocumentCost, Operation
from schema.documents import DocumentCache, Documents

# GraphiQL's introspection query, with every option graphql-core knows.
INTROSPECTION_QUERY = get_introspection_query(
    descriptions=True,
    specified_by_url=True,
    directive_is_repeatable=True,
    schema_description=True,
    input_value_deprecation=True,
)


@dataclass(frozen=True)
class Budgets:
    """The most an operation may cost, per kind of caller."""

    anonymous: int = 1_000
    personal: int = 1_000_000
    inspector: int = 2_000_000
    integrator: int = 1_000_000

    def of(self, principal: Principal | None) -> int:
        if principal is None:
            return self.anonymous
        return {
            m.TokenKind.LOGIN: self.personal,
            m.TokenKind.INSPECTOR: self.inspector,
            m.TokenKind.INTEGRATOR: self.integrator,
        }[principal.kind]

    @property
    def largest(self) -> int:
        return max(self.anonymous, self.personal, self.inspector, self.integrator)

    def with_introspection(self, analysis: CostAnalysis) -> "Budgets":
        """Anonymous callers allowed to read the schema can afford GraphiQL's introspection
        query twice over."""
        document = analysis.of(INTROSPECTION_QUERY, parse(INTROSPECTION_QUERY))
        operation = document.operation(None)
        assert operation is not None
        return replace(self, anonymous=max(self.anonymous, 2 * document.cost(operation, None)))


class Limits:
    """The limits of one schema: built with it, bound to it once graphql-core's schema exists."""

    def __init__(
        self, budgets: Budgets, *, max_depth: int, max_aliases: int, anonymous_introspection: bool
    ) -> None:
        self.budgets = budgets
        self.max_depth = max_depth
        self.max_aliases = max_aliases
        self.anonymous_introspection = anonymous_introspection
        self.documents = Documents()
        # Validation of the kept documents only (others are validated each time they come).
        self.validate: Callable[..., list[GraphQLError]] = lru_cache(self.documents.maxsize)(
            validate_document
        )
        self._analysis: CostAnalysis | None = None

    def bind(self, schema: GraphQLSchema) -> None:
        self._analysis = CostAnalysis(schema)
        if self.anonymous_introspection:
            self.budgets = self.budgets.with_introspection(self._analysis)

    @property
    def analysis(self) -> CostAnalysis:
        assert self._analysis is not None, "Limits.bind(schema) first"
        return self._analysis

    def extension(self) -> "CostLimit":
        return CostLimit(self)

    def parser(self) -> DocumentCache:
        return DocumentCache(self.documents)


class CostLimit(SchemaExtension):
    """Placed after `Transaction`: its `on_execute` runs once the caller is known."""

    def __init__(self, limits: Limits) -> None:
        super().__init__()
        self.limits = limits
        self.cost: int | None = None
        self.limit = limits.budgets.largest

    def on_validate(self) -> Iterator[None]:
        execution = self.execution_context
        refusal = self._refusal()
        if refusal is not None:
            execution.pre_execution_errors = [
                GraphQLError(refusal.message, extensions=refusal.extensions, original_error=refusal)
            ]
        elif self._kept():
            assert execution.graphql_document is not None
            execution.pre_execution_errors = self.limits.validate(
                execution.schema._schema, execution.graphql_document, execution.validation_rules
            )
        yield  # else Strawberry validates the document

    def _kept(self) -> bool:
        execution = self.execution_context
        if execution.graphql_document is None or execution.query is None:
            return False
        return self.limits.documents.kept(execution.query, execution.graphql_document)

    async def on_execute(self) -> AsyncIterator[None]:
        context: Context = self.execution_context.context
        if self.cost is not None:
            self.limit = self.limits.budgets.of(context.principal)
            if self.cost > self.limit:
                if context.principal is None:
                    # Anonymous callers may sign in (and read the schema, where allowed); a
                    # document within a signed-in budget needs a token, not fewer fields.
                    raise context.auth_error or Unauthenticated(
                        f"Sign in first: this request costs {self.cost}, more than the "
                        f"{self.limit} a request without a token may.",
                        cost=self.cost,
                        limit=self.limit,
                    )
                raise QueryTooComplex(
                    f"This request costs {self.cost}; you may spend {self.limit} on one. "
                    "Ask for fewer rows (`first`) or fewer nested lists.",
                    cost=self.cost,
                    limit=self.limit,
                )
        yield

    def get_results(self) -> dict[str, Any]:
        requested = (self.execution_context.operation_extensions or {}).get("cost")
        if requested is not True or self.cost is None:
            return {}
        return {"cost": {"requested": self.cost, "limit": self.limit}}

    def _refusal(self) -> QueryTooComplex | None:
        execution = self.execution_context
        if execution.graphql_document is None or execution.query is None:
            return None
        document = self.limits.analysis.of(
            execution.query, execution.graphql_document, keep=self._kept()
        )
        operation = document.operation(execution.operation_name)
        if operation is None:
            return None  # no such operation: graphql-core says so
        return self._structure(operation) or self._cost(document, operation)

    def _structure(self, operation: Operation) -> QueryTooComplex | None:
        limits = self.limits
        if operation.depth > limits.max_depth:
            return QueryTooComplex(
                f"This request nests {operation.depth} levels deep; at most "
                f"{limits.max_depth} are allowed.",
                depth=operation.depth,
                limit=limits.max_depth,
            )
        if operation.aliases > limits.max_aliases:
            return QueryTooComplex(
                f"This request has {operation.aliases} aliases; at most "
                f"{limits.max_aliases} are allowed.",
                aliases=operation.aliases,
                limit=limits.max_aliases,
            )
        if operation.introspection_nesting > INTROSPECTION_NESTING:
            return QueryTooComplex(
                f"This schema query nests {operation.introspection_nesting} lists; at most "
                f"{INTROSPECTION_NESTING} are allowed.",
                limit=INTROSPECTION_NESTING,
            )
        return None

    def _cost(self, document: DocumentCost, operation: Operation) -> QueryTooComplex | None:
        self.cost = document.cost(operation, self.execution_context.variables)
        if self.cost <= self.limit:
            return None
        return QueryTooComplex(
            f"This request costs {self.cost}; no request may cost more than {self.limit}. "
            "Ask for fewer rows (`first`) or fewer nested lists.",
            cost=self.cost,
            limit=self.limit,
        )
