"""GraphiQL's example documents run as they are, each for its role, on a generated demo school:
the page looks up the IDs they need as the signed-in user and fills in their variables (issue 10).
"""

from datetime import date
from typing import Any

from graphql import parse, validate

from schema.build import build_schema
from server.graphiql_examples import EXAMPLES, WELCOME, WELCOME_DEMO, Example
from tests.client import GraphQLClient

# The `demo_school` fixture's "today": the dates the page fills in are relative to it.
DEMO_TODAY = date(2026, 11, 20)
ROLES = ("admin", "head", "deputy", "teacher", "class_teacher", "psychologist", "student", "parent")
# The query editor beside the answer on a 1400-pixel-wide window shows about 64 characters.
EDITOR_WIDTH = 64


def _for(role: str) -> list[Example]:
    return [example for example in EXAMPLES if example.role in {role, None}]


async def _run(api: GraphQLClient, example: Example, token: str) -> dict[str, Any]:
    looked_up: dict[str, Any] = {}
    if example.lookup is not None:
        looked_up = (await api(example.lookup, token=token)).data
    variables = example.variables(looked_up, DEMO_TODAY)
    assert all(value is not None for value in variables.values()), (example.title, variables)
    reply = await api(example.document, variables, token=token)
    assert reply.status == 200, (example.title, reply.body)
    assert not reply.body.get("errors"), (example.title, variables, reply.body["errors"])
    data: dict[str, Any] = reply.data
    return data


async def test_every_example_answers_for_its_role_on_the_demo_school(
    api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given the generated demo school and its demo logins
    assert set(ROLES) <= demo_school.keys()
    for role in ROLES:
        token = await api.login(demo_school[role], "demo")
        # when each example for the role runs, its variables filled in from its lookup
        for example in _for(role):
            if "\nsubscription " in example.document:
                continue  # over the WebSocket: tests/test_subscriptions.py runs them
            data = await _run(api, example, token)
            # then it answers without errors, with data
            assert data, example.title
            if "gradeGrid" in data:  # the teacher's and the psychologist's own group
                assert data["gradeGrid"]["students"], example.title
                assert data["gradeGrid"]["lessons"], example.title


def test_every_role_of_the_demo_has_examples_of_its_own() -> None:
    # given the examples; then each demo role has at least two of its own
    for role in ROLES:
        assert len([example for example in EXAMPLES if example.role == role]) >= 2, role
    assert {example.role for example in EXAMPLES} <= {*ROLES, None}


def test_the_examples_are_valid_and_fit_the_editor() -> None:
    # given the schema and the examples, their lookups and the first tab's comment
    schema = build_schema()._schema
    for example in EXAMPLES:
        for document in (example.document, example.lookup or "{ __typename }"):
            # then each is a valid document
            assert validate(schema, parse(document)) == [], example.title
        # and each variable it declares is filled in
        declared = {
            variable.variable.name.value
            for operation in parse(example.document).definitions
            for variable in getattr(operation, "variable_definitions", None) or ()
        }
        assert declared == set(example.fill), example.title
    for text in (WELCOME, WELCOME_DEMO, *(example.document for example in EXAMPLES)):
        # and no line runs off the query editor
        assert max(len(line) for line in text.splitlines()) <= EDITOR_WIDTH, text


def test_filled_dates_count_back_from_today_and_paths_reach_into_lists() -> None:
    # given an example filling a path through a list and two dates
    example = Example(
        "", None, "", fill={"id": "a.nodes.1.id", "from": "@today-13", "to": "@today"}
    )
    # when it is filled from a lookup's answer
    variables = example.variables({"a": {"nodes": [{"id": "x"}, {"id": "y"}]}}, DEMO_TODAY)
    # then the path finds the second node, the dates are ISO days before today
    assert variables == {"id": "y", "from": "2026-11-07", "to": "2026-11-20"}
    # and a date ahead counts forward
    ahead = Example("", None, "", fill={"to": "@today+13"}).variables({}, DEMO_TODAY)
    assert ahead == {"to": "2026-12-03"}
