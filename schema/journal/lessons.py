"""Lessons as held and what was recorded in them."""

from datetime import date, datetime

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Resource
from resolvers.setup import classes as class_resolvers
from schema import list_sizes as sizes
from schema.base import Info, ModelNode, reads, related
from schema.enums import AttendanceKind, LessonStatus
from schema.journal.grading import Grade
from schema.list_sizes import at_most
from schema.people.person import Person
from schema.setup.classes import Group
from schema.setup.curriculum import Subject, WorkType
from schema.setup.plan import PlanItem


@strawberry.interface(description="A journal record: when it was written, and its version.")
class Recorded:
    created_at: datetime = strawberry.field(description="When it was first written (UTC).")
    updated_at: datetime | None = strawberry.field(
        description="When it was last changed (UTC); null: never changed."
    )
    version: int = strawberry.field(
        description="1 when written, one more with each change. Send the version you read "
        "with an edit: if someone changed it meanwhile, the edit is refused with CONFLICT "
        "instead of overwriting their change."
    )


@strawberry.type(
    description="A lesson (урок) of a group on a date and bell, as the class journal "
    "(классный журнал) records it: topic, attendance, grades, homework; `substitute` is who "
    "taught it instead of its teacher."
)
class Lesson(ModelNode, Recorded):
    __model__ = m.Lesson
    id: relay.NodeID[int]
    held_on: date = strawberry.field(description="The day it is (or was) given.")
    bell_number: int = strawberry.field(
        description="Its number in the day, as the class's bell schedule numbers it."
    )
    status: LessonStatus = strawberry.field(description="Planned, held or cancelled.")
    topic: str | None = strawberry.field(
        description="The topic taught (тема урока), from the КТП or written by the teacher; "
        "null: not written yet. Due 2 days after the lesson."
    )
    material: str | None = strawberry.field(
        description="What the lesson used (links, pages), as the teacher noted it; null: none."
    )
    attendance_taken_at: datetime | None = strawberry.field(
        description="When attendance was first taken (UTC; no marks: everybody was present); "
        "null: not taken yet."
    )
    attendance_on_time: bool | None = strawberry.field(
        description="Attendance taken by its deadline, the end of the 2nd day after the "
        "lesson in the school's time zone; null: not taken yet."
    )

    group = related(m.Group, "group_id", Group, "The group taught.")

    subject = related(m.Subject, "subject_id", Subject, "The subject taught.")

    teacher = related(m.Person, "teacher_id", Person, "Its teacher, as the timetable has them.")

    substitute = related(
        m.Person,
        "substitute_id",
        Person,
        "Who gave it instead of its teacher (замена); null: its teacher did.",
    )

    plan_item = related(
        m.PlanItem, "plan_item_id", PlanItem, "The КТП topic it takes up; null: none chosen."
    )

    @strawberry.field(
        graphql_type=list[WorkType],
        description="Kinds of work declared or graded in it (виды работ): grades of each are "
        "due after its checking days. In the order the work types were entered.",
        metadata=reads(Resource.CURRICULUM) | at_most(sizes.WORK_TYPES_OF_A_LESSON),
    )
    async def work_types(self, root: strawberry.Parent[m.Lesson], info: Info) -> list[m.WorkType]:
        return await info.context.loaders.linked(
            m.LessonWorkType.lesson_id, m.LessonWorkType.work_type_id, m.WorkType, m.WorkType.id
        ).load(root.id)

    @strawberry.field(
        graphql_type=list[Grade],
        description="Its grades, in the order they were entered.",
        metadata=reads(Resource.GRADE) | at_most(sizes.GRADES_OF_A_LESSON),
    )
    async def grades(self, root: strawberry.Parent[m.Lesson], info: Info) -> list[m.Grade]:
        return await info.context.loaders.many(m.Grade.lesson_id, m.Grade.id).load(root.id)

    @strawberry.field(
        graphql_type=list["Attendance"],
        description="Its absences and late arrivals, in the order they were marked; a student "
        "without one was present.",
        metadata=reads(Resource.ATTENDANCE) | at_most(sizes.CLASS_SIZE),
    )
    async def attendance(self, root: strawberry.Parent[m.Lesson], info: Info) -> list[m.Attendance]:
        return await info.context.loaders.many(m.Attendance.lesson_id, m.Attendance.id).load(
            root.id
        )

    @strawberry.field(
        graphql_type=list["Homework"],
        description="Homework set in it, in the order it was set.",
        metadata=reads(Resource.HOMEWORK) | at_most(sizes.HOMEWORK_OF_A_LESSON),
    )
    async def homework(self, root: strawberry.Parent[m.Lesson], info: Info) -> list[m.Homework]:
        return await info.context.loaders.many(m.Homework.lesson_id, m.Homework.id).load(root.id)

    @strawberry.field(
        graphql_type=list[Person],
        description="The group's students, by last name, then first name.",
        metadata=reads(Resource.PERSON) | at_most(sizes.CLASS_SIZE),
    )
    async def students(self, root: strawberry.Parent[m.Lesson], info: Info) -> list[m.Person]:
        return await class_resolvers.group_students(info.context, root.group_id)


@strawberry.type(
    description="A student's absence or late arrival in a lesson (учёт посещаемости); a "
    "student without one was present."
)
class Attendance(ModelNode, Recorded):
    __model__ = m.Attendance
    id: relay.NodeID[int]
    kind: AttendanceKind = strawberry.field(description="Absent (and why), or late.")
    late_minutes: int | None = strawberry.field(
        description="For LATE: by how many minutes; null otherwise, or not given."
    )
    comment: str | None = strawberry.field(description="The teacher's note; null: none.")
    on_time: bool = strawberry.field(
        description="Marked by its deadline: the end of the 2nd day after the lesson, in the "
        "school's time zone."
    )

    lesson = related(m.Lesson, "lesson_id", Lesson, "The lesson.")

    student = related(m.Person, "student_id", Person, "The student.")


@strawberry.type(
    description="Homework (домашнее задание) set in a lesson: for the whole group, or only "
    "for the students listed."
)
class Homework(ModelNode, Recorded):
    __model__ = m.Homework
    id: relay.NodeID[int]
    text: str = strawberry.field(description="What to do, as the teacher wrote it.")
    pages: str | None = strawberry.field(description="Pages of the textbook; null: none given.")
    tasks: str | None = strawberry.field(
        description="Numbers of tasks and exercises; null: none given."
    )
    due_on: date = strawberry.field(description="The day it is due.")
    is_individual: bool = strawberry.field(
        description="Only for the students listed in `students`; false: for the whole group."
    )
    on_time: bool = strawberry.field(
        description="Set by its deadline: 18:00 of the lesson day, in the school's time zone."
    )

    lesson = related(m.Lesson, "lesson_id", Lesson, "The lesson it was set in.")

    @strawberry.field(
        graphql_type=list[Person],
        description="For individual homework, its students, by last name, then first name; "
        "empty for the whole group's.",
        metadata=reads(Resource.PERSON) | at_most(sizes.CLASS_SIZE),
    )
    async def students(self, root: strawberry.Parent[m.Homework], info: Info) -> list[m.Person]:
        return await info.context.loaders.linked(
            m.HomeworkStudent.homework_id,
            m.HomeworkStudent.student_id,
            m.Person,
            m.Person.last_name,
            m.Person.first_name,
            m.Person.id,
        ).load(root.id)
