"""The weekly timetable and its dated changes."""

from datetime import date

import strawberry
from strawberry import relay

import model as m
from schema.base import Info, ModelNode
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

    @strawberry.field(graphql_type=Group | None)
    async def group(self, root: strawberry.Parent[m.TimetableEntry], info: Info) -> m.Group | None:
        return await info.context.loaders.one(m.Group).load(root.group_id)

    @strawberry.field(graphql_type=Subject | None)
    async def subject(
        self, root: strawberry.Parent[m.TimetableEntry], info: Info
    ) -> m.Subject | None:
        return await info.context.loaders.one(m.Subject).load(root.subject_id)

    @strawberry.field(graphql_type=Person | None)
    async def teacher(
        self, root: strawberry.Parent[m.TimetableEntry], info: Info
    ) -> m.Person | None:
        return await info.context.loaders.one(m.Person).load(root.teacher_id)

    @strawberry.field(graphql_type=Room | None)
    async def room(self, root: strawberry.Parent[m.TimetableEntry], info: Info) -> m.Room | None:
        if root.room_id is None:
            return None
        return await info.context.loaders.one(m.Room).load(root.room_id)


@strawberry.type(description="One day's change: a cancellation, substitute, new room or slot.")
class TimetableChange(ModelNode):
    __model__ = m.TimetableChange
    id: relay.NodeID[int]
    on_date: date
    kind: TimetableChangeKind
    bell_number: int | None
    reason: str | None

    @strawberry.field(graphql_type=TimetableEntry | None)
    async def entry(
        self, root: strawberry.Parent[m.TimetableChange], info: Info
    ) -> m.TimetableEntry | None:
        if root.timetable_entry_id is None:
            return None
        return await info.context.loaders.one(m.TimetableEntry).load(root.timetable_entry_id)

    @strawberry.field(graphql_type=Group | None)
    async def group(self, root: strawberry.Parent[m.TimetableChange], info: Info) -> m.Group | None:
        return await info.context.loaders.one(m.Group).load(root.group_id)

    @strawberry.field(graphql_type=Subject | None)
    async def subject(
        self, root: strawberry.Parent[m.TimetableChange], info: Info
    ) -> m.Subject | None:
        if root.subject_id is None:
            return None
        return await info.context.loaders.one(m.Subject).load(root.subject_id)

    @strawberry.field(graphql_type=Person | None)
    async def teacher(
        self, root: strawberry.Parent[m.TimetableChange], info: Info
    ) -> m.Person | None:
        if root.teacher_id is None:
            return None
        return await info.context.loaders.one(m.Person).load(root.teacher_id)

    @strawberry.field(graphql_type=Room | None)
    async def room(self, root: strawberry.Parent[m.TimetableChange], info: Info) -> m.Room | None:
        if root.room_id is None:
            return None
        return await info.context.loaders.one(m.Room).load(root.room_id)
