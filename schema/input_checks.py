"""Arguments checked against their declared bounds (`schema/bounds.py`) before a resolver runs.

graphql-core hands a field's resolver its coerced arguments (variables and literals alike, input
objects as dicts): for every field that takes a text or a list, the resolver is wrapped once, when
the schema is built, in a check compiled from the argument types. Fields without such arguments —
the screens, every plain object field — run exactly as before: the checks cost nothing on them,
and one call per root field elsewhere."""

import re
from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLField,
    GraphQLFieldResolver,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    default_field_resolver,
)

from resolvers.errors import BadUserInput
from schema.bounds import BOUND, Bound

Where = tuple[str | int, ...]  # argument, input fields and list positions down to the value
Check = Callable[[Any, Where], None]

# C0 and C1 control characters, DEL, and lone surrogates (which no database can store).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def bound_of(definition: GraphQLArgument | GraphQLInputField) -> Bound | None:
    declared = (definition.extensions or {}).get("strawberry-definition")
    bound = getattr(declared, "metadata", {}).get(BOUND)
    return bound if isinstance(bound, Bound) else None


def refusal(message: str, where: Where, **details: Any) -> BadUserInput:
    """`field` names the argument or input field, `argument` the argument it is in, `item`
    the position in the nearest list."""
    names = [step for step in where if isinstance(step, str)]
    positions = [step for step in where if isinstance(step, int)]
    context: dict[str, Any] = {"field": names[-1]}
    if len(names) > 1:
        context["argument"] = names[0]
    if positions:
        context["item"] = positions[-1]
    return BadUserInput(message, **context, **details)


def _text_check(bound: Bound) -> Check:
    max_length = bound.max_length
    control = _CONTROL_BUT_LINES if bound.multiline else _CONTROL

    def check_text(value: Any, where: Where) -> None:
        if not isinstance(value, str):
            return
        if max_length is not None and len(value) > max_length:
            raise refusal(
                f"`{where_name(where)}` takes at most {max_length} characters, not {len(value)}.",
                where,
                maxLength=max_length,
            )
        if control.search(value) is not None:
            allowed = " (tab and new line are)" if bound.multiline else ""
            raise refusal(
                f"`{where_name(where)}` may not contain control characters such as NUL{allowed}.",
                where,
            )

    return check_text


def where_name(where: Where) -> str:
    return next(str(step) for step in reversed(where) if isinstance(step, str))


class InputChecks:
    """Checks compiled per input type, each input object once."""

    def __init__(self) -> None:
        self._objects: dict[str, Check | None] = {}
        self._compiling: set[str] = set()

    def value(self, type_: GraphQLInputType, bound: Bound | None) -> Check | None:
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        if isinstance(type_, GraphQLList):
            return self._list(type_, bound)
        if isinstance(type_, GraphQLInputObjectType):
            return self._object(type_)
        if type_.name == "String" and bound is not None:
            return _text_check(bound)
        return None

    def _list(self, type_: GraphQLList[Any], bound: Bound | None) -> Check | None:
        item_bound = None if bound is None else Bound(bound.max_length, None, bound.multiline)
        check_item = self.value(type_.of_type, item_bound)
        max_items = None if bound is None else bound.max_items
        if check_item is None and max_items is None:
            return None

        def check_list(values: Any, where: Where) -> None:
            if not isinstance(values, list):
                return
            if max_items is not None and len(values) > max_items:
                raise refusal(
                    f"`{where_name(where)}` takes at most {max_items} items, not {len(values)}.",
                    where,
                    maxItems=max_items,
                )
            if check_item is not None:
                for position, value in enumerate(values):
                    check_item(value, (*where, position))

        return check_list

    def _object(self, type_: GraphQLInputObjectType) -> Check | None:
        if type_.name in self._compiling:  # a recursive input type meets itself
            return self._late(type_.name)
        if type_.name in self._objects:
            return self._objects[type_.name]
        self._compiling.add(type_.name)
        checks = {
            name: check
            for name, field in type_.fields.items()
            if (check := self.value(field.type, bound_of(field))) is not None
        }

        def check_object(value: Any, where: Where) -> None:
            if not isinstance(value, dict):
                return
            for name, check in checks.items():
                if (given := value.get(name)) is not None:
                    check(given, (*where, name))

        compiled = check_object if checks else None
        self._objects[type_.name] = compiled
        self._compiling.discard(type_.name)
        return compiled

    def _late(self, name: str) -> Check:
        def check_later(value: Any, where: Where) -> None:
            check = self._objects[name]
            if check is not None:
                check(value, where)

        return check_later


def _checked(resolve: GraphQLFieldResolver, checks: dict[str, Check]) -> GraphQLFieldResolver:
    def resolve_checked(source: Any, info: GraphQLResolveInfo[Any], **arguments: Any) -> Any:
        for name, check in checks.items():
            if (given := arguments.get(name)) is not None:
                check(given, (name,))
        return resolve(source, info, **arguments)

    return resolve_checked


def check_arguments(schema: GraphQLSchema) -> None:
    """Wrap the resolver of every field whose arguments have something to check."""
    compiled = InputChecks()
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for field in type_.fields.values():
            _wrap(field, compiled)


def _wrap(field: GraphQLField, compiled: InputChecks) -> None:
    checks = {
        name: check
        for name, argument in field.args.items()
        if (check := compiled.value(argument.type, bound_of(argument))) is not None
    }
    if checks:
        field.resolve = _checked(field.resolve or default_field_resolver, checks)


def most_items(schema: GraphQLSchema) -> int:
    """The largest list any argument or input field takes: a ceiling for raw variables."""
    declared = [0]
    for type_ in schema.type_map.values():
        definitions: list[GraphQLArgument | GraphQLInputField] = []
        if isinstance(type_, GraphQLObjectType):
            definitions = [arg for field in type_.fields.values() for arg in field.args.values()]
        elif isinstance(type_, GraphQLInputObjectType):
            definitions = list(type_.fields.values())
        for definition in definitions:
            bound = bound_of(definition)
            if bound is not None and bound.max_items is not None:
                declared.append(bound.max_items)
    return max(declared)
