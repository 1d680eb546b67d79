"""What `reportStart` makes: one member per kind of report (`resolvers/reports/kinds.py`),
named as the kind is, whose fields are its screen's arguments. A kind registered there gets
its member here: an input class with `arguments()`, and a line in `ReportStartInput`."""

from datetime import date

import strawberry

from resolvers.reports import kinds
from resolvers.screens.attestation import MAX_PERIODS
from schema.base import decode_id, decode_optional
from schema.bounds import list_field
from schema.people.person import Person
from schema.setup.calendar import Period
from schema.setup.classes import SchoolClass
from schema.setup.school import School


@strawberry.input(description="The arguments of `summaryStatements`.")
class SummaryStatementsReportInput:
    class_id: strawberry.ID | None = strawberry.field(
        default=None, description="A class (a `SchoolClass` ID): each of its students."
    )
    student_id: strawberry.ID | None = strawberry.field(
        default=None, description="One student (a `Person` ID)."
    )
    date_from: date | None = strawberry.field(
        default=None, description="The first day; by default the past school week's."
    )
    date_to: date | None = strawberry.field(
        default=None, description="The last day; by default the past school week's."
    )
    paper_only: bool = strawberry.field(
        default=False,
        description="Only the students with a parent given statements on paper.",
    )

    def arguments(self) -> kinds.StatementsArguments:
        return kinds.StatementsArguments(
            class_id=decode_optional(self.class_id, SchoolClass),
            student_id=decode_optional(self.student_id, Person),
            date_from=self.date_from,
            date_to=self.date_to,
            paper_only=self.paper_only,
        )


@strawberry.input(description="The arguments of `attestationSummary`.")
class AttestationSummaryReportInput:
    school_id: strawberry.ID = strawberry.field(description="The school (a `School` ID).")
    period_ids: list[strawberry.ID] = list_field(
        MAX_PERIODS, description="Periods of one school year (`Period` IDs)"
    )
    class_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this class (a `SchoolClass` ID); default: all."
    )

    def arguments(self) -> kinds.AttestationArguments:
        return kinds.AttestationArguments(
            school_id=decode_id(self.school_id, School),
            period_ids=tuple(decode_id(period_id, Period) for period_id in self.period_ids),
            class_id=decode_optional(self.class_id, SchoolClass),
        )


@strawberry.input(
    one_of=True,
    description="The report to make: exactly one member, named by its kind, with the "
    "arguments of the screen it prints or exports.",
)
class ReportStartInput:
    summary_statements_pdf: SummaryStatementsReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="Summary statements (R-SUMMARY-1) as `summaryStatements { pdf }` prints "
        "them: one student per A4 page.",
    )
    attestation_summary_xlsx: AttestationSummaryReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="The attestation summary (R-ATTEST-1) as `attestationSummary { xlsx }`.",
    )
    attestation_summary_pdf: AttestationSummaryReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="The attestation summary as `attestationSummary { pdf }`: a draft, not "
        "certified.",
    )
