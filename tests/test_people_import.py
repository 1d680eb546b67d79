"""Importing a school's people from a file (issue 12; А #13, #19, #20), through the endpoint
with the admin's own token: a dry run's report, the import all or nothing and audited, the
same file again correcting instead of entering twice, and bad files refused with nothing
written."""

import asyncio
import base64
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from resolvers.spreadsheet import workbook
from server import cli
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, Factory, build
from tests.served import ROOT

REPORT = "rows encoding created updated unchanged roles placements links consents committed "
REPORT += "problems { row column message }"
CHECK = f"mutation($i: PeopleImportInput!) {{ peopleImportCheck(input: $i) {{ {REPORT} }} }}"
IMPORT = f"mutation($i: PeopleImportInput!) {{ peopleImport(input: $i) {{ {REPORT} }} }}"
HEADER = "Код;Фамилия;Имя;Отчество;Пол;Дата рождения;Роль;Класс;Дети;Родство;Согласие дал;Согласие;Дата согласия"  # noqa: E501
FAMILY = [
    "s1;Иванов;Пётр;Сергеевич;м;04.03.2015;ученик;5А;;;p1;Заявление № 1;01.09.2026",
    "p1;Иванова;Анна;Петровна;ж;;родитель;;s1;мать;;;",
    "t1;Сидорова;Елена;;ж;;учитель, родитель;;;;;;",
]
TABLES = (m.Person, m.PersonCode, m.SchoolRole, m.Guardianship, m.ClassStudent, m.Consent, m.Change)


async def school(engine: AsyncEngine) -> tuple[str, str]:
    async def recipe(f: Factory) -> tuple[str, str]:
        setup = await f.school()
        await f.account(await f.person(setup, "Админова", m.Role.ADMIN), "admin")
        await f.account(await f.person(setup, "Учителева", m.Role.TEACHER), "teacher")
        await f.school_class(setup, 5, "А", students=0)
        return (
            relay.to_base64("School", setup.school.id),
            relay.to_base64("SchoolYear", setup.year.id),
        )

    return await build(engine, recipe)


async def counts(engine: AsyncEngine) -> list[int]:
    async with engine.connect() as connection:
        return [
            (await connection.execute(select(func.count()).select_from(t))).scalar_one()
            for t in TABLES
        ]


def csv(*rows: str, encoding: str = "utf-8", header: str = HEADER) -> str:
    return base64.b64encode(("\n".join([header, *rows]) + "\n").encode(encoding)).decode()


def given(ids: tuple[str, str], content: str, file_format: str = "CSV") -> dict[str, object]:
    return {"i": {"schoolId": ids[0], "schoolYearId": ids[1], "format": file_format,
                  "content": content}}  # fmt: skip


async def test_a_dry_run_reports_what_the_import_would_do_and_writes_nothing(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    ids = await school(engine)
    token = await api.login("admin", PASSWORD)
    before = await counts(engine)
    # when the admin checks a family's file, saved by Excel in Windows-1251
    reply = await api(CHECK, given(ids, csv(*FAMILY, encoding="cp1251")), token=token)
    # then the report counts what would be entered, and nothing is
    report = reply.data["peopleImportCheck"]
    assert report == {
        "rows": 3, "encoding": "Windows-1251", "created": 3, "updated": 0, "unchanged": 0,
        "roles": 4, "placements": 1, "links": 1, "consents": 1, "committed": False,
        "problems": [],
    }  # fmt: skip
    assert await counts(engine) == before


async def test_the_import_enters_people_once_and_corrects_them_when_imported_again(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    ids = await school(engine)
    token = await api.login("admin", PASSWORD)
    # when the admin imports the file
    first = (await api(IMPORT, given(ids, csv(*FAMILY)), token=token)).data["peopleImport"]
    assert (first["created"], first["placements"], first["committed"]) == (3, 1, True)
    after_first = await counts(engine)
    # then everything entered is in the audit trail, by the admin
    async with engine.connect() as connection:
        audited = dict(
            (
                await connection.execute(
                    select(m.Change.entity, func.count(m.Change.changed_by_id))
                    .where(m.Change.kind == m.ChangeKind.RECORD)
                    .group_by(m.Change.entity)
                )
            ).all()
        )
        student = (
            await connection.execute(select(m.Person).where(m.Person.last_name == "Иванов"))
        ).one()
    assert audited == {"person": 3, "person_code": 3, "school_role": 4, "guardianship": 1,
                       "class_student": 1, "consent": 1}  # fmt: skip
    assert str(student.birth_date) == "2015-03-04"
    # when the same file is imported again, then nothing is entered twice
    again = (await api(IMPORT, given(ids, csv(*FAMILY)), token=token)).data["peopleImport"]
    assert (again["created"], again["unchanged"], again["roles"], again["links"]) == (0, 3, 0, 0)
    assert await counts(engine) == after_first
    # and a corrected name corrects the person the code finds
    corrected = [FAMILY[0], FAMILY[1].replace("Анна", "Анна-Мария"), FAMILY[2]]
    third = (await api(IMPORT, given(ids, csv(*corrected)), token=token)).data["peopleImport"]
    assert (third["created"], third["updated"], third["unchanged"]) == (0, 1, 2)
    # and a file without birth dates leaves the ones entered
    short = "Код;Фамилия;Имя;Роль\ns1;Иванов;Пётр;ученик\n"
    content = base64.b64encode(short.encode()).decode()
    fourth = (await api(IMPORT, given(ids, content), token=token)).data["peopleImport"]
    assert (fourth["updated"], fourth["unchanged"]) == (0, 1)


async def test_the_statements_do_not_grow_with_the_file(
    engine: AsyncEngine, api: GraphQLClient, sql: StatementCounter
) -> None:
    ids = await school(engine)
    token = await api.login("admin", PASSWORD)

    def family(n: int) -> list[str]:
        return [row.replace("s1", f"s{n}").replace("p1", f"p{n}").replace("t1", f"t{n}")
                .replace("Пётр", f"Пётр{n}") for row in FAMILY]  # fmt: skip

    sql.reset()
    await api(IMPORT, given(ids, csv(*family(1))), token=token)
    one = sql.count
    sql.reset()
    many = [row for n in range(2, 32) for row in family(n)]
    reply = await api(IMPORT, given(ids, csv(*many)), token=token)
    assert reply.data["peopleImport"]["created"] == 90
    assert sql.count == one


async def test_bad_files_are_refused_with_their_report_and_write_nothing(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    ids = await school(engine)
    token = await api.login("admin", PASSWORD)
    before = await counts(engine)
    sheet = workbook([HEADER.split(";"), FAMILY[0].split(";")])
    cases = [
        (csv(*FAMILY, encoding="utf-16"), "CSV", "content", None),
        (csv(*FAMILY, header=HEADER.replace("Фамилия", "Ф.")), "CSV", "фамилия", 1),
        (base64.b64encode(sheet[: len(sheet) // 2]).decode(), "XLSX", "content", None),
        (csv(FAMILY[0].replace("5А", "9Я"), *FAMILY[1:]), "CSV", "класс", 2),
        (csv(FAMILY[0].replace("p1;Заявление № 1;01.09.2026", ";;")), "CSV", "дата рождения", 2),
    ]
    for content, file_format, field, row in cases:
        reply = await api(IMPORT, given(ids, content, file_format), token=token)
        error = reply.body["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert (error["extensions"].get("field"), error["extensions"].get("item")) == (field, row)
        if row is not None:
            assert error["extensions"]["problems"][0]["item"] == row
    assert await counts(engine) == before
    # and a workbook of the same rows imports
    good = base64.b64encode(sheet).decode()
    reply = await api(CHECK, given(ids, good, "XLSX"), token=token)
    assert reply.data["peopleImportCheck"]["problems"] == [
        {"row": 2, "column": "согласие дал", "message": "«p1» is not a code in the file."}
    ]


async def test_only_the_schools_admin_imports(engine: AsyncEngine, api: GraphQLClient) -> None:
    ids = await school(engine)

    async def other(f: Factory) -> None:
        setup = await f.school("Школа № 2")
        person = await f.person(setup, "Чужая", m.Role.ADMIN)
        await f.account(person, "other_admin")
        # who also teaches in the school: they see it, and may write people somewhere
        school_id = int(relay.from_base64(ids[0])[1])
        await f.add(m.SchoolRole(person_id=person.id, school_id=school_id, role="teacher"))

    await build(engine, other)
    before = await counts(engine)
    # a teacher of the school, and the admin of another who teaches in it, even with a file
    # only of bad rows
    bad = csv("x1;Орлов;Илья;;м;;ученик;9Я;;;;;")
    for login in ("teacher", "other_admin"):
        token = await api.login(login, PASSWORD)
        for document in (CHECK, IMPORT):
            for content in (csv(*FAMILY), bad):
                reply = await api(document, given(ids, content), token=token)
                assert reply.error_code in {"FORBIDDEN", "NOT_FOUND"}, (login, reply.body)
    assert await counts(engine) == before


async def test_the_command_line_checks_then_imports_a_file(
    engine: AsyncEngine, api: GraphQLClient, database_url: str, tmp_path: Path
) -> None:
    ids = await school(engine)
    token = await api.login("admin", PASSWORD)
    school_id = str(relay.from_base64(ids[0])[1])
    path = tmp_path / "people.csv"
    path.write_bytes(base64.b64decode(csv(*FAMILY, encoding="cp1251")))
    command = ["--database-url", database_url, "import", "people", str(path), "--school",
               school_id, "--token", token]  # fmt: skip
    before = await counts(engine)
    # when the admin checks the file, then nothing is written
    await asyncio.to_thread(cli.main, command)
    assert await counts(engine) == before
    # when they import it, then its people are entered
    await asyncio.to_thread(cli.main, [*command, "--commit"])
    assert (await counts(engine))[0] == before[0] + 3


async def test_the_sample_files_import_into_the_demo_school(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # the README's example: docs/import/
    token = await api.login(demo_school["admin"], "demo")
    samples = ROOT / "docs" / "import"
    school = relay.to_base64("School", 1)
    for name, file_format in [("sample-people.csv", "CSV"), ("sample-people-cp1251.csv", "CSV"),
                              ("sample-people.xlsx", "XLSX")]:  # fmt: skip
        content = base64.b64encode((samples / name).read_bytes()).decode()
        variables = {"i": {"schoolId": school, "format": file_format, "content": content}}
        report = (await api(CHECK, variables, token=token)).data["peopleImportCheck"]
        assert (report["problems"], report["created"], report["placements"]) == ([], 6, 2), name
    for name in ("template-people.csv", "template-people.xlsx"):
        content = base64.b64encode((samples / name).read_bytes()).decode()
        file_format = "XLSX" if name.endswith("xlsx") else "CSV"
        variables = {"i": {"schoolId": school, "format": file_format, "content": content}}
        report = (await api(CHECK, variables, token=token)).data["peopleImportCheck"]
        assert [p["message"] for p in report["problems"]] == [
            "the file has no people under its first row."
        ]


async def test_a_document_is_kept_as_personal_data_and_finds_a_person_entered_under_another_code(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    """R-PD-1: the identity document is entered with the consent, and is read only as personal
    data; a second row with the same document under a new code is refused, not entered twice."""
    ids = await school(engine)
    token = await api.login("admin", PASSWORD)
    header = HEADER + ";Документ"
    row = FAMILY[0] + ";свидетельство  о рождении IV-МЮ 123456"
    done = await api(IMPORT, given(ids, csv(row, FAMILY[1] + ";", header=header)), token=token)
    assert done.data["peopleImport"]["created"] == 2
    async with engine.connect() as connection:
        document = (
            await connection.execute(
                select(m.Person.document).where(m.Person.last_name == "Иванов")
            )
        ).scalar_one()
    assert document == "свидетельство о рождении IV-МЮ 123456"
    # and the admin reads it as the student's personal data
    person = await api(
        '{ people(first: 5, filter: {search: "Иванов"}) { nodes { lastName document } } }',
        token=token,
    )
    assert {"lastName": "Иванов", "document": document} in person.data["people"]["nodes"]
    # when the same child comes again under another code, then the row is refused
    again = row.replace("s1;", "s9;", 1)
    report = (await api(CHECK, given(ids, csv(again, header=header)), token=token)).data
    problems = report["peopleImportCheck"]["problems"]
    assert {"row": 2, "column": "документ"} in [
        {"row": p["row"], "column": p["column"]} for p in problems
    ], problems
    assert report["peopleImportCheck"]["created"] == 0
