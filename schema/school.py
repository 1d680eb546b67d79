"""The tenant hierarchy and a school's premises."""

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Resource
from schema import list_sizes as sizes
from schema.base import Info, ModelNode, reads, related
from schema.enums import EditWindow
from schema.list_sizes import at_most


@strawberry.type
class Region(ModelNode):
    __model__ = m.Region
    id: relay.NodeID[int]
    name: str


@strawberry.type
class Municipality(ModelNode):
    __model__ = m.Municipality
    id: relay.NodeID[int]
    name: str

    region = related(m.Region, "region_id", Region)


@strawberry.type
class School(ModelNode):
    __model__ = m.School
    id: relay.NodeID[int]
    name: str
    short_name: str
    address: str | None
    timezone: str = strawberry.field(description="IANA time zone: the school's deadlines.")
    grade_edit_window: EditWindow
    week_length: int = strawberry.field(description="A five- or six-day school week.")

    municipality = related(m.Municipality, "municipality_id", Municipality)

    @strawberry.field(
        graphql_type=list["Building"], metadata=reads(Resource.PREMISES) | at_most(sizes.BUILDINGS)
    )
    async def buildings(self, root: strawberry.Parent[m.School], info: Info) -> list[m.Building]:
        return await info.context.loaders.many(m.Building.school_id, m.Building.name).load(root.id)


@strawberry.type
class Building(ModelNode):
    __model__ = m.Building
    id: relay.NodeID[int]
    name: str
    address: str | None

    @strawberry.field(
        graphql_type=list["Room"], metadata=reads(Resource.PREMISES) | at_most(sizes.ROOMS)
    )
    async def rooms(self, root: strawberry.Parent[m.Building], info: Info) -> list[m.Room]:
        return await info.context.loaders.many(m.Room.building_id, m.Room.name).load(root.id)


@strawberry.type
class Room(ModelNode):
    __model__ = m.Room
    id: relay.NodeID[int]
    name: str
    capacity: int | None

    building = related(m.Building, "building_id", Building)
