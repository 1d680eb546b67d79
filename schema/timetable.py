"""The weekly timetable and its dated changes."""

from datetime import date

import strawberry
from strawberry import relay

import model as m
from schema.base import ModelNode, related
from schema.classes import Group
from schema.curriculum import Subject
from schema.enums import TimetableChangeKind
from schema.people import Person
from schema.school import Room


@strawberry.type(description="A weekly slot: a group's subject, teacher and room at a bell.")
class TimetableEntry(ModelNode):
    __model__ = m.TimetableEntry
    id: relay.NodeID[int]
    weekday: int = strawberry.field(description="1 is Monday, 7 is Sunday.")
    bell_number: int
    valid_from: date
    valid_to: date | None

    group = related(m.Group, "group_id", Group)

    subject = related(m.Subject, "subject_id", Subject)

    teacher = related(m.Person, "teacher_id", Person)

    room = related(m.Room, "room_id", Room)


@strawberry.type(description="One day's change: a cancellation, substitute, new room or slot.")
class TimetableChange(ModelNode):
    __model__ = m.TimetableChange
    id: relay.NodeID[int]
    on_date: date
    kind: TimetableChangeKind
    bell_number: int | None
    reason: str | None

    entry = related(m.TimetableEntry, "timetable_entry_id", TimetableEntry)

    group = related(m.Group, "group_id", Group)

    subject = related(m.Subject, "subject_id", Subject)

    teacher = related(m.Person, "teacher_id", Person)

    room = related(m.Room, "room_id", Room)
