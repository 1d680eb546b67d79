"""Grades for lessons and term/final grades."""

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Resource
from schema.base import ModelNode, related
from schema.enums import FinalGradeSpecial
from schema.people.person import Person
from schema.setup.calendar import Period
from schema.setup.curriculum import Subject, WorkType

if TYPE_CHECKING:
    from schema.journal.lessons import Lesson
    from schema.setup.classes import Group

LessonRef = Annotated["Lesson", strawberry.lazy("schema.journal.lessons")]
GroupRef = Annotated["Group", strawberry.lazy("schema.setup.classes")]


@strawberry.type(
    description="A grade (оценка, отметка): a student's mark for work of one type in one "
    "lesson; one per student, lesson and work type."
)
class Grade(ModelNode):
    __model__ = m.Grade
    id: relay.NodeID[int]
    mark: str = strawberry.field(
        description="A mark of the subject's grade scale, as the journal writes it: «5», «4», "
        "«зач»…"
    )
    comment: str | None = strawberry.field(description="The teacher's note; null: none.")
    created_at: datetime = strawberry.field(description="When it was entered (UTC).")
    updated_at: datetime | None = strawberry.field(
        description="When it was last changed (UTC); null: never changed."
    )
    version: int = strawberry.field(
        description="1 when entered, one more with each change: send it back with a change "
        "(a stale one is CONFLICT)."
    )
    on_time: bool = strawberry.field(
        description="Entered by its deadline: the end of the day the work type's checking "
        "days after the lesson, at least the 2nd day after it, in the school's time zone."
    )

    student = related(m.Person, "student_id", Person, "The student graded.")

    work_type = related(m.WorkType, "work_type_id", WorkType, "The kind of work graded.")

    lesson = related(m.Lesson, "lesson_id", LessonRef, "The lesson it was given in.")


@strawberry.type(
    description="A term or final grade (итоговая отметка) of a student in a subject for a "
    "reporting period (четверть, полугодие, год): a mark, or a special value. Setting them "
    "locks the period's journal for the group and subject."
)
class FinalGrade(ModelNode):
    __model__ = m.FinalGrade
    id: relay.NodeID[int]
    mark: str | None = strawberry.field(
        description="A mark of the subject's grade scale; null when `special` is set."
    )
    special: FinalGradeSpecial | None = strawberry.field(
        description="Not attested, exempt or passed; null when `mark` is set."
    )
    created_at: datetime = strawberry.field(description="When it was set (UTC).")
    updated_at: datetime | None = strawberry.field(
        description="When it was last changed (UTC); null: never changed."
    )
    version: int = strawberry.field(
        description="1 when set, one more with each change: send it back with a change (a "
        "stale one is CONFLICT)."
    )
    on_time: bool = strawberry.field(
        description="Set by its deadline: the end of the 7th day after the period ended, in "
        "the school's time zone."
    )

    student = related(m.Person, "student_id", Person, "The student.")

    subject = related(m.Subject, "subject_id", Subject, "The subject.")

    period = related(m.Period, "period_id", Period, "The reporting period it is for.")


@strawberry.type(
    description="A period locked by final grades that the school's admin reopened for a "
    "group and subject, with the written reason: its journal may be changed again."
)
class PeriodReopening(ModelNode):
    __model__ = m.PeriodReopening
    id: relay.NodeID[int]
    reason: str = strawberry.field(description="Why, as the admin wrote it.")
    reopened_at: datetime = strawberry.field(description="When it was reopened (UTC).")
    closed_at: datetime | None = strawberry.field(
        description="When final grades were set again and the period locked again (UTC); "
        "null: still open."
    )
    group = related(m.Group, "group_id", GroupRef, "The group whose journal was reopened.")
    subject = related(m.Subject, "subject_id", Subject, "The subject reopened.")
    period = related(m.Period, "period_id", Period, "The reporting period reopened.")


@strawberry.type(
    description="A student's average and weighted average in a subject over the filter's "
    "lessons, as the summary statement (сводная ведомость) gives them."
)
class GradeAverage:
    __resource__: ClassVar[Resource] = Resource.GRADE
    average: Decimal = strawberry.field(
        description="The average mark (средний балл), to 2 decimals (rounded half up); marks "
        "without a value («зачёт») do not count."
    )
    weighted_average: Decimal = strawberry.field(
        description="The weighted average (средневзвешенный балл), by the work types' weights, "
        "to 2 decimals."
    )
    grade_count: int = strawberry.field(description="Marks counted; «зачёт» has no value.")
    student = related(m.Person, "student_id", Person, "The student.")
    subject = related(m.Subject, "subject_id", Subject, "The subject.")
