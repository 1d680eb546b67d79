"""The schools' activity rating (R-RATING-1, А #24): how fully and how timely their journals
are kept, from the same figures as the control (R-CONTROL-1), ranked.

    filled share   = lessons past their 2-day deadline that have a topic, attendance taken and
                     grades for every kind of work declared (once its checking days are over),
                     of all lessons past that deadline;
    on-time share  = entries made by their deadlines, of all entries: grades, attendance
                     taken (once per lesson), homework, and the term and final grades of
                     periods whose 7 days are over;
    score          = 100 × (filled share + on-time share) / 2, to one decimal.

The shares are shown as percentages to one decimal (`filledPercent`, `onTimePercent`); the
score is computed from the exact shares.

A share with nothing to count is 0: a journal that is not kept shows no activity. Schools with
equal scores share a rank. Three statements whatever the number of schools; the rating is
computed whole and paged after (`resolvers.pagination.page_of`).
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, false, func, select

import model as m
from policies.vocabulary import Resource
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.screens.journal_facts import ended_periods, lesson_facts, span

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class SchoolRating:
    school_id: int
    rank: int
    score: Decimal
    lessons_due: int
    lessons_filled: int
    entries: int
    entries_on_time: int

    @property
    def filled_share(self) -> Decimal:
        return _share(self.lessons_filled, self.lessons_due)

    @property
    def on_time_share(self) -> Decimal:
        return _share(self.entries_on_time, self.entries)

    @property
    def filled_percent(self) -> Decimal:
        return percent(self.filled_share)

    @property
    def on_time_percent(self) -> Decimal:
        return percent(self.on_time_share)


def _share(part: int, whole: int) -> Decimal:
    return Decimal(part) / Decimal(whole) if whole else Decimal(0)


def percent(share: Decimal) -> Decimal:
    """A share as shown: a percentage to one decimal, rounded half up (99.8, not 0.9983…)."""
    return (Decimal(100) * share).quantize(TENTH, rounding=ROUND_HALF_UP)


def score(filled: Decimal, on_time: Decimal) -> Decimal:
    return (Decimal(50) * (filled + on_time)).quantize(TENTH, rounding=ROUND_HALF_UP)


async def _schools(ctx: Context, school_id: int | None, municipality_id: int | None) -> set[int]:
    allowed = ctx.policy.report_schools(ctx.require_principal(), Resource.JOURNAL_CONTROL)
    if school_id is not None and municipality_id is not None:
        raise BadUserInput("Give a school or a municipality, not both.", argument="schoolId")
    if school_id is not None:
        if school_id not in allowed:
            raise NotFound("No such school, or you may not read its rating.")
        return {school_id}
    if municipality_id is None:
        return set(allowed)
    found = await ctx.db.scalars(
        select(m.School.id).where(
            m.School.municipality_id == municipality_id, m.School.id.in_(allowed)
        )
    )
    if not found:
        raise NotFound("No such municipality, or you may not read the rating of its schools.")
    return set(found)


async def activity_rating(
    ctx: Context,
    school_id: int | None,
    municipality_id: int | None,
    date_from: date | None,
    date_to: date | None,
) -> list[SchoolRating]:
    schools = await _schools(ctx, school_id, municipality_id)
    if not schools:
        return []
    s = span(ctx.require_principal(), frozenset(schools), date_from, date_to)
    facts = lesson_facts(ctx, s)
    c = facts.c
    filled = (c.due == 1) & (c.without_topic + c.without_attendance + c.without_grades == 0)
    lessons = select(
        c.school_id,
        func.sum(c.due),
        func.sum(case((filled, 1), else_=0)),
        func.sum(c.grades + c.homework + c.attendance_taken),
        func.sum(c.late_grades + c.late_homework + c.late_attendance),
    ).group_by(c.school_id)
    final = m.FinalGrade
    finals = (
        select(
            final.school_id,
            func.count(),
            func.sum(case((final.on_time == false(), 1), else_=0)),
        )
        .join(m.Period, m.Period.id == final.period_id)
        .where(ctx.loaders.readable(final), ended_periods(s))
        .group_by(final.school_id)
    )
    figures = {school: [0, 0, 0, 0] for school in schools}
    for school, due, done, entries, late in await ctx.db.rows(lessons):
        figures[school] = [int(due or 0), int(done or 0), int(entries or 0), int(late or 0)]
    for school, entries, late in await ctx.db.rows(finals):
        figures[school][2] += entries
        figures[school][3] += int(late or 0)
    unranked = [
        SchoolRating(school, 0, Decimal(0), due, done, entries, entries - late)
        for school, (due, done, entries, late) in figures.items()
    ]
    scored = sorted(
        ((score(r.filled_share, r.on_time_share), r) for r in unranked),
        key=lambda pair: (-pair[0], pair[1].school_id),
    )
    return [
        SchoolRating(
            r.school_id,
            1 + sum(1 for other, _ in scored if other > value),
            value,
            r.lessons_due,
            r.lessons_filled,
            r.entries,
            r.entries_on_time,
        )
        for value, r in scored
    ]
