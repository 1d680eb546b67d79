"""What one archive is of: a school's reporting period (a quarter, a half…) or its school year
(the year's own period, `PeriodKind.YEAR`: then the school year's days and all its periods),
as one principal may read it, and the moment it stands at.

The moment (`as_of`) is taken from the data, never the clock, so that the same data gives the
same bundle: the newest change the archive holds (its audit trail and its grade change log),
else the end of the period's last day in the school's time zone. It dates the zip's entries and
is the «generated at» of the certified attestation summary."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute

import model as m
from resolvers.context import Context
from resolvers.errors import NotFound
from resolvers.exports.archive.entries import BundleZip
from resolvers.journal.lessons import day_start
from resolvers.people.names import class_name

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ClassLine:
    id: int
    name: str  # «5А»
    file_name: str  # «05А»: sorts as the school lists its classes


@dataclass
class Scope:
    ctx: Context
    school: m.School
    period: m.Period
    year: m.SchoolYear
    periods: list[m.Period]  # the archive's periods: the one asked, or every one of the year
    year_periods: list[m.Period]
    days: tuple[date, date]
    as_of: datetime
    classes: list[ClassLine]
    zip: BundleZip | None = None
    progress: Progress | None = None
    steps: int = 0
    done: int = field(default=0)

    @property
    def bundle(self) -> BundleZip:
        assert self.zip is not None
        return self.zip

    @property
    def is_year(self) -> bool:
        return self.period.kind is m.PeriodKind.YEAR

    def lesson_days(self) -> list[ColumnElement[bool]]:
        """The lessons of the archive: the school's, on its days."""
        return [m.Lesson.school_id == self.school.id, m.Lesson.held_on.between(*self.days)]

    def recorded(self, moment: InstrumentedAttribute[datetime]) -> list[ColumnElement[bool]]:
        """Recorded on the archive's days, by the school's midnights."""
        start = day_start(self.days[0], self.school.timezone)
        end = day_start(self.days[1], self.school.timezone, days_after=1)
        return [moment >= start, moment < end]

    def step(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(min(self.done, self.steps), self.steps)


async def scope_of(ctx: Context, school_id: int, period_id: int) -> Scope:
    readable = ctx.loaders.readable
    school = await ctx.db.scalar(
        select(m.School).where(m.School.id == school_id, readable(m.School))
    )
    if school is None:
        raise NotFound("There is no such school, or you may not see it.", argument="schoolId")
    period = await ctx.db.scalar(
        select(m.Period).where(
            m.Period.id == period_id, m.Period.school_id == school_id, readable(m.Period)
        )
    )
    year = None
    if period is not None:
        year = await ctx.db.scalar(
            select(m.SchoolYear).where(m.SchoolYear.id == period.school_year_id)
        )
    if period is None or year is None:
        raise NotFound(
            "There is no such period in the school, or you may not see it.", argument="periodId"
        )
    year_periods = list(
        await ctx.db.scalars(
            select(m.Period)
            .where(m.Period.school_year_id == year.id, readable(m.Period))
            .order_by(m.Period.starts_on, m.Period.ends_on, m.Period.id)
        )
    )
    if period.kind is m.PeriodKind.YEAR:
        days = (min(year.starts_on, period.starts_on), max(year.ends_on, period.ends_on))
        periods = year_periods
    else:
        days, periods = (period.starts_on, period.ends_on), [period]
    classes = [
        ClassLine(c.id, class_name(c), f"{c.parallel:02d}{c.letter}")
        for c in await ctx.db.scalars(
            select(m.SchoolClass)
            .where(
                m.SchoolClass.school_id == school_id,
                m.SchoolClass.school_year_id == year.id,
                readable(m.SchoolClass),
            )
            .order_by(m.SchoolClass.parallel, m.SchoolClass.letter, m.SchoolClass.id)
        )
    ]
    scope = Scope(ctx, school, period, year, periods, year_periods, days, datetime.min, classes)
    scope.as_of = await _as_of(scope)
    return scope


async def _as_of(scope: Scope) -> datetime:
    ctx, readable = scope.ctx, scope.ctx.loaders.readable
    trail = await ctx.db.scalar(
        select(func.max(m.Change.changed_at)).where(
            m.Change.school_id == scope.school.id,
            *scope.recorded(m.Change.changed_at),
            readable(m.Change),
        )
    )
    lessons = select(m.Lesson.id).where(*scope.lesson_days())
    grades = await ctx.db.scalar(
        select(func.max(m.GradeChange.changed_at)).where(
            m.GradeChange.lesson_id.in_(lessons), readable(m.GradeChange)
        )
    )
    found = [moment for moment in (trail, grades) if moment is not None]
    if found:
        return max(found)
    return day_start(scope.days[1], scope.school.timezone, days_after=1)
