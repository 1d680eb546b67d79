"""The tenant hierarchy and a school's premises."""

from datetime import datetime

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Resource
from schema import list_sizes as sizes
from schema.base import Info, ModelNode, reads, related
from schema.enums import EditWindow
from schema.list_sizes import at_most


@strawberry.type(description="A region (субъект РФ): the schools of its municipalities.")
class Region(ModelNode):
    __model__ = m.Region
    id: relay.NodeID[int]
    name: str = strawberry.field(description="As written officially, e.g. «Московская область».")


@strawberry.type(description="A municipality (муниципальное образование) of a region.")
class Municipality(ModelNode):
    __model__ = m.Municipality
    id: relay.NodeID[int]
    name: str = strawberry.field(description="As written officially.")

    region = related(m.Region, "region_id", Region, "The region it belongs to.")


@strawberry.type(
    description="A school (образовательная организация, ОО): the unit every role, journal "
    "and rule belongs to."
)
class School(ModelNode):
    __model__ = m.School
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Its full official name.")
    short_name: str = strawberry.field(description="The short name it goes by, e.g. «Школа № 5».")
    address: str | None = strawberry.field(description="Its postal address; null if not given.")
    timezone: str = strawberry.field(
        description="Its IANA time zone, e.g. «Europe/Moscow»: every deadline and every date "
        "filter on when something was recorded is the school's local time."
    )
    grade_edit_window: EditWindow = strawberry.field(
        description="How long after the lesson date a grade may still be changed (период "
        "редактирования оценок); the admin sets it with `gradeEditWindowSet`."
    )
    week_length: int = strawberry.field(
        description="School days a week: 5 (Monday to Friday) or 6 (Monday to Saturday)."
    )

    municipality = related(
        m.Municipality, "municipality_id", Municipality, "The municipality it belongs to."
    )

    @strawberry.field(
        graphql_type=list["Building"],
        description="Its buildings, by name.",
        metadata=reads(Resource.PREMISES) | at_most(sizes.BUILDINGS),
    )
    async def buildings(self, root: strawberry.Parent[m.School], info: Info) -> list[m.Building]:
        return await info.context.loaders.many(m.Building.school_id, m.Building.name).load(root.id)


@strawberry.type(description="A building of a school («Здания»).")
class Building(ModelNode):
    __model__ = m.Building
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Its name in the school, unique there.")
    address: str | None = strawberry.field(description="Its postal address; null if not given.")
    archived_at: datetime | None = strawberry.field(
        description="When it was archived: kept in every record and report, not offered for "
        "new use; null while in use."
    )

    @strawberry.field(
        graphql_type=list["Room"],
        description="Its rooms, by name.",
        metadata=reads(Resource.PREMISES) | at_most(sizes.ROOMS),
    )
    async def rooms(self, root: strawberry.Parent[m.Building], info: Info) -> list[m.Room]:
        return await info.context.loaders.many(m.Room.building_id, m.Room.name).load(root.id)


@strawberry.type(description="A room of a building (кабинет), where lessons are given.")
class Room(ModelNode):
    __model__ = m.Room
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Its name or number, unique in its building.")
    capacity: int | None = strawberry.field(
        description="How many students it seats (more than 0); null if not given."
    )
    archived_at: datetime | None = strawberry.field(
        description="When it was archived: kept in every record and report, not offered for "
        "new use; null while in use."
    )

    building = related(m.Building, "building_id", Building, "The building it is in.")
