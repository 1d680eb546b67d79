"""The archive of a school's reporting period or school year (issue 13 item 6, §1.11, А #25):
one zip that needs no tabel to read — the journal's tables as CSV and XLSX, the audit trail,
the statements as printed, a README and a manifest with every file's SHA-256.

Reproducible: the same data gives the same bytes (the parts in a fixed order, rows in the
journal's order, entries dated by the data's moment, `scope.as_of`; no clock anywhere).
Streamed and bounded: rows are read a page at a time and each file goes into the zip as it is
made, hashed on the way; no table is ever held whole. Read as everything is, through the
caller's read policies: a file whose rows they may not read has its header and no rows. The
caller runs it in one transaction: one consistent snapshot of the school."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import BinaryIO

from resolvers.context import Context
from resolvers.exports.archive import readme
from resolvers.exports.archive.audit_trail import write_audit_trail
from resolvers.exports.archive.entries import BundleZip
from resolvers.exports.archive.manifest import write_manifest
from resolvers.exports.archive.names import names_of
from resolvers.exports.archive.scope import Progress, Scope, scope_of
from resolvers.exports.archive.statements import (
    attestation_groups,
    segments,
    write_attestation,
    write_class_pdfs,
    write_summary_statements,
)
from resolvers.exports.archive.table_files import write_table
from resolvers.exports.archive.tables import TABLES
from resolvers.printing.journal_pages import class_journal_pdf, may_print


@dataclass(frozen=True)
class Part:
    """Files of the bundle: how many steps they make (for the progress), and writing them."""

    steps: Callable[[Scope], int]
    write: Callable[[Scope], Awaitable[None]]


async def _tables(scope: Scope) -> None:
    names = await names_of(scope)
    for table in TABLES:
        await write_table(scope, table, names)


def _prints_journals(scope: Scope) -> bool:
    """The class journals' pages are printed only by the roles that print them (staff): for
    another, such as an integrator's token, the bundle has none (the README says so)."""
    return may_print(scope.ctx)


async def _class_journals(scope: Scope) -> None:
    if _prints_journals(scope):
        await write_class_pdfs(scope, "class_journals", class_journal_pdf)


# The bundle's parts, in the order their files are written.
PARTS: list[Part] = [
    Part(lambda s: len(TABLES), _tables),
    Part(lambda s: 1, write_audit_trail),
    Part(lambda s: len(s.classes) if _prints_journals(s) else 0, _class_journals),
    Part(lambda s: len(segments(s)) * len(s.classes), write_summary_statements),
    Part(lambda s: len(attestation_groups(s)), write_attestation),
]


async def archive_zip(
    ctx: Context,
    school_id: int,
    period_id: int,
    out: BinaryIO,
    progress: Progress | None = None,
) -> None:
    """The archive of the school's period `period_id` (a quarter, a half…; the school year's
    own period — kind YEAR — for the whole year) written to `out`, which need not seek.
    `progress(done, total)` is told after each file or class made."""
    scope = await scope_of(ctx, school_id, period_id)
    scope.steps = 2 + sum(part.steps(scope) for part in PARTS)
    scope.progress = progress
    scope.zip = BundleZip(out, scope.as_of)
    scope.bundle.add(readme.NAME, readme.readme(scope))
    scope.step()
    for part in PARTS:
        await part.write(scope)
    write_manifest(scope.bundle)
    scope.bundle.close()
    scope.step()
