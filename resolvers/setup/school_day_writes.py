"""The days that are not ordinary school days: days off (holidays, moved days off, quarantine)
and days worked instead of another (a Saturday worked as a Monday). A date is one or the
other, never both; lessons are planned from them (`resolvers/setup/lesson_planning`), so every
write here re-plans the coming two weeks in its transaction: lessons on a new day off go,
lessons of a working day come, and one holding journal records is only moved or cancelled when
the admin confirms (`resolvers/setup/replanning`)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import false, select, union_all

import model as m
from policies.vocabulary import Resource
from resolvers import records
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.setup.reference_checks import at, distinct, existing, filled, school
from resolvers.setup.replanning import replan

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class DayOffEntry:
    on_date: date
    name: str


async def _dates_free(ctx: Context, school_id: int, dates: Sequence[date], single: bool) -> None:
    """None of `dates` is a day off or a working day of the school already (one statement)."""
    taken = union_all(
        select(m.DayOff.on_date, m.DayOff.name).where(
            m.DayOff.school_id == school_id, m.DayOff.on_date.in_(list(dates))
        ),
        select(m.WorkingDay.on_date, m.WorkingDay.name).where(
            m.WorkingDay.school_id == school_id, m.WorkingDay.on_date.in_(list(dates))
        ),
    )
    found = {row.on_date: row.name for row in await ctx.db.rows(taken)}  # type: ignore[arg-type]
    for item, day in enumerate(dates):
        if day in found:
            raise BadUserInput(
                f"{day:%d.%m.%Y} is «{found[day]}» already.",
                field="onDate",
                **at(None if single else item),
            )


async def days_off_create(
    ctx: Context, school_id: int, days: Sequence[DayOffEntry], *, confirm: bool = False
) -> list[m.DayOff]:
    """A year's holidays in one call: all of them written, or none."""
    found = await school(ctx, school_id)
    if not days:
        raise BadUserInput("List at least one day.", field="days")
    rows = [
        {
            "school_id": found.id,
            "on_date": day.on_date,
            "name": filled(day.name, "name", "Why there are no lessons", item=item),
        }
        for item, day in enumerate(days)
    ]
    distinct([day.on_date for day in days], "onDate", "The day")
    await _dates_free(ctx, found.id, [day.on_date for day in days], single=False)
    created = await records.create(ctx, Resource.CALENDAR, m.DayOff, rows)
    await replan(ctx, found.id, confirm=confirm)
    return created


async def day_off_remove(
    ctx: Context, day_off_id: int, *, confirm: bool = False
) -> records.Removal:
    day: m.DayOff = await existing(ctx, m.DayOff, day_off_id, "day off")
    removal = await records.remove(ctx, Resource.CALENDAR, m.DayOff, day.id, in_use=false())
    await replan(ctx, day.school_id, confirm=confirm)
    return removal


async def working_day_create(
    ctx: Context,
    school_id: int,
    on_date: date,
    follows_weekday: int,
    name: str,
    *,
    confirm: bool = False,
) -> m.WorkingDay:
    found = await school(ctx, school_id)
    if not 1 <= follows_weekday <= found.week_length:
        raise BadUserInput(
            f"A school day follows the timetable of a school weekday: 1 ({WEEKDAYS[0]}) to "
            f"{found.week_length} ({WEEKDAYS[found.week_length - 1]}).",
            field="followsWeekday",
        )
    name = filled(name, "name", "Why it is worked")
    await _dates_free(ctx, found.id, [on_date], single=True)
    row = {
        "school_id": found.id,
        "on_date": on_date,
        "follows_weekday": follows_weekday,
        "name": name,
    }
    (day,) = await records.create(ctx, Resource.CALENDAR, m.WorkingDay, [row])
    await replan(ctx, found.id, confirm=confirm)
    return day


async def working_day_remove(
    ctx: Context, working_day_id: int, *, confirm: bool = False
) -> records.Removal:
    day: m.WorkingDay = await existing(ctx, m.WorkingDay, working_day_id, "working day")
    removal = await records.remove(ctx, Resource.CALENDAR, m.WorkingDay, day.id, in_use=false())
    await replan(ctx, day.school_id, confirm=confirm)
    return removal
