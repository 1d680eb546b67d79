"""Rooms: each subject teacher has a room of their own, so no room is ever double-booked."""

from demo.ids import Ids
from demo.sink import Sink
from demo.world import SchoolRefs, Teacher
from model import Room

# Specialised rooms by subject family: (name, capacity).
_SPECIAL = {
    "pe": ("Спортивный зал", 60),
    "informatics": ("Кабинет информатики", 15),
    "labour": ("Мастерская", 16),
    "arts": ("Кабинет искусств", 30),
    "chemistry": ("Кабинет химии", 30),
    "physics": ("Кабинет физики", 30),
    "psychology": ("Кабинет психолога", 30),
}
_ROOMS_PER_FLOOR = 12


def build_rooms(sink: Sink, ids: Ids, refs: SchoolRefs, teachers: list[Teacher]) -> None:
    numbered = {"main": 0, "primary": 0}
    special: dict[str, int] = {}

    def add(building: int, name: str, capacity: int | None) -> int:
        room_id = ids.next(Room)
        sink.add(
            Room,
            {
                "id": room_id,
                "school_id": refs.id,
                "building_id": building,
                "name": name,
                "capacity": capacity,
            },
        )
        return room_id

    def number(kind: str) -> str:
        n = numbered[kind]
        numbered[kind] = n + 1
        return f"{n // _ROOMS_PER_FLOOR + 1}{n % _ROOMS_PER_FLOOR + 1:02d}"

    for teacher in teachers:
        if teacher.primary:
            teacher.room_id = add(refs.primary_building_id, number("primary"), 28)
            continue
        family = teacher.families[0]
        if family in _SPECIAL:
            title, capacity = _SPECIAL[family]
            special[family] = special.get(family, 0) + 1
            teacher.room_id = add(refs.main_building_id, f"{title} № {special[family]}", capacity)
        else:
            capacity = 16 if family == "english" else 30
            teacher.room_id = add(refs.main_building_id, number("main"), capacity)
    add(refs.main_building_id, "Актовый зал", 300)
    add(refs.main_building_id, "Библиотека", 40)
