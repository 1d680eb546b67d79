"""The control of how journals are kept (R-CONTROL-1) and the schools' activity rating
(R-RATING-1), for the head, deputies, the admin and inspectors."""

from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar

import strawberry
from strawberry.permission import BasePermission

import model as m
from policies.vocabulary import Action, Resource
from resolvers.exports import activity_rating_files, journal_control_files
from resolvers.pagination import page_of
from resolvers.screens import activity_rating, journal_control
from schema.base import Connection, Info, decode_id, decode_optional, related
from schema.bounds import After, First
from schema.people.person import Person
from schema.permissions import can
from schema.screens import files
from schema.setup.classes import SchoolClass
from schema.setup.curriculum import Subject
from schema.setup.school import Municipality, School

DEADLINES = (
    "Deadlines, in the school's time zone: topic and attendance 2 days after the lesson; "
    "grades 2 days, or the work type's checking days if more; homework 18:00 of the lesson "
    "day; term and final grades 7 days after the period."
)


@strawberry.type(
    description="How one teacher keeps the journal of one class in one subject "
    "(контроль ведения журнала). " + DEADLINES
)
class JournalControlRow:
    __resource__: ClassVar[Resource] = Resource.JOURNAL_CONTROL
    lessons_held: int = strawberry.field(
        description="Lessons up to today, not cancelled (a past one not marked held counts)."
    )
    lessons_without_topic: int = strawberry.field(description="Past their deadline, no topic.")
    lessons_without_attendance: int = strawberry.field(
        description="Past their deadline, attendance never taken."
    )
    lessons_without_grades: int = strawberry.field(
        description="With a kind of work declared and no grade of it after its checking days."
    )
    lessons_without_homework: int = strawberry.field(
        description="No homework set, and 18:00 of the lesson day has passed (none is "
        "expected in the first grade)."
    )
    late_grades: int = strawberry.field(description="Grades entered after their deadline.")
    late_attendance: int = strawberry.field(
        description="Lessons whose attendance was taken after the deadline."
    )
    late_homework: int = strawberry.field(description="Homework set after 18:00.")
    missing_final_grades: int = strawberry.field(
        description="Students without a term or final grade 7 days after the period ended "
        "(none expected «без аттестации» or in the first grade)."
    )
    teacher = related(m.Person, "teacher_id", Person, "Who gave the lessons (the substitute).")
    school_class = related(
        m.SchoolClass, "class_id", SchoolClass, "The class taught; null if you may not read it."
    )
    subject = related(m.Subject, "subject_id", Subject, "Null if you may not read it.")


@strawberry.type(
    description="A school's activity rating (рейтинг активности): score = (filledPercent + "
    "onTimePercent) / 2, from the exact shares, to one decimal; a share with nothing to count "
    "is 0. " + DEADLINES
)
class SchoolRating:
    __resource__: ClassVar[Resource] = Resource.JOURNAL_CONTROL
    rank: int = strawberry.field(description="1 is the best; equal scores share a rank.")
    score: Decimal = strawberry.field(description="0 to 100.")
    lessons_due: int = strawberry.field(description="Lessons past their 2-day deadline.")
    lessons_filled: int = strawberry.field(
        description="Of those: with a topic, attendance taken and grades for every kind of "
        "work declared once its checking days are over."
    )
    filled_percent: Decimal = strawberry.field(
        description="lessonsFilled / lessonsDue as a percentage, 0.0 to 100.0, to one decimal."
    )
    entries: int = strawberry.field(
        description="Grades, attendance taken (per lesson), homework, and term and final "
        "grades of periods whose 7 days are over."
    )
    entries_on_time: int = strawberry.field(description="Of those: made by their deadline.")
    on_time_percent: Decimal = strawberry.field(
        description="entriesOnTime / entries as a percentage, 0.0 to 100.0, to one decimal."
    )
    school = related(m.School, "school_id", School, "The school rated.")


@strawberry.type(
    name="JournalControlRowConnection",
    description="A page of the control's rows, and the whole report as files.",
)
class JournalControlConnection(Connection[JournalControlRow]):
    export: strawberry.Private[journal_control_files.JournalControlAnswer | None] = None
    xlsx = files.xlsx_field(
        journal_control_files.journal_control_sheets,
        Resource.JOURNAL_CONTROL,
        "«Контроль» (every row, not this page's)",
    )
    csv = files.csv_field(journal_control_files.journal_control_sheets, Resource.JOURNAL_CONTROL)


@strawberry.type(
    name="SchoolRatingConnection",
    description="A page of the rating, and the whole rating as files.",
)
class SchoolRatingConnection(Connection[SchoolRating]):
    export: strawberry.Private[activity_rating_files.ActivityRatingAnswer | None] = None
    xlsx = files.xlsx_field(
        activity_rating_files.activity_rating_sheets,
        Resource.JOURNAL_CONTROL,
        "«Рейтинг» (every school rated, not this page's)",
    )
    csv = files.csv_field(activity_rating_files.activity_rating_sheets, Resource.JOURNAL_CONTROL)


def _control_key(row: journal_control.ControlRow) -> tuple[int, ...]:
    return (row.teacher_id, row.class_id, row.subject_id)


def _rating_key(row: activity_rating.SchoolRating) -> tuple[int, ...]:
    return (row.school_id,)


SchoolId = Annotated[strawberry.ID, strawberry.argument(description="The school (a `School` ID).")]
DateFrom = Annotated[
    date | None,
    strawberry.argument(
        description="Lessons from this day (YYYY-MM-DD); default: 1 September of the school year."
    ),
]
DateTo = Annotated[
    date | None,
    strawberry.argument(
        description="Lessons up to this day (YYYY-MM-DD), not before dateFrom; default: today in "
        "the school's time zone."
    ),
]


async def journal_control_rows(
    info: Info,
    school_id: SchoolId,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    teacher_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(description="Only this teacher's lessons (a `Person` ID)."),
    ] = None,
    class_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(description="Only this class's lessons (a `SchoolClass` ID)."),
    ] = None,
    first: First = None,
    after: After = None,
) -> JournalControlConnection:
    f = journal_control.ControlFilter(
        school_id=decode_id(school_id, School),
        date_from=date_from,
        date_to=date_to,
        teacher_id=decode_optional(teacher_id, Person),
        class_id=decode_optional(class_id, SchoolClass),
    )
    answer = await journal_control_files.read(info.context, f)
    page = page_of(answer.rows, _control_key, 3, first=first, after=after)
    return JournalControlConnection(page=page, export=answer)


async def school_ratings(
    info: Info,
    school_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(description="One school (a `School` ID); not with municipalityId."),
    ] = None,
    municipality_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(
            description="The schools of a municipality (a `Municipality` ID); neither given: "
            "every school you may control."
        ),
    ] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    first: First = None,
    after: After = None,
) -> SchoolRatingConnection:
    answer = await activity_rating_files.read(
        info.context,
        decode_optional(school_id, School),
        decode_optional(municipality_id, Municipality),
        date_from,
        date_to,
    )
    page = page_of(answer.rows, _rating_key, 1, first=first, after=after)
    return SchoolRatingConnection(page=page, export=answer)


_reads: list[type[BasePermission]] = [can(Resource.JOURNAL_CONTROL, Action.READ)]
journal_control_field = strawberry.field(
    resolver=journal_control_rows,
    permission_classes=_reads,
    description="Per teacher, class and subject: what is missing past its deadline and what was "
    "entered late. Lessons from dateFrom (default: 1 September of the school "
    "year) to dateTo (default: today). A page of rows in a stable order (by the teacher, then "
    "the class, then the subject, as they were created); the whole report is computed in a "
    "fixed number of statements for every page, and totalCount counts its rows.",
)
activity_rating_field = strawberry.field(
    resolver=school_ratings,
    permission_classes=_reads,
    description="The activity rating of a school, of the schools of a municipality, or of every "
    "school you may control, best first (by score, then as the schools were created). "
    "A page of it; totalCount counts the schools rated.",
)
