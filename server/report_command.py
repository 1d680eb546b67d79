"""`tabel report KIND [ARGUMENTS] --as LOGIN [--out FILE]`: a report or export made as a job,
as `reportStart` makes it: started as the account (checked and audited as theirs), made here
with a progress bar (or, with --wait, by the server's workers), and written to a file."""

import argparse
import asyncio
import dataclasses
import types
from datetime import date
from pathlib import Path
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import select

import model as m
from model.db import make_engine, make_sessionmaker
from policies.engine import PolicyEngine
from resolvers.accounts.sign_in import principal_for_login
from resolvers.context import Context
from resolvers.database import Database
from resolvers.errors import TabelError
from resolvers.reports import jobs, runner
from resolvers.reports.kinds import KINDS, ReportKind
from server.settings import Settings
from server.token_command import identifier
from server.worker import options

P = TypeVar("P", bound=argparse.ArgumentParser)
# The type whose IDs an argument takes, by its name (a number is taken too).
NODES = {
    "school_id": "School",
    "class_id": "SchoolClass",
    "student_id": "Person",
    "period_ids": "Period",
    "period_id": "Period",
    "group_id": "Group",
    "subject_id": "Subject",
    "teacher_id": "Person",
    "school_year_id": "SchoolYear",
}
POLL = 0.5
EPILOG = """\
examples:
  tabel report summary_statements_pdf --student-id 12 --date-from 2026-11-09 --date-to 2026-11-20 \\
      --as parent --out statement.pdf
  tabel report attestation_summary_xlsx --school-id 1 --period-ids 3 4 --as admin
  tabel report attestation_summary_pdf --school-id 1 --period-ids 3 --as admin --wait"""


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD") from None


def _plain(annotation: Any) -> tuple[Any, bool]:
    """The type inside `X | None`, and whether None is allowed."""
    if get_origin(annotation) in (Union, types.UnionType):
        inner = [arg for arg in get_args(annotation) if arg is not type(None)]
        return inner[0], True
    return annotation, False


def _add_arguments(parser: argparse.ArgumentParser, kind: ReportKind[Any]) -> None:
    hints = get_type_hints(kind.arguments)
    for f in dataclasses.fields(kind.arguments):
        flag = "--" + f.name.replace("_", "-")
        annotation, optional = _plain(hints[f.name])
        has_default = f.default is not dataclasses.MISSING
        default = f"(default: {'none' if f.default is None else f.default})"
        if not has_default:
            default = "(required)"
        if annotation is bool:
            parser.add_argument(flag, action="store_true", help=f"(default: off) {f.name}")
            continue
        many = get_origin(annotation) is tuple
        item = get_args(annotation)[0] if many else annotation
        what = f.name.replace("_", " ")
        parse: Any = int
        metavar = "N"
        if f.name in NODES:
            parse, metavar = identifier(NODES[f.name], "its"), "ID"
            what += " (as the API gives it, or its number)"
        elif item is date:
            parse, metavar = iso_date, "YYYY-MM-DD"
        parser.add_argument(
            flag, type=parse, nargs="+" if many else None, required=not has_default,
            metavar=metavar, help=f"{what} {default if optional or has_default else '(required)'}",
        )  # fmt: skip


def add_parser(commands: "argparse._SubParsersAction[P]") -> None:
    command = commands.add_parser(
        "report",
        help="make a report or export (a PDF, an XLSX…) as a job, with a progress bar",
        description="Makes a report as `reportStart` does: as the account --as names, checked\n"
        "and audited as theirs, from one snapshot of the data. Made here unless --wait.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = command.add_subparsers(dest="report_kind", required=True, metavar="KIND")
    for kind in KINDS.values():
        sub = kinds.add_parser(
            kind.name, help=kind.title, description=f"{kind.title}: {kind.media_type}.",
            epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        )  # fmt: skip
        _add_arguments(sub, kind)
        sub.add_argument(
            "--as", dest="login", metavar="LOGIN", required=True,
            help="the account it is made as (its roles decide what it holds; audited as theirs)",
        )  # fmt: skip
        sub.add_argument(
            "--out", type=Path, metavar="FILE",
            help="where to write it (default: the report's own file name, here)",
        )  # fmt: skip
        sub.add_argument(
            "--wait", action="store_true",
            help="leave it to the server's workers and wait for it (default: made here)",
        )  # fmt: skip


def run(settings: Settings, args: argparse.Namespace) -> str:
    kind = KINDS[args.report_kind]
    values = {f.name: getattr(args, f.name) for f in dataclasses.fields(kind.arguments)}
    arguments = kind.load({k: v for k, v in values.items() if v is not None})
    console = Console(stderr=True)
    try:
        job, path = asyncio.run(_run(settings, args, kind, arguments, console))
    except TabelError as error:
        raise SystemExit(f"tabel report: error: {error.message}") from None
    return f"Wrote {path} ({job.size} bytes, SHA-256 {job.sha256})."


async def _run(
    settings: Settings, args: argparse.Namespace, kind: ReportKind[Any], arguments: Any,
    console: Console,
) -> tuple[m.ReportJob, Path]:  # fmt: skip
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    policy = PolicyEngine()
    try:
        async with sessions() as session:
            db = Database(session)
            db.expect_writes()
            principal = await principal_for_login(db, args.login)
            job = await jobs.start(Context(db=db, policy=policy, principal=principal),
                                   kind.name, arguments)  # fmt: skip
            await db.commit()
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())  # fmt: skip
        with Progress(*columns, console=console) as bar:
            task = bar.add_task(kind.title, total=None)

            def moved(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total or None)

            here = options(settings)
            taken = None if args.wait else await runner.claim(sessions, here, job.id)
            if taken is not None:
                await runner.run(sessions, policy, taken, here, hook=moved)
            job = await _finished(sessions, job.id, moved)
        if job.status is not m.ReportJobStatus.SUCCEEDED:
            raise TabelError(job.message or f"the report ended {job.status.value}")
        path = args.out or Path(job.file_name or f"report-{job.id}")
        await _save(sessions, job.id, path)
    finally:
        await engine.dispose()
    return job, path


async def _finished(sessions: runner.Sessions, job_id: int, moved: Any) -> m.ReportJob:
    while True:
        async with sessions() as session:
            job = await session.scalar(select(m.ReportJob).where(m.ReportJob.id == job_id))
        assert job is not None
        moved(job.done, job.total)
        if job.status not in jobs.WAITING:
            return job
        await asyncio.sleep(POLL)


async def _save(sessions: runner.Sessions, job_id: int, path: Path) -> None:
    """Chunk by chunk: the file is never held whole."""
    with path.open("wb") as out:
        async for data in runner.chunks(sessions, job_id):
            out.write(data)
