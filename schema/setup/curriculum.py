"""Subjects, grade scales and work types."""

from datetime import datetime
from decimal import Decimal
from typing import ClassVar

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Resource
from schema import list_sizes as sizes
from schema.base import Info, ModelNode, reads, related
from schema.list_sizes import at_most
from schema.people.person import Person
from schema.setup.school import Room


@strawberry.type(description="One mark of a grade scale.")
class GradeScaleMark:
    __resource__: ClassVar[Resource] = Resource.CURRICULUM
    mark: str = strawberry.field(
        description="The mark as the journal writes it, up to 8 characters: «5», «4», «зач»."
    )
    value: Decimal | None = strawberry.field(
        description="What averages count it as, e.g. 5.00; null for a mark averages leave out "
        "(«зачёт»)."
    )


@strawberry.type(
    description="A grade scale (шкала оценок): the marks a subject is graded with, e.g. the "
    "5-point scale, or pass/fail (зачёт)."
)
class GradeScale(ModelNode):
    __model__ = m.GradeScale
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Its name, unique in the school.")
    archived_at: datetime | None = strawberry.field(
        description="When it was archived: kept in every record and report, not offered for "
        "new use; null while in use."
    )

    @strawberry.field(
        graphql_type=list[GradeScaleMark],
        description="Its marks, in the scale's own order.",
        metadata=reads(Resource.CURRICULUM) | at_most(sizes.MARKS),
    )
    async def marks(
        self, root: strawberry.Parent[m.GradeScale], info: Info
    ) -> list[m.GradeScaleMark]:
        return await info.context.loaders.many(
            m.GradeScaleMark.grade_scale_id, m.GradeScaleMark.position
        ).load(root.id)


@strawberry.type(description="A subject a school teaches (учебный предмет).")
class Subject(ModelNode):
    __model__ = m.Subject
    id: relay.NodeID[int]
    name: str = strawberry.field(
        description="Its full name, unique in the school, e.g. «Математика»."
    )
    short_name: str = strawberry.field(
        description="As the journal's columns print it, e.g. «Мат.»."
    )
    no_attestation: bool = strawberry.field(
        description="«Без аттестации»: taught without term or final grades (e.g. an elective); "
        "none are expected, and none count as missing."
    )
    archived_at: datetime | None = strawberry.field(
        description="When it was archived: kept in every record and report, not offered for "
        "new use; null while in use."
    )

    grade_scale = related(
        m.GradeScale, "grade_scale_id", GradeScale, "The scale its grades are given on."
    )

    @strawberry.field(
        graphql_type=list[Person],
        description="Teachers who may teach it («предмет-педагог»), by last name, then first name.",
        metadata=reads(Resource.PERSON) | at_most(sizes.TEACHERS_OF_A_SUBJECT),
    )
    async def teachers(self, root: strawberry.Parent[m.Subject], info: Info) -> list[m.Person]:
        return await info.context.loaders.linked(
            m.SubjectTeacher.subject_id,
            m.SubjectTeacher.teacher_id,
            m.Person,
            m.Person.last_name,
            m.Person.first_name,
            m.Person.id,
        ).load(root.id)

    @strawberry.field(
        graphql_type=list[Room],
        description="Rooms fitted for it («предмет-кабинет»), by name.",
        metadata=reads(Resource.PREMISES) | at_most(sizes.ROOMS),
    )
    async def rooms(self, root: strawberry.Parent[m.Subject], info: Info) -> list[m.Room]:
        return await info.context.loaders.linked(
            m.SubjectRoom.subject_id, m.SubjectRoom.room_id, m.Room, m.Room.name
        ).load(root.id)


@strawberry.type(
    description="A kind of graded work (вид работы): an answer in class, a test «контрольная "
    "работа», an essay…, with its weight in the weighted average and its checking days."
)
class WorkType(ModelNode):
    __model__ = m.WorkType
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Its name, unique in the school.")
    short_name: str = strawberry.field(description="As the journal's columns print it.")
    weight: Decimal = strawberry.field(
        description="Its weight in the weighted average (средневзвешенный балл): more than 0, "
        "at most 10, with two decimals."
    )
    checking_days: int = strawberry.field(
        description="Days the teacher has to check it (срок проверки), 0 to 30: its grades are "
        "due by the end of the day that many days after the lesson, or of the 2nd day after "
        "it if that is later, in the school's time zone."
    )
    archived_at: datetime | None = strawberry.field(
        description="When it was archived: kept in every record and report, not offered for "
        "new use; null while in use."
    )
