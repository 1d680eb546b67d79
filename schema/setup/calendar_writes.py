"""Mutations of the school's calendar (А #14, #15, R-SETUP-1): school years and reporting
periods, bell schedules with their bells, days off and days worked instead of others."""

from collections.abc import Awaitable, Callable
from datetime import date, time
from typing import Annotated, Any

import strawberry

import model as m
from policies.vocabulary import Resource
from resolvers.records import Removal
from resolvers.setup import bell_schedule_writes, calendar_writes, school_day_writes
from schema import list_sizes as sizes
from schema.base import Info, decode_id, reads
from schema.bounds import list_argument, list_field, text_field, width
from schema.enums import PeriodKind
from schema.list_sizes import at_most
from schema.setup.calendar import BellSchedule, DayOff, Period, SchoolYear, WorkingDay
from schema.setup.premises_writes import OWN_LOGIN, REMOVAL
from schema.setup.school import School
from schema.setup.timetable_writes import Confirm
from schema.setup.write_inputs import changes, writes

UNSET = strawberry.UNSET
MAX_PERIODS = 8  # a year's four quarters, three trimesters… and the year: never all at once
MAX_DAYS_OFF = 100


@strawberry.input(description="A new school year (учебный год).")
class SchoolYearCreateInput:
    school_id: strawberry.ID = strawberry.field(description="The school (a `School` ID).")
    name: str = text_field(width(m.SchoolYear.name), description="Its name, e.g. «2026/2027»")
    starts_on: date = strawberry.field(description="Its first day, usually 1 September.")
    ends_on: date = strawberry.field(description="Its last day.")


async def school_year_create(
    info: Info,
    input: Annotated[SchoolYearCreateInput, strawberry.argument(description="The year.")],
) -> m.SchoolYear:
    return await calendar_writes.school_year_create(
        info.context,
        decode_id(input.school_id, School),
        input.name,
        input.starts_on,
        input.ends_on,
    )


@strawberry.input(description="A school year's corrections; fields left out stay.")
class SchoolYearUpdateInput:
    school_year_id: strawberry.ID = strawberry.field(description="The year (a `SchoolYear` ID).")
    name: str | None = text_field(width(m.SchoolYear.name), default=UNSET, description="Its name")
    starts_on: date | None = strawberry.field(default=UNSET, description="Its first day.")
    ends_on: date | None = strawberry.field(default=UNSET, description="Its last day.")


async def school_year_update(
    info: Info,
    input: Annotated[SchoolYearUpdateInput, strawberry.argument(description="What to correct.")],
    confirm: Confirm = False,
) -> m.SchoolYear:
    values = changes(input, ["name", "starts_on", "ends_on"])
    return await calendar_writes.school_year_update(
        info.context, decode_id(input.school_year_id, SchoolYear), values, confirm=confirm
    )


async def school_year_remove(
    info: Info,
    school_year_id: Annotated[
        strawberry.ID, strawberry.argument(description="The year (a `SchoolYear` ID).")
    ],
) -> Removal:
    return await calendar_writes.school_year_remove(
        info.context, decode_id(school_year_id, SchoolYear)
    )


@strawberry.input(description="A reporting period of the year (учебный период).")
class PeriodInput:
    kind: PeriodKind = strawberry.field(description="Quarter, trimester, half-year or year.")
    number: int = strawberry.field(
        description="Its place among the year's periods of its kind, from 1; the year is 1."
    )
    name: str | None = text_field(
        width(m.Period.name),
        default=None,
        description="As the school calls it; left out, «2 четверть», «1 триместр», "
        "«2 полугодие» or «Учебный год»",
    )
    starts_on: date = strawberry.field(description="Its first day, inside the year.")
    ends_on: date = strawberry.field(description="Its last day, inside the year.")


async def periods_create(
    info: Info,
    school_year_id: Annotated[
        strawberry.ID, strawberry.argument(description="The year (a `SchoolYear` ID).")
    ],
    periods: Annotated[
        list[PeriodInput],
        list_argument(MAX_PERIODS, description="The periods to add, at least one"),
    ],
    confirm: Confirm = False,
) -> list[m.Period]:
    entries = [
        calendar_writes.PeriodEntry(
            kind=period.kind,
            number=period.number,
            name=period.name,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
        )
        for period in periods
    ]
    return await calendar_writes.periods_create(
        info.context, decode_id(school_year_id, SchoolYear), entries, confirm=confirm
    )


@strawberry.input(description="A period's corrections; fields left out stay (its kind stays).")
class PeriodUpdateInput:
    period_id: strawberry.ID = strawberry.field(description="The period (a `Period` ID).")
    number: int | None = strawberry.field(default=UNSET, description="Its place in its kind.")
    name: str | None = text_field(width(m.Period.name), default=UNSET, description="Its name")
    starts_on: date | None = strawberry.field(default=UNSET, description="Its first day.")
    ends_on: date | None = strawberry.field(default=UNSET, description="Its last day.")


async def period_update(
    info: Info,
    input: Annotated[PeriodUpdateInput, strawberry.argument(description="What to correct.")],
    confirm: Confirm = False,
) -> m.Period:
    values = changes(input, ["number", "name", "starts_on", "ends_on"])
    return await calendar_writes.period_update(
        info.context, decode_id(input.period_id, Period), values, confirm=confirm
    )


async def period_remove(
    info: Info,
    period_id: Annotated[
        strawberry.ID, strawberry.argument(description="The period (a `Period` ID).")
    ],
    confirm: Confirm = False,
) -> Removal:
    return await calendar_writes.period_remove(
        info.context, decode_id(period_id, Period), confirm=confirm
    )


@strawberry.input(description="One bell (звонок) of a schedule: its number and times.")
class BellInput:
    number: int = strawberry.field(description="The lesson's number in the day, 0 to 12.")
    starts_at: time = strawberry.field(description="When it starts, school time (HH:MM).")
    ends_at: time = strawberry.field(description="When it ends, school time (HH:MM).")


def _bells(bells: list[BellInput]) -> list[bell_schedule_writes.BellEntry]:
    return [
        bell_schedule_writes.BellEntry(
            number=bell.number, starts_at=bell.starts_at, ends_at=bell.ends_at
        )
        for bell in bells
    ]


@strawberry.input(description="A new bell schedule (расписание звонков) with its bells.")
class BellScheduleCreateInput:
    school_id: strawberry.ID = strawberry.field(description="The school (a `School` ID).")
    name: str = text_field(
        width(m.BellSchedule.name), description="Its name, unique in the school, e.g. «Основное»"
    )
    bells: list[BellInput] = list_field(
        sizes.BELLS,
        description="Its bells, each once by number, each after the one numbered before it",
    )


async def bell_schedule_create(
    info: Info,
    input: Annotated[BellScheduleCreateInput, strawberry.argument(description="The schedule.")],
) -> m.BellSchedule:
    return await bell_schedule_writes.bell_schedule_create(
        info.context, decode_id(input.school_id, School), input.name, _bells(input.bells)
    )


@strawberry.input(description="A bell schedule's corrections; fields left out stay.")
class BellScheduleUpdateInput:
    bell_schedule_id: strawberry.ID = strawberry.field(
        description="The schedule (a `BellSchedule` ID)."
    )
    name: str | None = text_field(width(m.BellSchedule.name), default=None, description="Its name")
    bells: list[BellInput] | None = list_field(
        sizes.BELLS,
        optional=True,
        description="All its bells, replacing those there; a bell the current timetable of a "
        "class following it uses stays (BAD_USER_INPUT if left out); not given, the bells stay",
    )


async def bell_schedule_update(
    info: Info,
    input: Annotated[BellScheduleUpdateInput, strawberry.argument(description="What to correct.")],
) -> m.BellSchedule:
    bells = None if not input.bells else _bells(input.bells)
    return await bell_schedule_writes.bell_schedule_update(
        info.context, decode_id(input.bell_schedule_id, BellSchedule), input.name, bells
    )


async def bell_schedule_remove(
    info: Info,
    bell_schedule_id: Annotated[
        strawberry.ID, strawberry.argument(description="The schedule (a `BellSchedule` ID).")
    ],
) -> Removal:
    return await bell_schedule_writes.bell_schedule_remove(
        info.context, decode_id(bell_schedule_id, BellSchedule)
    )


@strawberry.input(description="A day without lessons.")
class DayOffInput:
    on_date: date = strawberry.field(description="The day (YYYY-MM-DD).")
    name: str = text_field(width(m.DayOff.name), description="Why, e.g. «День народного единства»")


async def days_off_create(
    info: Info,
    school_id: Annotated[
        strawberry.ID, strawberry.argument(description="The school (a `School` ID).")
    ],
    days: Annotated[
        list[DayOffInput], list_argument(MAX_DAYS_OFF, description="The days, each once")
    ],
    confirm: Confirm = False,
) -> list[m.DayOff]:
    entries = [school_day_writes.DayOffEntry(on_date=day.on_date, name=day.name) for day in days]
    return await school_day_writes.days_off_create(
        info.context, decode_id(school_id, School), entries, confirm=confirm
    )


async def day_off_remove(
    info: Info,
    day_off_id: Annotated[
        strawberry.ID, strawberry.argument(description="The day off (a `DayOff` ID).")
    ],
    confirm: Confirm = False,
) -> Removal:
    return await school_day_writes.day_off_remove(
        info.context, decode_id(day_off_id, DayOff), confirm=confirm
    )


@strawberry.input(description="A day worked instead of another (перенос рабочего дня).")
class WorkingDayCreateInput:
    school_id: strawberry.ID = strawberry.field(description="The school (a `School` ID).")
    on_date: date = strawberry.field(description="The day worked, e.g. a Saturday.")
    follows_weekday: int = strawberry.field(
        description="Whose timetable it follows: 1 (Monday) to the school's `weekLength`."
    )
    name: str = text_field(width(m.WorkingDay.name), description="Why, e.g. «Перенос с 3 ноября»")


async def working_day_create(
    info: Info,
    input: Annotated[WorkingDayCreateInput, strawberry.argument(description="The day.")],
    confirm: Confirm = False,
) -> m.WorkingDay:
    return await school_day_writes.working_day_create(
        info.context,
        decode_id(input.school_id, School),
        input.on_date,
        input.follows_weekday,
        input.name,
        confirm=confirm,
    )


async def working_day_remove(
    info: Info,
    working_day_id: Annotated[
        strawberry.ID, strawberry.argument(description="The day (a `WorkingDay` ID).")
    ],
    confirm: Confirm = False,
) -> Removal:
    return await school_day_writes.working_day_remove(
        info.context, decode_id(working_day_id, WorkingDay), confirm=confirm
    )


def _calendar_write(
    resolver: Callable[..., Awaitable[Any]], graphql_type: Any, description: str, **metadata: Any
) -> Any:
    return strawberry.mutation(
        resolver=resolver,
        graphql_type=graphql_type,
        permission_classes=writes(Resource.CALENDAR),
        metadata=reads(Resource.CALENDAR) | metadata,
        description=description + OWN_LOGIN,
    )


def _calendar_remove(resolver: Callable[..., Awaitable[Any]], description: str) -> Any:
    return strawberry.mutation(
        resolver=resolver,
        permission_classes=writes(Resource.CALENDAR),
        description=description + OWN_LOGIN,
    )


school_year_create_field = _calendar_write(
    school_year_create,
    SchoolYear,
    "Add a school year (R-SETUP-1); one overlapping another year of the school is "
    "BAD_USER_INPUT naming it.",
)
school_year_update_field = _calendar_write(
    school_year_update,
    SchoolYear,
    "Correct a school year; its periods must stay inside it.",
)
school_year_remove_field = _calendar_remove(
    school_year_remove,
    "Delete a school year that nothing refers to; one with classes, a timetable, a КТП or "
    "periods stays (BAD_USER_INPUT naming them). Answers DELETED.",
)
periods_create_field = _calendar_write(
    periods_create,
    list[Period],
    "Add reporting periods to a school year, all at once or none (А #14): each inside the "
    "year, no two of one kind overlapping («2 четверть» overlaps «1 четверть»: "
    "BAD_USER_INPUT with the `item`); answers them in the order given.",
    **at_most(MAX_PERIODS),
)
period_update_field = _calendar_write(
    period_update,
    Period,
    "Correct a reporting period's number, name or dates, inside its year and clear of its "
    "kind's others. Re-plans the coming two weeks' lessons (vacations are the gaps between "
    "periods).",
)
period_remove_field = _calendar_remove(
    period_remove,
    "Delete a reporting period no final grade was given for; a graded one stays "
    "(BAD_USER_INPUT). Answers DELETED.",
)
bell_schedule_create_field = _calendar_write(
    bell_schedule_create,
    BellSchedule,
    "Add a bell schedule with its bells (А #15), numbered, in order, not overlapping (bell 3 "
    "overlapping bell 2: BAD_USER_INPUT with the `item`).",
)
bell_schedule_update_field = _calendar_write(
    bell_schedule_update,
    BellSchedule,
    "Correct a bell schedule: its name, its bells as a whole.",
)
bell_schedule_remove_field = _calendar_remove(
    bell_schedule_remove,
    "Remove a bell schedule: " + REMOVAL.format(used="a class follows or followed it"),
)
days_off_create_field = _calendar_write(
    days_off_create,
    list[DayOff],
    "Add days without lessons, all at once or none; a day that is a day off or a working day "
    "already is BAD_USER_INPUT with the `item`. Answers them in the order given.",
    **at_most(MAX_DAYS_OFF),
)
day_off_remove_field = _calendar_remove(
    day_off_remove, "Delete a day off: lessons are planned on it again. Answers DELETED."
)
working_day_create_field = _calendar_write(
    working_day_create,
    WorkingDay,
    "Add a day worked instead of another (a Saturday worked as a Monday follows Monday's "
    "timetable); a date that is a day off or a working day already is BAD_USER_INPUT.",
)
working_day_remove_field = _calendar_remove(
    working_day_remove, "Delete a working day. Answers DELETED."
)
