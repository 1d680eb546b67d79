"""The weekly timetable and its dated changes."""

from datetime import date

import strawberry
from strawberry import relay

import model as m
from schema.base import ModelNode, related
from schema.enums import TimetableChangeKind
from schema.people.person import Person
from schema.setup.classes import Group
from schema.setup.curriculum import Subject
from schema.setup.school import Room


@strawberry.type(
    description="A weekly slot of the timetable (расписание уроков): a group has a subject "
    "with a teacher in a room on a weekday at a bell, from `validFrom` to `validTo`."
)
class TimetableEntry(ModelNode):
    __model__ = m.TimetableEntry
    id: relay.NodeID[int]
    weekday: int = strawberry.field(description="1 is Monday, 7 is Sunday.")
    bell_number: int = strawberry.field(
        description="The lesson's number in the day, as the class's bell schedule numbers it."
    )
    valid_from: date = strawberry.field(description="The first day the slot holds.")
    valid_to: date | None = strawberry.field(
        description="The last day the slot holds; null: until further notice."
    )

    group = related(m.Group, "group_id", Group, "The group taught.")

    subject = related(m.Subject, "subject_id", Subject, "The subject taught.")

    teacher = related(m.Person, "teacher_id", Person, "The teacher who gives it.")

    room = related(m.Room, "room_id", Room, "Where; null: no room set.")


@strawberry.type(
    description="One day's change to the timetable (изменение расписания): a lesson "
    "cancelled, given by a substitute (замена), in another room, moved (перенос), or extra."
)
class TimetableChange(ModelNode):
    __model__ = m.TimetableChange
    id: relay.NodeID[int]
    on_date: date = strawberry.field(description="The day it changes.")
    kind: TimetableChangeKind = strawberry.field(description="What changes.")
    bell_number: int | None = strawberry.field(
        description="The bell the lesson is at that day; null: the weekly slot's bell."
    )
    reason: str | None = strawberry.field(description="Why, as the school wrote it; null: none.")

    entry = related(
        m.TimetableEntry,
        "timetable_entry_id",
        TimetableEntry,
        "The weekly slot changed; null for an extra lesson.",
    )

    group = related(m.Group, "group_id", Group, "The group whose lesson changes.")

    subject = related(
        m.Subject, "subject_id", Subject, "The subject that day; null: the weekly slot's."
    )

    teacher = related(
        m.Person,
        "teacher_id",
        Person,
        "Who gives the lesson that day (the substitute); null: the weekly slot's teacher.",
    )

    room = related(m.Room, "room_id", Room, "The room that day; null: the weekly slot's.")
