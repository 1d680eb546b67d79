"""What `reportStart` makes: one member per kind of report (`resolvers/reports/kinds.py`),
named as the kind is, whose fields are its screen's arguments. A kind registered there gets
its member here: an input class with `arguments()`, and a line in `ReportStartInput`."""

from datetime import date

import strawberry

from resolvers.reports import kinds, school_kinds, screen_kinds
from resolvers.screens.attestation import MAX_PERIODS
from resolvers.screens.journal_control import ControlFilter
from schema.base import decode_id, decode_optional
from schema.bounds import list_field
from schema.people.person import Person
from schema.setup.calendar import Period, SchoolYear
from schema.setup.classes import Group, SchoolClass
from schema.setup.curriculum import Subject
from schema.setup.school import Municipality, School


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


def _id(description: str) -> strawberry.ID:
    value: strawberry.ID = strawberry.field(description=description)
    return value


def _optional_id(description: str) -> strawberry.ID | None:
    value: strawberry.ID | None = strawberry.field(default=None, description=description)
    return value


def _optional_day(description: str) -> date | None:
    value: date | None = strawberry.field(default=None, description=description)
    return value


@strawberry.input(description="The arguments of `gradeGrid`.")
class GradeGridReportInput:
    group_id: strawberry.ID = _id("The group (a `Group` ID).")
    subject_id: strawberry.ID = _id("The subject (a `Subject` ID).")
    period_id: strawberry.ID = _id("The reporting period (a `Period` ID).")

    def arguments(self) -> screen_kinds.GridArguments:
        return screen_kinds.GridArguments(
            decode_id(self.group_id, Group),
            decode_id(self.subject_id, Subject),
            decode_id(self.period_id, Period),
        )


@strawberry.input(description="The arguments of `classJournal`.")
class ClassJournalReportInput:
    class_id: strawberry.ID = _id("The class (a `SchoolClass` ID).")
    date_from: date = strawberry.field(description="The first day.")
    date_to: date = strawberry.field(description="The last day, as `classJournal` bounds it.")

    def arguments(self) -> screen_kinds.ClassDaysArguments:
        return screen_kinds.ClassDaysArguments(
            decode_id(self.class_id, SchoolClass), self.date_from, self.date_to
        )


@strawberry.input(description="The arguments of `classJournalPages`.")
class ClassJournalPagesReportInput:
    class_id: strawberry.ID = _id("The class (a `SchoolClass` ID).")
    period_id: strawberry.ID = _id("The reporting period (a `Period` ID).")

    def arguments(self) -> screen_kinds.ClassPeriodArguments:
        return screen_kinds.ClassPeriodArguments(
            decode_id(self.class_id, SchoolClass), decode_id(self.period_id, Period)
        )


@strawberry.input(description="The arguments of `diaryWeek`.")
class DiaryWeekReportInput:
    student_id: strawberry.ID = _id("The student (a `Person` ID).")
    week_of: date = strawberry.field(description="Any day of the week.")

    def arguments(self) -> screen_kinds.DiaryArguments:
        return screen_kinds.DiaryArguments(decode_id(self.student_id, Person), self.week_of)


@strawberry.input(description="The arguments of `journalControl`.")
class JournalControlReportInput:
    school_id: strawberry.ID = _id("The school (a `School` ID).")
    date_from: date | None = _optional_day("The first day; as `journalControl` by default.")
    date_to: date | None = _optional_day("The last day; as `journalControl` by default.")
    teacher_id: strawberry.ID | None = _optional_id("Only this teacher (a `Person` ID).")
    class_id: strawberry.ID | None = _optional_id("Only this class (a `SchoolClass` ID).")

    def arguments(self) -> ControlFilter:
        return ControlFilter(
            school_id=decode_id(self.school_id, School),
            date_from=self.date_from,
            date_to=self.date_to,
            teacher_id=decode_optional(self.teacher_id, Person),
            class_id=decode_optional(self.class_id, SchoolClass),
        )


@strawberry.input(description="The arguments of `activityRating`.")
class ActivityRatingReportInput:
    school_id: strawberry.ID | None = _optional_id("One school (a `School` ID).")
    municipality_id: strawberry.ID | None = _optional_id(
        "The schools of a municipality (a `Municipality` ID)."
    )
    date_from: date | None = _optional_day("The first day; as `activityRating` by default.")
    date_to: date | None = _optional_day("The last day; as `activityRating` by default.")

    def arguments(self) -> screen_kinds.RatingArguments:
        return screen_kinds.RatingArguments(
            school_id=decode_optional(self.school_id, School),
            municipality_id=decode_optional(self.municipality_id, Municipality),
            date_from=self.date_from,
            date_to=self.date_to,
        )


@strawberry.input(description="The arguments of `schoolOverview`.")
class SchoolOverviewReportInput:
    school_id: strawberry.ID = _id("The school (a `School` ID).")
    period_id: strawberry.ID = _id("The reporting period (a `Period` ID).")

    def arguments(self) -> screen_kinds.OverviewArguments:
        return screen_kinds.OverviewArguments(
            decode_id(self.school_id, School), decode_id(self.period_id, Period)
        )


@strawberry.input(description="A school's OneRoster 1.2 bulk CSV export (docs/oneroster.md).")
class OneRosterReportInput:
    school_id: strawberry.ID = _id("The school (a `School` ID).")
    school_year_id: strawberry.ID | None = _optional_id(
        "Only this school year (a `SchoolYear` ID); default: every year."
    )

    def arguments(self) -> school_kinds.OneRosterArguments:
        return school_kinds.OneRosterArguments(
            decode_id(self.school_id, School), decode_optional(self.school_year_id, SchoolYear)
        )


@strawberry.input(description="A school's archive of a period or year.")
class ArchiveReportInput:
    school_id: strawberry.ID = _id("The school (a `School` ID).")
    period_id: strawberry.ID = _id(
        "The reporting period (a `Period` ID); the school year's own period for the year."
    )

    def arguments(self) -> school_kinds.ArchiveArguments:
        return school_kinds.ArchiveArguments(
            decode_id(self.school_id, School), decode_id(self.period_id, Period)
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
    summary_statements_xlsx: SummaryStatementsReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="The summary statements' table as `summaryStatements { xlsx }`.",
    )
    summary_statements_csv: SummaryStatementsReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="The summary statements' first sheet as `summaryStatements { csv }`.",
    )
    grade_grid_xlsx: GradeGridReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="The grade grid as `gradeGrid { xlsx }`.",
    )
    grade_grid_csv: GradeGridReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="The grade grid's marks as `gradeGrid { csv }`.",
    )
    grade_grid_pdf: GradeGridReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="The grid's paper journal pages as `gradeGrid { pdf }`.",
    )
    class_journal_xlsx: ClassJournalReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="The class journal's days as `classJournal { xlsx }`.",
    )
    class_journal_csv: ClassJournalReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="The class journal's lessons as `classJournal { csv }`.",
    )
    class_journal_pages_pdf: ClassJournalPagesReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="A class's whole journal in a period as `classJournalPages { pdf }`.",
    )
    diary_week_pdf: DiaryWeekReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="A student's diary week as `diaryWeek { pdf }`.",
    )
    journal_control_xlsx: JournalControlReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="Journal control as `journalControl { xlsx }`, every row.",
    )
    journal_control_csv: JournalControlReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="Journal control as `journalControl { csv }`, every row.",
    )
    activity_rating_xlsx: ActivityRatingReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="The activity rating as `activityRating { xlsx }`.",
    )
    activity_rating_csv: ActivityRatingReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="The activity rating as `activityRating { csv }`.",
    )
    school_overview_xlsx: SchoolOverviewReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="The school overview as `schoolOverview { xlsx }`.",
    )
    school_overview_csv: SchoolOverviewReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="The school overview as `schoolOverview { csv }`.",
    )
    oneroster_zip: OneRosterReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="The school in OneRoster 1.2 bulk CSV files, zipped.",
    )
    archive_zip: ArchiveReportInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="The school's archive of a period or year: the journal's tables, pages "
        "and statements, the audit trail and a SHA-256 manifest, zipped.",
    )
