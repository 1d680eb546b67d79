"""The admin keeps the school's parameters and premises (А #12, #16): its name, address, time
zone and school week; its buildings («Здания») and rooms («Кабинеты и места»)."""

from dataclasses import dataclass
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from sqlalchemy import ColumnElement, exists, or_, select

import model as m
from policies.vocabulary import Resource
from resolvers import records
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.setup.reference_checks import existing, filled, names_free, school, usable
from resolvers.setup.replanning import replan

SCHOOL_WORDS = "Only the school's admin keeps its parameters and premises."


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def checked_timezone(name: str) -> str:
    if name not in _zones():
        raise BadUserInput(
            f"«{name}» is not an IANA time zone, e.g. «Europe/Moscow».", field="timezone"
        )
    return name


async def school_update(
    ctx: Context, school_id: int, values: dict[str, Any], *, confirm: bool = False
) -> m.School:
    """Correct the school's parameters; `values` holds only what changes. A 5- or 6-day week
    changed re-plans the coming two weeks' lessons (`resolvers/setup/replanning`)."""
    if "name" in values:
        values["name"] = filled(values["name"], "name", "The school's name")
    if "short_name" in values:
        values["short_name"] = filled(values["short_name"], "shortName", "The short name")
    if "address" in values and values["address"] is not None:
        values["address"] = values["address"].strip() or None
    if "timezone" in values:
        values["timezone"] = checked_timezone(values["timezone"])
    if "week_length" in values and values["week_length"] not in (5, 6):
        raise BadUserInput("A school week has 5 or 6 days.", field="weekLength")
    if not values:
        raise BadUserInput("Nothing to change.", argument="input")
    school_row = await records.change(
        ctx, Resource.SCHOOL, m.School, school_id, values, message=SCHOOL_WORDS
    )
    if "week_length" in values:
        await replan(ctx, school_row.id, confirm=confirm)
    return school_row


async def building_create(
    ctx: Context, school_id: int, name: str, address: str | None
) -> m.Building:
    found = await school(ctx, school_id)
    name = filled(name, "name", "A building's name")
    await names_free(ctx, m.Building, m.Building.school_id == found.id, [name], "A building")
    row = {"school_id": found.id, "name": name, "address": (address or "").strip() or None}
    (building,) = await records.create(ctx, Resource.PREMISES, m.Building, [row])
    return building


async def building_update(ctx: Context, building_id: int, values: dict[str, Any]) -> m.Building:
    building = await existing(ctx, m.Building, building_id, "building")
    if "name" in values:
        values["name"] = filled(values["name"], "name", "A building's name")
        among = m.Building.school_id == building.school_id
        await names_free(
            ctx, m.Building, among, [values["name"]], "A building", except_id=building.id
        )
    if "address" in values and values["address"] is not None:
        values["address"] = values["address"].strip() or None
    if not values:
        raise BadUserInput("Nothing to change.", argument="input")
    return await records.change(ctx, Resource.PREMISES, m.Building, building.id, values)


async def building_remove(ctx: Context, building_id: int) -> records.Removal:
    """A building with rooms in use keeps them: it is archived once they are, deleted when it
    has none left."""
    building = await existing(ctx, m.Building, building_id, "building")
    open_rooms = await ctx.db.scalars(
        select(m.Room.name)
        .where(m.Room.building_id == building.id, m.Room.archived_at.is_(None))
        .order_by(m.Room.name)
        .limit(3)
    )
    if open_rooms:
        listed = ", ".join(f"«{name}»" for name in open_rooms)
        raise BadUserInput(
            f"«{building.name}» still has rooms in use ({listed}…): remove them first.",
            field="id",
        )
    in_use = exists().where(m.Room.building_id == building.id)
    return await records.remove(ctx, Resource.PREMISES, m.Building, building.id, in_use=in_use)


@dataclass(frozen=True)
class RoomEntry:
    building_id: int
    name: str
    capacity: int | None = None


def _capacity(capacity: int | None) -> int | None:
    if capacity is not None and not 0 < capacity <= 10_000:
        raise BadUserInput("A room seats 1 to 10000 people.", field="capacity")
    return capacity


async def room_create(ctx: Context, entry: RoomEntry) -> m.Room:
    building = await existing(ctx, m.Building, entry.building_id, "building")
    (building,) = await usable(
        ctx, m.Building, [building.id], building.school_id, "building", "buildingId"
    )
    name = filled(entry.name, "name", "A room's name")
    await names_free(
        ctx, m.Room, m.Room.building_id == building.id, [name], f"In «{building.name}» a room"
    )
    row = {
        "school_id": building.school_id,
        "building_id": building.id,
        "name": name,
        "capacity": _capacity(entry.capacity),
    }
    (room,) = await records.create(ctx, Resource.PREMISES, m.Room, [row])
    return room


async def room_update(ctx: Context, room_id: int, values: dict[str, Any]) -> m.Room:
    room = await existing(ctx, m.Room, room_id, "room")
    building_id = values.get("building_id", room.building_id)
    if "building_id" in values:
        await usable(ctx, m.Building, [building_id], room.school_id, "building", "buildingId")
    if "name" in values:
        values["name"] = filled(values["name"], "name", "A room's name")
    if "name" in values or "building_id" in values:
        name = values.get("name", room.name)
        among = m.Room.building_id == building_id
        await names_free(ctx, m.Room, among, [name], "In that building a room", except_id=room.id)
    if "capacity" in values:
        values["capacity"] = _capacity(values["capacity"])
    if not values:
        raise BadUserInput("Nothing to change.", argument="input")
    return await records.change(ctx, Resource.PREMISES, m.Room, room.id, values)


def room_in_use(room_id: int) -> ColumnElement[bool]:
    """Used by a timetable slot or change, a class's home room, or fitted for a subject."""
    return or_(
        exists().where(m.TimetableEntry.room_id == room_id),
        exists().where(m.TimetableChange.room_id == room_id),
        exists().where(m.SchoolClass.room_id == room_id),
        exists().where(m.SubjectRoom.room_id == room_id),
    )


async def room_remove(ctx: Context, room_id: int) -> records.Removal:
    room = await existing(ctx, m.Room, room_id, "room")
    return await records.remove(
        ctx, Resource.PREMISES, m.Room, room.id, in_use=room_in_use(room.id)
    )
