"""`tabel init` opens a school on an empty, upgraded database: its region, municipality and
school and its first admin, whose temporary password is printed once and must be changed at the
first sign-in (R-ACC-1); never the same school twice; audited with no one as the actor. A
municipality's operator then opens further schools in the API (`schoolCreate`)."""

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.setup.schools import FirstAdmin, SchoolParameters
from server import cli
from server.init_command import InitOptions, initialise
from tests.client import GraphQLClient

CHANGE = "mutation($o: String!, $n: String!) { passwordChange(oldPassword: $o, newPassword: $n) }"
SCHOOLS = "{ schools { nodes { id name shortName timezone weekLength municipality { name } } } }"
INIT = [
    "init", "--school", "МБОУ СОШ № 5", "--short-name", "Школа № 5",
    "--region", "Свердловская область", "--municipality", "г. Екатеринбург",
    "--timezone", "Asia/Yekaterinburg", "--admin-login", "Ivanova",
    "--admin-name", "Иванова Мария Петровна",
]  # fmt: skip
CREATE = """mutation($input: SchoolCreateInput!) { schoolCreate(input: $input) {
  school { id name timezone municipality { name } } adminLogin temporaryPassword } }"""


def _tabel(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = 0
    try:
        cli.main(list(argv))
    except SystemExit as exited:
        code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _passwords(out: str) -> dict[str, tuple[str, str]]:
    """role → (login, temporary password), from what `tabel init` printed."""
    found = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in ("admin", "operator"):
            found[parts[0]] = (parts[1], parts[2])
    return found


async def _rows(engine: AsyncEngine, sql: str) -> list[Any]:
    async with engine.connect() as connection:
        return list((await connection.execute(text(sql))).all())


async def _active(api: GraphQLClient, login: str, password: str) -> str:
    """Signed in with the temporary password, asked to change it, and changed it."""
    token = await api.login(login, password)
    refused = await api(SCHOOLS, token=token)
    assert refused.error_code == "FORBIDDEN"
    assert refused.body["errors"][0]["extensions"]["reason"] == "PASSWORD_CHANGE_REQUIRED"
    assert (await api(CHANGE, {"o": password, "n": "a-new-secret-42"}, token=token)).data
    return await api.login(login, "a-new-secret-42")


async def test_init_opens_a_school_whose_admin_changes_the_printed_password(
    database_url: str, engine: AsyncEngine, api: GraphQLClient, capsys: pytest.CaptureFixture[str]
) -> None:
    # given an empty, upgraded database, when the operator runs `tabel init`
    code, out, err = await asyncio.to_thread(_tabel, capsys, "--database-url", database_url, *INIT)
    # then it prints the school and the admin's temporary password, once
    assert code == 0, err
    assert out.startswith("opened school U2Nob29sOjE= «МБОУ СОШ № 5» in г. Екатеринбург,")
    login, password = _passwords(out)["admin"]
    assert login == "ivanova"
    assert len(password) >= 12
    # and the admin signs in with it through the API, is asked to change it first, and then
    # reads their school as it was opened
    token = await _active(api, login, password)
    schools = (await api(SCHOOLS, token=token)).data["schools"]["nodes"]
    assert schools == [
        {
            "id": "U2Nob29sOjE=",
            "name": "МБОУ СОШ № 5",
            "shortName": "Школа № 5",
            "timezone": "Asia/Yekaterinburg",
            "weekLength": 5,
            "municipality": {"name": "г. Екатеринбург"},
        }
    ]
    # and everything made is in the audit trail, by no one, the password's hash not in it
    trail = await _rows(
        engine, "SELECT entity, action, changed_by_id, after FROM change WHERE action = 'created'"
    )
    assert sorted(row[0] for row in trail) == [
        "account", "municipality", "person", "region", "school", "school_role",
    ]  # fmt: skip
    assert {(row[1], row[2]) for row in trail} == {("created", None)}
    assert all("password_hash" not in str(row[3]) for row in trail)


async def test_init_refuses_the_same_school_twice_and_opens_another(
    database_url: str, engine: AsyncEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    url = ["--database-url", database_url]
    assert (await asyncio.to_thread(_tabel, capsys, *url, *INIT))[0] == 0
    # when it is run again for the same school
    code, _, err = await asyncio.to_thread(
        _tabel, capsys, *url, *INIT[:-4], "--admin-login", "another"
    )
    # then it is refused in a line, and nothing more is made
    assert code == 2
    assert err == "tabel init: error: г. Екатеринбург has a school named «МБОУ СОШ № 5» already.\n"
    assert (await _rows(engine, "SELECT count(*) FROM person"))[0][0] == 1
    # and a taken login is refused too
    code, _, err = await asyncio.to_thread(
        _tabel, capsys, *url, "init", "--school", "Гимназия № 2", "--admin-login", "ivanova"
    )
    assert code == 2
    assert "The login 'ivanova' is taken already." in err
    assert (await _rows(engine, "SELECT count(*) FROM school"))[0][0] == 1
    # but another school of the same municipality is opened in it
    code, _out, err = await asyncio.to_thread(
        _tabel, capsys, *url, "init", "--school", "Гимназия № 2", "--admin-login", "petrov",
        "--region", "Свердловская область", "--municipality", "г. Екатеринбург",
    )  # fmt: skip
    assert code == 0, err
    assert (await _rows(engine, "SELECT count(*) FROM municipality"))[0][0] == 1
    assert (await _rows(engine, "SELECT count(*) FROM school"))[0][0] == 2


async def test_init_wants_an_upgraded_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    code, _, err = await asyncio.to_thread(_tabel, capsys, "--database-url", url, "init")
    assert code == 2
    assert "run `tabel db upgrade` first" in err


async def test_init_explains_itself(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = await asyncio.to_thread(_tabel, capsys, "init", "--help")
    assert code == 0
    for option in ["--school", "--region", "--municipality", "--timezone", "--admin-login"]:
        assert option in out
    assert "examples:" in out


async def test_the_operator_opens_further_schools_of_their_municipality_only(
    database_url: str, engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given `tabel init` with the municipality's operator, called from a test as a function
    done = await initialise(
        engine,
        database_url,
        InitOptions(
            municipality="г. Екатеринбург",
            school=SchoolParameters(name="МБОУ СОШ № 5"),
            operator=FirstAdmin("Операторова", "Анна", None, "ekb.operator"),
        ),
    )
    assert done.operator is not None
    other = await initialise(
        engine,
        database_url,
        InitOptions(
            municipality="г. Нижний Тагил",
            school=SchoolParameters(name="МБОУ СОШ № 1"),
            admin=FirstAdmin("Тагилова", "Вера", None, "tagil.admin"),
        ),
    )
    operator = await _active(api, done.operator.login, done.operator.temporary_password)
    admin = await _active(api, done.admin.login, done.admin.temporary_password)
    municipality = "TXVuaWNpcGFsaXR5OjE="  # the operator's
    new_school = {
        "municipalityId": municipality,
        "name": "Гимназия № 9",
        "timezone": "Asia/Yekaterinburg",
        "admin": {"lastName": "Гимназистова", "firstName": "Ольга", "login": "Gymn9"},
    }
    # when the operator opens a school of their municipality
    opened = (await api(CREATE, {"input": new_school}, token=operator)).data["schoolCreate"]
    # then it is there, and its first admin signs in with the password shown once
    assert opened["school"]["name"] == "Гимназия № 9"
    assert opened["school"]["municipality"] == {"name": "г. Екатеринбург"}
    assert opened["adminLogin"] == "gymn9"
    assert await _active(api, "gymn9", opened["temporaryPassword"])
    # and the same name again is CONFLICT
    again = {**new_school, "admin": {**new_school["admin"], "login": "gymn9b"}}  # type: ignore[dict-item]
    assert (await api(CREATE, {"input": again}, token=operator)).error_code == "CONFLICT"
    # but another municipality's school, or a school's admin opening one, is FORBIDDEN, and
    # nothing is left of the refused writes
    elsewhere = {**again, "municipalityId": "TXVuaWNpcGFsaXR5OjI=", "name": "Школа"}
    assert (await api(CREATE, {"input": elsewhere}, token=operator)).error_code == "FORBIDDEN"
    assert (await api(CREATE, {"input": {**again, "name": "Ш"}}, token=admin)).error_code == (
        "FORBIDDEN"
    )
    assert (await _rows(engine, "SELECT count(*) FROM school"))[0][0] == 3
    assert (await _rows(engine, "SELECT count(*) FROM account WHERE login = 'gymn9b'"))[0][0] == 0
    del other
