"""Root lists of the journal: lessons, grades, attendance, homework, final grades, changes."""

from datetime import date
from typing import Annotated

import strawberry
from sqlalchemy import select

import model as m
from resolvers import averages, journal, people
from resolvers.listing import equal, listing
from resolvers.pagination import page_of
from schema.audit import GradeChange
from schema.base import Connection, Info, decode_optional
from schema.bounds import After
from schema.classes import SchoolClass
from schema.curriculum import Subject, WorkType
from schema.enums import AttendanceKind, LessonStatus
from schema.filters import NO_JOURNAL_FILTER, NO_PERSON_FILTER, JournalFilter, PersonFilter
from schema.grading import FinalGrade, Grade, GradeAverage
from schema.journal import Attendance, Homework, Lesson
from schema.people import Person
from schema.school import School

First = int | None


async def people_list(
    info: Info, filter: PersonFilter = NO_PERSON_FILTER, first: First = None, after: After = None
) -> Connection[Person]:
    return Connection(page=await people.people(info.context, filter.values(), first, after))


async def lessons(
    info: Info,
    filter: JournalFilter = NO_JOURNAL_FILTER,
    status: LessonStatus | None = None,
    first: First = None,
    after: After = None,
) -> Connection[Lesson]:
    page = await journal.lessons(info.context, filter.values(), status, first, after)
    return Connection(page=page)


async def grades(
    info: Info,
    filter: JournalFilter = NO_JOURNAL_FILTER,
    work_type_id: strawberry.ID | None = None,
    first: First = None,
    after: After = None,
) -> Connection[Grade]:
    work_type = decode_optional(work_type_id, WorkType)
    page = await journal.grades(info.context, filter.values(), work_type, first, after)
    return Connection(page=page)


async def attendance(
    info: Info,
    filter: JournalFilter = NO_JOURNAL_FILTER,
    kind: AttendanceKind | None = None,
    first: First = None,
    after: After = None,
) -> Connection[Attendance]:
    page = await journal.attendance(info.context, filter.values(), kind, first, after)
    return Connection(page=page)


async def homework(
    info: Info, filter: JournalFilter = NO_JOURNAL_FILTER, first: First = None, after: After = None
) -> Connection[Homework]:
    return Connection(page=await journal.homework(info.context, filter.values(), first, after))


async def final_grades(
    info: Info, filter: JournalFilter = NO_JOURNAL_FILTER, first: First = None, after: After = None
) -> Connection[FinalGrade]:
    return Connection(page=await journal.final_grades(info.context, filter.values(), first, after))


async def grade_changes(
    info: Info,
    school_id: strawberry.ID | None = None,
    student_id: strawberry.ID | None = None,
    class_id: strawberry.ID | None = None,
    subject_id: strawberry.ID | None = None,
    teacher_id: Annotated[
        strawberry.ID | None, strawberry.argument(description="Changes made by this person.")
    ] = None,
    date_from: Annotated[
        date | None, strawberry.argument(description="From this day, in the school's time zone.")
    ] = None,
    date_to: Annotated[
        date | None, strawberry.argument(description="To this day, in the school's time zone.")
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
    info: Info, filter: JournalFilter, first: First = None, after: After = None
) -> Connection[GradeAverage]:
    rows = await averages.grade_averages(info.context, filter.values())
    return Connection(page=page_of(rows, _average_key, 2, first=first, after=after))
