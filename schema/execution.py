"""Completing plain objects in one step (issue 5).

graphql-core completes every field of every object on its own: it builds a resolve info, calls
the field's resolver, checks nullability, coerces the value and records the path — about twenty
microseconds a field, so a grade grid of a thousand cells spent most of its time there. Yet the
screens' read models (`schema/journal_views.py`) are plain objects: every field is an attribute,
with no resolver, arguments or permission check. For an object type like that, this execution
context compiles the query's selection on it once per request into a function that builds the
answer straight from the attributes, and uses it for every object of the list.

Everything else — a field with a resolver, an interface or union, `is_type_of` — goes the
ordinary way, so the types, the validation, the errors and the answers are the same: only the
work per field differs (`tests/test_execution.py` compares the two).
"""

from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField

Complete = Callable[[Any], Any]


def _plain_attribute(definition: StrawberryField | None) -> str | None:
    """The attribute a field reads, if that is all it does."""
    if (
        definition is None
        or not definition.is_basic_field
        or definition.permission_classes
        or definition.arguments
    ):
        return None
    return definition.python_name


class LeanExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # (type, id of the field list) -> (the list, kept alive so its id stays its own; plan)
        self._plans: dict[tuple[GraphQLObjectType, int], tuple[Any, Complete | None]] = {}

    def complete_object_value(
        self,
        return_type: GraphQLObjectType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        complete = self._object_plan(return_type, field_details_list)
        if complete is None:
            return super().complete_object_value(
                return_type, field_details_list, info, path, result, position_context
            )
        return complete(result)

    def _object_plan(
        self, object_type: GraphQLObjectType, field_details_list: FieldDetailsList
    ) -> Complete | None:
        key = (object_type, id(field_details_list))
        cached = self._plans.get(key)
        if cached is None:
            cached = (field_details_list, self._compile_object(object_type, field_details_list))
            self._plans[key] = cached
        return cached[1]

    def _compile_object(
        self, object_type: GraphQLObjectType, field_details_list: FieldDetailsList
    ) -> Complete | None:
        if object_type.is_type_of is not None:
            return None
        grouped = self.collect_subfields(object_type, field_details_list).grouped_field_set
        entries: list[tuple[str, str, Complete]] = []
        typename: list[str] = []
        for response_key, details in grouped.items():
            name = details[0].node.name.value
            if name == "__typename":
                typename.append(response_key)
                continue
            field = object_type.fields[name]
            attribute = _plain_attribute((field.extensions or {}).get("strawberry-definition"))
            if attribute is None:
                return None
            complete = self._compile_value(field.type, details, f"{object_type.name}.{name}")
            if complete is None:
                return None
            entries.append((response_key, attribute, complete))
        type_name = object_type.name

        def complete_object(source: Any) -> dict[str, Any]:
            answer = {key: complete(getattr(source, attr)) for key, attr, complete in entries}
            for key in typename:
                answer[key] = type_name
            return answer

        return complete_object

    def _compile_value(
        self, type_: GraphQLOutputType, details: FieldDetailsList, where: str
    ) -> Complete | None:
        if isinstance(type_, GraphQLNonNull):
            inner = self._compile_value(type_.of_type, details, where)
            if inner is None:
                return None
            complete_inner = inner

            def complete_required(value: Any) -> Any:
                if value is None:
                    raise TypeError(f"Cannot return null for non-nullable field {where}.")
                return complete_inner(value)

            return complete_required
        inner_plan = self._compile_nullable(type_, details, where)
        if inner_plan is None:
            return None
        complete_nullable = inner_plan

        def complete_optional(value: Any) -> Any:
            return None if value is None else complete_nullable(value)

        return complete_optional

    def _compile_nullable(
        self, type_: GraphQLOutputType, details: FieldDetailsList, where: str
    ) -> Complete | None:
        if isinstance(type_, GraphQLList):
            item = self._compile_value(type_.of_type, details, where)
            if item is None:
                return None
            complete_item = item
            return lambda values: [complete_item(value) for value in values]
        if isinstance(type_, GraphQLScalarType | GraphQLEnumType):
            coerce = type_.coerce_output_value

            def complete_leaf(value: Any) -> Any:
                coerced = coerce(value)
                if coerced is Undefined or coerced is None:
                    raise TypeError(f"{where} cannot be given as {type_.name}: {value!r}.")
                return coerced

            return complete_leaf
        if isinstance(type_, GraphQLObjectType):
            return self._object_plan(type_, details)
        return None  # interfaces and unions decide their type at run time
