"""Mutations that fill in a lesson: attendance, topic and status, substitute, homework."""

from datetime import date
from typing import Annotated

import strawberry

import model as m
from policies.vocabulary import Action, Resource
from resolvers.journal import attendance_marking, homework_entry, lesson_entry
from resolvers.journal.journal_writes import MAX_BATCH
from resolvers.setup import school_settings
from schema import list_sizes as sizes
from schema.base import Info, decode_id, decode_optional, reads
from schema.bounds import list_argument, list_field, text_field, width
from schema.enums import AttendanceKind, EditWindow, LessonStatus
from schema.journal.lessons import Attendance, Homework, Lesson
from schema.list_sizes import at_most
from schema.people.person import Person
from schema.permissions import PersonalAccount, can
from schema.setup.classes import SchoolClass
from schema.setup.plan import PlanItem
from schema.setup.school import School


@strawberry.input(
    description="A student's attendance in the lesson: absent (and why) or late; no `kind` "
    "means present, and removes a mark given before."
)
class AttendanceEntryInput:
    student_id: strawberry.ID = strawberry.field(
        description="The student (a `Person` ID), one of the lesson's group; once per request."
    )
    kind: AttendanceKind | None = strawberry.field(
        default=None, description="Absent (and why) or late; null: present."
    )
    late_minutes: int | None = strawberry.field(
        default=None, description="For LATE: by how many minutes."
    )
    comment: str | None = text_field(
        width(m.Attendance.comment),
        multiline=True,
        default=None,
        description="The teacher's note on it",
    )
    version: int | None = strawberry.field(
        default=None,
        description="The version you read, when the student has a mark already: required "
        "then (left out, BAD_USER_INPUT with field `version`); a stale one is CONFLICT.",
    )


@strawberry.type(description="What `attendanceMark` wrote.")
class AttendanceMarkPayload:
    lesson: Lesson = strawberry.field(
        description="The lesson, with `attendanceTakenAt` set.", metadata=reads(Resource.LESSON)
    )
    attendance: list[Attendance] = strawberry.field(
        description="The lesson's absences and late arrivals as they stand now, student by "
        "student (in the order the students were entered).",
        metadata=reads(Resource.ATTENDANCE) | at_most(sizes.WRITTEN_AT_ONCE),
    )


async def attendance_mark(
    info: Info,
    lesson_id: Annotated[
        strawberry.ID, strawberry.argument(description="The lesson (a `Lesson` ID).")
    ],
    marks: Annotated[
        list[AttendanceEntryInput],
        list_argument(
            MAX_BATCH,
            description="The students to mark; students not listed keep what they have, "
            "and an empty list records that everybody was present",
        ),
    ],
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
    lesson_id: strawberry.ID = strawberry.field(description="The lesson (a `Lesson` ID).")
    version: int = strawberry.field(
        description="The lesson's version you read; a stale one is CONFLICT."
    )
    plan_item_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The КТП topic taught (a `PlanItem` ID of a plan of the lesson's "
        "subject); sets `topic` from it.",
    )
    topic: str | None = text_field(
        width(m.Lesson.topic), default=None, description="The topic taught (тема урока)"
    )
    material: str | None = text_field(
        MAX_MATERIAL,
        multiline=True,
        default=None,
        description="What the lesson used: links, pages",
    )
    status: LessonStatus | None = strawberry.field(
        default=None, description="Planned, held or cancelled."
    )


async def lesson_update(
    info: Info,
    input: Annotated[LessonUpdateInput, strawberry.argument(description="What to change.")],
) -> m.Lesson:
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
    info: Info,
    lesson_id: Annotated[
        strawberry.ID, strawberry.argument(description="The lesson (a `Lesson` ID).")
    ],
    version: Annotated[
        int,
        strawberry.argument(description="The lesson's version you read; a stale one is CONFLICT."),
    ],
    substitute_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(
            description="Who gave it instead (a `Person` ID); null: its own teacher did."
        ),
    ] = None,
) -> m.Lesson:
    return await lesson_entry.lesson_substitute(
        info.context,
        decode_id(lesson_id, Lesson),
        version,
        decode_optional(substitute_id, Person),
    )


@strawberry.input(description="Homework to set in a lesson (домашнее задание).")
class HomeworkAssignInput:
    lesson_id: strawberry.ID = strawberry.field(description="The lesson (a `Lesson` ID).")
    text: str = text_field(
        homework_entry.MAX_TEXT, multiline=True, description="What to do and how"
    )
    due_on: date = strawberry.field(description="The day it is due (YYYY-MM-DD).")
    pages: str | None = text_field(
        width(m.Homework.pages), default=None, description="Pages of the textbook"
    )
    tasks: str | None = text_field(
        width(m.Homework.tasks),
        multiline=True,
        default=None,
        description="Numbers of tasks and exercises",
    )
    student_ids: list[strawberry.ID] = list_field(
        MAX_BATCH,
        optional=True,
        description="Only these students of the group (`Person` IDs): individual homework; "
        "left out, the whole group's",
    )


async def homework_assign(
    info: Info,
    input: Annotated[HomeworkAssignInput, strawberry.argument(description="The homework.")],
) -> m.Homework:
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
    description="Mark absences, illness and lateness in a lesson (учёт посещаемости), all or "
    "nothing, and record that attendance was taken: no marks at all means everybody was "
    "present. Due by the end of the 2nd day after the lesson; later ones are recorded as "
    "late (`onTime`). A cancelled lesson takes none (BAD_USER_INPUT); a period locked by "
    "final grades is PERIOD_LOCKED. A person signed in with their own login.",
)
lesson_update_field = strawberry.mutation(
    resolver=lesson_update,
    graphql_type=Lesson,
    permission_classes=_writes(Resource.LESSON_PLAN),
    metadata=reads(Resource.LESSON),
    description="Record a lesson's topic (from the КТП, or written), material and status; "
    "the topic is due by the end of the 2nd day after the lesson. A КТП topic that plans a "
    "kind of work (a test) makes it the lesson's: its grades are then due. Topic and "
    "material without a status are the lesson's planning, which a class teacher may write "
    "for their class's lessons still to be given (Г.1 #9); a status is the lesson's "
    "teacher's (or the admin's). A stale `version` is CONFLICT; a locked period "
    "PERIOD_LOCKED. A person signed in with their own login.",
)
lesson_substitute_field = strawberry.mutation(
    resolver=lesson_substitute,
    graphql_type=Lesson,
    permission_classes=_writes(Resource.LESSON),
    metadata=reads(Resource.LESSON),
    description="Record who gave the lesson instead of its teacher (замена); null clears it. "
    "A stale `version` is CONFLICT. A person signed in with their own login.",
)
homework_assign_field = strawberry.mutation(
    resolver=homework_assign,
    graphql_type=Homework,
    permission_classes=_writes(Resource.HOMEWORK),
    metadata=reads(Resource.HOMEWORK),
    description="Set homework for the lesson's group, or for the students listed: due by "
    "18:00 of the lesson day, in the school's time zone (later: recorded as late, `onTime`). "
    "A person signed in with their own login.",
)


async def grade_edit_window_set(
    info: Info,
    school_id: Annotated[
        strawberry.ID, strawberry.argument(description="The school (a `School` ID).")
    ],
    window: Annotated[
        EditWindow, strawberry.argument(description="The new edit window, from now on.")
    ],
) -> m.School:
    return await school_settings.grade_edit_window_set(
        info.context, decode_id(school_id, School), window
    )


grade_edit_window_set_field = strawberry.mutation(
    resolver=grade_edit_window_set,
    graphql_type=School,
    permission_classes=_writes(Resource.SCHOOL),
    description="Set how long after the lesson date a grade already entered may still be "
    "changed (период редактирования оценок): «Никогда» means no limit. Past it, a change is "
    "EDIT_WINDOW_CLOSED. A person signed in with their own login.",
)


@strawberry.input(description="A student away for the whole day.")
class DayAbsenceInput:
    student_id: strawberry.ID = strawberry.field(
        description="The student (a `Person` ID), one of the class's."
    )
    kind: AttendanceKind = strawberry.field(
        description="Why: ABSENT_VALID, ABSENT_UNEXCUSED or ILL (a whole day is not LATE)."
    )
    comment: str | None = text_field(
        width(m.Attendance.comment),
        multiline=True,
        default=None,
        description="The class teacher's note on it",
    )


async def attendance_day_mark(
    info: Info,
    class_id: Annotated[
        strawberry.ID, strawberry.argument(description="The class (a `SchoolClass` ID).")
    ],
    date: Annotated[date, strawberry.argument(description="The day (YYYY-MM-DD).")],
    marks: Annotated[
        list[DayAbsenceInput],
        list_argument(MAX_BATCH, description="The students away, at least one"),
    ],
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
    description="The class teacher's daily record of absences (ежедневный учёт пропусков): "
    "mark students away for the day in every lesson of the class that day, cancelled ones "
    "left out; marks already given stay. Answers those students' marks of the day as they "
    "stand, student by student, lesson by lesson (each in the order entered). A person "
    "signed in with their own login.",
)
