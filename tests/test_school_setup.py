"""`schoolSetup`: what a school still lacks before its year starts, item by item with what to
do (§4.1: set up by 5 September; R-SETUP-1), for its admin and head, in constant SQL."""

from datetime import date, time
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, Factory, SchoolSetup, build

SETUP = """query($school: ID!) { schoolSetup(schoolId: $school) {
  ready dueOn school { name } schoolYear { name }
  items { gap missing todo parallel schoolClass { name } subject { name } } } }"""


class Built:
    def __init__(self, setup: SchoolSetup, subjects: list[m.Subject], teacher: m.Person) -> None:
        self.setup = setup
        self.subjects = subjects
        self.teacher = teacher

    @property
    def school_id(self) -> str:
        return relay.to_base64("School", self.setup.school.id)


async def _school(engine: AsyncEngine, classes: int = 2, subjects: int = 1) -> Built:
    """A school year with classes whose set-up is half done: 7А has no class teacher, and
    each subject is in 7Б's curriculum at 3 hours, 1 of them in the timetable."""

    async def recipe(f: Factory) -> Built:
        setup = await f.school()
        await f.account(await f.person(setup, "Админова", m.Role.ADMIN), "admin")
        await f.account(await f.person(setup, "Директорова", m.Role.HEAD), "head")
        teacher = await f.person(setup, "Учителева", m.Role.TEACHER)
        await f.account(teacher, "teacher")
        made = []
        for n in range(subjects):
            made.append(
                await f.add(
                    m.Subject(
                        school_id=setup.school.id,
                        name=f"Алгебра {n}" if n else "Алгебра",
                        short_name="Алг",
                        grade_scale_id=setup.scale.id,
                    )
                )
            )
        for n in range(classes):
            letter = "АБВГДЕЖИКЛМН"[n]
            school_class = await f.school_class(setup, 7, letter, students=1, parents_each=0)
            if n == 0:
                school_class.class_teacher_id = None
                continue
            for subject in made:
                await f.add(
                    m.SubjectClass(
                        school_id=setup.school.id,
                        subject_id=subject.id,
                        school_class_id=school_class.id,
                        hours_per_week=3,
                    )
                )
        await f.session.flush()
        built = Built(setup, made, teacher)
        for school_class in setup.classes[1:]:
            whole = await _whole_group(f, school_class)
            for subject in made:
                await _slot(f, built, whole, subject, weekday=1, bell=1)
        return built

    return await build(engine, recipe)


async def _whole_group(f: Factory, school_class: m.SchoolClass) -> m.Group:
    from sqlalchemy import select

    group = await f.session.scalar(
        select(m.Group).where(
            m.Group.school_class_id == school_class.id, m.Group.kind == m.GroupKind.WHOLE_CLASS
        )
    )
    assert group is not None
    return group


async def _slot(
    f: Factory, built: Built, group: m.Group, subject: m.Subject, weekday: int, bell: int
) -> None:
    await f.add(
        m.TimetableEntry(
            school_id=built.setup.school.id,
            school_year_id=built.setup.year.id,
            group_id=group.id,
            subject_id=subject.id,
            teacher_id=built.teacher.id,
            weekday=weekday,
            bell_number=bell,
            valid_from=built.setup.year.starts_on,
        )
    )


def _gaps(reply: Any) -> list[tuple[str, str | None, str | None]]:
    items = reply.data["schoolSetup"]["items"]
    return [
        (
            item["gap"],
            (item["schoolClass"] or {}).get("name"),
            (item["subject"] or {}).get("name"),
        )
        for item in items
    ]


async def test_the_admin_is_told_what_is_missing_and_then_that_the_school_is_ready(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    # R-SETUP-1: given a school year whose set-up is half done
    built = await _school(engine)
    admin = await api.login("admin", PASSWORD)
    # when the admin asks what is missing
    reply = await api(SETUP, {"school": built.school_id}, token=admin)
    # then each gap is named, with what to do, the calendar first, then class by class
    setup = reply.data["schoolSetup"]
    assert setup["ready"] is False
    assert setup["dueOn"] == "2026-09-05"
    assert setup["schoolYear"] == {"name": "2026/2027"}
    assert _gaps(reply) == [
        ("PERIODS", None, None),
        ("BELLS", None, None),
        ("CLASS_TEACHER", "7А", None),
        ("CURRICULUM", "7А", None),
        ("SUBJECT_TEACHER", None, "Алгебра"),
        ("TIMETABLE", "7Б", "Алгебра"),
        ("PLAN", None, "Алгебра"),
    ]
    by_gap = {item["gap"]: item for item in setup["items"]}
    assert by_gap["TIMETABLE"]["missing"] == (
        "7Б has 1 of its 3 weekly lessons of Алгебра in the timetable."
    )
    assert by_gap["TIMETABLE"]["todo"] == "Enter the missing 2 in the timetable of 7Б."
    assert by_gap["PLAN"]["parallel"] == 7
    assert "quarters" in by_gap["PERIODS"]["missing"]
    assert by_gap["CLASS_TEACHER"]["todo"] == "Name the class teacher of 7А."

    # when everything named is entered
    async def complete(f: Factory) -> None:
        school, year = built.setup.school, built.setup.year
        await f.add(
            m.Period(
                school_id=school.id,
                school_year_id=year.id,
                kind=m.PeriodKind.QUARTER,
                number=1,
                name="1 четверть",
                starts_on=date(2026, 9, 1),
                ends_on=date(2026, 10, 25),
            )
        )
        schedule = await f.add(m.BellSchedule(school_id=school.id, name="Основное"))
        await f.add(
            m.Bell(
                school_id=school.id,
                bell_schedule_id=schedule.id,
                number=1,
                starts_at=time(8, 30),
                ends_at=time(9, 15),
            )
        )
        first, second = built.setup.classes
        await f.session.merge(m.SchoolClass(id=first.id, class_teacher_id=built.teacher.id))
        subject = built.subjects[0]
        await f.add(
            m.SubjectClass(
                school_id=school.id, subject_id=subject.id, school_class_id=first.id,
                hours_per_week=0,
            )
        )  # fmt: skip
        await f.add(
            m.SubjectTeacher(
                school_id=school.id, subject_id=subject.id, teacher_id=built.teacher.id
            )
        )
        whole = await _whole_group(f, second)
        await _slot(f, built, whole, subject, weekday=2, bell=1)
        await _slot(f, built, whole, subject, weekday=3, bell=2)
        await f.add(
            m.Plan(
                school_id=school.id, school_year_id=year.id, subject_id=subject.id, parallel=7,
                name="Алгебра 7",
            )
        )  # fmt: skip

    await build(engine, complete)
    # then nothing is missing
    reply = await api(SETUP, {"school": built.school_id}, token=admin)
    assert reply.data["schoolSetup"]["items"] == []
    assert reply.data["schoolSetup"]["ready"] is True


async def test_the_head_reads_it_a_teacher_may_not(engine: AsyncEngine, api: GraphQLClient) -> None:
    built = await _school(engine)
    head = await api.login("head", PASSWORD)
    assert (await api(SETUP, {"school": built.school_id}, token=head)).data["schoolSetup"]
    teacher = await api.login("teacher", PASSWORD)
    assert (await api(SETUP, {"school": built.school_id}, token=teacher)).error_code == "FORBIDDEN"


async def test_a_school_without_a_coming_year_is_told_to_enter_one(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    async def recipe(f: Factory) -> str:
        setup = await f.school()
        setup.year.ends_on = date(2026, 5, 31)
        setup.year.starts_on = date(2025, 9, 1)
        await f.account(await f.person(setup, "Админова", m.Role.ADMIN), "admin")
        return relay.to_base64("School", setup.school.id)

    school_id = await build(engine, recipe)
    admin = await api.login("admin", PASSWORD)
    reply = await api(SETUP, {"school": school_id}, token=admin)
    assert reply.data["schoolSetup"]["schoolYear"] is None
    assert _gaps(reply) == [("SCHOOL_YEAR", None, None)]


async def test_its_statements_do_not_grow_with_the_school(
    engine: AsyncEngine, api: GraphQLClient, sql: StatementCounter
) -> None:
    built = await _school(engine, classes=2, subjects=1)
    admin = await api.login("admin", PASSWORD)
    sql.reset()
    await api(SETUP, {"school": built.school_id}, token=admin)
    small = sql.count
    await build(engine, lambda f: _more(f, built))
    sql.reset()
    reply = await api(SETUP, {"school": built.school_id}, token=admin)
    assert len(reply.data["schoolSetup"]["items"]) > 7
    assert sql.count == small


async def _more(f: Factory, built: Built) -> None:
    for letter in "ВГД":
        school_class = await f.school_class(built.setup, 8, letter, students=1, parents_each=0)
        for subject in built.subjects:
            await f.add(
                m.SubjectClass(
                    school_id=built.setup.school.id, subject_id=subject.id,
                    school_class_id=school_class.id, hours_per_week=2,
                )
            )  # fmt: skip


async def test_every_role_against_the_readiness_report(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    async with engine.connect() as connection:
        school = (await connection.execute(text("SELECT min(id) FROM school"))).scalar_one()
    variables = {"school": relay.to_base64("School", school)}
    assert (await api(SETUP, variables)).error_code == "UNAUTHENTICATED"
    for role, login in demo_school.items():
        reply = await api(SETUP, variables, token=await api.login(login, "demo"))
        if role in {"admin", "head"}:
            assert reply.data["schoolSetup"]["schoolYear"], role
        else:
            assert reply.error_code == "FORBIDDEN", role
