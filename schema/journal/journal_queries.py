"""Root lists of the journal: lessons, grades, attendance, homework, final grades, changes."""

from datetime import date
from typing import Annotated

import strawberry
from sqlalchemy import select

import model as m
from resolvers.journal import lessons as journal
from resolvers.listing import equal, listing
from resolvers.pagination import page_of
from resolvers.people import person
from resolvers.screens import averages
from schema.base import Connection, Info, decode_optional
from schema.bounds import After, First
from schema.enums import AttendanceKind, LessonStatus
from schema.filters import (
    NO_JOURNAL_FILTER,
    NO_PERSON_FILTER,
    InSchool,
    JournalFilter,
    OfClass,
    OfStudent,
    OfSubject,
    PersonFilter,
)
from schema.journal.audit import GradeChange
from schema.journal.grading import FinalGrade, Grade, GradeAverage
from schema.journal.lessons import Attendance, Homework, Lesson
from schema.people.person import Person
from schema.setup.classes import SchoolClass
from schema.setup.curriculum import Subject, WorkType
from schema.setup.school import School

People = Annotated[
    PersonFilter, strawberry.argument(description="Whom to list; left out, everyone you may read.")
]
Journal = Annotated[
    JournalFilter,
    strawberry.argument(description="Which lessons; left out, every lesson you may read."),
]


async def people_list(
    info: Info, filter: People = NO_PERSON_FILTER, first: First = None, after: After = None
) -> Connection[Person]:
    return Connection(page=await person.people(info.context, filter.values(), first, after))


async def lessons(
    info: Info,
    filter: Journal = NO_JOURNAL_FILTER,
    status: Annotated[
        LessonStatus | None,
        strawberry.argument(description="Only lessons planned, held or cancelled."),
    ] = None,
    first: First = None,
    after: After = None,
) -> Connection[Lesson]:
    page = await journal.lessons(info.context, filter.values(), status, first, after)
    return Connection(page=page)


async def grades(
    info: Info,
    filter: Journal = NO_JOURNAL_FILTER,
    work_type_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(description="Only grades for this kind of work (a `WorkType` ID)."),
    ] = None,
    first: First = None,
    after: After = None,
) -> Connection[Grade]:
    work_type = decode_optional(work_type_id, WorkType)
    page = await journal.grades(info.context, filter.values(), work_type, first, after)
    return Connection(page=page)


async def attendance(
    info: Info,
    filter: Journal = NO_JOURNAL_FILTER,
    kind: Annotated[
        AttendanceKind | None,
        strawberry.argument(description="Only absences or lates of this kind."),
    ] = None,
    first: First = None,
    after: After = None,
) -> Connection[Attendance]:
    page = await journal.attendance(info.context, filter.values(), kind, first, after)
    return Connection(page=page)


async def homework(
    info: Info, filter: Journal = NO_JOURNAL_FILTER, first: First = None, after: After = None
) -> Connection[Homework]:
    return Connection(page=await journal.homework(info.context, filter.values(), first, after))


async def final_grades(
    info: Info, filter: Journal = NO_JOURNAL_FILTER, first: First = None, after: After = None
) -> Connection[FinalGrade]:
    return Connection(page=await journal.final_grades(info.context, filter.values(), first, after))


async def grade_changes(
    info: Info,
    school_id: InSchool = None,
    student_id: OfStudent = None,
    class_id: OfClass = None,
    subject_id: OfSubject = None,
    teacher_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(description="Only changes made by this person (a `Person` ID)."),
    ] = None,
    date_from: Annotated[
        date | None,
        strawberry.argument(
            description="Only changes made on this day or later, in the school's time zone."
        ),
    ] = None,
    date_to: Annotated[
        date | None,
        strawberry.argument(
            description="Only changes made on this day or earlier, in the school's time zone."
        ),
    ] = None,
    first: First = None,
    after: After = None,
) -> Connection[GradeChange]:
    f = journal.JournalFilter(
        class_id=decode_optional(class_id, SchoolClass),
        subject_id=decode_optional(subject_id, Subject),
    )
    change = m.GradeChange
    where = [
        *equal(change.school_id, decode_optional(school_id, School)),
        *equal(change.student_id, decode_optional(student_id, Person)),
        *journal.of_lessons(change.lesson_id, f),
    ]
    if (teacher := decode_optional(teacher_id, Person)) is not None:
        accounts = select(m.Account.id).where(m.Account.person_id == teacher)
        where.append(change.changed_by_id.in_(accounts))
    where += journal.recorded_between(
        info.context, change.school_id, change.changed_at, date_from, date_to
    )
    order = (change.changed_at,)
    page = await listing(info.context, change, where, order, first=first, after=after)
    return Connection(page=page)


def _average_key(row: averages.GradeAverage) -> tuple[int, ...]:
    return (row.student_id, row.subject_id)


async def grade_averages(
    info: Info,
    filter: Annotated[
        JournalFilter,
        strawberry.argument(
            description="Whose averages: a class, a group or a student is required "
            "(BAD_USER_INPUT without one); a subject, a period or dates narrow the lessons."
        ),
    ],
    first: First = None,
    after: After = None,
) -> Connection[GradeAverage]:
    rows = await averages.grade_averages(info.context, filter.values())
    return Connection(page=page_of(rows, _average_key, 2, first=first, after=after))
