"""Completing plain objects in one step (issue 5).

graphql-core completes every field of every object on its own: it builds a resolve info, calls
the field's resolver, checks nullability, coerces the value and records the path — about twenty
microseconds a field, so a grade grid of a thousand cells spent most of its time there. Yet the
screens' read models (`schema/screens/journal_views.py`) are plain objects: every field is an
attribute, with no resolver, arguments or permission check. For an object type like that, this
execution context compiles the query's selection on it once per request into a function that
builds the answer straight from the attributes, and uses it for every object of the list.

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
# (non-null?, the Python type whose values are answered as they are, completion of the rest,
# where it is for messages)
Slot = tuple[bool, type, Complete, str]


class _Nothing:
    """No value is of this type: every value goes through its completion."""


_NOTHING = _Nothing
# Built-in scalars whose values of exactly this Python type are already what they answer.
_AS_IS: dict[str, type] = {"String": str, "ID": str, "Boolean": bool}


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
        entries: list[tuple[str, str, Slot]] = []
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
            slot = self._compile_slot(field.type, details, f"{object_type.name}.{name}")
            if slot is None:
                return None
            entries.append((response_key, attribute, slot))
        type_name = object_type.name

        def complete_object(source: Any) -> dict[str, Any]:
            answer: dict[str, Any] = {}
            for key, attribute, (required, exact, complete, where) in entries:
                value = getattr(source, attribute)
                if value is None:
                    if required:
                        raise TypeError(f"Cannot return null for non-nullable field {where}.")
                    answer[key] = None
                elif type(value) is exact:
                    answer[key] = value
                else:
                    answer[key] = complete(value)
            for key in typename:
                answer[key] = type_name
            return answer

        return complete_object

    def _compile_slot(
        self, type_: GraphQLOutputType, details: FieldDetailsList, where: str
    ) -> Slot | None:
        """How to complete a value of `type_`: whether it may be null, the Python type a value
        is given as is (strings as `String` or `ID`, booleans), and what completes any other."""
        required = isinstance(type_, GraphQLNonNull)
        nullable = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        if isinstance(nullable, GraphQLList):
            item = self._compile_slot(nullable.of_type, details, where)
            if item is None:
                return None
            item_required, item_exact, complete_item, _ = item

            def complete_list(values: Any) -> list[Any]:
                completed: list[Any] = []
                for value in values:
                    if value is None:
                        if item_required:
                            raise TypeError(f"Cannot return null in the list {where}.")
                        completed.append(None)
                    elif type(value) is item_exact:
                        completed.append(value)
                    else:
                        completed.append(complete_item(value))
                return completed

            return required, _NOTHING, complete_list, where
        if isinstance(nullable, GraphQLScalarType | GraphQLEnumType):
            coerce = nullable.coerce_output_value
            leaf = nullable.name

            def complete_leaf(value: Any) -> Any:
                coerced = coerce(value)
                if coerced is Undefined or coerced is None:
                    raise TypeError(f"{where} cannot be given as {leaf}: {value!r}.")
                return coerced

            return required, _AS_IS.get(leaf, _NOTHING), complete_leaf, where
        if isinstance(nullable, GraphQLObjectType):
            complete = self._object_plan(nullable, details)
            return None if complete is None else (required, _NOTHING, complete, where)
        return None  # interfaces and unions decide their type at run time
