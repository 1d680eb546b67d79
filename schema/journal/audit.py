"""The grade change log (R-AUDIT-1)."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Resource
from schema.audit import account_holder
from schema.base import Info, ModelNode, reads, related
from schema.enums import ChangeAction
from schema.journal.lessons import Lesson
from schema.people.person import Person
from schema.setup.curriculum import WorkType

if TYPE_CHECKING:
    from schema.journal.grade_reports import GradeReport

GradeReportRef = Annotated["GradeReport", strawberry.lazy("schema.journal.grade_reports")]


@strawberry.type(
    description="An entry of the grade change log (изменения оценок): a grade entered, "
    "changed or deleted, the old and the new mark, who and when."
)
class GradeChange(ModelNode):
    __model__ = m.GradeChange
    id: relay.NodeID[int]
    action: ChangeAction = strawberry.field(description="Entered, changed or deleted.")
    old_mark: str | None = strawberry.field(
        description="The mark before (исходная оценка); null when the grade was entered."
    )
    new_mark: str | None = strawberry.field(
        description="The mark after (конечная оценка); null when the grade was deleted."
    )
    changed_at: datetime = strawberry.field(description="When (UTC).")
    reason: str | None = strawberry.field(
        description="Why, as the teacher gave it with the change; null: none given."
    )

    lesson = related(m.Lesson, "lesson_id", Lesson, "The grade's lesson.")

    student = related(m.Person, "student_id", Person, "The student graded.")

    work_type = related(m.WorkType, "work_type_id", WorkType, "The kind of work graded.")

    grade_report = related(
        m.GradeReport,
        "grade_report_id",
        GradeReportRef,
        "The report that the grade was wrong this change answered; null: none.",
    )

    @strawberry.field(
        graphql_type=Person | None,
        description="Whose account made the change (ФИО педагога); null if you may not see them.",
        metadata=reads(Resource.PERSON),
    )
    async def changed_by(
        self, root: strawberry.Parent[m.GradeChange], info: Info
    ) -> m.Person | None:
        return await account_holder(info, root.changed_by_id)
