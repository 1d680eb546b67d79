"""Assembles the schema with its production limits."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import strawberry
from graphql import GraphQLError, GraphQLObjectType, GraphQLSchema
from strawberry.extensions import MaxTokensLimiter, SchemaExtension
from strawberry.extensions.disable_introspection import DisableIntrospection
from strawberry.schema.config import StrawberryConfig

from policies.vocabulary import RESOURCE_OF, Action, Resource
from schema.base import ModelNode
from schema.cost_limit import Budgets, Limits
from schema.errors import log_error
from schema.execution import LeanExecutionContext
from schema.input_checks import check_arguments
from schema.introspection import SignedInIntrospection
from schema.journal import audit, grading, lessons
from schema.mutation import Mutation
from schema.permissions import Declared
from schema.query import Query
from schema.readers import who_may
from schema.setup import calendar, classes, curriculum, plan, timetable
from schema.subscriptions.journal_changes import Subscription
from schema.transaction import Transaction

SDL_PATH = Path(__file__).with_name("schema.graphql")

# Types reachable only through `node(id:)` still belong in the schema.
NODE_TYPES: list[type] = [
    audit.GradeChange,
    calendar.BellSchedule,
    classes.Group,
    curriculum.GradeScale,
    grading.FinalGrade,
    lessons.Homework,
    plan.Plan,
    timetable.TimetableChange,
]


class TabelSchema(strawberry.Schema):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        check_arguments(self._schema)  # texts and lists against their declared bounds
        describe_permissions(self._schema)

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        for error in errors:
            log_error(error)


def _resource_of(type_: GraphQLObjectType) -> Resource | None:
    """The resource whose rules decide which rows of a node type you read."""
    origin = getattr((type_.extensions or {}).get("strawberry-definition"), "origin", None)
    if isinstance(origin, type) and issubclass(origin, ModelNode):
        return RESOURCE_OF[origin.__model__]
    return None


def _add(description: str | None, sentence: str) -> str:
    text = description or ""
    return text if sentence in text else f"{text} {sentence}".strip()


def describe_permissions(schema: GraphQLSchema) -> None:
    """Each root field and mutation says who may call it and on which rows, and each type of
    a school's rows who may read them: from the policies, as the field declares them."""
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        for field in root.fields.values() if root else ():
            definition = (field.extensions or {}).get("strawberry-definition")
            for permission in getattr(definition, "permission_classes", ()):
                if issubclass(permission, Declared):
                    who = who_may(permission.resource, permission.action, permission.table)
                    field.description = _add(field.description, who)
    for type_ in schema.type_map.values():
        if isinstance(type_, GraphQLObjectType) and not type_.name.startswith("__"):
            resource = _resource_of(type_)
            if resource is not None:
                type_.description = _add(type_.description, who_may(resource, Action.READ))


def build_schema(
    *,
    introspection: bool = True,
    anonymous_introspection: bool = True,
    suggestions: bool = True,
    max_depth: int = 12,
    max_aliases: int = 30,
    max_tokens: int = 4000,
    budgets: Budgets | None = None,
) -> strawberry.Schema:
    # Factories: a fresh extension per request; the parse, cost and validation caches are
    # shared. The cost limit (depth and aliases too) comes after `Transaction`, whose
    # `on_execute` resolves the caller that the budget is chosen by.
    limits = Limits(
        budgets or Budgets(),
        max_depth=max_depth,
        max_aliases=max_aliases,
        anonymous_introspection=introspection and anonymous_introspection,
    )
    extensions: list[Callable[[], SchemaExtension]] = [Transaction]
    if not introspection:
        extensions.append(DisableIntrospection)
    elif not anonymous_introspection:
        # Before the cost limit: an anonymous schema query is told to sign in, not its cost.
        extensions.append(SignedInIntrospection)
    extensions += [
        limits.extension,
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
        limits.parser,
    ]
    schema = TabelSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=NODE_TYPES,
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=not suggestions),
        execution_context_class=LeanExecutionContext,
    )
    limits.bind(schema._schema)
    return schema


def sdl() -> str:
    return build_schema().as_str() + "\n"
