"""A whole school's exports as report jobs: the OneRoster 1.2 bulk CSV
(`resolvers/exports/oneroster`) and the archive of a period or year
(`resolvers/exports/archive`), both zips streamed to the job's file."""

from dataclasses import dataclass

import model as m
from policies.vocabulary import Resource
from resolvers.context import Context
from resolvers.errors import NotFound
from resolvers.exports.archive import archive_zip
from resolvers.exports.oneroster import oneroster_zip
from resolvers.reports.kinds import ReportKind, register, school_check


@dataclass(frozen=True)
class OneRosterArguments:
    school_id: int
    school_year_id: int | None = None  # default: every school year


async def _check_oneroster(ctx: Context, a: OneRosterArguments) -> tuple[int, OneRosterArguments]:
    school_id, _ = await school_check(ctx, a)
    if a.school_year_id is not None:
        year = await ctx.db.session.get(m.SchoolYear, a.school_year_id)
        if year is None or year.school_id != school_id:
            raise NotFound("No such school year in the school.", argument="schoolYearId")
    return school_id, a


register(
    ReportKind(
        name="oneroster_zip", title="OneRoster 1.2 (CSV, ZIP)",
        reads=(Resource.SCHOOL_CLASS, Resource.PERSON), arguments=OneRosterArguments,
        media_type="application/zip",
        file_name=lambda a: f"oneroster-{a.school_id}.zip",
        check=_check_oneroster,
        produce=lambda ctx, a, out, progress: oneroster_zip(
            ctx, a.school_id, out, progress, school_year_id=a.school_year_id
        ),
    )
)  # fmt: skip


@dataclass(frozen=True)
class ArchiveArguments:
    school_id: int
    period_id: int  # a quarter, a half-year…, or the year's own period: the whole year


async def _check_archive(ctx: Context, a: ArchiveArguments) -> tuple[int, ArchiveArguments]:
    school_id, _ = await school_check(ctx, a)
    period = await ctx.db.session.get(m.Period, a.period_id)
    if period is None or period.school_id != school_id:
        raise NotFound("No such reporting period in the school.", argument="periodId")
    return school_id, a


register(
    ReportKind(
        name="archive_zip", title="Архив журнала за период (ZIP)",
        reads=(Resource.SCHOOL, Resource.LESSON), arguments=ArchiveArguments,
        media_type="application/zip",
        file_name=lambda a: f"archive-{a.school_id}-{a.period_id}.zip",
        check=_check_archive,
        produce=lambda ctx, a, out, progress: archive_zip(
            ctx, a.school_id, a.period_id, out, progress
        ),
    )
)  # fmt: skip
