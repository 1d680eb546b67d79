"""`tabel token` takes the IDs and the expiry the API speaks, and prints the token's ID as the
API writes it (§1.12: inspectors' and integrators' tokens)."""

import asyncio
import subprocess
import sys
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from server import cli
from tests.client import GraphQLClient
from tests.served import ROOT

TOKENS = "{ apiTokens { nodes { id name expiresAt revokedAt } } }"
ISSUE = ["token", "issue", "--kind", "inspector", "--name", "Проверка"]


def _tabel(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`tabel ARGV` in-process: its exit code, stdout and stderr."""
    code = 0
    try:
        cli.main(list(argv))
    except SystemExit as exited:
        code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


async def test_a_token_issued_with_global_ids_signs_in_and_is_revoked_by_its_id(
    database_url: str,
    engine: AsyncEngine,
    api: GraphQLClient,
    demo_school: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given a school, and its ID as the API gives it
    async with engine.connect() as connection:
        school = (await connection.execute(text("SELECT min(id) FROM school"))).scalar()
    school_id = relay.to_base64("School", school)
    expires = date.today() + timedelta(days=45)
    # when the operator issues an inspector's token with that ID and an ISO 8601 expiry
    code, out, err = await asyncio.to_thread(
        _tabel, capsys, "--database-url", database_url, *ISSUE,
        "--school", school_id, "--expires-at", expires.isoformat(),
    )  # fmt: skip
    assert code == 0, err
    first, token = out.splitlines()[0], out.splitlines()[-1]
    token_id = first.split()[1].rstrip(",")
    # then the token signs a request in: an inspector, read-only
    reply = await api("{ me { kind readOnly } }", token=token)
    assert reply.data == {"me": {"kind": "INSPECTOR", "readOnly": True}}
    # and the ID and expiry printed are the ones the API shows the school's admin
    admin = await api.login(demo_school["admin"], "demo")
    listed = (await api(TOKENS, token=admin)).data["apiTokens"]["nodes"]
    until = f"{expires.isoformat()}T00:00:00+00:00"
    assert {"id": token_id, "name": "Проверка", "expiresAt": until, "revokedAt": None} in listed
    assert first == f"token {token_id}, valid until {until}:"
    # when the operator revokes it by that ID
    code, out, err = await asyncio.to_thread(
        _tabel, capsys, "--database-url", database_url, "token", "revoke", token_id
    )
    # then it is refused from then on
    assert code == 0, err
    assert out.startswith(f"revoked token {token_id} (Проверка) at ")
    assert (await api("{ me { kind } }", token=token)).error_code == "UNAUTHENTICATED"


async def test_numbers_and_days_still_do(
    database_url: str,
    engine: AsyncEngine,
    api: GraphQLClient,
    demo_school: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given a school's number
    async with engine.connect() as connection:
        school = (await connection.execute(text("SELECT min(id) FROM school"))).scalar()
    # when an integrator's token is issued with it, for 30 days
    code, out, err = await asyncio.to_thread(
        _tabel, capsys, "--database-url", database_url, "token", "issue", "--kind", "integrator",
        "--name", "Отчёты", "--school", str(school), "--scope", "journal:read", "--days", "30",
    )  # fmt: skip
    # then it is valid 30 days and works
    assert code == 0, err
    until = date.fromisoformat(out.split("valid until ")[1][:10])
    assert until == date.today() + timedelta(days=30)
    assert (await api("{ me { kind } }", token=out.splitlines()[-1])).data["me"]["kind"] == (
        "INTEGRATOR"
    )


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--school", "U2Nob29s"], "argument --school: 'U2Nob29s' is not a school's ID"),
        (["--school", "School:1"], "is not a school's ID: give its ID as the API gives it"),
        (["--school", relay.to_base64("Person", 1)], "is the ID of a Person, not a school's"),
        (["--school", "01"], "'01' is not a school's ID"),
        (["--municipality", "-1"], "argument --municipality: '-1' is not a municipality's ID"),
        (["--school", "1", "--expires-at", "next week"], "'next week' is not a date (2027-06-01)"),
        (["--school", "1", "--expires-at", "2027-01-15T10:00"], "has no time zone"),
        (["--school", "1", "--days", "0"], "'0' is not a number of days from 1 to 366"),
        (
            ["--school", "1", "--days", "3", "--expires-at", "2027-01-15"],
            "argument --expires-at: not allowed with argument --days",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    # when the operator gives what is no ID, or no expiry
    code, out, err = _tabel(capsys, *ISSUE, *argv)
    # then one line says what is wrong, exit code 2, and nothing is issued
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("tabel token issue: error: ")
    assert says in err


async def test_a_school_that_is_not_there_is_refused_in_one_line(
    database_url: str, engine: AsyncEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    # when the ID is well formed but names no school, or the expiry is past a year
    missing = ["--school", relay.to_base64("School", 999_999)]
    far = [*missing, "--expires-at", (date.today() + timedelta(days=400)).isoformat()]
    for argv, says in [(missing, "No such school."), (far, "in the next 12 months")]:
        code, out, err = await asyncio.to_thread(
            _tabel, capsys, "--database-url", database_url, *ISSUE, *argv
        )
        # then the refusal is one line, exit code 2
        assert (code, out) == (2, "")
        assert err.count("\n") == 1
        assert err.startswith("tabel token issue: error: ")
        assert says in err


def test_the_installed_command_exits_2_without_a_traceback() -> None:
    # when the real command is run with an ID of the wrong type
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", *ISSUE, "--school", relay.to_base64("Grade", 5)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # then it exits 2 with one line, no traceback
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "tabel token issue: error: argument --school: 'R3JhZGU6NQ==' is the ID of a Grade, not"
        " a school's (see `tabel token issue --help`)"
    ]
