"""Every root list, with every field of its nodes, answers on a generated school."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.client import GraphQLClient
from tests.conftest import StatementCounter

INTROSPECT = """{ __schema { queryType { fields { name args { type { kind } }
  type { name kind ofType { name } } } }
  types { name kind fields { name args { name type { kind } } type { kind name ofType {
    kind name ofType { kind name ofType { kind name } } } } } } } }"""

LEAF = {"SCALAR", "ENUM"}
# Lists a freshly generated school has no rows for (nothing reopened or reported yet, no
# account reported compromised). The demo's calendar moves no working day (a Saturday worked
# as a Monday): none to list. Nobody has made a report as a job yet.
EMPTY_IN_A_NEW_SCHOOL = {"periodReopenings", "gradeReports", "workingDays", "compromises",
                         "reportJobs", "notificationDeliveries"}  # fmt: skip


def _named(type_ref: dict[str, Any]) -> dict[str, Any]:
    while type_ref.get("ofType"):
        type_ref = type_ref["ofType"]
    return type_ref


def _selection(types: dict[str, Any], name: str, depth: int) -> str:
    """All argument-free fields of a type; object fields to `depth` levels, leaves below."""
    parts = []
    for field in types[name]["fields"] or []:
        if any(arg["type"]["kind"] == "NON_NULL" for arg in field["args"]):
            continue
        target = _named(field["type"])
        if target["kind"] in LEAF:
            parts.append(field["name"])
        elif depth > 0 and target["kind"] == "OBJECT":
            parts.append(f"{field['name']} {{ {_selection(types, target['name'], depth - 1)} }}")
        elif target["kind"] in {"OBJECT", "INTERFACE"}:
            parts.append(f"{field['name']} {{ __typename }}")
    return " ".join(parts) or "__typename"


async def test_every_root_list_resolves_every_field(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:
    # given the admin of a generated school, and a failed sign-in on the teacher's account
    wrong = 'mutation($l: String!) { login(login: $l, password: "wrong") { token } }'
    assert (await api(wrong, {"l": demo_school["teacher"]})).error_code == "UNAUTHENTICATED"
    token = await api.login(demo_school["admin"], "demo")
    schema = (await api(INTROSPECT, token=token)).data["__schema"]
    types = {t["name"]: t for t in schema["types"]}
    # (the reports that need a school or a filter — journalControl, gradeAverages — are asked
    # with theirs in their own tests)
    roots = [
        f
        for f in schema["queryType"]["fields"]
        if (_named(f["type"])["name"] or "").endswith("Connection")
        and not any(arg["type"]["kind"] == "NON_NULL" for arg in f["args"])
    ]
    assert len(roots) >= 20
    for root in roots:
        node_type = _named(root["type"])["name"].removesuffix("Connection")
        # when every field of the first page's nodes is asked for
        fields = _selection(types, node_type, 1)
        query = f"{{ {root['name']}(first: 20) {{ totalCount nodes {{ {fields} }} }} }}"
        sql.reset()
        reply = await api(query, token=token)
        # then it answers, with rows, in a handful of statements
        data = reply.data[root["name"]]
        assert data["totalCount"] > 0 or root["name"] in EMPTY_IN_A_NEW_SCHOOL, root["name"]
        assert len(data["nodes"]) == min(20, data["totalCount"])
        assert sql.count <= 40, (root["name"], sql.count)
