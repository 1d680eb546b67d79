"""Which days of a school year have lessons, and whose weekday's timetable they follow.

A day has lessons when it lies in its school year, its weekday is in the school's week
(`School.week_length`: five or six days), it is no day off, and it is in no vacation. The
vacations are the gaps between reporting periods: a day is in term when every kind of period
the year has (quarters, trimesters, halves; the whole-year period says nothing) has one that
holds it, so a school with quarters and halves studies only in its quarters. A year without
periods yet has no vacations. A day worked instead of another (`WorkingDay`: a Saturday worked
as a Monday) follows that weekday's timetable, whatever its own, when it is in term.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import SmallInteger, literal, select, union_all

import model as m
from resolvers.database import Database

Span = tuple[date, date]


@dataclass(frozen=True)
class YearDays:
    starts_on: date
    ends_on: date
    # Per kind of period (not the whole year), the periods' spans.
    terms: dict[m.PeriodKind, list[Span]] = field(default_factory=dict)

    def in_term(self, day: date) -> bool:
        if not self.starts_on <= day <= self.ends_on:
            return False
        return all(any(s <= day <= e for s, e in spans) for spans in self.terms.values())


@dataclass(frozen=True)
class SchoolDays:
    week_length: int
    years: Mapping[int, YearDays]
    days_off: frozenset[date]
    # Days worked instead of another: the ISO weekday whose timetable each follows.
    working_days: Mapping[date, int] = field(default_factory=dict)

    def weekday(self, school_year_id: int, day: date) -> int | None:
        """The weekday (1 is Monday) whose timetable is given on `day` in that school year;
        None: no lessons that day."""
        year = self.years.get(school_year_id)
        if year is None or day in self.days_off or not year.in_term(day):
            return None
        if day in self.working_days:
            return self.working_days[day]
        weekday = day.isoweekday()
        return weekday if weekday <= self.week_length else None


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


async def school_days(db: Database, school_id: int, first: date, last: date) -> SchoolDays:
    """The calendar of the school's years that overlap [first, last]: two statements."""
    year, period = m.SchoolYear, m.Period
    week_length = select(m.School.week_length).where(m.School.id == school_id).scalar_subquery()
    rows = await db.rows(
        select(
            week_length,
            year.id,
            year.starts_on,
            year.ends_on,
            period.kind,
            period.starts_on,
            period.ends_on,
        )
        .select_from(year)
        .outerjoin(period, (period.school_year_id == year.id) & (period.kind != m.PeriodKind.YEAR))
        .where(year.school_id == school_id, year.starts_on <= last, year.ends_on >= first)
    )
    years: dict[int, YearDays] = {}
    length = 5
    for length_, year_id, starts_on, ends_on, kind, term_start, term_end in rows:
        length = length_
        entry = years.setdefault(year_id, YearDays(starts_on, ends_on, {}))
        if kind is not None:
            entry.terms.setdefault(kind, []).append((term_start, term_end))
    off, working = m.DayOff, m.WorkingDay
    special = await db.rows(
        union_all(
            select(off.on_date, literal(None, SmallInteger).label("follows")).where(
                off.school_id == school_id, off.on_date.between(first, last)
            ),
            select(working.on_date, working.follows_weekday).where(
                working.school_id == school_id, working.on_date.between(first, last)
            ),
        )  # type: ignore[arg-type]
    )
    return SchoolDays(
        week_length=length,
        years=years,
        days_off=frozenset(day for day, follows in special if follows is None),
        working_days={day: follows for day, follows in special if follows is not None},
    )
