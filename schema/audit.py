"""The grade change log (R-AUDIT-1)."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Resource
from schema.base import Info, ModelNode, reads, related
from schema.curriculum import WorkType
from schema.enums import GradeChangeAction
from schema.journal import Lesson
from schema.people import Person

if TYPE_CHECKING:
    from schema.grade_reports import GradeReport

GradeReportRef = Annotated["GradeReport", strawberry.lazy("schema.grade_reports")]


@strawberry.type(description="One created, changed or deleted grade: old and new mark, who, when.")
class GradeChange(ModelNode):
    __model__ = m.GradeChange
    id: relay.NodeID[int]
    action: GradeChangeAction
    old_mark: str | None
    new_mark: str | None
    changed_at: datetime
    reason: str | None

    lesson = related(m.Lesson, "lesson_id", Lesson)

    student = related(m.Person, "student_id", Person)

    work_type = related(m.WorkType, "work_type_id", WorkType)

    grade_report = related(
        m.GradeReport,
        "grade_report_id",
        GradeReportRef,
        "The wrong-grade report (Е.1) this change corrected the grade for.",
    )

    @strawberry.field(
        graphql_type=Person | None,
        description="Whose account made the change.",
        metadata=reads(Resource.PERSON),
    )
    async def changed_by(
        self, root: strawberry.Parent[m.GradeChange], info: Info
    ) -> m.Person | None:
        if root.changed_by_id is None:
            return None
        account = await info.context.loaders.one(m.Account).load(root.changed_by_id)
        return (
            None
            if account is None
            else await info.context.loaders.one(m.Person).load(account.person_id)
        )
