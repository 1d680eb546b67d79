"""The statements tabel prints, as they stand for the archive's data: each class's summary
statements (R-SUMMARY-1, a student a page) per reporting period of the archive — its
shortest periods, since a statement covers days of one period: a quarter's own, a half's or
the year's quarters — and the attestation summary (R-ATTEST-1) of its periods, PDF and XLSX,
a summary per kind of period (quarters, halves, the year). The certified PDF names who made
the archive and, as «generated at», the archive's moment (`scope.as_of`): the data's, not the
clock's. Its checksum is the summary's data's, as `attestationSummaryCertify` records it."""

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date

import model as m
from resolvers.context import Context
from resolvers.exports import attestation_files
from resolvers.exports.archive.scope import Scope
from resolvers.printing.summary_statements import summary_statements_pdf
from resolvers.screens.attestation import attestation_summary
from resolvers.screens.summary_statement import summary_statements

ClassPdf = Callable[[Context, int, int], Awaitable[bytes]]


def _slug(periods: list[m.Period]) -> str:
    return f"{periods[0].kind.value}-" + "-".join(str(period.number) for period in periods)


def segments(scope: Scope) -> list[tuple[str, date, date]]:
    """The periods a statement may cover that make up the archive's days, shortest first."""
    inside = [p for p in scope.year_periods if p.kind is not m.PeriodKind.YEAR
              and scope.days[0] <= p.starts_on and p.ends_on <= scope.days[1]]  # fmt: skip
    if not inside:
        return [(_slug([scope.period]), *scope.days)]
    shortest = min(inside, key=lambda p: (p.ends_on - p.starts_on, p.id)).kind
    return [(_slug([p]), p.starts_on, p.ends_on) for p in inside if p.kind is shortest]


def _pinned(scope: Scope) -> Context:
    """The caller as of the archive's moment: what a printed page dates itself by."""
    ctx = scope.ctx
    principal = replace(ctx.require_principal(), now=scope.as_of)
    return Context(db=ctx.db, policy=ctx.policy, principal=principal)


async def write_summary_statements(scope: Scope) -> None:
    printed = _pinned(scope)
    for name, starts_on, ends_on in segments(scope):
        for school_class in scope.classes:
            answer = await summary_statements(
                scope.ctx, class_id=school_class.id, date_from=starts_on, date_to=ends_on
            )
            if answer.statements:
                scope.bundle.add(
                    f"summary_statements/{name}/{school_class.file_name}.pdf",
                    await summary_statements_pdf(printed, answer),
                    rows=len(answer.statements),
                )
            scope.step()


def attestation_groups(scope: Scope) -> list[list[m.Period]]:
    kinds = list(dict.fromkeys(period.kind for period in scope.periods))
    return [[p for p in scope.periods if p.kind is kind] for kind in kinds]


async def write_attestation(scope: Scope) -> None:
    principal = scope.ctx.require_principal()
    for periods in attestation_groups(scope):
        summary = await attestation_summary(
            scope.ctx, scope.school.id, [period.id for period in periods]
        )
        students = sum(len(section.students) for section in summary.classes)
        name = f"attestation/{_slug(periods)}"
        document = await attestation_files.pdf(
            summary, generated_by=principal.name, generated_at=scope.as_of
        )
        scope.bundle.add(f"{name}.pdf", document, rows=students)
        scope.bundle.add(f"{name}.xlsx", attestation_files.workbook(summary), rows=students)
        scope.step()


async def write_class_pdfs(scope: Scope, folder: str, render: ClassPdf) -> None:
    """A PDF per class of the archive (`render(ctx, class_id, period_id)`), `<folder>/05А.pdf`."""
    for school_class in scope.classes:
        document = await render(scope.ctx, school_class.id, scope.period.id)
        scope.bundle.add(f"{folder}/{school_class.file_name}.pdf", document)
        scope.step()
