"""Wrong-grade reports (Е.1): reported by students and parents, answered by the teacher."""

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.permission import BasePermission

import model as m
from policies.vocabulary import Action, Resource
from resolvers.journal import grade_reports
from resolvers.listing import equal, listing
from schema.base import Connection, Info, ModelNode, decode_id, reads, related
from schema.bounds import After, First, text_argument, width
from schema.enums import GradeReportStatus
from schema.journal.audit import GradeChange
from schema.journal.grading import Grade
from schema.journal.lessons import Lesson
from schema.people.person import Person, account_holder
from schema.permissions import PersonalAccount, can


@strawberry.type(
    description="A student's or parent's report that a grade is wrong (обращение о неверной "
    "оценке), and the answer of the lesson's teacher or the admin."
)
class GradeReport(ModelNode):
    __model__ = m.GradeReport
    id: relay.NodeID[int]
    mark: str = strawberry.field(description="The mark as it stood when reported.")
    text: str = strawberry.field(description="What the reporter wrote.")
    status: GradeReportStatus = strawberry.field(description="Open, or answered.")
    reported_at: datetime = strawberry.field(description="When it was reported (UTC).")
    answer: str | None = strawberry.field(description="The answer; null while it is open.")
    resolved_at: datetime | None = strawberry.field(
        description="When it was answered (UTC); null while it is open."
    )
    grade = related(m.Grade, "grade_id", Grade, "The grade now; null if it was deleted.")
    lesson = related(m.Lesson, "lesson_id", Lesson, "The grade's lesson.")
    student = related(m.Person, "student_id", Person, "The student graded.")

    answered_by = account_holder(
        "resolved_by_id", "Who answered: the lesson's teacher or the admin; null while it is open."
    )

    @strawberry.field(
        graphql_type=GradeChange | None,
        description="The correction of the grade made in answer to the report, if any.",
        metadata=reads(Resource.GRADE_CHANGE),
    )
    async def correction(
        self, root: strawberry.Parent[m.GradeReport], info: Info
    ) -> m.GradeChange | None:
        changes = await info.context.loaders.many(
            m.GradeChange.grade_report_id, m.GradeChange.id
        ).load(root.id)
        return changes[-1] if changes else None


async def grade_reports_list(
    info: Info,
    status: Annotated[
        GradeReportStatus | None,
        strawberry.argument(description="Only open, or only answered ones; left out, both."),
    ] = None,
    first: First = None,
    after: After = None,
) -> Connection[GradeReport]:
    where = equal(m.GradeReport.status, status)
    order = (m.GradeReport.reported_at,)
    page = await listing(info.context, m.GradeReport, where, order, first=first, after=after)
    return Connection(page=page)


ReportText = Annotated[
    str,
    text_argument(
        width(m.GradeReport.text),
        multiline=True,
        description="Why the grade is wrong, at least 5 characters",
    ),
]
Answer = Annotated[
    str,
    text_argument(
        width(m.GradeReport.answer),
        multiline=True,
        description="The answer to the reporter, at least 5 characters",
    ),
]


async def grade_report(
    info: Info,
    grade_id: Annotated[
        strawberry.ID, strawberry.argument(description="The grade (a `Grade` ID).")
    ],
    text: ReportText,
) -> m.GradeReport:
    return await grade_reports.grade_report(info.context, decode_id(grade_id, Grade), text)


async def grade_report_answer(
    info: Info,
    report_id: Annotated[
        strawberry.ID, strawberry.argument(description="The report (a `GradeReport` ID).")
    ],
    answer: Answer,
    corrected_mark: Annotated[
        str | None,
        text_argument(
            width(m.Grade.mark),
            description="The right mark, when the report was right: the grade is changed to "
            "it and the change logged; left out, the grade stays",
        ),
    ] = None,
) -> m.GradeReport:
    return await grade_reports.grade_report_answer(
        info.context, decode_id(report_id, GradeReport), answer, corrected_mark
    )


_writes: list[type[BasePermission]] = [can(Resource.GRADE_REPORT, Action.WRITE), PersonalAccount]
grade_reports_field = strawberry.field(
    resolver=grade_reports_list,
    permission_classes=[can(Resource.GRADE_REPORT, Action.READ)],
    description="Reports that a grade is wrong, oldest first: a teacher's open ones to answer, "
    "a student's or parent's own.",
)
grade_report_field = strawberry.mutation(
    resolver=grade_report,
    graphql_type=GradeReport,
    permission_classes=_writes,
    description="Report a grade as wrong (a student for themselves, a parent for their "
    "child), within 3 days of it being given: the lesson's teacher answers. One open report "
    "per grade (another is CONFLICT). A person signed in with their own login.",
)
grade_report_answer_field = strawberry.mutation(
    resolver=grade_report_answer,
    graphql_type=GradeReport,
    permission_classes=_writes,
    description="Answer a report that a grade is wrong; with `correctedMark` the grade is "
    "corrected in the same request, as `gradesSet` would (PERIOD_LOCKED, EDIT_WINDOW_CLOSED), "
    "and the change names the report. Answered already: CONFLICT. A person signed in with "
    "their own login.",
)
