"""The `tabel` command explains itself: every command and option with its default and format."""

import argparse
import asyncio
import subprocess
import sys

import pytest

from server import cli, cli_parser
from tests.served import ROOT

COMMANDS = ["serve", "db", "demo", "token", "lessons", "import", "report", "worker", "policy",
            "schema", "test"]  # fmt: skip
EVERY_HELP = [
    [],
    ["serve"],
    ["db"],
    ["db", "upgrade"],
    ["db", "current"],
    ["demo"],
    ["token"],
    ["token", "issue"],
    ["token", "revoke"],
    ["lessons"],
    ["lessons", "plan"],
    ["import"],
    ["import", "people"],
    ["report"],
    ["report", "summary_statements_pdf"],
    ["worker"],
    ["policy"],
    ["schema"],
    ["test"],
]


def _help(capsys: pytest.CaptureFixture[str], *command: str) -> str:
    with pytest.raises(SystemExit) as exited:
        cli.main([*command, "--help"])
    assert exited.value.code == 0
    return " ".join(capsys.readouterr().out.split())  # as words: wrapping depends on the width


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    # when a newcomer asks the command what it does
    text = _help(capsys)
    # then every command is listed with what it is for, `test` too, and where the data is
    for command in COMMANDS:
        assert f" {command} " in text
    assert "run the test suite (pytest) on SQLite and on PostgreSQL" in text
    assert "--database-url URL" in text
    assert "(default: TABEL_DATABASE_URL, else sqlite:///var/demo.sqlite3" in text


@pytest.mark.parametrize("command", EVERY_HELP, ids=lambda command: " ".join(command) or "tabel")
def test_every_command_has_its_help(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    # when each command is asked for its help
    text = _help(capsys, *command)
    # then it says how it is called and what it does, with an example where it takes options
    assert text.startswith(f"usage: tabel {' '.join(command)}".rstrip())
    assert len(text) > 150


def _options(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.Action]]:
    """(command, option) for every option of every command, sub-commands included."""
    found: list[tuple[str, argparse.Action]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _options(sub)
        elif action.option_strings and not isinstance(action, argparse._HelpAction):
            found.append((parser.prog, action))
    return found


def test_every_option_states_its_default_or_that_it_is_required() -> None:
    # given every option of every command
    options = _options(cli_parser.build())
    assert len(options) > 20
    # then each one's help gives its default, or the option is required
    silent = [
        f"{command} {action.option_strings[0]}"
        for command, action in options
        if not action.required and "(default:" not in (action.help or "")
    ]
    assert silent == []


def test_serve_explains_every_option_with_its_default_and_format(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # when the operator asks how to serve
    text = _help(capsys, "serve")
    # then every option is there with its default, the demo school's too
    for expected in [
        "--demo",
        "--host HOST",
        "(default: TABEL_HOST, else 127.0.0.1)",
        "--port PORT",
        "(default: TABEL_PORT, else 8000)",
        "--workers N",
        "(default: TABEL_WORKERS, else one per CPU; on SQLite always 1)",
        "--seed N",
        "(default: 2026)",
        "--schools N",
        "--students-per-class N",
        "(default: 30)",
        "--today YYYY-MM-DD",
        "(default: today)",
    ]:
        assert expected in text
    # and the settings it reads from the environment, with theirs
    assert "TABEL_MAX_IN_FLIGHT 30" in text
    assert "TABEL_REQUEST_DEADLINE_SECONDS 10.0" in text


def test_token_issue_names_the_formats_it_takes(capsys: pytest.CaptureFixture[str]) -> None:
    text = _help(capsys, "token", "issue")
    assert "--school ID" in text
    assert "U2Nob29sOjE=" in text  # a school's ID as the API gives it
    assert "--expires-at WHEN" in text
    assert "ISO 8601" in text
    assert "(default: 90)" in text


def test_db_lists_its_actions(capsys: pytest.CaptureFixture[str]) -> None:
    text = _help(capsys, "db")
    assert "upgrade migrate to the newest schema" in text
    assert "current print the revision the database is at" in text
    assert "(default: head, the newest)" in _help(capsys, "db", "upgrade")


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["serve", "--port", "http"], "argument --port: 'http' is not a whole number from 1 to"),
        (["demo", "--students-per-class", "100"], "'100' is not a whole number from 1 to 60"),
        (["demo", "--today", "28.11.2026"], "'28.11.2026' is not a date as YYYY-MM-DD"),
        (["--database-url", "localhost", "db", "upgrade"], "'localhost' is not a database URL"),
        (["serve", "--wrokers", "2"], "unrecognized arguments: --wrokers 2"),
        (["db"], "the following arguments are required: ACTION"),
    ],
)
def test_a_mistake_is_one_line_and_exit_code_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    # when the command is given something it cannot take
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    # then it says what, in one line, and exits 2
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert says in error


def test_tabel_test_runs_pytest_with_its_arguments() -> None:
    # when `tabel test` is given pytest's arguments
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "test", "tests/test_bench.py", "-k", "key_order"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # then pytest runs in the checkout with them
    assert done.returncode == 0, done.stderr
    assert "1 passed, 2 deselected" in done.stdout


def test_the_readme_lists_what_the_help_does() -> None:
    # given the README's section on the command line
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## The command line", 1)[1].split("\n## ", 1)[0]
    # then every command of the help is in its table, with serve's and demo's options
    for command in COMMANDS:
        assert f"| `{command}" in section
    for command, option in _options(cli_parser.build()):
        if command in ("tabel serve", "tabel demo"):
            assert option.option_strings[-1] in section, (command, option.option_strings)


async def test_db_current_says_the_database_is_at_the_newest_schema(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a database the migrations brought to the newest schema
    # when the operator asks where it is
    await asyncio.to_thread(cli.main, ["--database-url", database_url, "db", "current"])
    # then it names the newest revision
    said = capsys.readouterr().out
    assert said.startswith("The database is at ")
    assert said.endswith(", the newest schema.\n")
