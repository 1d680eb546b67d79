"""Mutations that fill in a lesson: attendance, topic and status, substitute, homework."""

from datetime import date
from typing import Annotated

import strawberry

import model as m
from policies.vocabulary import Action, Resource
from resolvers import attendance_marking, homework_entry, lesson_entry, school_settings
from resolvers.journal_writes import MAX_BATCH
from schema import list_sizes as sizes
from schema.base import Info, decode_id, decode_optional, reads
from schema.bounds import list_argument, list_field, text_field, width
from schema.classes import SchoolClass
from schema.enums import AttendanceKind, EditWindow, LessonStatus
from schema.journal import Attendance, Homework, Lesson
from schema.list_sizes import at_most
from schema.people import Person
from schema.permissions import PersonalAccount, can
from schema.plan import PlanItem
from schema.school import School


@strawberry.input(description="A student's mark in the lesson; no `kind` means present.")
class AttendanceEntryInput:
    student_id: strawberry.ID
    kind: AttendanceKind | None = None
    late_minutes: int | None = None
    comment: str | None = text_field(width(m.Attendance.comment), multiline=True, default=None)
    version: int | None = strawberry.field(
        default=None, description="The version you read, when the student has a mark already."
    )


@strawberry.type
class AttendanceMarkPayload:
    lesson: Lesson = strawberry.field(metadata=reads(Resource.LESSON))
    attendance: list[Attendance] = strawberry.field(
        metadata=reads(Resource.ATTENDANCE) | at_most(sizes.WRITTEN_AT_ONCE)
    )


async def attendance_mark(
    info: Info,
    lesson_id: strawberry.ID,
    marks: Annotated[list[AttendanceEntryInput], list_argument(MAX_BATCH)],
) -> AttendanceMarkPayload:
    entries = [
        attendance_marking.AttendanceEntry(
            student_id=decode_id(mark.student_id, Person),
            kind=mark.kind,
            late_minutes=mark.late_minutes,
            comment=mark.comment,
            version=mark.version,
        )
        for mark in marks
    ]
    lesson, rows = await attendance_marking.attendance_mark(
        info.context, decode_id(lesson_id, Lesson), entries
    )
    return AttendanceMarkPayload(lesson=lesson, attendance=rows)  # type: ignore[arg-type]


MAX_MATERIAL = 10_000  # a lesson's material is a note (links, pages), not the lesson itself


@strawberry.input(description="What to change in a lesson; fields left out stay as they are.")
class LessonUpdateInput:
    lesson_id: strawberry.ID
    version: int
    plan_item_id: strawberry.ID | None = strawberry.field(
        default=None, description="The КТП topic taught; sets `topic` from it."
    )
    topic: str | None = text_field(width(m.Lesson.topic), default=None)
    material: str | None = text_field(
        MAX_MATERIAL, multiline=True, default=None, description="What the lesson used"
    )
    status: LessonStatus | None = None


async def lesson_update(info: Info, input: LessonUpdateInput) -> m.Lesson:
    changes = lesson_entry.LessonChanges(
        version=input.version,
        topic=input.topic,
        plan_item_id=decode_optional(input.plan_item_id, PlanItem),
        material=input.material,
        status=input.status,
    )
    return await lesson_entry.lesson_update(
        info.context, decode_id(input.lesson_id, Lesson), changes
    )


async def lesson_substitute(
    info: Info, lesson_id: strawberry.ID, version: int, substitute_id: strawberry.ID | None
) -> m.Lesson:
    return await lesson_entry.lesson_substitute(
        info.context,
        decode_id(lesson_id, Lesson),
        version,
        decode_optional(substitute_id, Person),
    )


@strawberry.input
class HomeworkAssignInput:
    lesson_id: strawberry.ID
    text: str = text_field(homework_entry.MAX_TEXT, multiline=True)
    due_on: date
    pages: str | None = text_field(width(m.Homework.pages), default=None)
    tasks: str | None = text_field(width(m.Homework.tasks), multiline=True, default=None)
    student_ids: list[strawberry.ID] = list_field(
        MAX_BATCH, optional=True, description="Only these students: individual homework"
    )


async def homework_assign(info: Info, input: HomeworkAssignInput) -> m.Homework:
    entry = homework_entry.HomeworkEntry(
        text=input.text,
        due_on=input.due_on,
        pages=input.pages,
        tasks=input.tasks,
        student_ids=[decode_id(s, Person) for s in input.student_ids],
    )
    return await homework_entry.homework_assign(
        info.context, decode_id(input.lesson_id, Lesson), entry
    )


def _writes(resource: Resource) -> list[type]:
    return [can(resource, Action.WRITE), PersonalAccount]


attendance_mark_field = strawberry.mutation(
    resolver=attendance_mark,
    permission_classes=_writes(Resource.ATTENDANCE),
    description="Mark absences, illness and lateness in a lesson, all or nothing (R-ATT-1). "
    "Records that attendance was taken: no marks at all means everybody was present.",
)
lesson_update_field = strawberry.mutation(
    resolver=lesson_update,
    graphql_type=Lesson,
    permission_classes=_writes(Resource.LESSON),
    metadata=reads(Resource.LESSON),
    description="Record a lesson's topic (from the КТП), material and status (R-TOPIC-1). A КТП "
    "topic that plans a kind of work (a test) makes it the lesson's: its grades are then due.",
)
lesson_substitute_field = strawberry.mutation(
    resolver=lesson_substitute,
    graphql_type=Lesson,
    permission_classes=_writes(Resource.LESSON),
    metadata=reads(Resource.LESSON),
    description="Record who gave the lesson instead of its teacher (R-SUB-1); null clears it.",
)
homework_assign_field = strawberry.mutation(
    resolver=homework_assign,
    graphql_type=Homework,
    permission_classes=_writes(Resource.HOMEWORK),
    metadata=reads(Resource.HOMEWORK),
    description="Set homework for the lesson's group, or for the students listed (R-HW-1).",
)


async def grade_edit_window_set(
    info: Info, school_id: strawberry.ID, window: EditWindow
) -> m.School:
    return await school_settings.grade_edit_window_set(
        info.context, decode_id(school_id, School), window
    )


grade_edit_window_set_field = strawberry.mutation(
    resolver=grade_edit_window_set,
    graphql_type=School,
    permission_classes=_writes(Resource.SCHOOL),
    description="Set how long after the lesson date a grade may still be changed (R-EDIT-1).",
)


@strawberry.input(description="A student away for the whole day.")
class DayAbsenceInput:
    student_id: strawberry.ID
    kind: AttendanceKind
    comment: str | None = text_field(width(m.Attendance.comment), multiline=True, default=None)


async def attendance_day_mark(
    info: Info,
    class_id: strawberry.ID,
    date: date,
    marks: Annotated[list[DayAbsenceInput], list_argument(MAX_BATCH)],
) -> list[m.Attendance]:
    entries = [
        attendance_marking.AttendanceEntry(
            student_id=decode_id(mark.student_id, Person), kind=mark.kind, comment=mark.comment
        )
        for mark in marks
    ]
    return await attendance_marking.attendance_day_mark(
        info.context, decode_id(class_id, SchoolClass), date, entries
    )


attendance_day_mark_field = strawberry.mutation(
    resolver=attendance_day_mark,
    graphql_type=list[Attendance],
    permission_classes=_writes(Resource.ATTENDANCE),
    metadata=at_most(sizes.DAY_MARKS),
    description="The class teacher's daily absence record (R-ATT-1): mark students away for "
    "the day in every lesson of the class that day; marks already given stay.",
)
