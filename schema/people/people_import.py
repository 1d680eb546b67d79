"""Importing a school's people from a CSV or XLSX file: a dry run answering its report, and the
import itself, all or nothing."""

from typing import Annotated

import strawberry
from strawberry.permission import BasePermission

from policies.vocabulary import Action, Resource
from resolvers.people import people_file, people_import
from resolvers.people.people_file import MAX_PEOPLE, PeopleFileFormat
from resolvers.spreadsheet import MAX_PROBLEMS
from schema.base import Info, decode_id, decode_optional
from schema.bounds import text_field
from schema.enums import described
from schema.list_sizes import at_most
from schema.permissions import PersonalAccount, can
from schema.setup.calendar import SchoolYear
from schema.setup.school import School

MAX_FILE = 1_000_000  # characters of the file in base64 (the request body is at most 1 MiB)
# People the synchronous mutations take: written well within a request's deadline (10 s) on
# a busy server; a longer file is imported as a job (`peopleImportStart`).
SYNC_PEOPLE = 2000

described(
    PeopleFileFormat,
    "How a list of people is written.",
    CSV="Text in UTF-8 (with or without its BOM) or Windows-1251, its cells separated by "
    "commas, semicolons or tabs, base64-encoded.",
    XLSX="An Excel workbook, base64-encoded; its first sheet is read.",
)


@strawberry.input(
    description="A school's list of people in a file: staff, students and parents, one a "
    "row; its first row names the columns (docs/import/README.md): «Код» (the school's code "
    "of the person, required: importing the file again corrects whom it entered), «Фамилия», "
    "«Имя», «Роль» (ученик, родитель, учитель, завуч, психолог; several by comma), required; "
    "«Отчество», «Пол» (м/ж), «Класс» (a student's, as «5А»), «Дети» (a parent's children's "
    "codes), «Родство» (мать, отец, опекун), «Дата рождения», «Документ»; a birth date or a "
    "document only with the consent: «Согласие» (its document), «Дата согласия», "
    "«Согласие дал» (the code of who gave it; empty: the person). Other columns are ignored."
)
class PeopleImportInput:
    school_id: strawberry.ID = strawberry.field(description="The school (a `School` ID).")
    school_year_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The school year whose classes «Класс» names (a `SchoolYear` ID); null: "
        "the current one, or the next one between years.",
    )
    format: PeopleFileFormat = strawberry.field(description="How the file is written.")
    content: str = text_field(
        MAX_FILE,
        multiline=True,
        description="The file's bytes in base64 (CSV and XLSX alike), or its gzip-compressed "
        "bytes in base64",
    )


@strawberry.type(description="A bad cell of an imported file.")
class ImportProblem:
    row: int = strawberry.field(description="Its row as the file shows it: the header is row 1.")
    column: str = strawberry.field(description="Its column, by its Russian name («фамилия»).")
    message: str = strawberry.field(description="What is wrong, and how to put it right.")


@strawberry.type(description="What an import of people did, or a dry run would do.")
class PeopleImportPayload:
    rows: int = strawberry.field(description="The file's people that could be read.")
    encoding: str | None = strawberry.field(
        description="A CSV's encoding as read: «UTF-8» or «Windows-1251»; null for XLSX."
    )
    created: int = strawberry.field(description="People entered: codes the school had not.")
    updated: int = strawberry.field(description="People found by their code and corrected.")
    unchanged: int = strawberry.field(description="People found by their code as they were.")
    roles: int = strawberry.field(description="Roles in the school given.")
    placements: int = strawberry.field(description="Students placed in a class of the year.")
    links: int = strawberry.field(description="Parents linked to their children.")
    consents: int = strawberry.field(description="Consents to process personal data recorded.")
    committed: bool = strawberry.field(description="False: a dry run, nothing was written.")
    problems: list[ImportProblem] = strawberry.field(
        description=f"Every bad cell (the first {MAX_PROBLEMS}), in the file's order; the "
        "import writes nothing while there is one.",
        metadata=at_most(MAX_PROBLEMS),
    )


def _report(report: people_import.ImportReport, encoding: str | None) -> PeopleImportPayload:
    return PeopleImportPayload(
        rows=report.rows,
        encoding=encoding,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        roles=report.roles,
        placements=report.placements,
        links=report.links,
        consents=report.consents,
        committed=report.committed,
        problems=[
            ImportProblem(row=p.row, column=p.column, message=p.message)
            for p in report.problems[:MAX_PROBLEMS]
        ],
    )


async def _import(info: Info, input: PeopleImportInput, *, commit: bool) -> PeopleImportPayload:
    people = people_file.people_of(input.format, input.content, most=SYNC_PEOPLE)
    report = await people_import.people_import(
        info.context,
        decode_id(input.school_id, School),
        people,
        school_year_id=decode_optional(input.school_year_id, SchoolYear),
        commit=commit,
    )
    return _report(report, people.encoding)


File = Annotated[PeopleImportInput, strawberry.argument(description="The file, and its school.")]


async def people_import_check(info: Info, input: File) -> PeopleImportPayload:
    return await _import(info, input, commit=False)


async def people_import_(info: Info, input: File) -> PeopleImportPayload:
    return await _import(info, input, commit=True)


_WRITES: list[type[BasePermission]] = [can(Resource.PERSON, Action.WRITE), PersonalAccount]
WHO = " The school's admin (А #13, #19, #20)."
people_import_check_field = strawberry.mutation(
    resolver=people_import_check,
    graphql_type=PeopleImportPayload,
    permission_classes=_WRITES,
    description=f"A dry run of `peopleImport` (at most {SYNC_PEOPLE} people; a longer file: "
    "`peopleImportStart`): the file is "
    "checked and imported, and the import rolled back; the report says what it would do and "
    "every bad cell by row and column (duplicates by code, by name and birth date, by "
    "document). A file that cannot be read at all is BAD_USER_INPUT." + WHO,
)
people_import_field = strawberry.mutation(
    resolver=people_import_,
    graphql_type=PeopleImportPayload,
    permission_classes=_WRITES,
    description=f"Import staff, students and parents from a CSV or XLSX file (at most "
    f"{SYNC_PEOPLE} people; up to {MAX_PEOPLE} as a job, `peopleImportStart`) with their "
    "roles, classes, parents and consents, all or nothing: "
    "a file with a bad cell is BAD_USER_INPUT with every problem in `extensions.problems` "
    "(item: the row, field: the column), and nothing is written. A person the school's code "
    "finds is corrected, not entered twice." + WHO,
)
