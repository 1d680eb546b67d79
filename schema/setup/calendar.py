"""School years, reporting periods and bell schedules."""

from datetime import date, datetime, time
from typing import ClassVar

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Resource
from schema import list_sizes as sizes
from schema.base import Info, ModelNode, reads, related
from schema.enums import PeriodKind
from schema.list_sizes import at_most

# Of a school year's periods starting on one day (its first quarter, trimester, half and the
# year itself), the shortest comes first.
PERIOD_ORDER = (m.Period.starts_on, m.Period.ends_on)


@strawberry.type(
    description="A reporting period (учебный период) that term and final grades are given "
    "for: a quarter «четверть», trimester, half-year, or the whole year. A class is graded by "
    "the kind of periods its `periodKind` names."
)
class Period(ModelNode):
    __model__ = m.Period
    id: relay.NodeID[int]
    kind: PeriodKind = strawberry.field(description="Quarter, trimester, half-year or year.")
    number: int = strawberry.field(
        description="Its place among the year's periods of its kind, from 1: the 2nd quarter "
        "is 2; the year is 1."
    )
    name: str = strawberry.field(description="As the school calls it, e.g. «2 четверть».")
    starts_on: date = strawberry.field(description="Its first day.")
    ends_on: date = strawberry.field(
        description="Its last day: final grades are due within 7 days after it."
    )

    school_year = related(m.SchoolYear, "school_year_id", "SchoolYear", "The year it is part of.")


@strawberry.type(description="A school year (учебный год) of a school, e.g. «2026/2027».")
class SchoolYear(ModelNode):
    __model__ = m.SchoolYear
    id: relay.NodeID[int]
    name: str = strawberry.field(description="As the school calls it, e.g. «2026/2027».")
    starts_on: date = strawberry.field(description="Its first day, usually 1 September.")
    ends_on: date = strawberry.field(description="Its last day.")
    closed_at: datetime | None = strawberry.field(
        description="When the school's admin closed it (R-YEAR-1): its journal is then "
        "read-only history, every write into it PERIOD_LOCKED; null: open."
    )

    @strawberry.field(
        graphql_type=list[Period],
        description="Its reporting periods, by start date; of those starting on one day the "
        "shortest first (the 1st quarter, trimester, half-year, then the year).",
        metadata=reads(Resource.CALENDAR) | at_most(sizes.PERIODS),
    )
    async def periods(self, root: strawberry.Parent[m.SchoolYear], info: Info) -> list[m.Period]:
        return await info.context.loaders.many(
            m.Period.school_year_id, *PERIOD_ORDER, m.Period.id
        ).load(root.id)


@strawberry.type(description="One lesson slot of a bell schedule (звонок): its number and times.")
class Bell:
    __resource__: ClassVar[Resource] = Resource.CALENDAR
    number: int = strawberry.field(
        description="The lesson's number in the day, 0 to 12 (0: a lesson before the first); "
        "a lesson's `bellNumber` names it."
    )
    starts_at: time = strawberry.field(description="When it starts, school time (HH:MM:SS).")
    ends_at: time = strawberry.field(description="When it ends, school time (HH:MM:SS).")


@strawberry.type(
    description="A bell schedule (расписание звонков): the times of a day's lessons; each "
    "class follows one."
)
class BellSchedule(ModelNode):
    __model__ = m.BellSchedule
    id: relay.NodeID[int]
    name: str = strawberry.field(description="As the school calls it, e.g. «Основное».")
    archived_at: datetime | None = strawberry.field(
        description="When it was archived: kept for the classes that followed it, not offered "
        "for new use; null while in use."
    )

    @strawberry.field(
        graphql_type=list[Bell],
        description="Its bells, by number.",
        metadata=reads(Resource.CALENDAR) | at_most(sizes.BELLS),
    )
    async def bells(self, root: strawberry.Parent[m.BellSchedule], info: Info) -> list[m.Bell]:
        return await info.context.loaders.many(m.Bell.bell_schedule_id, m.Bell.number).load(root.id)


@strawberry.type(
    description="A weekday without lessons: a public holiday, a moved day off or a quarantine "
    "day. Holidays between periods (каникулы) are the gaps between the periods."
)
class DayOff(ModelNode):
    __model__ = m.DayOff
    id: relay.NodeID[int]
    on_date: date = strawberry.field(description="The day.")
    name: str = strawberry.field(
        description="Why there are no lessons, e.g. «День народного единства»."
    )


@strawberry.type(
    description="A day worked instead of another (перенос рабочего дня), e.g. a Saturday worked "
    "as a Monday: lessons follow that weekday's timetable; the day it replaces is a day off."
)
class WorkingDay(ModelNode):
    __model__ = m.WorkingDay
    id: relay.NodeID[int]
    on_date: date = strawberry.field(description="The day worked.")
    follows_weekday: int = strawberry.field(
        description="Whose timetable it follows: 1 is Monday … 7 Sunday."
    )
    name: str = strawberry.field(description="Why, e.g. «Перенос с 3 ноября».")
