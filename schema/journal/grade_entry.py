"""`gradesSet`: a lesson's grades entered, changed and deleted in one all-or-nothing call."""

from typing import Annotated

import strawberry

import model as m
from policies.vocabulary import Action, Resource
from resolvers.journal import grade_entry
from resolvers.journal.journal_writes import MAX_BATCH
from schema import list_sizes as sizes
from schema.base import Info, decode_id, reads
from schema.bounds import list_field, text_field, width
from schema.journal.grading import Grade
from schema.journal.lessons import Lesson
from schema.list_sizes import at_most
from schema.people.person import Person
from schema.permissions import PersonalAccount, can
from schema.setup.curriculum import WorkType


@strawberry.input(
    description="One grade: a mark for a student's work of a type in the lesson; a grade "
    "already there for the student and work type is changed."
)
class GradeEntryInput:
    student_id: strawberry.ID = strawberry.field(
        description="The student (a `Person` ID), one of the lesson's group."
    )
    work_type_id: strawberry.ID = strawberry.field(
        description="The kind of work graded (a `WorkType` ID of the school)."
    )
    mark: str | None = text_field(
        width(m.Grade.mark),
        default=None,
        description="A mark of the subject's grade scale, e.g. «5»; null deletes the grade",
    )
    comment: str | None = text_field(
        width(m.Grade.comment),
        multiline=True,
        default=None,
        description="The teacher's note on it, seen in the diary",
    )
    version: int | None = strawberry.field(
        default=None,
        description="The version you read, when the grade exists already: required then "
        "(left out, BAD_USER_INPUT with field `version`); a stale one is CONFLICT.",
    )


@strawberry.input(description="A lesson's grades to enter, change or delete, all at once.")
class GradesSetInput:
    lesson_id: strawberry.ID = strawberry.field(description="The lesson (a `Lesson` ID).")
    grades: list[GradeEntryInput] = list_field(
        MAX_BATCH, description="The grades; one per student and work type"
    )
    reason: str | None = text_field(
        width(m.GradeChange.reason),
        multiline=True,
        default=None,
        description="Why a grade is changed or deleted; kept in the change log",
    )


@strawberry.type(description="What `gradesSet` wrote.")
class GradesSetPayload:
    lesson: Lesson = strawberry.field(
        description="The lesson, as it stands now.", metadata=reads(Resource.LESSON)
    )
    grades: list[Grade] = strawberry.field(
        metadata=reads(Resource.GRADE) | at_most(sizes.WRITTEN_AT_ONCE),
        description="The lesson's grades of the students entered, as they stand now, in the "
        "order they were entered.",
    )


async def grades_set(
    info: Info,
    input: Annotated[GradesSetInput, strawberry.argument(description="The lesson and its grades.")],
) -> GradesSetPayload:
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
    description="Enter, change or delete a lesson's grades (выставление оценок), all or "
    "nothing. Each is logged in the grade change log; refused in a period locked by final "
    "grades (PERIOD_LOCKED) and, for a grade already there, past the school's edit window "
    "(EDIT_WINDOW_CLOSED); a stale `version` is CONFLICT. Grades are due by the end of the "
    "2nd day after the lesson, or of the work type's checking days if more; later ones are "
    "recorded as late (`onTime`). A person signed in with their own login.",
)
