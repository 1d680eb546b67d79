"""Grades for lessons and term/final grades."""

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Resource
from schema.base import ModelNode, related
from schema.calendar import Period
from schema.curriculum import Subject, WorkType
from schema.enums import FinalGradeSpecial
from schema.people import Person

if TYPE_CHECKING:
    from schema.classes import Group
    from schema.journal import Lesson

LessonRef = Annotated["Lesson", strawberry.lazy("schema.journal")]
GroupRef = Annotated["Group", strawberry.lazy("schema.classes")]


@strawberry.type(description="A mark for a student's work of one type in one lesson.")
class Grade(ModelNode):
    __model__ = m.Grade
    id: relay.NodeID[int]
    mark: str
    comment: str | None
    created_at: datetime
    updated_at: datetime | None
    version: int
    on_time: bool = strawberry.field(
        description="Entered by the end of the lesson day plus the work type's checking days, "
        "at least 2 (R-GRADE-1), in the school's time zone."
    )

    student = related(m.Person, "student_id", Person)

    work_type = related(m.WorkType, "work_type_id", WorkType)

    lesson = related(m.Lesson, "lesson_id", LessonRef)


@strawberry.type(description="A term or final grade: a mark, or a special value.")
class FinalGrade(ModelNode):
    __model__ = m.FinalGrade
    id: relay.NodeID[int]
    mark: str | None
    special: FinalGradeSpecial | None
    created_at: datetime
    updated_at: datetime | None
    version: int
    on_time: bool = strawberry.field(
        description="Set within 7 days after the period ended (R-FINAL-1), in the school's "
        "time zone."
    )

    student = related(m.Person, "student_id", Person)

    subject = related(m.Subject, "subject_id", Subject)

    period = related(m.Period, "period_id", Period)


@strawberry.type(description="A locked period reopened by the admin, with the reason (R-LOCK-1).")
class PeriodReopening(ModelNode):
    __model__ = m.PeriodReopening
    id: relay.NodeID[int]
    reason: str
    reopened_at: datetime
    closed_at: datetime | None = strawberry.field(
        description="When final grades were set again and the period locked again."
    )
    group = related(m.Group, "group_id", GroupRef)
    subject = related(m.Subject, "subject_id", Subject)
    period = related(m.Period, "period_id", Period)


@strawberry.type(description="A student's average and weighted average in a subject (R-SUMMARY-1).")
class GradeAverage:
    __resource__: ClassVar[Resource] = Resource.GRADE
    average: Decimal
    weighted_average: Decimal = strawberry.field(description="Weighted by the work types' weights.")
    grade_count: int = strawberry.field(description="Marks counted; «зачёт» has no value.")
    student = related(m.Person, "student_id", Person)
    subject = related(m.Subject, "subject_id", Subject)
