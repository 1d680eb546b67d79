"""The `tabel` command line: every command and option, with its default and format."""

import argparse
from collections.abc import Callable
from datetime import date
from typing import Any, NoReturn

from demo.options import CLASS_LETTERS, DemoOptions
from server import import_command, init_command, lessons_command, report_command, token_command
from server.settings import Settings

DESCRIPTION = """\
tabel: the GraphQL API of a region's school journals and diaries.
Serve it, migrate its database, open a school, generate demo schools, issue API tokens, plan
lessons, run the tests."""

EPILOG = """\
Each command explains itself: tabel serve --help, tabel db upgrade --help, tabel token issue --help.

examples:
  tabel serve --demo                  the demo school, GraphiQL at http://127.0.0.1:8000/graphql
  tabel --database-url postgresql://tabel@db:5432/tabel db upgrade
  tabel init --school "МБОУ СОШ № 5" --admin-login ivanova   the first school and its admin
  tabel serve --host 0.0.0.0 --port 8080 --workers 4
  tabel token issue --kind inspector --name "Проверка 2026" --municipality TXVuaWNpcGFsaXR5OjE= \\
      --expires-at 2027-06-01
  tabel lessons plan --school 1       this week's lessons and the next two weeks', made now
  tabel test -k roster -x             part of the test suite, stopping at the first failure"""

DATABASE_URL_HELP = (
    "the database, a SQLAlchemy URL: postgresql://USER@HOST:5432/NAME, or sqlite:///PATH for"
    " an embedded file (default: TABEL_DATABASE_URL, else sqlite:///var/demo.sqlite3 in the"
    " current directory)"
)


class Formatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and examples keep their lines; option help wraps."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32, width=100)


class Parser(argparse.ArgumentParser):
    """A mistake on the command line is one line on stderr and exit code 2, never a page;
    every command's help is laid out alike."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def bounded(low: int, high: int | None = None) -> Callable[[str], int]:
    """An integer in [low, high], refused with the range otherwise."""

    def parse(text: str) -> int:
        value: int | None
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            wanted = f"from {low} to {high}" if high is not None else f"{low} or more"
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number {wanted}")
        return value

    return parse


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD") from None


def database_url(text: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(text)
    except ArgumentError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a database URL (postgresql://USER@HOST:5432/NAME, sqlite:///PATH)"
        ) from None
    return text


def _default(name: str) -> object:
    return Settings.model_fields[name].default


def environment_epilog() -> str:
    """Every setting the server reads from the environment, with its built-in default."""
    lines = ["settings from the environment, with their defaults (server/settings.py, README):"]
    for name, field in Settings.model_fields.items():
        default = "(none)" if field.default is None else str(field.default).lower()
        if isinstance(field.default, str):
            default = field.default
        lines.append(f"  TABEL_{name.upper():<34} {default}")
    return "\n".join(lines)


def _serve(commands: "argparse._SubParsersAction[Parser]") -> argparse.ArgumentParser:
    serve = commands.add_parser(
        "serve",
        help="serve the GraphQL API (uvicorn): production settings unless --demo",
        description="Serves the GraphQL API at http://HOST:PORT/graphql (uvicorn, its workers).\n"
        "Production settings unless --demo: no GraphiQL, no field suggestions, introspection\n"
        "for callers who signed in. It refuses to start while the database holds demo sign-ins\n"
        "that still work (tabel demo --revoke ends them; TABEL_ALLOW_DEMO_CREDENTIALS=true\n"
        "serves them on purpose).",
        epilog="examples:\n"
        "  tabel serve --demo                     the demo school in var/demo.sqlite3\n"
        "  tabel serve --demo --schools 3 --today 2026-12-15\n"
        "  TABEL_DATABASE_URL=postgresql://tabel@db:5432/tabel tabel serve --host 0.0.0.0"
        " --workers 4\n\n" + environment_epilog(),
    )
    serve.add_argument(
        "--demo",
        action="store_true",
        help="the demo: GraphiQL with example queries and a sign-in, field suggestions, the"
        " schema for everybody; migrates the database and generates a demo school on its"
        " first start (default: off)",
    )
    serve.add_argument(
        "--host",
        help="the address to listen on; 0.0.0.0 for every interface (default: TABEL_HOST,"
        f" else {_default('host')})",
    )
    serve.add_argument(
        "--port",
        type=bounded(1, 65535),
        help=f"the TCP port (default: TABEL_PORT, else {_default('port')})",
    )
    serve.add_argument(
        "--workers",
        type=bounded(1),
        metavar="N",
        help="worker processes (default: TABEL_WORKERS, else one per CPU; on SQLite always 1)",
    )
    return serve


def _db(commands: "argparse._SubParsersAction[Parser]") -> None:
    db = commands.add_parser(
        "db",
        help="the database's schema: migrate it, or say where it is",
        description="The database's schema, kept by the Alembic migrations in model/migrations.\n"
        "The database is --database-url (before the command), else TABEL_DATABASE_URL.",
        epilog="examples:\n"
        "  tabel db upgrade\n"
        "  tabel --database-url postgresql://tabel@db:5432/tabel db current",
    )
    actions = db.add_subparsers(dest="db_action", required=True, metavar="ACTION")
    upgrade = actions.add_parser(
        "upgrade",
        help="migrate to the newest schema (creates the tables of an empty database)",
        description="Migrates the database to the newest schema, or to REVISION; a database at\n"
        "the newest one is left as it is. Safe to run at every deployment.",
    )
    upgrade.add_argument(
        "revision",
        nargs="?",
        default="head",
        metavar="REVISION",
        help="an Alembic revision id (default: head, the newest)",
    )
    actions.add_parser(
        "current",
        help="print the revision the database is at, and whether it is the newest",
        description="Prints the database's schema revision and whether it is the newest.",
        epilog="example:\n  tabel --database-url postgresql://tabel@db:5432/tabel db current",
    )


def _demo_options(parser: argparse.ArgumentParser, title: str) -> None:
    defaults = DemoOptions()
    group = parser.add_argument_group(title)
    group.add_argument(
        "--seed",
        metavar="N",
        type=int,
        default=defaults.seed,
        help=f"the same seed, the same school (default: {defaults.seed})",
    )
    group.add_argument(
        "--schools",
        metavar="N",
        type=bounded(1),
        default=defaults.schools,
        help=f"how many schools (default: {defaults.schools})",
    )
    group.add_argument(
        "--parallels",
        metavar="N",
        type=bounded(1, 11),
        default=defaults.parallels,
        help=f"parallels, from the 1st (default: {defaults.parallels}, up to the 11th)",
    )
    group.add_argument(
        "--classes-per-parallel",
        metavar="N",
        type=bounded(1, len(CLASS_LETTERS)),
        default=defaults.classes_per_parallel,
        help=f"classes per parallel, «А», «Б», … (default: {defaults.classes_per_parallel})",
    )
    group.add_argument(
        "--students-per-class",
        metavar="N",
        type=bounded(1, 60),
        default=defaults.students_per_class,
        help=f"students per class (default: {defaults.students_per_class})",
    )
    group.add_argument(
        "--teachers",
        metavar="N",
        type=bounded(2),
        default=defaults.teachers,
        help=f"teachers per school (default: {defaults.teachers})",
    )
    group.add_argument(
        "--today",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the date the journals are filled up to (default: today)",
    )


def _demo(commands: "argparse._SubParsersAction[Parser]") -> argparse.ArgumentParser:
    demo = commands.add_parser(
        "demo",
        help="generate demo schools, or end their published sign-ins",
        description="Migrates the database and adds generated demo schools (deterministic from\n"
        "--seed), with one login per role (password: demo) and two API tokens, all marked as\n"
        "demo sign-ins; prints them. A production `tabel serve` refuses to start while they\n"
        "work: --revoke ends them and keeps the schools' data.",
        epilog="examples:\n"
        "  tabel demo --schools 3\n"
        "  tabel demo --students-per-class 10 --today 2026-12-15\n"
        "  tabel demo --revoke",
    )
    demo.add_argument(
        "--revoke",
        action="store_true",
        help="instead: disable the demo accounts and revoke the demo API tokens (default: off)",
    )
    return demo


def _test(commands: "argparse._SubParsersAction[Parser]") -> None:
    commands.add_parser(
        "test",
        help="run the test suite (pytest) on SQLite and on PostgreSQL",
        usage="tabel test [PYTEST ARGS ...]",
        description="Runs the test suite of this checkout with pytest, passing every argument on\n"
        "as it is. Every test runs twice: on SQLite and on PostgreSQL at\n"
        "TABEL_TEST_POSTGRES_URL (default: postgresql://postgres@127.0.0.1:5432/test; without a\n"
        "reachable server that half is skipped, with CI=true it fails). pytest's own options:\n"
        ".venv/bin/pytest --help.",
        epilog="examples:\n"
        "  tabel test                           the whole suite\n"
        "  tabel test -k roster -x              tests named *roster*, stop at the first failure\n"
        "  tabel test tests/test_cli.py -q",
    )


def build() -> Parser:
    """The whole command line; defaults shown are the built-in ones, whatever the environment."""
    parser = Parser(prog="tabel", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument(
        "--database-url", type=database_url, metavar="URL", default=None, help=DATABASE_URL_HELP
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", title="commands"
    )
    serve = _serve(commands)
    _db(commands)
    demo = _demo(commands)
    _demo_options(serve, "the demo school (with --demo, generated on its first start only)")
    _demo_options(demo, "the demo schools")
    init_command.add_parser(commands)
    token_command.add_parser(commands)
    lessons_command.add_parser(commands)
    import_command.add_parser(commands)
    report_command.add_parser(commands)
    commands.add_parser(
        "worker",
        help="make the queued reports and send the notifications, alone (beside `tabel serve`)",
        description="Runs the report worker and the notification worker alone until\n"
        "interrupted: the first takes the queued report jobs and makes them\n"
        "(TABEL_REPORT_JOBS_AT_ONCE at a time), the second sends the outbox's notifications\n"
        "when due, by e-mail (TABEL_SMTP_*), SMS (TABEL_SMS_*) and plugin channels, retrying\n"
        "with backoff. Every `tabel serve` process runs both too unless\n"
        "TABEL_REPORT_WORKER=false or TABEL_NOTIFICATION_WORKER=false. On PostgreSQL any\n"
        "number of workers share the queues; on SQLite run one.",
        epilog="example:\n  TABEL_DATABASE_URL=postgresql://tabel@db:5432/tabel \\\n"
        "  TABEL_SMTP_HOST=smtp.school.ru TABEL_SMTP_FROM=journal@school.ru tabel worker",
    )
    policy = commands.add_parser(
        "policy",
        help="check the permission policies, or write their matrix for administrators",
        description="The permission policies (policy.conf, policies/*.csv) and their conditions.",
    )
    policy.add_argument(
        "action",
        choices=["check", "docs"],
        help="check: every rule names a known role, resource, action and condition; docs: write"
        " docs/permissions.md",
    )
    commands.add_parser(
        "schema",
        help="print the GraphQL schema (SDL) to stdout",
        description="Prints the GraphQL schema in SDL, as committed in schema/schema.graphql.",
        epilog="example:\n  tabel schema > schema/schema.graphql",
    )
    _test(commands)
    return parser
