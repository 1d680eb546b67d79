"""The summary statement (сводная ведомость, R-SUMMARY-1) as a typed read shape, and its PDF."""

import base64
from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar

import strawberry

from policies.vocabulary import Resource
from resolvers.exports import summary_statement_files
from resolvers.people.names import class_name, full_name, short_name
from resolvers.printing import summary_statements as printing
from resolvers.screens import summary_statement as statements
from schema import list_sizes as sizes
from schema.base import Info, decode_id, reads
from schema.list_sizes import at_most
from schema.people.person import Person
from schema.screens import files
from schema.screens.journal_views import ClassLine, StudentLine, SubjectLine, global_id
from schema.setup.classes import SchoolClass

GRADES_OF_A_SUBJECT = sizes.LESSONS_OF_A_PERIOD  # about one a lesson, over a half-year


@strawberry.type(description="A grade as the statement lists it.")
class StatementGrade:
    __resource__: ClassVar[Resource] = Resource.GRADE
    id: strawberry.ID = strawberry.field(description="The `Grade` ID.")
    held_on: date = strawberry.field(description="The day of its lesson.")
    mark: str = strawberry.field(description="The mark, as the journal writes it.")
    work_type: str = strawberry.field(description="The kind of work (вид работы).")
    weight: Decimal = strawberry.field(description="That kind's weight in the weighted average.")


@strawberry.type(description="A subject's line of a summary statement.")
class StatementSubject:
    __resource__: ClassVar[Resource] = Resource.LESSON
    subject: SubjectLine = strawberry.field(
        description="The subject.", metadata=reads(Resource.CURRICULUM)
    )
    lessons_held: int = strawberry.field(
        description="Lessons of the subject held on the days, in the student's class or subgroup."
    )
    grades: list[StatementGrade] = strawberry.field(
        description="The student's grades in it on the days, by date.",
        metadata=reads(Resource.GRADE) | at_most(GRADES_OF_A_SUBJECT),
    )
    average: Decimal | None = strawberry.field(
        description="The average mark (средний балл), to 2 decimals, as the grade grid "
        "computes it; null without any mark that has a value."
    )
    weighted_average: Decimal | None = strawberry.field(
        description="The weighted average (средневзвешенный балл), by the work types' weights."
    )
    lates: int = strawberry.field(description="Lessons the student came late to.")
    missed_valid: int = strawberry.field(
        description="Lessons missed for a valid reason (illness included)."
    )
    missed_unexcused: int = strawberry.field(description="Lessons missed without a valid reason.")


@strawberry.type(description="One student's summary statement.")
class SummaryStatement:
    __resource__: ClassVar[Resource] = Resource.PERSON
    student: StudentLine = strawberry.field(
        description="The student.", metadata=reads(Resource.PERSON)
    )
    school_class: ClassLine | None = strawberry.field(
        description="Their class (the newest they were placed in).",
        metadata=reads(Resource.SCHOOL_CLASS),
    )
    subjects: list[StatementSubject] = strawberry.field(
        description="Per subject with a lesson held or a grade on the days, by name.",
        metadata=reads(Resource.LESSON) | at_most(sizes.SUBJECTS_OF_A_CLASS),
    )
    lessons_held: int = strawberry.field(description="Lessons held in every subject.")
    lates: int = strawberry.field(description="Late arrivals in every subject.")
    missed_valid: int = strawberry.field(description="Lessons missed for a valid reason.")
    missed_unexcused: int = strawberry.field(description="Lessons missed without a valid reason.")


@strawberry.type(description="Summary statements over the same days, and their printed form.")
class SummaryStatements:
    answer: strawberry.Private[statements.Statements]
    date_from: date = strawberry.field(description="The first day covered.")
    date_to: date = strawberry.field(description="The last day covered.")
    period_name: str | None = strawberry.field(
        description="The reporting period the days lie in; null: none holds them (holidays)."
    )
    statements: list[SummaryStatement] = strawberry.field(
        description="One per student, by name.",
        metadata=reads(Resource.PERSON) | at_most(sizes.CLASS_SIZE),
    )

    @strawberry.field(
        description="The statements as a PDF (base64) to print: one student per A4 page, in "
        "Russian, with the same figures, and a line for the class teacher's signature.",
        metadata=reads(Resource.GRADE),
    )
    async def pdf(self, info: Info) -> str:
        document = await printing.summary_statements_pdf(info.context, self.answer)
        return base64.b64encode(document).decode()

    xlsx = files.xlsx_field(
        summary_statement_files.summary_statement_sheets,
        Resource.GRADE,
        "«Ведомость» (a line per student and subject, and the student's totals), «Оценки» "
        "(every grade with its date and kind of work)",
        answer="answer",
    )
    csv = files.csv_field(
        summary_statement_files.summary_statement_sheets, Resource.GRADE, answer="answer"
    )


def _statement(statement: statements.Statement) -> SummaryStatement:
    person, school_class = statement.student, statement.school_class
    return SummaryStatement(
        student=StudentLine(
            id=global_id("Person", person.id),
            full_name=full_name(person),
            short_name=short_name(person),
        ),
        school_class=None
        if school_class is None
        else ClassLine(id=global_id("SchoolClass", school_class.id), name=class_name(school_class)),
        subjects=[
            StatementSubject(
                subject=SubjectLine(id=global_id("Subject", s.subject_id), name=s.subject),
                lessons_held=s.lessons_held,
                grades=[
                    StatementGrade(
                        id=global_id("Grade", g.grade_id),
                        held_on=g.held_on,
                        mark=g.mark,
                        work_type=g.work_type,
                        weight=g.weight,
                    )
                    for g in s.grades
                ],
                average=s.average,
                weighted_average=s.weighted_average,
                lates=s.lates,
                missed_valid=s.missed_valid,
                missed_unexcused=s.missed_unexcused,
            )
            for s in statement.subjects
        ],
        lessons_held=statement.total("lessons_held"),
        lates=statement.total("lates"),
        missed_valid=statement.total("missed_valid"),
        missed_unexcused=statement.total("missed_unexcused"),
    )


async def summary_statements(
    info: Info,
    class_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(description="A class (a `SchoolClass` ID): each of its students."),
    ] = None,
    student_id: Annotated[
        strawberry.ID | None, strawberry.argument(description="One student (a `Person` ID).")
    ] = None,
    date_from: Annotated[
        date | None,
        strawberry.argument(description="The first day; by default the past school week's."),
    ] = None,
    date_to: Annotated[
        date | None,
        strawberry.argument(description="The last day; by default the past school week's."),
    ] = None,
    paper_only: Annotated[
        bool,
        strawberry.argument(
            description="Only the students with a parent given statements on paper "
            "(`paperStatements`), to print for them."
        ),
    ] = False,
) -> SummaryStatements:
    answer = await statements.summary_statements(
        info.context,
        class_id=None if class_id is None else decode_id(class_id, SchoolClass),
        student_id=None if student_id is None else decode_id(student_id, Person),
        date_from=date_from,
        date_to=date_to,
        paper_only=paper_only,
    )
    return SummaryStatements(
        answer=answer,
        date_from=answer.date_from,
        date_to=answer.date_to,
        period_name=None if answer.period is None else answer.period.name,
        statements=[_statement(statement) for statement in answer.statements],
    )


DESCRIPTION = (
    "Summary statements (сводная ведомость, R-SUMMARY-1) of a class's students or "
    "one student over days of one reporting period (by default the past school week, Monday "
    "to Sunday): per subject the lessons held, the grades with their dates and kinds of work, "
    "the average and weighted average, the lates and the lessons missed; in five statements "
    "whatever the class. `pdf` prints them. Days across two reporting periods are "
    "BAD_USER_INPUT."
)
