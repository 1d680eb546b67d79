"""The reports and exports a job can make: each kind's name, what it reads, its arguments, its
file's media type and name, and how it makes the file.

A kind's `produce(ctx, arguments, out, progress)` writes the file to `out` (a binary file
object: write as you go, the worker keeps at most a chunk of it in memory) and tells
`progress(done, total)` as it moves, in any unit it likes (students, classes, files). It runs
in one read-only transaction (REPEATABLE READ on PostgreSQL: the file is one consistent
snapshot) as the principal of the account that started it, rebuilt when the job runs, so its
reads are filtered as the screen's are. It raises `TabelError` for what the school should be
told (the job fails with that message); anything else fails it as "could not be made".

`check(ctx, arguments)` runs when the job is started, in the request, as the screen's own
checks would (an unknown class, another parent's child, days across two periods): it answers
the school the report is of and the arguments to keep, with the defaults the screen would
take resolved (the past school week is the one of the day it was asked, not of the day it
runs). Starting a kind needs a rule to read each of its `reads` (`resolvers/reports/jobs.py`).

Registering a kind is a few lines: its arguments as a frozen dataclass of plain values
(ids as the rows' integer ids, dates, booleans, tuples; the worker stores them as JSON), and

    register(ReportKind(
        name="oneroster_zip",
        title="OneRoster 1.2",
        reads=(Resource.PERSON, Resource.GRADE, Resource.FINAL_GRADE),
        arguments=SchoolArguments,
        media_type="application/zip",
        file_name=lambda a: f"oneroster-{a.school_id}.zip",
        check=school_check,
        produce=lambda ctx, a, out, progress: oneroster_zip(ctx, a.school_id, out, progress),
    ))

then a member of `ReportStartInput` (`schema/reports/inputs.py`) that gives those arguments,
and the CLI (`tabel report oneroster_zip --school-id 1`) reads them from the dataclass."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, BinaryIO, Generic, TypeVar

from pydantic import TypeAdapter

import model as m
from policies.vocabulary import Resource
from resolvers.context import Context
from resolvers.exports import attestation_files
from resolvers.people.role_writes import visible_school
from resolvers.printing.summary_statements import summary_statements_pdf
from resolvers.screens import attestation
from resolvers.screens import summary_statement as statements

A = TypeVar("A")
Progress = Callable[[int, int], None]  # (done, total)


@dataclass(frozen=True)
class ReportKind(Generic[A]):
    name: str
    title: str  # in the school's words, for the CLI and the job's list
    reads: tuple[Resource, ...]
    arguments: type[A]
    media_type: str
    file_name: Callable[[A], str]
    check: Callable[[Context, A], Awaitable[tuple[int, A]]]
    produce: Callable[[Context, A, BinaryIO, Progress], Awaitable[None]]

    def load(self, stored: dict[str, Any]) -> A:
        loaded: A = TypeAdapter(self.arguments).validate_python(stored)
        return loaded

    def dump(self, arguments: A) -> dict[str, Any]:
        dumped: dict[str, Any] = TypeAdapter(self.arguments).dump_python(arguments, mode="json")
        return dumped


KINDS: dict[str, ReportKind[Any]] = {}


def register(kind: ReportKind[Any]) -> None:
    if kind.name in KINDS:
        raise ValueError(f"the report kind {kind.name!r} is registered twice")
    KINDS[kind.name] = kind


@dataclass(frozen=True)
class SchoolArguments:
    """A report of a whole school."""

    school_id: int


async def school_check(ctx: Context, arguments: Any) -> tuple[int, Any]:
    """The school of `arguments.school_id`, if the caller sees it (NOT_FOUND otherwise)."""
    school = await visible_school(ctx, arguments.school_id)
    return school.id, arguments


# The summary statements (R-SUMMARY-1), as `summaryStatements { pdf }` prints them.


@dataclass(frozen=True)
class StatementsArguments:
    class_id: int | None = None
    student_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    paper_only: bool = False


async def read_statements(ctx: Context, a: StatementsArguments) -> statements.Statements:
    return await statements.summary_statements(
        ctx, class_id=a.class_id, student_id=a.student_id, date_from=a.date_from,
        date_to=a.date_to, paper_only=a.paper_only,
    )  # fmt: skip


async def check_statements(ctx: Context, a: StatementsArguments) -> tuple[int, StatementsArguments]:
    answer = await read_statements(ctx, a)
    classes = [s.school_class for s in answer.statements if s.school_class is not None]
    if classes:
        school_id = classes[0].school_id
    else:  # a class without a student to print: its own school
        found = await ctx.db.session.get(m.SchoolClass, a.class_id or 0)
        school_id = found.school_id if found is not None else 0
    return school_id, replace(a, date_from=answer.date_from, date_to=answer.date_to)


async def _produce_statements(
    ctx: Context, a: StatementsArguments, out: BinaryIO, progress: Progress
) -> None:
    progress(0, 2)
    answer = await read_statements(ctx, a)
    progress(1, 2)
    out.write(await summary_statements_pdf(ctx, answer))
    progress(2, 2)


register(
    ReportKind(
        name="summary_statements_pdf",
        title="Сводная ведомость (PDF)",
        reads=(Resource.GRADE,),
        arguments=StatementsArguments,
        media_type="application/pdf",
        file_name=lambda a: f"Сводная ведомость {a.date_from}–{a.date_to}.pdf",
        check=check_statements,
        produce=_produce_statements,
    )
)


# The attestation summary (R-ATTEST-1), as `attestationSummary { xlsx pdf }` gives it.


@dataclass(frozen=True)
class AttestationArguments:
    school_id: int
    period_ids: tuple[int, ...]
    class_id: int | None = None


async def _summary(ctx: Context, a: AttestationArguments) -> attestation.Summary:
    return await attestation.attestation_summary(ctx, a.school_id, list(a.period_ids), a.class_id)


async def _check_attestation(
    ctx: Context, a: AttestationArguments
) -> tuple[int, AttestationArguments]:
    summary = await _summary(ctx, a)
    return summary.school.id, a


async def _produce_xlsx(
    ctx: Context, a: AttestationArguments, out: BinaryIO, progress: Progress
) -> None:
    progress(0, 2)
    summary = await _summary(ctx, a)
    progress(1, 2)
    out.write(await asyncio.to_thread(attestation_files.workbook, summary))
    progress(2, 2)


async def _produce_attestation_pdf(
    ctx: Context, a: AttestationArguments, out: BinaryIO, progress: Progress
) -> None:
    progress(0, 2)
    summary = await _summary(ctx, a)
    progress(1, 2)
    out.write(await attestation_files.pdf(summary, generated_by=None, generated_at=None))
    progress(2, 2)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attestation_file(a: AttestationArguments, suffix: str) -> str:
    return f"Итоги аттестации {a.school_id}.{suffix}"


register(
    ReportKind(
        name="attestation_summary_xlsx",
        title="Итоги аттестации (XLSX)",
        reads=(Resource.FINAL_GRADE,),
        arguments=AttestationArguments,
        media_type=XLSX,
        file_name=lambda a: _attestation_file(a, "xlsx"),
        check=_check_attestation,
        produce=_produce_xlsx,
    )
)
register(
    ReportKind(
        name="attestation_summary_pdf",
        title="Итоги аттестации (PDF)",
        reads=(Resource.FINAL_GRADE,),
        arguments=AttestationArguments,
        media_type="application/pdf",
        file_name=lambda a: _attestation_file(a, "pdf"),
        check=_check_attestation,
        produce=_produce_attestation_pdf,
    )
)


# The kinds of the other modules register themselves as they are imported.
from resolvers.reports import school_kinds, screen_kinds  # noqa: E402, F401
