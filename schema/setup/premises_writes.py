"""Mutations of the school's parameters and premises (А #12, #16): the school, its buildings
and rooms."""

from typing import Annotated

import strawberry

import model as m
from policies.vocabulary import Resource
from resolvers.records import Removal
from resolvers.setup import premises_writes
from schema.base import Info, decode_id, reads
from schema.bounds import text_field, width
from schema.setup.school import Building, Room, School
from schema.setup.timetable_writes import Confirm
from schema.setup.write_inputs import changes, writes

UNSET = strawberry.UNSET


@strawberry.input(description="The school's parameters to correct; fields left out stay.")
class SchoolUpdateInput:
    school_id: strawberry.ID = strawberry.field(description="The school (a `School` ID).")
    name: str | None = text_field(
        width(m.School.name), default=UNSET, description="Its full official name"
    )
    short_name: str | None = text_field(
        width(m.School.short_name), default=UNSET, description="The short name it goes by"
    )
    address: str | None = text_field(
        width(m.School.address), default=UNSET, description="Its postal address; null clears it"
    )
    timezone: str | None = text_field(
        width(m.School.timezone),
        default=UNSET,
        description="Its IANA time zone, e.g. «Europe/Moscow»: deadlines count in it",
    )
    week_length: int | None = strawberry.field(
        default=UNSET, description="School days a week: 5 or 6."
    )


async def school_update(
    info: Info,
    input: Annotated[SchoolUpdateInput, strawberry.argument(description="What to correct.")],
    confirm: Confirm = False,
) -> m.School:
    values = changes(
        input,
        ["name", "short_name", "address", "timezone", "week_length"],
        nullable=["address"],
    )
    return await premises_writes.school_update(
        info.context, decode_id(input.school_id, School), values, confirm=confirm
    )


@strawberry.input(description="A new building of the school («Здания»).")
class BuildingCreateInput:
    school_id: strawberry.ID = strawberry.field(description="The school (a `School` ID).")
    name: str = text_field(width(m.Building.name), description="Its name, unique in the school")
    address: str | None = text_field(
        width(m.Building.address), default=None, description="Its postal address"
    )


async def building_create(
    info: Info,
    input: Annotated[BuildingCreateInput, strawberry.argument(description="The building.")],
) -> m.Building:
    return await premises_writes.building_create(
        info.context, decode_id(input.school_id, School), input.name, input.address
    )


@strawberry.input(description="A building's corrections; fields left out stay.")
class BuildingUpdateInput:
    building_id: strawberry.ID = strawberry.field(description="The building (a `Building` ID).")
    name: str | None = text_field(
        width(m.Building.name), default=UNSET, description="Its name, unique in the school"
    )
    address: str | None = text_field(
        width(m.Building.address), default=UNSET, description="Its postal address; null clears it"
    )


async def building_update(
    info: Info,
    input: Annotated[BuildingUpdateInput, strawberry.argument(description="What to correct.")],
) -> m.Building:
    values = changes(input, ["name", "address"], nullable=["address"])
    return await premises_writes.building_update(
        info.context, decode_id(input.building_id, Building), values
    )


async def building_remove(
    info: Info,
    building_id: Annotated[
        strawberry.ID, strawberry.argument(description="The building (a `Building` ID).")
    ],
) -> Removal:
    return await premises_writes.building_remove(info.context, decode_id(building_id, Building))


@strawberry.input(description="A new room («Кабинеты и места») in a building.")
class RoomCreateInput:
    building_id: strawberry.ID = strawberry.field(description="Its building (a `Building` ID).")
    name: str = text_field(
        width(m.Room.name), description="Its name or number, unique in its building"
    )
    capacity: int | None = strawberry.field(
        default=None, description="How many students it seats (1 to 10000)."
    )


async def room_create(
    info: Info,
    input: Annotated[RoomCreateInput, strawberry.argument(description="The room.")],
) -> m.Room:
    entry = premises_writes.RoomEntry(
        building_id=decode_id(input.building_id, Building),
        name=input.name,
        capacity=input.capacity,
    )
    return await premises_writes.room_create(info.context, entry)


@strawberry.input(description="A room's corrections; fields left out stay.")
class RoomUpdateInput:
    room_id: strawberry.ID = strawberry.field(description="The room (a `Room` ID).")
    building_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="Its building, if it moves (a `Building` ID)."
    )
    name: str | None = text_field(
        width(m.Room.name), default=UNSET, description="Its name or number"
    )
    capacity: int | None = strawberry.field(
        default=UNSET, description="How many students it seats; null: not given."
    )


async def room_update(
    info: Info,
    input: Annotated[RoomUpdateInput, strawberry.argument(description="What to correct.")],
) -> m.Room:
    values = changes(input, ["building_id", "name", "capacity"], nullable=["capacity"])
    if "building_id" in values:
        values["building_id"] = decode_id(values["building_id"], Building)
    return await premises_writes.room_update(info.context, decode_id(input.room_id, Room), values)


async def room_remove(
    info: Info,
    room_id: Annotated[strawberry.ID, strawberry.argument(description="The room (a `Room` ID).")],
) -> Removal:
    return await premises_writes.room_remove(info.context, decode_id(room_id, Room))


REMOVAL = (
    "archived (kept in every record and report, no longer offered for new use) when {used}; "
    "deleted otherwise. Answers which."
)
OWN_LOGIN = " A person signed in with their own login."

school_update_field = strawberry.mutation(
    resolver=school_update,
    graphql_type=School,
    permission_classes=writes(Resource.SCHOOL),
    metadata=reads(Resource.SCHOOL),
    description="Correct the school's parameters (А #12): its name, address, time zone and a "
    "5- or 6-day week (which re-plans the coming two weeks' lessons). An unknown time zone is "
    "BAD_USER_INPUT." + OWN_LOGIN,
)
building_create_field = strawberry.mutation(
    resolver=building_create,
    graphql_type=Building,
    permission_classes=writes(Resource.PREMISES),
    metadata=reads(Resource.PREMISES),
    description="Add a building to the school («Здания»); a name taken in the school is "
    "BAD_USER_INPUT." + OWN_LOGIN,
)
building_update_field = strawberry.mutation(
    resolver=building_update,
    graphql_type=Building,
    permission_classes=writes(Resource.PREMISES),
    metadata=reads(Resource.PREMISES),
    description="Correct a building's name or address." + OWN_LOGIN,
)
building_remove_field = strawberry.mutation(
    resolver=building_remove,
    permission_classes=writes(Resource.PREMISES),
    description="Remove a building: refused while it has rooms in use; "
    + REMOVAL.format(used="it has archived rooms")
    + OWN_LOGIN,
)
room_create_field = strawberry.mutation(
    resolver=room_create,
    graphql_type=Room,
    permission_classes=writes(Resource.PREMISES),
    metadata=reads(Resource.PREMISES),
    description="Add a room to a building («Кабинеты и места»); a name taken in the building "
    "is BAD_USER_INPUT, an archived building too." + OWN_LOGIN,
)
room_update_field = strawberry.mutation(
    resolver=room_update,
    graphql_type=Room,
    permission_classes=writes(Resource.PREMISES),
    metadata=reads(Resource.PREMISES),
    description="Correct a room: its name, seats, or the building it is in." + OWN_LOGIN,
)
room_remove_field = strawberry.mutation(
    resolver=room_remove,
    permission_classes=writes(Resource.PREMISES),
    description="Remove a room: "
    + REMOVAL.format(
        used="the timetable or its changes used it, it is a class's room or fitted for a subject"
    )
    + OWN_LOGIN,
)
