"""`tabel import people FILE --school ID`: a school's people from a CSV or XLSX file, as the
admin imports them over the API (`peopleImportCheck`, `peopleImport`, `peopleImportStart`),
with a progress bar per phase (read, validate, write: the same progress a job reports). A dry
run unless --commit. Who imports: `--as LOGIN` (run on the server, as `tabel init` and `tabel
token` are: the account's roles decide, and the audit trail names it), or the admin's session
token (`--token`, or $TABEL_TOKEN)."""

import argparse
import asyncio
import os
from pathlib import Path
from typing import TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from model import ImportPhase
from model.db import make_engine, make_sessionmaker
from policies.engine import PolicyEngine
from resolvers.accounts.sign_in import principal_for_login
from resolvers.context import Context
from resolvers.database import Database
from resolvers.errors import TabelError
from resolvers.people.people_file import PeopleFileFormat, people_in
from resolvers.people.people_import import ImportReport, people_import
from server.token_command import SCHOOL, identifier

P = TypeVar("P", bound=argparse.ArgumentParser)
YEAR = "SchoolYear"
EPILOG = """\
The file's columns: docs/import/README.md (templates and a sample family there).

examples:
  tabel import people docs/import/sample-people.csv --school 1 --as admin
  tabel import people school.xlsx --school U2Nob29sOjE= --as admin --commit
  tabel import people school.csv --school 1 --token "$TABEL_TOKEN"
"""


def add_parser(commands: "argparse._SubParsersAction[P]") -> None:
    command = commands.add_parser(
        "import",
        help="import a school's people from a CSV or XLSX file",
        description="Imports from files, as the API does.",
    )
    kinds = command.add_subparsers(dest="import_kind", required=True, metavar="KIND")
    people = kinds.add_parser(
        "people",
        help="staff, students and parents, with classes, families and consents",
        description="Checks the file and reports every bad cell by row and column; with\n"
        "--commit imports it, all or nothing. Importing the same file again corrects the\n"
        "people its codes find instead of entering them twice.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    people.add_argument("file", type=Path, metavar="FILE", help="a .csv or .xlsx file")
    people.add_argument(
        "--school", type=identifier(SCHOOL, "a school"), required=True, metavar="ID",
        help="the school, its ID as the API gives it or its number",
    )  # fmt: skip
    people.add_argument(
        "--year", type=identifier(YEAR, "a school year"), metavar="ID",
        help="the school year whose classes «Класс» names (default: the current one)",
    )  # fmt: skip
    who = people.add_mutually_exclusive_group()
    who.add_argument(
        "--as", dest="login", metavar="LOGIN",
        help="import as this account (the school's admin), audited as theirs (default: --token)",
    )  # fmt: skip
    who.add_argument(
        "--token", default=os.environ.get("TABEL_TOKEN"), metavar="TOKEN",
        help="or: the admin's session token, from `login` (default: $TABEL_TOKEN)",
    )  # fmt: skip
    people.add_argument(
        "--commit", action="store_true", help="import it (default: a dry run, nothing written)"
    )


def run(database_url: str, args: argparse.Namespace) -> str:
    if not args.login and not args.token:
        raise SystemExit(
            "tabel import people: error: say who imports: --as LOGIN (the school's admin) or "
            "--token TOKEN"
        )
    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise SystemExit(f"tabel import people: error: {args.file}: {error.strerror}") from None
    xlsx = args.file.suffix.lower() in {".xlsx", ".xlsm"}
    file_format = PeopleFileFormat.XLSX if xlsx else PeopleFileFormat.CSV
    console = Console(stderr=True)
    try:
        report, encoding = asyncio.run(_run(database_url, args, file_format, data, console))
    except TabelError as error:
        _problems(console, error.extensions.get("problems", []))
        raise SystemExit(f"tabel import people: error: {error.message}") from None
    _problems(console, [p.__dict__ for p in report.problems])
    return _summary(report, encoding)


async def _run(
    url: str,
    args: argparse.Namespace,
    file_format: PeopleFileFormat,
    data: bytes,
    console: Console,
) -> tuple[ImportReport, str | None]:
    engine = make_engine(url)
    columns = (TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    try:
        with Progress(*columns, console=console, transient=False) as bar:
            tasks = {phase: bar.add_task(phase.value, total=None) for phase in ImportPhase}

            def moved(phase: ImportPhase, done: int, total: int) -> None:
                bar.update(tasks[phase], completed=done, total=total)

            people = people_in(file_format, data, moved)
            async with make_sessionmaker(engine)() as session:
                db = Database(session)
                db.expect_writes(args.commit)
                if args.login:
                    principal = await principal_for_login(db, args.login)
                    ctx = Context(db=db, policy=PolicyEngine(), principal=principal)
                else:
                    ctx = Context(db=db, policy=PolicyEngine(), bearer_token=args.token)
                    await ctx.authenticate()
                    if ctx.auth_error is not None:
                        raise ctx.auth_error
                report = await people_import(
                    ctx, args.school, people, school_year_id=args.year, commit=args.commit,
                    progress=moved,
                )  # fmt: skip
                await db.commit()
    finally:
        await engine.dispose()
    return report, people.encoding


def _problems(console: Console, problems: list[dict[str, object]]) -> None:
    if not problems:
        return
    table = Table("row", "column", "problem", title="Problems (nothing is written)")
    for problem in problems:
        row = problem.get("row", problem.get("item"))
        table.add_row(str(row), str(problem.get("column", problem.get("field"))),
                      str(problem["message"]))  # fmt: skip
    console.print(table)


def _summary(report: ImportReport, encoding: str | None) -> str:
    what = "Imported" if report.committed else "Dry run (nothing written; --commit imports)"
    read = f", read as {encoding}" if encoding else ""
    return (
        f"{what}: {report.rows} people{read}; {report.created} new, {report.updated} corrected, "
        f"{report.unchanged} as they were; {report.roles} roles, {report.placements} placed in "
        f"classes, {report.links} family links, {report.consents} consents; "
        f"{len(report.problems)} problems."
    )
