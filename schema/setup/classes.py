"""Classes and their groups."""

from datetime import datetime
from typing import ClassVar

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Resource
from resolvers.setup import classes as class_resolvers
from schema import list_sizes as sizes
from schema.base import Info, ModelNode, reads, related
from schema.enums import GroupKind, PeriodKind
from schema.list_sizes import at_most
from schema.people.person import Person
from schema.people.placements import Placement
from schema.setup.calendar import BellSchedule, SchoolYear
from schema.setup.curriculum import Subject
from schema.setup.school import Room


@strawberry.type(description="A subject in a class's curriculum (учебный план).")
class ClassSubject:
    __resource__: ClassVar[Resource] = Resource.CURRICULUM
    hours_per_week: int = strawberry.field(description="Lessons of it a week (часов в неделю).")

    subject = related(m.Subject, "subject_id", Subject, "The subject.")


@strawberry.type(
    description="A class (класс) of one school year, e.g. «5А»: its students, class teacher "
    "and groups."
)
class SchoolClass(ModelNode):
    __model__ = m.SchoolClass
    id: relay.NodeID[int]
    parallel: int = strawberry.field(
        description="The parallel (параллель), the year of study: 1 to 11; 5 for «5А»."
    )
    letter: str = strawberry.field(description="The letter within the parallel: «А» for «5А».")
    period_kind: PeriodKind = strawberry.field(
        description="The reporting periods that grade the class: quarters «четверти» (usual "
        "in grades 1–9), half-years (usual in 10–11) or trimesters."
    )
    archived_at: datetime | None = strawberry.field(
        description="When it was archived (UTC): kept in every record, taking no new students; "
        "null: in use."
    )

    @strawberry.field(description="Parallel and letter, e.g. «5А».")
    def name(self, root: strawberry.Parent[m.SchoolClass]) -> str:
        return f"{root.parallel}{root.letter}"

    school_year = related(m.SchoolYear, "school_year_id", SchoolYear, "The year it is of.")

    bell_schedule = related(
        m.BellSchedule,
        "bell_schedule_id",
        BellSchedule,
        "The bell schedule its lessons follow (first graders' lessons are shorter); null: none "
        "set.",
    )

    class_teacher = related(
        m.Person,
        "class_teacher_id",
        Person,
        "Its class teacher (классный руководитель); null: none appointed.",
    )

    @strawberry.field(
        graphql_type=Room | None,
        description="Its home room (классный кабинет); null: none.",
        metadata=reads(Resource.PREMISES),
    )
    async def room(self, root: strawberry.Parent[m.SchoolClass], info: Info) -> m.Room | None:
        return (
            None
            if root.room_id is None
            else await info.context.loaders.one(m.Room).load(root.room_id)
        )

    @strawberry.field(
        graphql_type=list[Person],
        description="Its students (the class list) this school year, those who left or moved "
        "out included (`placements` has their days), by last name, then first name.",
        metadata=reads(Resource.PERSON) | at_most(sizes.CLASS_SIZE),
    )
    async def students(self, root: strawberry.Parent[m.SchoolClass], info: Info) -> list[m.Person]:
        return await class_resolvers.class_students(info.context, root.id)

    @strawberry.field(
        graphql_type=list[Placement],
        description="Its placements (зачисления), those who left or moved out included, with "
        "their days (of the students you may see): by last name, then first name, then first "
        "day.",
        metadata=reads(Resource.SCHOOL_CLASS) | at_most(2 * sizes.CLASS_SIZE),
    )
    async def placements(
        self, root: strawberry.Parent[m.SchoolClass], info: Info
    ) -> list[m.ClassStudent]:
        return await class_resolvers.class_placements(info.context, root.id)

    @strawberry.field(
        graphql_type=list["Group"],
        description="Its groups: the subgroups (подгруппы) by name, then the whole class.",
        metadata=reads(Resource.GROUP) | at_most(sizes.GROUPS_OF_A_CLASS),
    )
    async def groups(self, root: strawberry.Parent[m.SchoolClass], info: Info) -> list[m.Group]:
        return await info.context.loaders.many(
            m.Group.school_class_id, m.Group.kind, m.Group.name
        ).load(root.id)

    @strawberry.field(
        graphql_type=list[ClassSubject],
        description="The subjects it is taught, with hours a week, in the order the subjects "
        "were entered.",
        metadata=reads(Resource.CURRICULUM) | at_most(sizes.SUBJECTS_OF_A_CLASS),
    )
    async def subjects(
        self, root: strawberry.Parent[m.SchoolClass], info: Info
    ) -> list[m.SubjectClass]:
        return await info.context.loaders.many(
            m.SubjectClass.school_class_id, m.SubjectClass.subject_id
        ).load(root.id)


@strawberry.type(
    description="A whole class, or a subgroup of it (подгруппа, e.g. for a foreign language): "
    "lessons and the timetable are given to groups."
)
class Group(ModelNode):
    __model__ = m.Group
    id: relay.NodeID[int]
    kind: GroupKind = strawberry.field(description="The whole class, or a subgroup.")
    name: str = strawberry.field(description="Its name, unique in its class.")
    archived_at: datetime | None = strawberry.field(
        description="When it was archived (UTC): kept in every record, no longer in use; null: "
        "in use."
    )

    school_class = related(m.SchoolClass, "school_class_id", SchoolClass, "Its class.")

    @strawberry.field(
        graphql_type=Subject | None,
        description="The subject a subgroup is split for; null: a whole class, or any subject.",
        metadata=reads(Resource.CURRICULUM),
    )
    async def subject(self, root: strawberry.Parent[m.Group], info: Info) -> m.Subject | None:
        return (
            None
            if root.subject_id is None
            else await info.context.loaders.one(m.Subject).load(root.subject_id)
        )

    @strawberry.field(
        graphql_type=list[Person],
        description="Its students, by last name, then first name: a whole-class group's are "
        "its class's.",
        metadata=reads(Resource.PERSON) | at_most(sizes.CLASS_SIZE),
    )
    async def students(self, root: strawberry.Parent[m.Group], info: Info) -> list[m.Person]:
        return await class_resolvers.group_students(info.context, root.id)
