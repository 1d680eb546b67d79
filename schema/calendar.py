"""School years, reporting periods and bell schedules."""

from datetime import date, time
from typing import ClassVar

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Resource
from schema import list_sizes as sizes
from schema.base import Info, ModelNode, reads, related
from schema.enums import PeriodKind
from schema.list_sizes import at_most


@strawberry.type(description="A reporting period: quarter, trimester, half, or the year.")
class Period(ModelNode):
    __model__ = m.Period
    id: relay.NodeID[int]
    kind: PeriodKind
    number: int
    name: str
    starts_on: date
    ends_on: date

    school_year = related(m.SchoolYear, "school_year_id", "SchoolYear")


@strawberry.type
class SchoolYear(ModelNode):
    __model__ = m.SchoolYear
    id: relay.NodeID[int]
    name: str
    starts_on: date
    ends_on: date

    @strawberry.field(
        graphql_type=list[Period], metadata=reads(Resource.CALENDAR) | at_most(sizes.PERIODS)
    )
    async def periods(self, root: strawberry.Parent[m.SchoolYear], info: Info) -> list[m.Period]:
        return await info.context.loaders.many(
            m.Period.school_year_id, m.Period.starts_on, m.Period.kind
        ).load(root.id)


@strawberry.type(description="One lesson slot of a bell schedule.")
class Bell:
    __resource__: ClassVar[Resource] = Resource.CALENDAR
    number: int
    starts_at: time
    ends_at: time


@strawberry.type
class BellSchedule(ModelNode):
    __model__ = m.BellSchedule
    id: relay.NodeID[int]
    name: str

    @strawberry.field(
        graphql_type=list[Bell], metadata=reads(Resource.CALENDAR) | at_most(sizes.BELLS)
    )
    async def bells(self, root: strawberry.Parent[m.BellSchedule], info: Info) -> list[m.Bell]:
        return await info.context.loaders.many(m.Bell.bell_schedule_id, m.Bell.number).load(root.id)


@strawberry.type(description="A weekday without lessons: a public holiday or a moved day off.")
class DayOff(ModelNode):
    __model__ = m.DayOff
    id: relay.NodeID[int]
    on_date: date
    name: str
