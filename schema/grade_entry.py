"""`gradesSet`: a lesson's grades entered, changed and deleted in one all-or-nothing call."""

import strawberry

import model as m
from policies.vocabulary import Action, Resource
from resolvers import grade_entry
from resolvers.journal_writes import MAX_BATCH
from schema import list_sizes as sizes
from schema.base import Info, decode_id, reads
from schema.bounds import list_field, text_field, width
from schema.curriculum import WorkType
from schema.grading import Grade
from schema.journal import Lesson
from schema.list_sizes import at_most
from schema.people import Person
from schema.permissions import PersonalAccount, can


@strawberry.input(description="One grade: a mark for a student's work of a type.")
class GradeEntryInput:
    student_id: strawberry.ID
    work_type_id: strawberry.ID
    mark: str | None = text_field(
        width(m.Grade.mark),
        default=None,
        description="A mark of the subject's scale; null deletes the grade",
    )
    comment: str | None = text_field(width(m.Grade.comment), multiline=True, default=None)
    version: int | None = strawberry.field(
        default=None, description="The version you read, when the grade exists already."
    )


@strawberry.input
class GradesSetInput:
    lesson_id: strawberry.ID
    grades: list[GradeEntryInput] = list_field(MAX_BATCH)
    reason: str | None = text_field(
        width(m.GradeChange.reason),
        multiline=True,
        default=None,
        description="Why a grade is changed or deleted; kept in the change log",
    )


@strawberry.type
class GradesSetPayload:
    lesson: Lesson = strawberry.field(metadata=reads(Resource.LESSON))
    grades: list[Grade] = strawberry.field(
        metadata=reads(Resource.GRADE) | at_most(sizes.WRITTEN_AT_ONCE),
        description="The entered students' grades as they stand.",
    )


async def grades_set(info: Info, input: GradesSetInput) -> GradesSetPayload:
    entries = [
        grade_entry.GradeEntry(
            student_id=decode_id(item.student_id, Person),
            work_type_id=decode_id(item.work_type_id, WorkType),
            mark=item.mark.strip() if item.mark is not None else None,
            comment=item.comment,
            version=item.version,
        )
        for item in input.grades
    ]
    lesson, grades = await grade_entry.grades_set(
        info.context, decode_id(input.lesson_id, Lesson), entries, input.reason
    )
    return GradesSetPayload(lesson=lesson, grades=grades)  # type: ignore[arg-type]


grades_set_field = strawberry.mutation(
    resolver=grades_set,
    permission_classes=[can(Resource.GRADE, Action.WRITE), PersonalAccount],
    description="Enter, change or delete a lesson's grades, all or nothing (R-GRADE-1); "
    "changes are logged (R-AUDIT-1), refused in locked periods (PERIOD_LOCKED) and past "
    "the edit window (EDIT_WINDOW_CLOSED); a stale version gets CONFLICT.",
)
