"""`finalGradesSet`: term and final grades of a group in a subject, which lock the period."""

from typing import Annotated

import strawberry

import model as m
from policies.vocabulary import Action, Resource
from resolvers import final_grade_entry, period_reopening
from resolvers.journal_writes import MAX_BATCH
from schema import list_sizes as sizes
from schema.base import Info, decode_id
from schema.bounds import list_field, text_argument, text_field, width
from schema.calendar import Period
from schema.classes import Group
from schema.curriculum import Subject
from schema.enums import FinalGradeSpecial
from schema.grading import FinalGrade, PeriodReopening
from schema.list_sizes import at_most
from schema.people import Person
from schema.permissions import PersonalAccount, can


@strawberry.input(description="A student's term or final grade: a mark, or a special value.")
class FinalGradeEntryInput:
    student_id: strawberry.ID
    mark: str | None = text_field(width(m.FinalGrade.mark), default=None)
    special: FinalGradeSpecial | None = None
    version: int | None = strawberry.field(
        default=None, description="The version you read, when the grade exists already."
    )


@strawberry.input
class FinalGradesSetInput:
    group_id: strawberry.ID
    subject_id: strawberry.ID
    period_id: strawberry.ID
    grades: list[FinalGradeEntryInput] = list_field(MAX_BATCH)


async def final_grades_set(info: Info, input: FinalGradesSetInput) -> list[m.FinalGrade]:
    entries = [
        final_grade_entry.FinalGradeEntry(
            student_id=decode_id(item.student_id, Person),
            mark=item.mark,
            special=item.special,
            version=item.version,
        )
        for item in input.grades
    ]
    return await final_grade_entry.final_grades_set(
        info.context,
        decode_id(input.group_id, Group),
        decode_id(input.subject_id, Subject),
        decode_id(input.period_id, Period),
        entries,
    )


final_grades_set_field = strawberry.mutation(
    resolver=final_grades_set,
    graphql_type=list[FinalGrade],
    permission_classes=[can(Resource.FINAL_GRADE, Action.WRITE), PersonalAccount],
    metadata=at_most(sizes.WRITTEN_AT_ONCE),
    description="Set term or final grades for a group and subject (R-FINAL-1); from then on "
    "teachers can no longer change that period's journal there (R-LOCK-1).",
)


async def period_reopen(
    info: Info,
    group_id: strawberry.ID,
    subject_id: strawberry.ID,
    period_id: strawberry.ID,
    reason: Annotated[str, text_argument(width(m.PeriodReopening.reason), multiline=True)],
) -> m.PeriodReopening:
    return await period_reopening.period_reopen(
        info.context,
        decode_id(group_id, Group),
        decode_id(subject_id, Subject),
        decode_id(period_id, Period),
        reason,
    )


period_reopen_field = strawberry.mutation(
    resolver=period_reopen,
    graphql_type=PeriodReopening,
    permission_classes=[can(Resource.PERIOD_REOPENING, Action.WRITE), PersonalAccount],
    description="Reopen a period locked by final grades for a group and subject, with a written "
    "reason (R-LOCK-1); setting final grades again locks it again.",
)
