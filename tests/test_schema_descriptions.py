"""Every part of the schema an integrator reads in GraphiQL's docs is described (issue 10,
item 2): each type, field, argument, enum value and input field says what it means. GraphQL's
own scalars and the introspection types are described by the specification."""

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    specified_scalar_types,
)

from schema.build import build_schema
from schema.permissions import Declared
from schema.readers import who_may


def _undescribed(schema: GraphQLSchema) -> list[str]:
    """`Type`, `Type.field`, `Type.field(argument)`, `Enum.VALUE` and `Input.field` that have
    no description, or one of only spaces."""
    missing: list[str] = []

    def check(where: str, description: str | None) -> None:
        if not (description or "").strip():
            missing.append(where)

    for name, type_ in sorted(schema.type_map.items()):
        if name.startswith("__") or name in specified_scalar_types:
            continue
        check(name, type_.description)
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in type_.fields.items():
                check(f"{name}.{field_name}", field.description)
                for argument_name, argument in field.args.items():
                    check(f"{name}.{field_name}({argument_name})", argument.description)
        elif isinstance(type_, GraphQLInputObjectType):
            for field_name, input_field in type_.fields.items():
                check(f"{name}.{field_name}", input_field.description)
        elif isinstance(type_, GraphQLEnumType):
            for value_name, value in type_.values.items():
                check(f"{name}.{value_name}", value.description)
    return missing


def test_every_type_field_argument_enum_value_and_input_field_is_described() -> None:
    # given the schema the server serves
    schema = build_schema()._schema

    # when every named part of it is looked at
    missing = _undescribed(schema)

    # then none is left without a description
    assert missing == [], f"{len(missing)} without a description:\n" + "\n".join(missing)


def test_the_check_finds_what_is_not_described() -> None:
    # given a schema with an undescribed type, field, argument, enum value and input field
    from graphql import build_schema as from_sdl

    schema = from_sdl(
        '"""Described."""\n'
        'type Query { a(x: Int): Int, """B.""" b: Kind, c(i: In): Int }\n'
        '"""Kinds."""\nenum Kind { ONE """Two.""" TWO }\n'
        "input In { y: Int }\n"
    )

    # when it is checked
    missing = _undescribed(schema)

    # then each of them is named, and only they
    assert missing == ["In", "In.y", "Kind.ONE", "Query.a", "Query.a(x)", "Query.c", "Query.c(i)"]


def test_root_fields_say_who_may_call_them_as_the_policies_decide() -> None:
    # given the schema, and the rules each root field and mutation declares
    schema = build_schema()._schema
    fields = {**schema.query_type.fields, **schema.mutation_type.fields}  # type: ignore[union-attr]

    # when their descriptions are read
    said = {name: field.description or "" for name, field in fields.items()}

    # then each declared one ends with who may, as worked out from the policies
    for name, field in fields.items():
        declared = [
            p
            for p in field.extensions["strawberry-definition"].permission_classes
            if issubclass(p, Declared)
        ]
        if declared:
            rule = declared[0]
            assert said[name].endswith(who_may(rule.resource, rule.action, rule.table)), name
    # and what it says is the rules': teachers enter grades of what they teach, the head none
    assert "teachers and psychologists (педагог-психолог) — what they teach" in said["gradesSet"]
    assert "head" not in said["gradesSet"].partition("Who may write:")[2]
    assert "parents — their children's" in said["grades"]
    # and a write of one table of a resource names only the rules that reach it: a class
    # teacher writes their class's weekly timetable, not a day's changes (В.1 #6)
    assert "class teachers" in said["timetableSet"]
    assert "class teachers" not in said["timetableChangeAdd"].partition("Who may write:")[2]
