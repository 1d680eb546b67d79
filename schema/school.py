"""The tenant hierarchy and a school's premises."""

import strawberry
from strawberry import relay

import model as m
from schema.base import Info, ModelNode
from schema.enums import EditWindow


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

    @strawberry.field(graphql_type=Region | None)
    async def region(self, root: strawberry.Parent[m.Municipality], info: Info) -> m.Region | None:
        return await info.context.loaders.one(m.Region).load(root.region_id)


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

    @strawberry.field(graphql_type=Municipality | None)
    async def municipality(
        self, root: strawberry.Parent[m.School], info: Info
    ) -> m.Municipality | None:
        return await info.context.loaders.one(m.Municipality).load(root.municipality_id)

    @strawberry.field(graphql_type=list["Building"])
    async def buildings(self, root: strawberry.Parent[m.School], info: Info) -> list[m.Building]:
        return await info.context.loaders.many(m.Building.school_id, m.Building.name).load(root.id)


@strawberry.type
class Building(ModelNode):
    __model__ = m.Building
    id: relay.NodeID[int]
    name: str
    address: str | None

    @strawberry.field(graphql_type=list["Room"])
    async def rooms(self, root: strawberry.Parent[m.Building], info: Info) -> list[m.Room]:
        return await info.context.loaders.many(m.Room.building_id, m.Room.name).load(root.id)


@strawberry.type
class Room(ModelNode):
    __model__ = m.Room
    id: relay.NodeID[int]
    name: str
    capacity: int | None

    @strawberry.field(graphql_type=Building | None)
    async def building(self, root: strawberry.Parent[m.Room], info: Info) -> m.Building | None:
        return await info.context.loaders.one(m.Building).load(root.building_id)
