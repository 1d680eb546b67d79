"""Subjects, grade scales and work types."""

from decimal import Decimal
from typing import ClassVar

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Resource
from schema import list_sizes as sizes
from schema.base import Info, ModelNode, reads, related
from schema.list_sizes import at_most
from schema.people import Person
from schema.school import Room


@strawberry.type(description="One mark of a scale; `value` is what averages count.")
class GradeScaleMark:
    __resource__: ClassVar[Resource] = Resource.CURRICULUM
    mark: str
    value: Decimal | None


@strawberry.type
class GradeScale(ModelNode):
    __model__ = m.GradeScale
    id: relay.NodeID[int]
    name: str

    @strawberry.field(
        graphql_type=list[GradeScaleMark],
        metadata=reads(Resource.CURRICULUM) | at_most(sizes.MARKS),
    )
    async def marks(
        self, root: strawberry.Parent[m.GradeScale], info: Info
    ) -> list[m.GradeScaleMark]:
        return await info.context.loaders.many(
            m.GradeScaleMark.grade_scale_id, m.GradeScaleMark.position
        ).load(root.id)


@strawberry.type
class Subject(ModelNode):
    __model__ = m.Subject
    id: relay.NodeID[int]
    name: str
    short_name: str
    no_attestation: bool = strawberry.field(
        description="«Без аттестации»: no term or final grade is expected."
    )

    grade_scale = related(m.GradeScale, "grade_scale_id", GradeScale)

    @strawberry.field(
        graphql_type=list[Person],
        description="Teachers who may teach it.",
        metadata=reads(Resource.PERSON) | at_most(sizes.TEACHERS_OF_A_SUBJECT),
    )
    async def teachers(self, root: strawberry.Parent[m.Subject], info: Info) -> list[m.Person]:
        return await info.context.loaders.linked(
            m.SubjectTeacher.subject_id, m.SubjectTeacher.teacher_id, m.Person, m.Person.last_name
        ).load(root.id)

    @strawberry.field(
        graphql_type=list[Room],
        description="Rooms fitted for it.",
        metadata=reads(Resource.PREMISES) | at_most(sizes.ROOMS),
    )
    async def rooms(self, root: strawberry.Parent[m.Subject], info: Info) -> list[m.Room]:
        return await info.context.loaders.linked(
            m.SubjectRoom.subject_id, m.SubjectRoom.room_id, m.Room, m.Room.name
        ).load(root.id)


@strawberry.type(description="A kind of graded work, its weight and checking period.")
class WorkType(ModelNode):
    __model__ = m.WorkType
    id: relay.NodeID[int]
    name: str
    short_name: str
    weight: Decimal
    checking_days: int = strawberry.field(
        description="Days the teacher has to check it; grades are due by then."
    )
