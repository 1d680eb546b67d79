"""Lessons as held and what was recorded in them."""

from datetime import date, datetime

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Resource
from resolvers import classes as class_resolvers
from schema import list_sizes as sizes
from schema.base import Info, ModelNode, reads, related
from schema.classes import Group
from schema.curriculum import Subject, WorkType
from schema.enums import AttendanceKind, LessonStatus
from schema.grading import Grade
from schema.list_sizes import at_most
from schema.people import Person
from schema.plan import PlanItem


@strawberry.interface(description="A journal record: who wrote it and when, and its version.")
class Recorded:
    created_at: datetime
    updated_at: datetime | None
    version: int = strawberry.field(description="Send it back with an edit to avoid lost updates.")


@strawberry.type(description="A lesson of a group; `substitute` is who taught it instead.")
class Lesson(ModelNode, Recorded):
    __model__ = m.Lesson
    id: relay.NodeID[int]
    held_on: date
    bell_number: int
    status: LessonStatus
    topic: str | None
    material: str | None
    attendance_taken_at: datetime | None = strawberry.field(
        description="When attendance was first taken (no marks: everybody was present); "
        "null: not taken yet."
    )
    attendance_on_time: bool | None = strawberry.field(
        description="Attendance taken within 2 days after the lesson (R-ATT-1), in the "
        "school's time zone; null: not taken yet."
    )

    group = related(m.Group, "group_id", Group)

    subject = related(m.Subject, "subject_id", Subject)

    teacher = related(m.Person, "teacher_id", Person)

    substitute = related(m.Person, "substitute_id", Person)

    plan_item = related(m.PlanItem, "plan_item_id", PlanItem, "The КТП topic it follows.")

    @strawberry.field(
        graphql_type=list[WorkType],
        description="Kinds of work graded in it.",
        metadata=reads(Resource.CURRICULUM) | at_most(sizes.WORK_TYPES_OF_A_LESSON),
    )
    async def work_types(self, root: strawberry.Parent[m.Lesson], info: Info) -> list[m.WorkType]:
        return await info.context.loaders.linked(
            m.LessonWorkType.lesson_id, m.LessonWorkType.work_type_id, m.WorkType, m.WorkType.id
        ).load(root.id)

    @strawberry.field(
        graphql_type=list[Grade], metadata=reads(Resource.GRADE) | at_most(sizes.GRADES_OF_A_LESSON)
    )
    async def grades(self, root: strawberry.Parent[m.Lesson], info: Info) -> list[m.Grade]:
        return await info.context.loaders.many(m.Grade.lesson_id, m.Grade.id).load(root.id)

    @strawberry.field(
        graphql_type=list["Attendance"],
        description="Absences and lates.",
        metadata=reads(Resource.ATTENDANCE) | at_most(sizes.CLASS_SIZE),
    )
    async def attendance(self, root: strawberry.Parent[m.Lesson], info: Info) -> list[m.Attendance]:
        return await info.context.loaders.many(m.Attendance.lesson_id, m.Attendance.id).load(
            root.id
        )

    @strawberry.field(
        graphql_type=list["Homework"],
        metadata=reads(Resource.HOMEWORK) | at_most(sizes.HOMEWORK_OF_A_LESSON),
    )
    async def homework(self, root: strawberry.Parent[m.Lesson], info: Info) -> list[m.Homework]:
        return await info.context.loaders.many(m.Homework.lesson_id, m.Homework.id).load(root.id)

    @strawberry.field(
        graphql_type=list[Person],
        description="The group's students.",
        metadata=reads(Resource.PERSON) | at_most(sizes.CLASS_SIZE),
    )
    async def students(self, root: strawberry.Parent[m.Lesson], info: Info) -> list[m.Person]:
        return await class_resolvers.group_students(info.context, root.group_id)


@strawberry.type(description="A student's absence or lateness in a lesson.")
class Attendance(ModelNode, Recorded):
    __model__ = m.Attendance
    id: relay.NodeID[int]
    kind: AttendanceKind
    late_minutes: int | None
    comment: str | None
    on_time: bool = strawberry.field(
        description="Marked within 2 days after the lesson (R-ATT-1), in the school's time zone."
    )

    lesson = related(m.Lesson, "lesson_id", Lesson)

    student = related(m.Person, "student_id", Person)


@strawberry.type(description="Homework for the whole group, or only for the students listed.")
class Homework(ModelNode, Recorded):
    __model__ = m.Homework
    id: relay.NodeID[int]
    text: str
    pages: str | None
    tasks: str | None
    due_on: date
    is_individual: bool
    on_time: bool = strawberry.field(
        description="Set by 18:00 of the lesson day (R-HW-1), in the school's time zone."
    )

    lesson = related(m.Lesson, "lesson_id", Lesson)

    @strawberry.field(
        graphql_type=list[Person],
        description="For individual homework.",
        metadata=reads(Resource.PERSON) | at_most(sizes.CLASS_SIZE),
    )
    async def students(self, root: strawberry.Parent[m.Homework], info: Info) -> list[m.Person]:
        return await info.context.loaders.linked(
            m.HomeworkStudent.homework_id,
            m.HomeworkStudent.student_id,
            m.Person,
            m.Person.last_name,
        ).load(root.id)
