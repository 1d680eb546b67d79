"""The КТП (calendar-thematic plan) written through the API: a teacher for what they teach
(Д.1 #3), the admin for every subject (А #18); created with its topics in order, corrected
(renamed, topics corrected, moved, added, removed), removed (archived once lessons took up its
topics), and imported from CSV and XLSX files, all or nothing, every bad row answered with its
row number and column (R-SETUP-2)."""

import base64
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, Factory, build

CREATE = (
    "mutation($input: PlanCreateInput!) { planCreate(input: $input) { id name parallel "
    "subject { name } items { id position topic hours workType { name } } } }"
)
UPDATE = (
    "mutation($input: PlanUpdateInput!) { planUpdate(input: $input) { id name "
    "items { id position topic hours workType { name } } } }"
)
REMOVE = "mutation($id: ID!) { planRemove(planId: $id) { archived } }"
IMPORT = (
    "mutation($input: PlanImportInput!) { planImport(input: $input) { id name "
    "items { position topic hours workType { name } } } }"
)


@dataclass
class School:
    school: m.School
    year_id: str
    algebra: str
    geometry: str
    test: str  # the work type «Контрольная работа»
    group_id: int
    algebra_id: int
    teacher_id: int


def gid(type_name: str, number: int) -> str:
    return relay.to_base64(type_name, number)


async def _school(engine: AsyncEngine) -> School:
    async def recipe(f: Factory) -> School:
        setup = await f.school()
        await f.account(await f.person(setup, "Админова", m.Role.ADMIN), "admin")
        teacher = await f.person(setup, "Алгебраева", m.Role.TEACHER)
        await f.account(teacher, "teacher")
        await f.account(await f.person(setup, "Историкова", m.Role.TEACHER), "historian")
        subjects = []
        for name in ["Алгебра", "Геометрия"]:
            subjects.append(
                await f.add(
                    m.Subject(
                        school_id=setup.school.id, name=name, short_name=name[:4],
                        grade_scale_id=setup.scale.id,
                    )
                )
            )  # fmt: skip
        await f.add(
            m.SubjectTeacher(
                school_id=setup.school.id, subject_id=subjects[0].id, teacher_id=teacher.id
            )
        )
        work_type = await f.add(
            m.WorkType(
                school_id=setup.school.id, name="Контрольная работа", short_name="К/р",
                weight=Decimal(2),
            )
        )  # fmt: skip
        school_class = await f.school_class(setup, 7, "А", students=1, parents_each=0)
        group = await f.add(
            m.Group(
                school_id=setup.school.id, school_class_id=school_class.id,
                kind=m.GroupKind.SUBGROUP, name="1 группа",
            )
        )  # fmt: skip
        return School(
            school=setup.school,
            year_id=gid("SchoolYear", setup.year.id),
            algebra=gid("Subject", subjects[0].id),
            geometry=gid("Subject", subjects[1].id),
            test=gid("WorkType", work_type.id),
            group_id=group.id,
            algebra_id=subjects[0].id,
            teacher_id=teacher.id,
        )

    return await build(engine, recipe)


def _new(
    school: School, subject: str | None = None, items: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "schoolYearId": school.year_id,
        "subjectId": subject or school.algebra,
        "parallel": 7,
        "name": "Алгебра, 7 класс",
        "items": items
        if items is not None
        else [
            {"topic": "Выражения", "hours": 3},
            {"topic": "Уравнения", "hours": 4},
            {"topic": "Контрольная работа № 1", "workTypeId": school.test},
        ],
    }


async def _count(engine: AsyncEngine, table: str) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


async def _trail(engine: AsyncEngine) -> list[tuple[str, str]]:
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT entity, action FROM change ORDER BY id"))
        return [(row[0], row[1]) for row in rows]


async def test_a_teacher_writes_the_plan_of_what_they_teach(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    # Д.1 #3: given a teacher of algebra
    school = await _school(engine)
    teacher = await api.login("teacher", PASSWORD)
    # when they write its КТП
    plan = (await api(CREATE, {"input": _new(school)}, token=teacher)).data["planCreate"]
    # then it stands with its topics in order, each with its hours and work
    assert plan["name"] == "Алгебра, 7 класс"
    assert plan["subject"] == {"name": "Алгебра"}
    assert [(i["position"], i["topic"], i["hours"], i["workType"]) for i in plan["items"]] == [
        (1, "Выражения", 3, None),
        (2, "Уравнения", 4, None),
        (3, "Контрольная работа № 1", 1, {"name": "Контрольная работа"}),
    ]
    # and each record made is in the audit trail, by them
    assert await _trail(engine) == [("plan", "created")] + [("plan_item", "created")] * 3


async def test_a_teacher_may_not_write_the_plan_of_another_subject_and_nothing_is_left(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    school = await _school(engine)
    teacher = await api.login("teacher", PASSWORD)
    historian = await api.login("historian", PASSWORD)
    for token, subject in [(teacher, school.geometry), (historian, school.algebra)]:
        reply = await api(CREATE, {"input": _new(school, subject)}, token=token)
        assert reply.error_code == "FORBIDDEN"
    assert await _count(engine, "plan") == 0
    assert await _count(engine, "plan_item") == 0
    assert await _trail(engine) == []
    # А #18: the admin writes any subject's
    admin = await api.login("admin", PASSWORD)
    assert (await api(CREATE, {"input": _new(school, school.geometry)}, token=admin)).data


async def test_bad_topics_are_refused_with_their_item_and_field(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    school = await _school(engine)
    teacher = await api.login("teacher", PASSWORD)
    cases: list[tuple[list[dict[str, Any]], str, int]] = [
        ([{"topic": "Выражения"}, {"topic": "  "}], "topic", 1),
        ([{"topic": "Выражения", "hours": 0}], "hours", 0),
        (
            [{"topic": "Выражения"}, {"topic": "Я", "workTypeId": gid("WorkType", 99)}],
            "workTypeId",
            1,
        ),
    ]
    for items, field, item in cases:
        reply = await api(CREATE, {"input": _new(school, items=items)}, token=teacher)
        assert reply.error_code == "BAD_USER_INPUT"
        extensions = reply.body["errors"][0]["extensions"]
        assert (extensions["field"], extensions.get("item")) == (field, item)
    assert await _count(engine, "plan") == 0


async def test_topics_are_corrected_moved_added_and_removed_in_one_write(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    school = await _school(engine)
    teacher = await api.login("teacher", PASSWORD)
    plan = (await api(CREATE, {"input": _new(school)}, token=teacher)).data["planCreate"]
    first, second, third = (item["id"] for item in plan["items"])
    # when the teacher sends the topics as they are to stand: the test first, with 2 hours,
    # a new topic, then the first one; the second left out
    items = [
        {"id": third, "topic": "Контрольная работа № 1", "hours": 2, "workTypeId": school.test},
        {"topic": "Повторение"},
        {"id": first, "topic": "Выражения с переменными", "hours": 3},
    ]
    reply = await api(
        UPDATE,
        {"input": {"planId": plan["id"], "name": "Алгебра 7", "items": items}},
        token=teacher,
    )
    updated = reply.data["planUpdate"]
    # then the plan stands so, the kept topics keeping their IDs
    assert updated["name"] == "Алгебра 7"
    assert [(i["id"], i["position"], i["topic"], i["hours"]) for i in updated["items"]] == [
        (third, 1, "Контрольная работа № 1", 2),
        (updated["items"][1]["id"], 2, "Повторение", 1),
        (first, 3, "Выражения с переменными", 3),
    ]
    assert updated["items"][0]["workType"] == {"name": "Контрольная работа"}
    trail = (await _trail(engine))[4:]
    assert sorted(trail) == sorted(
        [("plan", "changed"), ("plan_item", "deleted"), ("plan_item", "changed"),
         ("plan_item", "changed"), ("plan_item", "created")]
    )  # fmt: skip
    del second


async def _lesson_on(engine: AsyncEngine, school: School, plan_item_id: str) -> None:
    _, number = relay.from_base64(plan_item_id)

    async def recipe(f: Factory) -> None:
        await f.add(
            m.Lesson(
                school_id=school.school.id, group_id=school.group_id, subject_id=school.algebra_id,
                teacher_id=school.teacher_id, held_on=date(2026, 9, 2), bell_number=1,
                plan_item_id=int(number), topic="Выражения",
            )
        )  # fmt: skip

    await build(engine, recipe)


async def test_a_topic_lessons_took_up_stays_and_its_plan_is_archived_not_deleted(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    school = await _school(engine)
    teacher = await api.login("teacher", PASSWORD)
    plan = (await api(CREATE, {"input": _new(school)}, token=teacher)).data["planCreate"]
    first = plan["items"][0]["id"]
    await _lesson_on(engine, school, first)
    # when the teacher leaves out the topic a lesson took up
    rest = [{"id": i["id"], "topic": i["topic"], "hours": i["hours"]} for i in plan["items"][1:]]
    reply = await api(UPDATE, {"input": {"planId": plan["id"], "items": rest}}, token=teacher)
    # then it is refused, naming the topic, and nothing changes
    assert reply.error_code == "BAD_USER_INPUT"
    assert "«Выражения» was taken up by 1 lesson(s)" in reply.body["errors"][0]["message"]
    assert await _count(engine, "plan_item") == 3
    # and while the plan is in use, a lesson takes up its topics
    lesson = gid("Lesson", await _scalar(engine, "SELECT id FROM lesson"))
    update_lesson = "mutation($i: LessonUpdateInput!) { lessonUpdate(input: $i) { version } }"
    taken = await api(
        update_lesson,
        {"i": {"lessonId": lesson, "version": 1, "planItemId": first}},
        token=teacher,
    )
    version = taken.data["lessonUpdate"]["version"]
    # when they remove the plan, then it is archived, its topics kept
    assert (await api(REMOVE, {"id": plan["id"]}, token=teacher)).data == {
        "planRemove": {"archived": True}
    }
    assert await _count(engine, "plan_item") == 3
    # and its topics are no longer offered to lessons
    taken = await api(
        update_lesson,
        {"i": {"lessonId": lesson, "version": version, "planItemId": first}},
        token=teacher,
    )
    assert taken.error_code == "BAD_USER_INPUT"
    assert taken.body["errors"][0]["extensions"]["field"] == "planItemId"
    # and a plan no lesson used is deleted with its topics
    other = (await api(CREATE, {"input": _new(school)}, token=teacher)).data["planCreate"]
    assert (await api(REMOVE, {"id": other["id"]}, token=teacher)).data == {
        "planRemove": {"archived": False}
    }
    assert await _count(engine, "plan") == 1
    assert await _count(engine, "plan_item") == 3


def _import(school: School, file_format: str, content: str) -> dict[str, Any]:
    return {
        "schoolYearId": school.year_id,
        "subjectId": school.algebra,
        "parallel": 7,
        "name": "Алгебра, 7 класс (импорт)",
        "format": file_format,
        "content": content,
    }


def _items(reply: Any) -> list[tuple[int, str, int, str | None]]:
    return [
        (i["position"], i["topic"], i["hours"], (i["workType"] or {}).get("name"))
        for i in reply.data["planImport"]["items"]
    ]


EXPECTED = [
    (1, "Выражения", 3, None),
    (2, "Уравнения", 1, None),
    (3, "Контрольная работа № 1", 1, "Контрольная работа"),
]


async def test_a_plan_is_imported_from_csv(engine: AsyncEngine, api: GraphQLClient) -> None:
    school = await _school(engine)
    teacher = await api.login("teacher", PASSWORD)
    content = (
        "\ufeff№;Тема;Часы;Вид работы\n1;Выражения;3;\n2;Уравнения;;\n;;;\n"
        "3;Контрольная работа № 1;1;к/р\n"
    )
    reply = await api(IMPORT, {"input": _import(school, "CSV", content)}, token=teacher)
    assert _items(reply) == EXPECTED


async def test_every_bad_row_of_a_csv_is_answered_and_nothing_is_written(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    school = await _school(engine)
    teacher = await api.login("teacher", PASSWORD)
    content = "topic,hours,work type\nВыражения,3,\n,2,\nУравнения,много,\nТест,1,Эссе\n"
    reply = await api(IMPORT, {"input": _import(school, "CSV", content)}, token=teacher)
    assert reply.error_code == "BAD_USER_INPUT"
    extensions = reply.body["errors"][0]["extensions"]
    assert (extensions["item"], extensions["field"]) == (3, "topic")
    assert [(p["item"], p["field"]) for p in extensions["problems"]] == [
        (3, "topic"),
        (4, "hours"),
        (5, "work type"),
    ]
    assert "the school has no kind of work «Эссе»" in extensions["problems"][2]["message"]
    assert await _count(engine, "plan") == 0


def _xlsx(rows: list[list[Any]]) -> str:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    # the file is a real workbook: openpyxl reads back what it wrote
    assert load_workbook(io.BytesIO(buffer.getvalue())).active["B2"].value == rows[1][1]
    return base64.b64encode(buffer.getvalue()).decode()


async def test_a_plan_is_imported_from_xlsx_and_its_bad_rows_named(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    school = await _school(engine)
    teacher = await api.login("teacher", PASSWORD)
    good = _xlsx(
        [
            ["№", "Тема", "Часы", "Вид работы"],
            [1, "Выражения", 3, None],
            [2, "Уравнения", None, None],
            [3, "Контрольная работа № 1", 1, "Контрольная работа"],
        ]
    )
    reply = await api(IMPORT, {"input": _import(school, "XLSX", good)}, token=teacher)
    assert _items(reply) == EXPECTED
    bad = _xlsx([["Тема", "Часы"], ["Выражения", 3], ["Уравнения", -1]])
    reply = await api(IMPORT, {"input": _import(school, "XLSX", bad)}, token=teacher)
    extensions = reply.body["errors"][0]["extensions"]
    assert (extensions["code"], extensions["item"], extensions["field"]) == (
        "BAD_USER_INPUT", 3, "hours",
    )  # fmt: skip
    not_xlsx = base64.b64encode(b"PK\x03\x04 not really").decode()
    reply = await api(IMPORT, {"input": _import(school, "XLSX", not_xlsx)}, token=teacher)
    assert reply.body["errors"][0]["extensions"]["field"] == "content"
    assert await _count(engine, "plan") == 1


async def test_writing_a_plan_costs_the_same_statements_for_3_topics_as_for_60(
    engine: AsyncEngine, api: GraphQLClient, sql: StatementCounter
) -> None:
    school = await _school(engine)
    teacher = await api.login("teacher", PASSWORD)
    counts = []
    for n in (3, 60):
        items = [{"topic": f"Тема {i}", "workTypeId": school.test} for i in range(n)]
        sql.reset()
        plan = (await api(CREATE, {"input": _new(school, items=items)}, token=teacher)).data
        counts.append(sql.count)
        moved = [
            {"id": i["id"], "topic": i["topic"] + "!"}
            for i in reversed(plan["planCreate"]["items"])
        ]
        sql.reset()
        update = {"planId": plan["planCreate"]["id"], "items": [*moved, {"topic": "Новая"}]}
        assert (await api(UPDATE, {"input": update}, token=teacher)).data
        counts.append(sql.count)
    assert counts[0] == counts[2]
    assert counts[1] == counts[3]


MATRIX_CREATE = "mutation($input: PlanCreateInput!) { planCreate(input: $input) { id } }"


async def _scalar(engine: AsyncEngine, sql: str, **params: Any) -> Any:
    async with engine.connect() as connection:
        return (await connection.execute(text(sql), params)).scalar_one()


async def test_every_role_against_the_plan_of_a_subject_the_teacher_teaches(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given the demo school, and a subject its teacher teaches
    teacher = await _scalar(
        engine, "SELECT person_id FROM account WHERE login = :l", l=demo_school["teacher"]
    )
    subject, year = (
        await _scalar(
            engine, "SELECT min(subject_id) FROM timetable_entry WHERE teacher_id = :t", t=teacher
        ),
        await _scalar(engine, "SELECT min(id) FROM school_year"),
    )
    entry = {
        "schoolYearId": gid("SchoolYear", year),
        "subjectId": gid("Subject", subject),
        "parallel": 11,
        "name": "КТП",
        "items": [{"topic": "Введение"}],
    }
    allowed = {"admin", "teacher"}
    assert (await api(MATRIX_CREATE, {"input": entry})).error_code == "UNAUTHENTICATED"
    for role, login in demo_school.items():
        token = await api.login(login, "demo")
        # when each role writes its КТП
        reply = await api(MATRIX_CREATE, {"input": entry}, token=token)
        # then only the admin (А #18) and the teacher of it (Д.1 #3) may
        if role in allowed:
            assert reply.data["planCreate"]["id"], role
        else:
            assert reply.error_code == "FORBIDDEN", (role, reply.body)
