"""Default deny: every field that reaches the journal's data declares what it reads or writes."""

import inspect
from typing import Any

from graphql import GraphQLField, GraphQLObjectType, get_named_type
from strawberry.types.base import StrawberryOptional
from strawberry.types.field import StrawberryField

from policies.vocabulary import RESOURCE_OF, Action, Resource
from schema.base import CALLER, POLICY, ModelNode
from schema.build import build_schema
from schema.permissions import Declared

# Root fields that are not about the school's data, each with its own check.
OWN_CHECKS = {
    ("Query", "me"): "the caller's own principal (SignedIn)",
    ("Query", "node"): "decides by the node's type at run time, then filters rows",
    ("Mutation", "login"): "public: it is how a token is obtained",
    ("Mutation", "logout"): "the caller's own token (SignedIn, PersonalAccount)",
    ("Mutation", "passwordChange"): "the caller's own account (SignedIn, PersonalAccount)",
    # Its preview is a read (the admin and the head), its commit a write (the admin): it
    # declares the read, and the resolver asks for the write when `commit` is true.
    ("Mutation", "schoolYearRollover"): "year_rollover read; write checked on commit",
}
WRAPPERS = ("Connection", "Edge", "PageInfo", "Payload")


def _definition(field: GraphQLField) -> StrawberryField:
    definition: StrawberryField = (field.extensions or {})["strawberry-definition"]
    return definition


def _resource_of_type(type_: Any) -> Resource | None:
    origin = (type_.extensions or {}).get("strawberry-definition")
    cls = getattr(origin, "origin", None)
    if isinstance(cls, type) and issubclass(cls, ModelNode):
        return RESOURCE_OF[cls.__model__]
    resource: Resource | None = getattr(cls, "__resource__", None)
    return resource


def _undeclared() -> list[str]:
    schema = build_schema()._schema
    problems = []
    for type_name, type_ in schema.type_map.items():
        if type_name.startswith("__") or not isinstance(type_, GraphQLObjectType):
            continue
        for field_name, field in type_.fields.items():
            target = get_named_type(field.type)
            where = f"{type_name}.{field_name}"
            definition = _definition(field)
            if type_name in {"Query", "Mutation"}:
                if (type_name, field_name) in OWN_CHECKS:
                    continue
                declared = [p for p in definition.permission_classes if issubclass(p, Declared)]
                action = Action.READ if type_name == "Query" else Action.WRITE
                if not declared:
                    problems.append(f"{where}: no declaration")
                elif declared[0].action is not action:
                    problems.append(f"{where}: declares {declared[0].action}, expected {action}")
                continue
            if not isinstance(target, GraphQLObjectType) and not hasattr(target, "resolve_type"):
                continue  # scalars and enums of a row the caller could already read
            if type_name.endswith(WRAPPERS):
                continue  # pages and payloads: their root field declares
            policy = definition.metadata.get(POLICY)
            expected = _resource_of_type(target)
            if policy == CALLER[POLICY]:
                continue
            if policy is None:
                problems.append(f"{where}: no declaration")
            elif expected is not None and policy != (expected, Action.READ):
                problems.append(f"{where}: declares {policy}, returns {expected}")
    return problems


def test_every_field_reaching_data_declares_its_resource() -> None:
    assert _undeclared() == []


def test_every_row_type_maps_to_a_resource() -> None:
    schema = build_schema()._schema
    for type_name, type_ in schema.type_map.items():
        definition = (getattr(type_, "extensions", None) or {}).get("strawberry-definition")
        cls = getattr(definition, "origin", None)
        if isinstance(cls, type) and issubclass(cls, ModelNode):
            assert cls.__model__ in RESOURCE_OF, type_name


def test_every_argument_a_client_may_leave_out_has_a_default() -> None:
    """A nullable argument is optional in GraphQL; its resolver must not then fail with a
    TypeError (INTERNAL_SERVER_ERROR) when a client leaves it out: `lessonSubstitute`
    without `substituteId` once did."""
    missing = []
    for type_ in build_schema().schema_converter.type_map.values():
        name = getattr(type_.definition, "name", "")
        for field in getattr(type_.definition, "fields", None) or []:
            if field.base_resolver is None:
                continue
            parameters = inspect.signature(field.base_resolver.wrapped_func).parameters
            for argument in field.arguments:
                parameter = parameters.get(argument.python_name)
                optional = isinstance(argument.type, StrawberryOptional)
                if parameter is not None and optional and parameter.default is parameter.empty:
                    missing.append(f"{name}.{field.name}({argument.python_name})")
    assert missing == []
