"""A school's list of people in a file (issue 12): staff, students and parents, one a row, in
the columns a school keeps (docs/import/README.md lists them, Russian or English names, in any
order; others are ignored). Read and checked here without the database: every bad cell is a
`Problem` (row, column, message), and so is a person listed twice — by the same code, by the
same name and birth date, or by the same document number.

Each row carries the school's own code of the person (`код`): importing the file again finds
them by it and corrects them instead of entering them twice. A student's class (`класс`, «5А»)
places them; a parent's row names their children's codes (`дети`) and how they are related
(`родство`). Personal data (the birth date, a document) is taken only with the consent to
process it (152-FZ): who gave it (a code in the file, or the person themselves), its document
and date."""

import base64
import binascii
import enum
import gzip
import io
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import model as m
from model import ImportPhase
from resolvers import spreadsheet
from resolvers.errors import BadUserInput
from resolvers.people.import_progress import READ_EVERY, Progress, unheard
from resolvers.spreadsheet import Problem

CODE, LAST, FIRST, MIDDLE, SEX = "код", "фамилия", "имя", "отчество", "пол"
BORN, ROLE = "дата рождения", "роль"
CLASS, CHILDREN, KINSHIP, DOCUMENT = "класс", "дети", "родство", "документ"
CONSENT_BY, CONSENT_DOCUMENT, CONSENT_DATE = "согласие дал", "согласие", "дата согласия"
COLUMNS: dict[str, set[str]] = {
    CODE: {"код", "id", "внешний код", "идентификатор", "external id", "code"},
    LAST: {"фамилия", "last name", "surname"},
    FIRST: {"имя", "first name"},
    MIDDLE: {"отчество", "middle name", "patronymic"},
    SEX: {"пол", "sex"},
    BORN: {"дата рождения", "birth date", "date of birth"},
    ROLE: {"роль", "роли", "role", "roles"},
    CLASS: {"класс", "class"},
    CHILDREN: {"дети", "ребёнок", "ребенок", "коды детей", "children"},
    KINSHIP: {"родство", "кем приходится", "kinship"},
    DOCUMENT: {"документ", "номер документа", "document"},
    CONSENT_BY: {"согласие дал", "согласие дано", "consent given by"},
    CONSENT_DOCUMENT: {"согласие", "документ согласия", "consent", "consent document"},
    CONSENT_DATE: {"дата согласия", "consent date"},
}
REQUIRED = (CODE, LAST, FIRST, ROLE)
DOCUMENT_WIDTH = 100  # the person's `document` column
ROLES = {
    "ученик": m.Role.STUDENT, "ученица": m.Role.STUDENT, "student": m.Role.STUDENT,
    "родитель": m.Role.PARENT, "законный представитель": m.Role.PARENT, "parent": m.Role.PARENT,
    "учитель": m.Role.TEACHER, "педагог": m.Role.TEACHER, "teacher": m.Role.TEACHER,
    "завуч": m.Role.DEPUTY, "заместитель директора": m.Role.DEPUTY, "deputy": m.Role.DEPUTY,
    "психолог": m.Role.PSYCHOLOGIST, "педагог-психолог": m.Role.PSYCHOLOGIST,
    "psychologist": m.Role.PSYCHOLOGIST,
}  # fmt: skip
SEXES = {"м": m.Sex.MALE, "муж": m.Sex.MALE, "мужской": m.Sex.MALE, "male": m.Sex.MALE,
         "ж": m.Sex.FEMALE, "жен": m.Sex.FEMALE, "женский": m.Sex.FEMALE,
         "female": m.Sex.FEMALE}  # fmt: skip
KINSHIPS = {"мать": m.Kinship.MOTHER, "мама": m.Kinship.MOTHER, "mother": m.Kinship.MOTHER,
            "отец": m.Kinship.FATHER, "папа": m.Kinship.FATHER, "father": m.Kinship.FATHER,
            "опекун": m.Kinship.GUARDIAN, "попечитель": m.Kinship.GUARDIAN,
            "guardian": m.Kinship.GUARDIAN}  # fmt: skip
CLASS_NAME = re.compile(r"^\s*(\d{1,2})\s*[-«\"']?\s*([А-ЯЁA-Z])\s*[»\"']?\s*$", re.IGNORECASE)
MAX_PEOPLE = 5000  # a file's rows: a large school with its parents
GZIP = b"\x1f\x8b"
CODE_WIDTH = 64
DOCUMENT_WIDTH = 200
WIDTHS = {LAST: 100, FIRST: 100, MIDDLE: 100, CODE: CODE_WIDTH, DOCUMENT: 64}


class PeopleFileFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@dataclass(frozen=True)
class ConsentEntry:
    """Consent to process a person's data: given by the person coded `given_by` (None: the
    person themselves), on paper `document`, on `given_on`."""

    given_by: str | None
    document: str
    given_on: date


@dataclass(frozen=True)
class PersonRow:
    row: int  # as the file shows it: the header is row 1
    code: str
    last_name: str
    first_name: str
    middle_name: str | None
    sex: m.Sex | None
    birth_date: date | None
    roles: tuple[m.Role, ...]
    school_class: tuple[int, str] | None  # (parallel, letter) of a student
    children: tuple[str, ...] = ()
    kinship: m.Kinship = m.Kinship.GUARDIAN
    document: str | None = None
    consent: ConsentEntry | None = None


@dataclass
class PeopleFile:
    people: list[PersonRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    encoding: str | None = None  # a CSV's: «UTF-8» or «Windows-1251»


def file_bytes(content: str) -> bytes:
    """A file sent as base64, unpacked if it was sent gzip-compressed (a CSV shrinks about
    sixfold, so a long one fits the request)."""
    try:
        # Line breaks and spaces aside (base64 is often wrapped at 76 characters).
        data = base64.b64decode("".join(content.split()), validate=True)
    except (binascii.Error, ValueError):
        raise BadUserInput("The file is sent as base64.", field="content") from None
    if not data.startswith(GZIP):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as packed:
            unpacked = packed.read(spreadsheet.MAX_UNPACKED + 1)
    except (OSError, EOFError, zlib.error):
        raise BadUserInput("The file is not whole gzip.", field="content") from None
    if len(unpacked) > spreadsheet.MAX_UNPACKED:
        raise BadUserInput("The file unpacks to too much for a list of people.", field="content")
    return unpacked


def people_of(file_format: PeopleFileFormat, content: str, *, most: int = MAX_PEOPLE) -> PeopleFile:
    """The people of a file sent as base64 (gzip-compressed or not); a file that cannot be
    read at all (not base64, not text, not a workbook, too long) is BAD_USER_INPUT at once."""
    return people_in(file_format, file_bytes(content), most=most)


def people_in(
    file_format: PeopleFileFormat,
    data: bytes,
    progress: Progress = unheard,
    *,
    most: int = MAX_PEOPLE,
) -> PeopleFile:
    """The people of a file's bytes, at most `most` of them."""
    encoding = None
    if file_format is PeopleFileFormat.CSV:
        text, encoding = spreadsheet.decoded(data)
        rows = spreadsheet.csv_rows(text)
    else:
        rows = spreadsheet.xlsx_rows(data, limit=MAX_PEOPLE + 2, what="a list of people")
    if len([row for row in rows if any(row)]) > most + 1:
        raise BadUserInput(too_many(most), field="content", most=most)
    people = read_people(rows, progress)
    people.encoding = encoding
    return people


def too_many(most: int) -> str:
    if most >= MAX_PEOPLE:
        return f"A file lists at most {MAX_PEOPLE} people."
    return (
        f"A file of more than {most} people is imported as a job: `peopleImportStart` takes "
        f"up to {MAX_PEOPLE}, and `peopleImportJob` shows its progress."
    )


def _day(text: str) -> date | None:
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _columns(header: Sequence[str], problems: list[Problem]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = " ".join(name.replace("ё", "е").replace("Ё", "Е").lower().split()).strip(" :*")
        for column, names in COLUMNS.items():
            if column not in found and key in {n.replace("ё", "е") for n in names}:
                found[column] = index
    for column in REQUIRED:
        if column not in found:
            problems.append(Problem(1, column, f"the column «{column.capitalize()}» is missing."))
    return found


def read_people(rows: Sequence[Sequence[str]], progress: Progress = unheard) -> PeopleFile:
    """The people of a file's rows (the first names the columns), and what is wrong with it."""
    result = PeopleFile()
    total = max(len(rows) - 1, 0)
    progress(ImportPhase.READ, 0, total)
    if not rows:
        result.problems.append(Problem(1, CODE, "the file is empty."))
        return result
    columns = _columns(rows[0], result.problems)
    if result.problems:
        return result
    for number, row in enumerate(rows[1:], start=2):
        if number % READ_EVERY == 0:
            progress(ImportPhase.READ, number - 1, total)
        if any(value.strip() for value in row):
            person = _person(number, row, columns, result.problems)
            if person is not None:
                result.people.append(person)
    if not result.people and not result.problems:
        result.problems.append(Problem(2, CODE, "the file has no people under its first row."))
    _duplicates(result)
    _references(result)
    progress(ImportPhase.READ, total, total)
    return result


def _person(
    number: int, row: Sequence[str], columns: dict[str, int], problems: list[Problem]
) -> PersonRow | None:
    found: list[Problem] = []

    def cell(column: str) -> str:
        index = columns.get(column)
        value = " ".join(row[index].split()) if index is not None and index < len(row) else ""
        width = WIDTHS.get(column, DOCUMENT_WIDTH)
        if len(value) > width:
            found.append(Problem(number, column, f"longer than {width} characters."))
        return value

    def bad(column: str, message: str) -> None:
        found.append(Problem(number, column, message))

    code, last, first, middle = cell(CODE), cell(LAST), cell(FIRST), cell(MIDDLE)
    for column, value in ((CODE, code), (LAST, last), (FIRST, first)):
        if not value:
            bad(column, "empty.")
    sex_text = cell(SEX).lower().rstrip(".")
    sex = SEXES.get(sex_text) if sex_text else None
    if sex_text and sex is None:
        bad(SEX, f"«{cell(SEX)}» is not a sex: м or ж.")
    roles: list[m.Role] = []
    for name in filter(None, (n.strip() for n in re.split(r"[,/;]", cell(ROLE)))):
        role = ROLES.get(name.lower())
        if role is None:
            bad(
                ROLE,
                f"«{name}» is not a role imported: ученик, родитель, учитель, завуч, психолог.",
            )
        elif role not in roles:
            roles.append(role)
    if not cell(ROLE):
        bad(ROLE, "empty.")
    born_text = cell(BORN)
    born = _day(born_text) if born_text else None
    if born_text and born is None:
        bad(BORN, f"«{born_text}» is not a date: ДД.ММ.ГГГГ.")
    class_text = cell(CLASS)
    school_class = None
    if class_text:
        match = CLASS_NAME.match(class_text)
        if match is None or not 1 <= int(match[1]) <= 11:
            bad(CLASS, f"«{class_text}» is not a class: a parallel and a letter, as «5А».")
        else:
            school_class = (int(match[1]), match[2].upper())
        if m.Role.STUDENT not in roles:
            bad(CLASS, "only a student is placed in a class.")
    children = tuple(c.strip() for c in re.split(r"[,;]", cell(CHILDREN)) if c.strip())
    kinship_text = cell(KINSHIP).lower()
    kinship = KINSHIPS.get(kinship_text, m.Kinship.GUARDIAN)
    if kinship_text and kinship_text not in KINSHIPS:
        bad(KINSHIP, f"«{cell(KINSHIP)}» is not a kinship: мать, отец or опекун.")
    if children and m.Role.PARENT not in roles:
        bad(CHILDREN, "only a parent's row names children.")
    document = " ".join(cell(DOCUMENT).split()) or None  # «паспорт  4510 123456» as one
    if document is not None and len(document) > DOCUMENT_WIDTH:
        bad(DOCUMENT, f"a document is at most {DOCUMENT_WIDTH} characters: its kind and number.")
    consent = _consent(number, cell(CONSENT_BY), cell(CONSENT_DOCUMENT), cell(CONSENT_DATE), bad)
    if consent is None and (born is not None or document is not None):
        column = BORN if born is not None else DOCUMENT
        bad(column, "personal data is entered with the consent to process it: fill «Согласие» "
                    "(its document) and «Дата согласия».")  # fmt: skip
    problems.extend(found)
    if found:
        return None
    return PersonRow(
        number, code, last, first, middle or None, sex, born, tuple(roles), school_class,
        children, kinship, document, consent,
    )  # fmt: skip


def _consent(
    number: int, given_by: str, document: str, given_text: str, bad: Callable[[str, str], None]
) -> ConsentEntry | None:
    if not (given_by or document or given_text):
        return None
    given_on = _day(given_text) if given_text else None
    if not document:
        bad(CONSENT_DOCUMENT, "a consent names its document (e.g. «Заявление № 15»).")
    if given_on is None:
        bad(CONSENT_DATE, f"«{given_text}» is not the consent's date: ДД.ММ.ГГГГ.")
    if not document or given_on is None:
        return None
    return ConsentEntry(given_by or None, document, given_on)


def _duplicates(result: PeopleFile) -> None:
    by_code: dict[str, PersonRow] = {}
    by_name: dict[tuple[str, str, str, date], PersonRow] = {}
    by_document: dict[str, PersonRow] = {}
    for person in result.people:
        if (earlier := by_code.setdefault(person.code, person)) is not person:
            result.problems.append(
                Problem(person.row, CODE, f"the code is row {earlier.row}'s already.")
            )
        if person.birth_date is not None:
            key = (
                person.last_name.lower(),
                person.first_name.lower(),
                (person.middle_name or "").lower(),
                person.birth_date,
            )
            if (earlier := by_name.setdefault(key, person)) is not person:
                result.problems.append(
                    Problem(
                        person.row,
                        LAST,
                        f"the same person as row {earlier.row} (name and birth date): "
                        "one row a person, their roles listed together.",
                    )
                )
        document = person.document
        if (
            document is not None
            and (earlier := by_document.setdefault(document, person)) is not person
        ):
            result.problems.append(
                Problem(
                    person.row,
                    DOCUMENT,
                    f"row {earlier.row} has the same document: one row a person.",
                )
            )


def _references(result: PeopleFile) -> None:
    """Codes a row names (children, who gave a consent) must be rows of the file: the people
    already imported are in it again when it is imported again."""
    roles = {person.code: person.roles for person in result.people}
    for person in result.people:
        for child in person.children:
            if m.Role.STUDENT not in roles.get(child, ()):
                result.problems.append(
                    Problem(person.row, CHILDREN, f"«{child}» is not a student's code in the file.")
                )
            elif child == person.code:
                result.problems.append(Problem(person.row, CHILDREN, "nobody is their own parent."))
        by = person.consent.given_by if person.consent else None
        if by is not None and by != person.code and by not in roles:
            result.problems.append(
                Problem(person.row, CONSENT_BY, f"«{by}» is not a code in the file.")
            )
    result.problems.sort(key=lambda p: p.row)
