"""Classes and their groups."""

import strawberry
from strawberry import relay

import model as m
from resolvers import classes as class_resolvers
from schema.base import Info, ModelNode
from schema.calendar import BellSchedule, SchoolYear
from schema.curriculum import Subject
from schema.enums import GroupKind, PeriodKind
from schema.people import Person
from schema.school import Room


@strawberry.type(description="A subject in a class's curriculum.")
class ClassSubject:
    hours_per_week: int

    @strawberry.field(graphql_type=Subject | None)
    async def subject(
        self, root: strawberry.Parent[m.SubjectClass], info: Info
    ) -> m.Subject | None:
        return await info.context.loaders.one(m.Subject).load(root.subject_id)


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

    @strawberry.field(graphql_type=SchoolYear | None)
    async def school_year(
        self, root: strawberry.Parent[m.SchoolClass], info: Info
    ) -> m.SchoolYear | None:
        return await info.context.loaders.one(m.SchoolYear).load(root.school_year_id)

    @strawberry.field(graphql_type=BellSchedule | None, description="Its bells' times.")
    async def bell_schedule(
        self, root: strawberry.Parent[m.SchoolClass], info: Info
    ) -> m.BellSchedule | None:
        if root.bell_schedule_id is None:
            return None
        return await info.context.loaders.one(m.BellSchedule).load(root.bell_schedule_id)

    @strawberry.field(graphql_type=Person | None)
    async def class_teacher(
        self, root: strawberry.Parent[m.SchoolClass], info: Info
    ) -> m.Person | None:
        if root.class_teacher_id is None:
            return None
        return await info.context.loaders.one(m.Person).load(root.class_teacher_id)

    @strawberry.field(graphql_type=Room | None)
    async def room(self, root: strawberry.Parent[m.SchoolClass], info: Info) -> m.Room | None:
        return (
            None
            if root.room_id is None
            else await info.context.loaders.one(m.Room).load(root.room_id)
        )

    @strawberry.field(graphql_type=list[Person], description="Students, by last name.")
    async def students(self, root: strawberry.Parent[m.SchoolClass], info: Info) -> list[m.Person]:
        return await class_resolvers.class_students(info.context, root.id)

    @strawberry.field(graphql_type=list["Group"], description="The whole class and its subgroups.")
    async def groups(self, root: strawberry.Parent[m.SchoolClass], info: Info) -> list[m.Group]:
        return await info.context.loaders.many(
            m.Group.school_class_id, m.Group.kind, m.Group.name
        ).load(root.id)

    @strawberry.field(graphql_type=list[ClassSubject])
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

    @strawberry.field(graphql_type=SchoolClass | None)
    async def school_class(
        self, root: strawberry.Parent[m.Group], info: Info
    ) -> m.SchoolClass | None:
        return await info.context.loaders.one(m.SchoolClass).load(root.school_class_id)

    @strawberry.field(graphql_type=Subject | None)
    async def subject(self, root: strawberry.Parent[m.Group], info: Info) -> m.Subject | None:
        return (
            None
            if root.subject_id is None
            else await info.context.loaders.one(m.Subject).load(root.subject_id)
        )

    @strawberry.field(graphql_type=list[Person], description="Students, by last name.")
    async def students(self, root: strawberry.Parent[m.Group], info: Info) -> list[m.Person]:
        return await class_resolvers.group_students(info.context, root.id)
