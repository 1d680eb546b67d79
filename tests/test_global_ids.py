"""Global IDs and cursors are taken only in the form this API writes them, with ids in range
(issue 9, item 2): anything else is BAD_USER_INPUT, never an internal error on either engine."""

import base64

import pytest
from strawberry import relay

from resolvers.pagination import MAX_ROW_ID, encode_cursor
from tests.client import GraphQLClient


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


NOT_OURS = {
    "a space": _b64("Person: 1"),
    "a fullwidth digit": _b64("Person:１"),
    "a plus sign": _b64("Person:+1"),
    "a leading zero": _b64("Person:01"),
    "an underscore": _b64("Person:1_0"),
    "past 64 bits": _b64(f"Person:{2**64 + 1}"),
    "just past the largest id": _b64(f"Person:{MAX_ROW_ID + 1}"),
    "junk after the base64": relay.to_base64("Person", 1) + "!!",
    "no padding": relay.to_base64("Person", 1).rstrip("="),
    "no type": _b64("1"),
    "not base64": "Person:1",
    "very long": relay.to_base64("Person", 1) * 1000,
}
NODE = "query($id: ID!) { node(id: $id) { id } }"
DIARY = 'query($id: ID!) { diaryWeek(studentId: $id, weekOf: "2026-11-16") { days { date } } }'


@pytest.mark.parametrize("global_id", NOT_OURS.values(), ids=NOT_OURS.keys())
async def test_an_id_not_in_our_form_is_bad_user_input(
    api: GraphQLClient, demo_school: dict[str, str], global_id: str
) -> None:
    # given the head, signed in
    token = await api.login(demo_school["head"], "demo")
    # when an ID in another form is asked for, as a node and as an argument
    as_node = await api(NODE, {"id": global_id}, token=token)
    as_argument = await api(DIARY, {"id": global_id}, token=token)
    # then both are refused as the client's mistake
    assert as_node.error_codes == ["BAD_USER_INPUT"]
    assert as_argument.error_codes == ["BAD_USER_INPUT"]


async def test_the_largest_id_is_simply_not_found(
    api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    token = await api.login(demo_school["head"], "demo")
    largest = relay.to_base64("Person", MAX_ROW_ID)
    assert (await api(NODE, {"id": largest}, token=token)).error_codes == ["NOT_FOUND"]
    assert (await api(DIARY, {"id": largest}, token=token)).error_codes == ["NOT_FOUND"]


SCHOOLS = "query($after: String) { schools(first: 1, after: $after) { totalCount nodes { id } } }"
NOT_A_CURSOR = {
    "a plus sign": base64.urlsafe_b64encode(b"c:+1").decode(),
    "a fullwidth digit": base64.urlsafe_b64encode("c:１".encode()).decode(),
    "a space": base64.urlsafe_b64encode(b"c: 1").decode(),
    "past 64 bits": base64.urlsafe_b64encode(f"c:{2**64}".encode()).decode(),
    "junk after the base64": encode_cursor(1) + "$$",
    "another kind": base64.urlsafe_b64encode(b"x:1").decode(),
    "a global ID": relay.to_base64("School", 1),
}


@pytest.mark.parametrize("cursor", NOT_A_CURSOR.values(), ids=NOT_A_CURSOR.keys())
async def test_a_cursor_not_in_our_form_is_bad_user_input(
    api: GraphQLClient, demo_school: dict[str, str], cursor: str
) -> None:
    token = await api.login(demo_school["head"], "demo")
    reply = await api(SCHOOLS, {"after": cursor}, token=token)
    assert reply.error_codes == ["BAD_USER_INPUT"]
    assert reply.body["errors"][0]["extensions"]["argument"] == "after"


async def test_a_cursor_past_every_row_is_an_empty_page(
    api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    token = await api.login(demo_school["head"], "demo")
    first = (await api(SCHOOLS, {}, token=token)).data["schools"]
    assert first["nodes"]
    past = (await api(SCHOOLS, {"after": encode_cursor(MAX_ROW_ID)}, token=token)).data
    assert past["schools"]["nodes"] == []
