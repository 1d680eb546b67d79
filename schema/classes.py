"""Classes and their groups."""

from typing import ClassVar

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Resource
from resolvers import classes as class_resolvers
from schema import list_sizes as sizes
from schema.base import Info, ModelNode, reads, related
from schema.calendar import BellSchedule, SchoolYear
from schema.curriculum import Subject
from schema.enums import GroupKind, PeriodKind
from schema.list_sizes import at_most
from schema.people import Person
from schema.school import Room


@strawberry.type(description="A subject in a class's curriculum.")
class ClassSubject:
    __resource__: ClassVar[Resource] = Resource.CURRICULUM
    hours_per_week: int

    subject = related(m.Subject, "subject_id", Subject)


@strawberry.type(description="A class of one school year, e.g. 5А.")
class SchoolClass(ModelNode):
    __model__ = m.SchoolClass
    id: relay.NodeID[int]
    parallel: int
    letter: str
    period_kind: PeriodKind = strawberry.field(
        description="The reporting periods that grade the class: quarters, halves, trimesters."
    )

    @strawberry.field(description="Parallel and letter, e.g. «5А».")
    def name(self, root: strawberry.Parent[m.SchoolClass]) -> str:
        return f"{root.parallel}{root.letter}"

    school_year = related(m.SchoolYear, "school_year_id", SchoolYear)

    bell_schedule = related(m.BellSchedule, "bell_schedule_id", BellSchedule, "Its bells' times.")

    class_teacher = related(m.Person, "class_teacher_id", Person)

    @strawberry.field(graphql_type=Room | None, metadata=reads(Resource.PREMISES))
    async def room(self, root: strawberry.Parent[m.SchoolClass], info: Info) -> m.Room | None:
        return (
            None
            if root.room_id is None
            else await info.context.loaders.one(m.Room).load(root.room_id)
        )

    @strawberry.field(
        graphql_type=list[Person],
        description="Students, by last name.",
        metadata=reads(Resource.PERSON) | at_most(sizes.CLASS_SIZE),
    )
    async def students(self, root: strawberry.Parent[m.SchoolClass], info: Info) -> list[m.Person]:
        return await class_resolvers.class_students(info.context, root.id)

    @strawberry.field(
        graphql_type=list["Group"],
        description="The whole class and its subgroups.",
        metadata=reads(Resource.GROUP) | at_most(sizes.GROUPS_OF_A_CLASS),
    )
    async def groups(self, root: strawberry.Parent[m.SchoolClass], info: Info) -> list[m.Group]:
        return await info.context.loaders.many(
            m.Group.school_class_id, m.Group.kind, m.Group.name
        ).load(root.id)

    @strawberry.field(
        graphql_type=list[ClassSubject],
        metadata=reads(Resource.CURRICULUM) | at_most(sizes.SUBJECTS_OF_A_CLASS),
    )
    async def subjects(
        self, root: strawberry.Parent[m.SchoolClass], info: Info
    ) -> list[m.SubjectClass]:
        return await info.context.loaders.many(
            m.SubjectClass.school_class_id, m.SubjectClass.subject_id
        ).load(root.id)


@strawberry.type(description="A whole class, or a subgroup of it; lessons are given to groups.")
class Group(ModelNode):
    __model__ = m.Group
    id: relay.NodeID[int]
    kind: GroupKind
    name: str

    school_class = related(m.SchoolClass, "school_class_id", SchoolClass)

    @strawberry.field(graphql_type=Subject | None, metadata=reads(Resource.CURRICULUM))
    async def subject(self, root: strawberry.Parent[m.Group], info: Info) -> m.Subject | None:
        return (
            None
            if root.subject_id is None
            else await info.context.loaders.one(m.Subject).load(root.subject_id)
        )

    @strawberry.field(
        graphql_type=list[Person],
        description="Students, by last name.",
        metadata=reads(Resource.PERSON) | at_most(sizes.CLASS_SIZE),
    )
    async def students(self, root: strawberry.Parent[m.Group], info: Info) -> list[m.Person]:
        return await class_resolvers.group_students(info.context, root.id)
