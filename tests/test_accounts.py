"""Signing in, temporary passwords (R-ACC-1), tokens and `me`."""

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

import model as m
from model.base import utc_now
from resolvers.accounts.sign_in import token_digest
from tests.client import GraphQLClient
from tests.factories import PASSWORD, Factory, build

ME = "{ me { login mustChangePassword roles { role school { name } } person { fullName } } }"
CLASSES = "{ classes { totalCount } }"


async def _teacher(engine: AsyncEngine, *, temporary: bool = False) -> None:
    async def recipe(f: Factory) -> None:
        setup = await f.school()
        await f.school_class(setup, 5, "А", students=2)
        teacher = await f.person(setup, "Петрова", m.Role.TEACHER, m.Role.PARENT)
        setup.classes[0].class_teacher_id = teacher.id
        await f.account(teacher, "petrova", must_change_password=temporary)

    await build(engine, recipe)


async def test_login_returns_a_token_that_identifies_the_caller(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given
    await _teacher(engine)
    # when (logins are case-insensitive, as people type them)
    token = await api.login(" Petrova", PASSWORD)
    me = (await api(ME, token=token)).data["me"]
    # then
    assert me["login"] == "petrova"
    assert me["mustChangePassword"] is False
    assert me["person"]["fullName"].startswith("Петрова ")
    assert sorted(grant["role"] for grant in me["roles"]) == ["class_teacher", "parent", "teacher"]


async def test_token_is_stored_only_as_a_digest(engine: AsyncEngine, api: GraphQLClient) -> None:
    await _teacher(engine)
    token = await api.login("petrova", PASSWORD)
    async with engine.connect() as connection:
        digests = (await connection.execute(select(m.AuthToken.digest))).scalars().all()
    assert digests == [token_digest(token)]
    assert token.encode() not in digests


async def test_wrong_password_or_unknown_login_is_unauthenticated(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    await _teacher(engine)
    query = 'mutation($l: String!) { login(login: $l, password: "nope") { token } }'
    for login in ["petrova", "nobody"]:
        reply = await api(query, {"l": login})
        assert reply.error_code == "UNAUTHENTICATED"
        assert reply.body["errors"][0]["message"] == "Wrong login or password."


async def test_calls_without_a_token_are_unauthenticated(api: GraphQLClient) -> None:
    for query in [ME, CLASSES, '{ node(id: "U2Nob29sOjE=") { id } }']:
        assert (await api(query)).error_code == "UNAUTHENTICATED"


async def test_temporary_password_must_be_changed_first(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given a teacher with a temporary password (R-ACC-1)
    await _teacher(engine, temporary=True)
    token = await api.login("petrova", PASSWORD)
    # when they read the journal first, then they are refused
    refused = await api(CLASSES, token=token)
    assert refused.error_code == "FORBIDDEN"
    assert refused.body["errors"][0]["extensions"]["reason"] == "PASSWORD_CHANGE_REQUIRED"
    assert (await api(ME, token=token)).data["me"]["mustChangePassword"] is True
    # when they change it, then the journal opens
    change = (
        "mutation($o: String!, $n: String!) { passwordChange(oldPassword: $o, newPassword: $n) }"
    )
    assert (await api(change, {"o": PASSWORD, "n": "new-secret-42"}, token=token)).data
    assert (await api(CLASSES, token=token)).data["classes"]["totalCount"] == 1
    assert await api.login("petrova", "new-secret-42")


async def test_password_change_rejects_weak_or_wrong_input_and_changes_nothing(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    await _teacher(engine, temporary=True)
    token = await api.login("petrova", PASSWORD)
    change = (
        "mutation($o: String!, $n: String!) { passwordChange(oldPassword: $o, newPassword: $n) }"
    )
    cases = [("wrong", "new-secret-42"), (PASSWORD, "short"), (PASSWORD, PASSWORD)]
    for old, new in cases:
        assert (await api(change, {"o": old, "n": new}, token=token)).error_code == "BAD_USER_INPUT"
    assert (await api(ME, token=token)).data["me"]["mustChangePassword"] is True
    assert await api.login("petrova", PASSWORD)


async def test_password_change_signs_out_other_sessions(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    await _teacher(engine)
    first, second = await api.login("petrova", PASSWORD), await api.login("petrova", PASSWORD)
    change = (
        "mutation($o: String!, $n: String!) { passwordChange(oldPassword: $o, newPassword: $n) }"
    )
    assert (await api(change, {"o": PASSWORD, "n": "new-secret-42"}, token=first)).data
    assert (await api(ME, token=first)).data
    assert (await api(ME, token=second)).error_code == "UNAUTHENTICATED"


async def test_logout_revokes_the_token(engine: AsyncEngine, api: GraphQLClient) -> None:
    await _teacher(engine)
    token = await api.login("petrova", PASSWORD)
    assert (await api("mutation { logout }", token=token)).data == {"logout": True}
    assert (await api(ME, token=token)).error_code == "UNAUTHENTICATED"


async def test_expired_token_is_unauthenticated(engine: AsyncEngine, api: GraphQLClient) -> None:
    await _teacher(engine)
    token = await api.login("petrova", PASSWORD)
    async with engine.begin() as connection:
        await connection.execute(
            update(m.AuthToken).values(expires_at=utc_now() - timedelta(seconds=1))
        )
    assert (await api(ME, token=token)).error_code == "UNAUTHENTICATED"
    assert (await api(ME, token="tbl_made-up")).error_code == "UNAUTHENTICATED"
