"""`finalGradesSet`: term and final grades of a group in a subject, which lock the period."""

from typing import Annotated

import strawberry

import model as m
from policies.vocabulary import Action, Resource
from resolvers.journal import final_grade_entry, period_reopening
from resolvers.journal.journal_writes import MAX_BATCH
from schema import list_sizes as sizes
from schema.base import Info, decode_id
from schema.bounds import list_field, text_argument, text_field, width
from schema.enums import FinalGradeSpecial
from schema.journal.grading import FinalGrade, PeriodReopening
from schema.list_sizes import at_most
from schema.people.person import Person
from schema.permissions import PersonalAccount, can
from schema.setup.calendar import Period
from schema.setup.classes import Group
from schema.setup.curriculum import Subject


@strawberry.input(
    description="A student's term or final grade: a mark, or a special value (one of the two)."
)
class FinalGradeEntryInput:
    student_id: strawberry.ID = strawberry.field(
        description="The student (a `Person` ID), one of the group's."
    )
    mark: str | None = text_field(
        width(m.FinalGrade.mark),
        default=None,
        description="A mark of the subject's grade scale; null when `special` is given",
    )
    special: FinalGradeSpecial | None = strawberry.field(
        default=None, description="Not attested, exempt or passed; null when `mark` is given."
    )
    version: int | None = strawberry.field(
        default=None,
        description="The version you read, when the grade exists already: required then "
        "(left out, BAD_USER_INPUT with field `version`); a stale one is CONFLICT.",
    )


@strawberry.input(description="A group's term or final grades in a subject for a reporting period.")
class FinalGradesSetInput:
    group_id: strawberry.ID = strawberry.field(description="The group (a `Group` ID).")
    subject_id: strawberry.ID = strawberry.field(description="The subject (a `Subject` ID).")
    period_id: strawberry.ID = strawberry.field(
        description="The reporting period (a `Period` ID): a quarter, trimester, half-year "
        "or the year."
    )
    grades: list[FinalGradeEntryInput] = list_field(
        MAX_BATCH, description="The grades, at least one; one per student"
    )


async def final_grades_set(
    info: Info,
    input: Annotated[
        FinalGradesSetInput,
        strawberry.argument(description="The group, subject, period and grades."),
    ],
) -> list[m.FinalGrade]:
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
    description="Set term or final grades (итоговые отметки) for a group and subject in a "
    "reporting period, all or nothing; answers the group's final grades there as they stand, "
    "student by student (in the order the students were entered). "
    "From then on the period's journal for that group and subject is locked: its lessons, "
    "grades, attendance, homework and final grades are PERIOD_LOCKED until the admin "
    "reopens it (`periodReopen`). Due within 7 days after the period ends; later ones are "
    "recorded as late (`onTime`). A person signed in with their own login.",
)


async def period_reopen(
    info: Info,
    group_id: Annotated[strawberry.ID, strawberry.argument(description="The group.")],
    subject_id: Annotated[strawberry.ID, strawberry.argument(description="The subject.")],
    period_id: Annotated[
        strawberry.ID, strawberry.argument(description="The locked reporting period.")
    ],
    reason: Annotated[
        str,
        text_argument(
            width(m.PeriodReopening.reason),
            multiline=True,
            description=f"Why it is reopened, kept with the record: at least "
            f"{period_reopening.MIN_REASON} characters",
        ),
    ],
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
    description="Reopen a period locked by final grades for a group and subject, with a "
    "written reason, so that its journal can be corrected; setting final grades again locks "
    "it again. A period not locked is BAD_USER_INPUT, one reopened already CONFLICT. A "
    "person signed in with their own login.",
)
