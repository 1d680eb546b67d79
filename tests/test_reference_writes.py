"""The admin enters and corrects the school's reference data through the API (R-SETUP-2,
А #12, #14–#16, R-SETUP-1, §4.8): every write refused to the other roles, checked on both
engines, archived where the journal refers to the row and deleted where nothing does, and
audited with the row's state before and after; a refused write leaves nothing."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from tests.client import GraphQLClient, Response
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, Factory, build
from tests.races import race


@dataclass
class School:
    school: str
    year: str
    scale: str
    class_id: str
    teacher: str
    teacher_pk: int
    school_pk: int
    year_pk: int
    group_pk: int
    scale_pk: int
    tokens: dict[str, str]


def gid(type_name: str, pk: int) -> str:
    return relay.to_base64(type_name, pk)


ROLES = {
    "admin": m.Role.ADMIN,
    "head": m.Role.HEAD,
    "deputy": m.Role.DEPUTY,
    "teacher": m.Role.TEACHER,
    "student": m.Role.STUDENT,
    "parent": m.Role.PARENT,
}


@pytest.fixture
async def school(engine: AsyncEngine, api: GraphQLClient) -> School:
    async def recipe(f: Factory) -> dict[str, Any]:
        setup = await f.school()
        people = {}
        for login, role in ROLES.items():
            person = await f.person(setup, login.capitalize(), role)
            await f.account(person, login)
            people[login] = person
        school_class = await f.school_class(setup, 5, "А", students=1, parents_each=0)
        group = await f.session.scalar(
            select(m.Group.id).where(m.Group.school_class_id == school_class.id)
        )
        return {
            "school": setup.school.id,
            "year": setup.year.id,
            "scale": setup.scale.id,
            "class": school_class.id,
            "group": group,
            "teacher": people["teacher"].id,
        }

    made = await build(engine, recipe)
    tokens = {login: await api.login(login, PASSWORD) for login in ROLES}
    return School(
        school=gid("School", made["school"]),
        year=gid("SchoolYear", made["year"]),
        scale=gid("GradeScale", made["scale"]),
        class_id=gid("SchoolClass", made["class"]),
        teacher=gid("Person", made["teacher"]),
        teacher_pk=made["teacher"],
        school_pk=made["school"],
        year_pk=made["year"],
        group_pk=made["group"],
        scale_pk=made["scale"],
        tokens=tokens,
    )


async def changes(engine: AsyncEngine, entity: str) -> list[tuple[str, Any, Any]]:
    """The audit trail's rows about `entity`, oldest first: (action, before, after)."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(m.Change.action, m.Change.before, m.Change.after)
            .where(m.Change.entity == entity)
            .order_by(m.Change.id)
        )
        return [(row.action.value, row.before, row.after) for row in rows]


async def count(engine: AsyncEngine, table: str) -> int:
    async with engine.connect() as connection:
        found: int = (await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
        return found


def refused(reply: Response, code: str, field: str | None = None, item: int | None = None) -> str:
    assert reply.error_code == code, reply.body
    extensions = reply.body["errors"][0]["extensions"]
    if field is not None:
        assert extensions.get("field") == field, reply.body
    assert extensions.get("item") == item, reply.body
    message: str = reply.body["errors"][0]["message"]
    return message


SCHOOL_UPDATE = """mutation($i: SchoolUpdateInput!) { schoolUpdate(input: $i) {
  name shortName address timezone weekLength } }"""
BUILDING = """mutation($i: BuildingCreateInput!) { buildingCreate(input: $i) { id name } }"""
ROOM = """mutation($i: RoomCreateInput!) { roomCreate(input: $i) { id name capacity
  building { name } } }"""
ROOM_UPDATE = """mutation($i: RoomUpdateInput!) { roomUpdate(input: $i) { name capacity } }"""
ROOM_REMOVE = "mutation($id: ID!) { roomRemove(roomId: $id) }"
BUILDING_REMOVE = "mutation($id: ID!) { buildingRemove(buildingId: $id) }"


async def test_the_admin_sets_the_schools_parameters_and_each_is_audited(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:  # R-SETUP-2, А #12
    # given the school's admin
    admin = school.tokens["admin"]
    # when they correct its name, address, time zone and week
    given = {
        "schoolId": school.school,
        "name": "МБОУ «Средняя школа № 5»",
        "address": "ул. Ленина, 1",
        "timezone": "Asia/Vladivostok",
        "weekLength": 6,
    }
    reply = await api(SCHOOL_UPDATE, {"i": given}, token=admin)
    # then the school has them
    assert reply.data["schoolUpdate"] == {
        "name": "МБОУ «Средняя школа № 5»",
        "shortName": "Школа № 1",
        "address": "ул. Ленина, 1",
        "timezone": "Asia/Vladivostok",
        "weekLength": 6,
    }
    # and the trail has the school before and after
    [(action, before, after)] = await changes(engine, "school")
    assert action == "changed"
    assert (before["timezone"], after["timezone"]) == ("Europe/Moscow", "Asia/Vladivostok")
    assert (before["week_length"], after["week_length"]) == (5, 6)
    # and an address left out stays, null clears it
    cleared = await api(
        SCHOOL_UPDATE, {"i": {"schoolId": school.school, "address": None}}, token=admin
    )
    assert cleared.data["schoolUpdate"]["address"] is None
    assert cleared.data["schoolUpdate"]["timezone"] == "Asia/Vladivostok"


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"weekLength": 7}, "weekLength"),
        ({"name": "   "}, "name"),
        ({"name": None}, "name"),
        ({}, None),
    ],
)
async def test_wrong_school_parameters_are_refused_and_nothing_changes(
    engine: AsyncEngine,
    api: GraphQLClient,
    school: School,
    given: dict[str, Any],
    field: str | None,
) -> None:  # R-SETUP-2
    reply = await api(
        SCHOOL_UPDATE, {"i": {"schoolId": school.school, **given}}, token=school.tokens["admin"]
    )
    refused(reply, "BAD_USER_INPUT", field)
    assert await changes(engine, "school") == []


async def test_buildings_and_rooms_are_entered_corrected_and_named_once(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:  # R-SETUP-2, А #16
    admin = school.tokens["admin"]
    building = (
        await api(
            BUILDING, {"i": {"schoolId": school.school, "name": "Главный корпус"}}, token=admin
        )
    ).data["buildingCreate"]
    room = await api(
        ROOM, {"i": {"buildingId": building["id"], "name": "12", "capacity": 30}}, token=admin
    )
    assert room.data["roomCreate"]["building"] == {"name": "Главный корпус"}
    # a second building and room of the same name are refused, naming them
    again = await api(
        BUILDING, {"i": {"schoolId": school.school, "name": "Главный корпус"}}, token=admin
    )
    assert "«Главный корпус» exists already" in refused(again, "BAD_USER_INPUT", "name")
    twice = await api(ROOM, {"i": {"buildingId": building["id"], "name": "12"}}, token=admin)
    assert "«12» exists already" in refused(twice, "BAD_USER_INPUT", "name")
    # a room is corrected, and a capacity of 0 is refused
    moved = await api(
        ROOM_UPDATE,
        {"i": {"roomId": room.data["roomCreate"]["id"], "name": "12а", "capacity": None}},
        token=admin,
    )
    assert moved.data["roomUpdate"] == {"name": "12а", "capacity": None}
    zero = await api(
        ROOM_UPDATE, {"i": {"roomId": room.data["roomCreate"]["id"], "capacity": 0}}, token=admin
    )
    refused(zero, "BAD_USER_INPUT", "capacity")
    # and each write is in the trail
    assert [action for action, _, _ in await changes(engine, "room")] == ["created", "changed"]
    assert [action for action, _, _ in await changes(engine, "building")] == ["created"]


async def _timetabled_room(engine: AsyncEngine, school: School, room_pk: int) -> None:
    async def recipe(f: Factory) -> None:
        subject = await f.add(
            m.Subject(
                school_id=school.school_pk,
                name="Физика",
                short_name="Физ",
                grade_scale_id=school.scale_pk,
            )
        )
        await f.add(
            m.TimetableEntry(
                school_id=school.school_pk, school_year_id=school.year_pk, group_id=school.group_pk,
                subject_id=subject.id, teacher_id=school.teacher_pk, room_id=room_pk, weekday=1,
                bell_number=1, valid_from=date(2026, 9, 1),
            )
        )  # fmt: skip

    await build(engine, recipe)


async def test_a_room_the_timetable_used_is_archived_and_an_unused_one_deleted(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:  # item 5 of issue 11
    # given two rooms of a building, one in the timetable
    admin = school.tokens["admin"]
    building = (
        await api(BUILDING, {"i": {"schoolId": school.school, "name": "Корпус 2"}}, token=admin)
    ).data["buildingCreate"]["id"]
    used = (await api(ROOM, {"i": {"buildingId": building, "name": "101"}}, token=admin)).data[
        "roomCreate"
    ]["id"]
    free = (await api(ROOM, {"i": {"buildingId": building, "name": "102"}}, token=admin)).data[
        "roomCreate"
    ]["id"]
    await _timetabled_room(engine, school, int(relay.GlobalID.from_id(used).node_id))
    # when the admin removes both
    assert (await api(ROOM_REMOVE, {"id": used}, token=admin)).data == {"roomRemove": "ARCHIVED"}
    assert (await api(ROOM_REMOVE, {"id": free}, token=admin)).data == {"roomRemove": "DELETED"}
    # then the used one is kept, archived, and the other is gone
    listed = """query($b: ID!) { inUse: rooms(buildingId: $b) { totalCount }
      all: rooms(buildingId: $b, withArchived: true) { nodes { name archivedAt } } }"""
    rooms = await api(listed, {"b": building}, token=admin)
    # and hidden from the list of rooms in use, listed with the archived ones
    assert rooms.data["inUse"] == {"totalCount": 0}
    [kept] = rooms.data["all"]["nodes"]
    assert kept["name"] == "101"
    assert kept["archivedAt"] is not None
    # and both are in the trail: archived with its state before and after, deleted with before
    trail = await changes(engine, "room")
    assert [action for action, _, _ in trail] == ["created", "created", "archived", "deleted"]
    assert trail[2][1]["archived_at"] is None
    assert trail[2][2]["archived_at"] is not None
    assert trail[3][1]["name"] == "102"
    assert trail[3][2] is None
    # and an archived room is not used anew: not fitted for a subject
    subject = await _subject(api, school, "Химия")
    fitted = await api(SUBJECT_ROOMS, {"s": subject, "r": [used]}, token=admin)
    assert "archived" in refused(fitted, "BAD_USER_INPUT", "roomIds")
    # and its building, with no room in use left, is archived, not deleted
    assert (await api(BUILDING_REMOVE, {"id": building}, token=admin)).data == {
        "buildingRemove": "ARCHIVED"
    }
    # and no room is added to an archived building
    late = await api(ROOM, {"i": {"buildingId": building, "name": "103"}}, token=admin)
    refused(late, "BAD_USER_INPUT", "buildingId")


async def test_a_building_with_rooms_in_use_stays(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:  # item 5 of issue 11
    admin = school.tokens["admin"]
    building = (
        await api(BUILDING, {"i": {"schoolId": school.school, "name": "Корпус 3"}}, token=admin)
    ).data["buildingCreate"]["id"]
    await api(ROOM, {"i": {"buildingId": building, "name": "201"}}, token=admin)
    reply = await api(BUILDING_REMOVE, {"id": building}, token=admin)
    assert "«201»" in refused(reply, "BAD_USER_INPUT", "id")
    empty = (
        await api(BUILDING, {"i": {"schoolId": school.school, "name": "Пустой"}}, token=admin)
    ).data["buildingCreate"]["id"]
    assert (await api(BUILDING_REMOVE, {"id": empty}, token=admin)).data == {
        "buildingRemove": "DELETED"
    }


SUBJECT = """mutation($i: SubjectCreateInput!) { subjectCreate(input: $i) { id name noAttestation
  gradeScale { name } } }"""
SUBJECT_TEACHERS = """mutation($s: ID!, $t: [ID!]!) {
  subjectTeachersSet(subjectId: $s, teacherIds: $t) {
  teachers { id } } }"""
SUBJECT_ROOMS = """mutation($s: ID!, $r: [ID!]!) { subjectRoomsSet(subjectId: $s, roomIds: $r) {
  rooms { name } } }"""
SUBJECT_CLASSES = """mutation($s: ID!, $c: [SubjectClassInput!]!) {
  subjectClassesSet(subjectId: $s, classes: $c) { id } }"""
SUBJECT_REMOVE = "mutation($id: ID!) { subjectRemove(subjectId: $id) }"


async def _subject(api: GraphQLClient, school: School, name: str, **more: Any) -> str:
    given = {
        "schoolId": school.school,
        "name": name,
        "shortName": name[:4],
        "gradeScaleId": school.scale,
        **more,
    }
    reply = await api(SUBJECT, {"i": given}, token=school.tokens["admin"])
    subject_id: str = reply.data["subjectCreate"]["id"]
    return subject_id


async def test_subjects_and_their_teacher_room_and_class_links(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:  # R-SETUP-2, А #16, §4.8
    admin = school.tokens["admin"]
    # given an elective «без аттестации»
    reply = await api(
        SUBJECT,
        {
            "i": {
                "schoolId": school.school,
                "name": "Шахматы",
                "shortName": "Шах",
                "gradeScaleId": school.scale,
                "noAttestation": True,
            }
        },
        token=admin,
    )
    subject = reply.data["subjectCreate"]
    assert subject["noAttestation"] is True
    assert subject["gradeScale"] == {"name": "Пятибалльная"}
    # when its teacher is set, then set again to nobody
    linked = await api(SUBJECT_TEACHERS, {"s": subject["id"], "t": [school.teacher]}, token=admin)
    assert linked.data["subjectTeachersSet"]["teachers"] == [{"id": school.teacher}]
    # a student is no teacher, and a teacher listed twice is refused with its item
    student = await _person_of(engine, "student")
    not_teacher = await api(
        SUBJECT_TEACHERS, {"s": subject["id"], "t": [school.teacher, student]}, token=admin
    )
    refused(not_teacher, "BAD_USER_INPUT", "teacherIds", item=1)
    twice = await api(
        SUBJECT_TEACHERS, {"s": subject["id"], "t": [school.teacher, school.teacher]}, token=admin
    )
    refused(twice, "BAD_USER_INPUT", "teacherIds", item=1)
    # and the class takes it 2 hours a week, then 1
    for hours in (2, 1):
        classes = await api(
            SUBJECT_CLASSES,
            {"s": subject["id"], "c": [{"classId": school.class_id, "hoursPerWeek": hours}]},
            token=admin,
        )
        assert classes.data
    too_many = await api(
        SUBJECT_CLASSES,
        {"s": subject["id"], "c": [{"classId": school.class_id, "hoursPerWeek": 13}]},
        token=admin,
    )
    refused(too_many, "BAD_USER_INPUT", "hoursPerWeek", item=0)
    async with engine.connect() as connection:
        hours_now = (
            (await connection.execute(select(m.SubjectClass.hours_per_week))).scalars().all()
        )
    assert hours_now == [1]
    trail = await changes(engine, "subject_class")
    assert [action for action, _, _ in trail] == ["created", "changed"]
    assert (trail[1][1]["hours_per_week"], trail[1][2]["hours_per_week"]) == (2, 1)
    # when the unused subject is removed, it goes with its links, all audited
    assert (await api(SUBJECT_REMOVE, {"id": subject["id"]}, token=admin)).data == {
        "subjectRemove": "DELETED"
    }
    assert await count(engine, "subject_teacher") == await count(engine, "subject_class") == 0
    assert [a for a, _, _ in await changes(engine, "subject_teacher")] == ["created", "deleted"]
    assert [a for a, _, _ in await changes(engine, "subject")][-1] == "deleted"


async def _person_of(engine: AsyncEngine, login: str) -> str:
    async with engine.connect() as connection:
        pk = (
            await connection.execute(
                text("SELECT person_id FROM account WHERE login = :l"), {"l": login}
            )
        ).scalar_one()
    return gid("Person", pk)


async def test_a_subject_with_lessons_is_archived(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:  # item 5 of issue 11
    admin = school.tokens["admin"]
    subject = await _subject(api, school, "История")
    pk = int(relay.GlobalID.from_id(subject).node_id)

    async def recipe(f: Factory) -> None:
        await f.add(
            m.Lesson(
                school_id=school.school_pk, group_id=school.group_pk, subject_id=pk,
                teacher_id=school.teacher_pk, held_on=date(2026, 10, 5), bell_number=1,
            )
        )  # fmt: skip

    await build(engine, recipe)
    assert (await api(SUBJECT_REMOVE, {"id": subject}, token=admin)).data == {
        "subjectRemove": "ARCHIVED"
    }
    # and an archived subject takes no new teachers
    refused(
        await api(SUBJECT_TEACHERS, {"s": subject, "t": [school.teacher]}, token=admin),
        "BAD_USER_INPUT",
        "subjectId",
    )


WORK_TYPE = """mutation($i: WorkTypeCreateInput!) {
  workTypeCreate(input: $i) { id weight checkingDays } }"""
WORK_TYPE_UPDATE = (
    """mutation($i: WorkTypeUpdateInput!) { workTypeUpdate(input: $i) { weight checkingDays } }"""
)
WORK_TYPE_REMOVE = "mutation($id: ID!) { workTypeRemove(workTypeId: $id) }"


async def test_work_types_with_weight_and_checking_days(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:  # R-SETUP-2, R-GRADE-1
    admin = school.tokens["admin"]
    given = {
        "schoolId": school.school,
        "name": "Контрольная работа",
        "shortName": "К/р",
        "weight": "2.5",
        "checkingDays": 7,
    }
    work_type = (await api(WORK_TYPE, {"i": given}, token=admin)).data["workTypeCreate"]
    assert (work_type["weight"], work_type["checkingDays"]) == ("2.50", 7)
    wrongs: list[tuple[dict[str, Any], str]] = [
        ({"weight": "0"}, "weight"),
        ({"weight": "10.5"}, "weight"),
        ({"weight": "1.555"}, "weight"),
        ({"checkingDays": 31}, "checkingDays"),
    ]
    for wrong, field in wrongs:
        reply = await api(
            WORK_TYPE_UPDATE, {"i": {"workTypeId": work_type["id"], **wrong}}, token=admin
        )
        refused(reply, "BAD_USER_INPUT", field)
    fixed = await api(
        WORK_TYPE_UPDATE, {"i": {"workTypeId": work_type["id"], "checkingDays": 10}}, token=admin
    )
    assert fixed.data["workTypeUpdate"] == {"weight": "2.50", "checkingDays": 10}
    assert (await api(WORK_TYPE_REMOVE, {"id": work_type["id"]}, token=admin)).data == {
        "workTypeRemove": "DELETED"
    }


SCALE = """mutation($i: GradeScaleCreateInput!) {
  gradeScaleCreate(input: $i) { id name marks { mark value } } }"""
SCALE_UPDATE = """mutation($i: GradeScaleUpdateInput!) {
  gradeScaleUpdate(input: $i) { marks { mark value } } }"""
SCALE_REMOVE = "mutation($id: ID!) { gradeScaleRemove(gradeScaleId: $id) }"


async def test_grade_scales_with_their_marks(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:  # R-SETUP-2
    admin = school.tokens["admin"]
    given = {
        "schoolId": school.school,
        "name": "Зачётная",
        "marks": [{"mark": "зач"}, {"mark": "незач"}],
    }
    scale = (await api(SCALE, {"i": given}, token=admin)).data["gradeScaleCreate"]
    assert scale["marks"] == [{"mark": "зач", "value": None}, {"mark": "незач", "value": None}]
    twice = await api(
        SCALE,
        {"i": {**given, "name": "Другая", "marks": [{"mark": "1"}, {"mark": "1"}]}},
        token=admin,
    )
    refused(twice, "BAD_USER_INPUT", "mark", item=1)
    # the marks are set as a whole: reordered, one added, one valued
    marks = [{"mark": "незач", "value": "0"}, {"mark": "зач", "value": "1"}, {"mark": "осв"}]
    updated = await api(
        SCALE_UPDATE, {"i": {"gradeScaleId": scale["id"], "marks": marks}}, token=admin
    )
    assert updated.data["gradeScaleUpdate"]["marks"] == [
        {"mark": "незач", "value": "0.00"},
        {"mark": "зач", "value": "1.00"},
        {"mark": "осв", "value": None},
    ]
    trail = [action for action, _, _ in await changes(engine, "grade_scale_mark")]
    assert trail == ["created", "created", "changed", "changed", "created"]
    # an unused scale goes with its marks; the school's 5-point scale, which a subject uses,
    # is archived
    assert (await api(SCALE_REMOVE, {"id": scale["id"]}, token=admin)).data == {
        "gradeScaleRemove": "DELETED"
    }
    await _subject(api, school, "Музыка")
    assert (await api(SCALE_REMOVE, {"id": school.scale}, token=admin)).data == {
        "gradeScaleRemove": "ARCHIVED"
    }
    late = await api(
        SUBJECT,
        {
            "i": {
                "schoolId": school.school,
                "name": "ИЗО",
                "shortName": "ИЗО",
                "gradeScaleId": school.scale,
            }
        },
        token=admin,
    )
    refused(late, "BAD_USER_INPUT", "gradeScaleId")


PERIODS = """mutation($y: ID!, $p: [PeriodInput!]!) { periodsCreate(schoolYearId: $y, periods: $p) {
  id name number kind startsOn endsOn } }"""
PERIOD_UPDATE = (
    """mutation($i: PeriodUpdateInput!) { periodUpdate(input: $i) { name startsOn endsOn } }"""
)
QUARTERS = [
    {"kind": "QUARTER", "number": 1, "startsOn": "2026-09-01", "endsOn": "2026-10-25"},
    {"kind": "QUARTER", "number": 2, "startsOn": "2026-11-05", "endsOn": "2026-12-28"},
    {"kind": "QUARTER", "number": 3, "startsOn": "2027-01-11", "endsOn": "2027-03-20"},
    {"kind": "QUARTER", "number": 4, "startsOn": "2027-03-30", "endsOn": "2027-05-31"},
    {"kind": "YEAR", "number": 1, "startsOn": "2026-09-01", "endsOn": "2027-05-31"},
]


async def test_a_years_periods_in_one_call(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:  # R-SETUP-1, А #14
    reply = await api(PERIODS, {"y": school.year, "p": QUARTERS}, token=school.tokens["admin"])
    periods = reply.data["periodsCreate"]
    assert [p["name"] for p in periods] == [
        "1 четверть",
        "2 четверть",
        "3 четверть",
        "4 четверть",
        "Учебный год",
    ]
    assert [a for a, _, _ in await changes(engine, "period")] == ["created"] * 5
    # and a quarter moved onto the next is refused, naming both
    moved = await api(
        PERIOD_UPDATE,
        {"i": {"periodId": periods[0]["id"], "endsOn": "2026-11-10"}},
        token=school.tokens["admin"],
    )
    assert "«1 четверть» overlaps «2 четверть» (05.11.2026–28.12.2026)" in refused(
        moved, "BAD_USER_INPUT", "startsOn"
    )
    fixed = await api(
        PERIOD_UPDATE,
        {"i": {"periodId": periods[0]["id"], "endsOn": "2026-10-30"}},
        token=school.tokens["admin"],
    )
    assert fixed.data["periodUpdate"]["endsOn"] == "2026-10-30"


@pytest.mark.parametrize(
    ("wrong", "field", "item", "said"),
    [
        (
            {"startsOn": "2026-10-20"},
            "startsOn",
            1,
            "«2 четверть» overlaps «1 четверть» (01.09.2026–25.10.2026)",
        ),
        (
            {"endsOn": "2027-06-30", "number": 2, "startsOn": "2026-11-05"},
            "endsOn",
            1,
            "is not inside the school year «2026/2027»",
        ),
        ({"number": 1}, "number", 1, "«1 четверть» is number 1 already"),
        ({"endsOn": "2026-11-01"}, "endsOn", 1, "ends after it starts"),
    ],
)
async def test_a_wrong_period_refuses_the_whole_list(
    engine: AsyncEngine,
    api: GraphQLClient,
    school: School,
    wrong: dict[str, Any],
    field: str,
    item: int,
    said: str,
) -> None:  # R-SETUP-1
    periods = [QUARTERS[0], {**QUARTERS[1], **wrong}, QUARTERS[2]]
    reply = await api(PERIODS, {"y": school.year, "p": periods}, token=school.tokens["admin"])
    assert said in refused(reply, "BAD_USER_INPUT", field, item=item)
    assert await count(engine, "period") == 0
    assert await changes(engine, "period") == []


async def test_periods_of_one_kind_never_overlap_in_the_database(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:  # R-SETUP-1
    # given the first quarter, entered
    await api(PERIODS, {"y": school.year, "p": QUARTERS[:1]}, token=school.tokens["admin"])
    # when a second one is written past the API, then the database refuses it on PostgreSQL
    overlapping = {
        "school_id": school.school_pk, "school_year_id": school.year_pk, "kind": "quarter",
        "number": 2, "name": "2 четверть", "starts_on": date(2026, 10, 1),
        "ends_on": date(2026, 12, 1),
    }  # fmt: skip
    if engine.dialect.name == "postgresql":
        with pytest.raises(IntegrityError, match="ex_period_overlap"):
            async with engine.begin() as connection:
                await connection.execute(insert(m.Period), overlapping)
    # and through the API it is BAD_USER_INPUT on both engines; a half may overlap a quarter
    second = {"kind": "QUARTER", "number": 2, "startsOn": "2026-10-01", "endsOn": "2026-12-01"}
    refused(
        await api(PERIODS, {"y": school.year, "p": [second]}, token=school.tokens["admin"]),
        "BAD_USER_INPUT",
        "startsOn",
        item=0,
    )
    half = {"kind": "HALF", "number": 1, "startsOn": "2026-09-01", "endsOn": "2026-12-28"}
    assert (await api(PERIODS, {"y": school.year, "p": [half]}, token=school.tokens["admin"])).data


YEAR = """mutation($i: SchoolYearCreateInput!) { schoolYearCreate(input: $i) { id name } }"""
YEAR_UPDATE = """mutation($i: SchoolYearUpdateInput!) { schoolYearUpdate(input: $i) { endsOn } }"""
YEAR_REMOVE = "mutation($id: ID!) { schoolYearRemove(schoolYearId: $id) }"


async def test_school_years_do_not_overlap_and_keep_their_periods_inside(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:  # R-SETUP-1
    admin = school.tokens["admin"]
    early = {
        "schoolId": school.school,
        "name": "2027/2028",
        "startsOn": "2027-05-01",
        "endsOn": "2028-05-31",
    }
    said = refused(await api(YEAR, {"i": early}, token=admin), "BAD_USER_INPUT", "startsOn")
    assert "«2027/2028» overlaps «2026/2027» (01.09.2026–31.05.2027)" in said
    next_year = (await api(YEAR, {"i": {**early, "startsOn": "2027-09-01"}}, token=admin)).data[
        "schoolYearCreate"
    ]
    await api(PERIODS, {"y": school.year, "p": QUARTERS[3:4]}, token=admin)
    shorter = await api(
        YEAR_UPDATE, {"i": {"schoolYearId": school.year, "endsOn": "2027-05-25"}}, token=admin
    )
    assert "«4 четверть»" in refused(shorter, "BAD_USER_INPUT", "endsOn")
    # a year with classes stays; an empty one is deleted
    assert "classes" in refused(
        await api(YEAR_REMOVE, {"id": school.year}, token=admin), "BAD_USER_INPUT", "id"
    )
    assert (await api(YEAR_REMOVE, {"id": next_year["id"]}, token=admin)).data == {
        "schoolYearRemove": "DELETED"
    }


BELLS = """mutation($i: BellScheduleCreateInput!) { bellScheduleCreate(input: $i) { id
  bells { number startsAt endsAt } } }"""
BELLS_UPDATE = """mutation($i: BellScheduleUpdateInput!) { bellScheduleUpdate(input: $i) {
  bells { number startsAt } } }"""
LESSONS = [
    {"number": 1, "startsAt": "08:30", "endsAt": "09:15"},
    {"number": 2, "startsAt": "09:25", "endsAt": "10:10"},
    {"number": 3, "startsAt": "10:30", "endsAt": "11:15"},
]


async def test_bell_schedules_with_bells_in_order(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:  # R-SETUP-2, А #15
    admin = school.tokens["admin"]
    given = {"schoolId": school.school, "name": "Основное", "bells": LESSONS}
    schedule = (await api(BELLS, {"i": given}, token=admin)).data["bellScheduleCreate"]
    assert [bell["startsAt"] for bell in schedule["bells"]] == ["08:30:00", "09:25:00", "10:30:00"]
    overlapping = [LESSONS[0], {**LESSONS[1], "startsAt": "09:00"}, LESSONS[2]]
    reply = await api(
        BELLS, {"i": {**given, "name": "Сокращённое", "bells": overlapping}}, token=admin
    )
    assert "Bell 2 (09:00–10:10) overlaps bell 1 (08:30–09:15)" in refused(
        reply, "BAD_USER_INPUT", "startsAt", item=1
    )
    assert await count(engine, "bell_schedule") == 1
    # the bells are set as a whole: the third dropped, the second moved
    moved = [LESSONS[0], {**LESSONS[1], "startsAt": "09:20"}]
    updated = await api(
        BELLS_UPDATE, {"i": {"bellScheduleId": schedule["id"], "bells": moved}}, token=admin
    )
    assert updated.data["bellScheduleUpdate"]["bells"] == [
        {"number": 1, "startsAt": "08:30:00"}, {"number": 2, "startsAt": "09:20:00"}
    ]  # fmt: skip
    assert [a for a, _, _ in await changes(engine, "bell")] == ["created"] * 3 + [
        "deleted",
        "changed",
    ]


DAYS_OFF = """mutation($s: ID!, $d: [DayOffInput!]!) {
  daysOffCreate(schoolId: $s, days: $d) { id onDate } }"""
WORKING_DAY = """mutation($i: WorkingDayCreateInput!) {
  workingDayCreate(input: $i) { id onDate followsWeekday } }"""


async def test_days_off_and_a_saturday_worked_as_a_monday(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:  # R-SETUP-1, R-TT-1
    admin = school.tokens["admin"]
    days = [
        {"onDate": "2026-11-04", "name": "День народного единства"},
        {"onDate": "2026-11-02", "name": "Перенос на 31 октября"},
    ]
    assert (
        len(
            (await api(DAYS_OFF, {"s": school.school, "d": days}, token=admin)).data[
                "daysOffCreate"
            ]
        )
        == 2
    )
    again = await api(
        DAYS_OFF,
        {"s": school.school, "d": [{"onDate": "2026-12-31", "name": "Канун"}, days[0]]},
        token=admin,
    )
    assert "04.11.2026 is «День народного единства» already" in refused(
        again, "BAD_USER_INPUT", "onDate", item=1
    )
    assert await count(engine, "day_off") == 2
    saturday = {
        "schoolId": school.school,
        "onDate": "2026-10-31",
        "followsWeekday": 1,
        "name": "Перенос с 2 ноября",
    }
    worked = await api(WORKING_DAY, {"i": saturday}, token=admin)
    assert worked.data["workingDayCreate"]["followsWeekday"] == 1
    on_a_day_off = await api(WORKING_DAY, {"i": {**saturday, "onDate": "2026-11-04"}}, token=admin)
    refused(on_a_day_off, "BAD_USER_INPUT", "onDate")
    as_saturday = await api(
        WORKING_DAY, {"i": {**saturday, "onDate": "2026-12-26", "followsWeekday": 6}}, token=admin
    )
    refused(as_saturday, "BAD_USER_INPUT", "followsWeekday")
    listed = await api("{ workingDays { nodes { onDate name } } }", token=school.tokens["teacher"])
    assert listed.data["workingDays"]["nodes"] == [
        {"onDate": "2026-10-31", "name": "Перенос с 2 ноября"}
    ]


# Every reference write, with arguments naming rows of the school: only the admin may.
def _documents(school: School) -> dict[str, tuple[str, dict[str, Any]]]:
    s, y = school.school, school.year
    return {
        "schoolUpdate": (SCHOOL_UPDATE, {"i": {"schoolId": s, "name": "Взлом"}}),
        "buildingCreate": (BUILDING, {"i": {"schoolId": s, "name": "Х"}}),
        "subjectCreate": (
            SUBJECT,
            {"i": {"schoolId": s, "name": "Х", "shortName": "Х", "gradeScaleId": school.scale}},
        ),
        "workTypeCreate": (
            WORK_TYPE,
            {"i": {"schoolId": s, "name": "Х", "shortName": "Х", "weight": "1"}},
        ),
        "gradeScaleCreate": (SCALE, {"i": {"schoolId": s, "name": "Х", "marks": [{"mark": "1"}]}}),
        "gradeScaleRemove": (SCALE_REMOVE, {"id": school.scale}),
        "schoolYearCreate": (
            YEAR,
            {"i": {"schoolId": s, "name": "Х", "startsOn": "2030-09-01", "endsOn": "2031-05-31"}},
        ),
        "schoolYearRemove": (YEAR_REMOVE, {"id": y}),
        "periodsCreate": (PERIODS, {"y": y, "p": QUARTERS[:1]}),
        "bellScheduleCreate": (BELLS, {"i": {"schoolId": s, "name": "Х", "bells": LESSONS}}),
        "daysOffCreate": (DAYS_OFF, {"s": s, "d": [{"onDate": "2026-11-04", "name": "Х"}]}),
        "workingDayCreate": (
            WORKING_DAY,
            {"i": {"schoolId": s, "onDate": "2026-10-31", "followsWeekday": 1, "name": "Х"}},
        ),
    }


@pytest.mark.parametrize("role", ["head", "deputy", "teacher", "student", "parent"])
async def test_only_the_admin_writes_the_reference_data(
    engine: AsyncEngine, api: GraphQLClient, school: School, role: str
) -> None:  # R-SETUP-2: the admin enters and corrects every item
    written = await count(engine, "change")
    for name, (document, variables) in _documents(school).items():
        # when another role tries the write, then it is refused and nothing is written
        reply = await api(document, variables, token=school.tokens[role])
        assert reply.error_code == "FORBIDDEN", (role, name, reply.body)
    assert await count(engine, "change") == written
    assert await count(engine, "building") == await count(engine, "period") == 0


async def test_another_schools_admin_finds_nothing_to_write(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:  # schools are tenants
    async def recipe(f: Factory) -> None:
        other = await f.school("Школа № 2")
        await f.account(await f.person(other, "Чужой", m.Role.ADMIN), "other_admin")

    await build(engine, recipe)
    token = await api.login("other_admin", PASSWORD)
    for name, (document, variables) in _documents(school).items():
        reply = await api(document, variables, token=token)
        assert reply.error_code == "NOT_FOUND", (name, reply.body)
    async with engine.connect() as connection:
        assert (
            await connection.execute(select(func.count()).select_from(m.Change))
        ).scalar_one() == 0


def _outcome(reply: Response) -> str:
    return reply.error_code if reply.body.get("errors") else "OK"


async def test_two_admins_racing_with_overlapping_quarters_enter_one(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:  # R-SETUP-1: the database decides, whoever is first
    # given a second admin of the school
    async def recipe(f: Factory) -> None:
        person = m.Person(region_id=(await _region(f, school)), last_name="Второй", first_name="А")
        await f.add(person)
        await f.add(
            m.SchoolRole(person_id=person.id, school_id=school.school_pk, role=m.Role.ADMIN)
        )
        await f.account(person, "admin2")

    await build(engine, recipe)
    second = await api.login("admin2", PASSWORD)
    first = {"kind": "QUARTER", "number": 1, "startsOn": "2026-09-01", "endsOn": "2026-10-25"}
    other = {"kind": "QUARTER", "number": 2, "startsOn": "2026-10-20", "endsOn": "2026-12-28"}
    # when both enter a quarter at once, overlapping the other's
    replies = await race(
        engine,
        [
            api(PERIODS, {"y": school.year, "p": [first]}, token=school.tokens["admin"]),
            api(PERIODS, {"y": school.year, "p": [other]}, token=second),
        ],
    )
    # then one is entered; the other is told of the clash, or that it lost the race
    outcomes = sorted(_outcome(reply) for reply in replies)
    assert outcomes in (["BAD_USER_INPUT", "OK"], ["CONFLICT", "OK"]), replies
    assert await count(engine, "period") == 1


async def _region(f: Factory, school: School) -> int:
    region = await f.session.scalar(
        select(m.Municipality.region_id)
        .join(m.School, m.School.municipality_id == m.Municipality.id)
        .where(m.School.id == school.school_pk)
    )
    assert region is not None
    return region


async def test_a_years_periods_and_holidays_cost_the_same_statements_one_or_many(
    engine: AsyncEngine, api: GraphQLClient, school: School, sql: StatementCounter
) -> None:  # constant SQL for the bulk forms
    admin = school.tokens["admin"]
    sql.reset()
    await api(PERIODS, {"y": school.year, "p": QUARTERS[:1]}, token=admin)
    one = sql.count
    sql.reset()
    await api(PERIODS, {"y": school.year, "p": QUARTERS[1:]}, token=admin)
    assert sql.count == one
    days = [{"onDate": f"2026-11-{day:02d}", "name": "Карантин"} for day in range(9, 21)]
    sql.reset()
    await api(DAYS_OFF, {"s": school.school, "d": days[:1]}, token=admin)
    one = sql.count
    sql.reset()
    assert (
        len(
            (await api(DAYS_OFF, {"s": school.school, "d": days[1:]}, token=admin)).data[
                "daysOffCreate"
            ]
        )
        == 11
    )
    assert sql.count == one


TODAY = datetime.now(ZoneInfo("Europe/Moscow")).date()


@pytest.fixture(autouse=True)
def _today() -> None:
    """The school's today as each test starts (a suite may run past midnight in Moscow)."""
    global TODAY
    TODAY = datetime.now(ZoneInfo("Europe/Moscow")).date()


def _weekday_after(days: int) -> date:
    """The first Monday-to-Friday day `days` days from today or later."""
    day = TODAY + timedelta(days=days)
    while day.isoweekday() > 5:
        day += timedelta(days=1)
    return day


async def _timetabled_school(engine: AsyncEngine) -> int:
    """A school of this year whose 5А has mathematics at bell 1 every weekday."""

    async def recipe(f: Factory) -> int:
        setup = await f.school("Школа № 3")
        setup.year.starts_on, setup.year.ends_on = TODAY - timedelta(60), TODAY + timedelta(200)
        await f.account(await f.person(setup, "Админова", m.Role.ADMIN), "admin3")
        teacher = await f.person(setup, "Учителева", m.Role.TEACHER)
        school_class = await f.school_class(setup, 5, "А", students=1, parents_each=0)
        group = await f.session.scalar(
            select(m.Group.id).where(m.Group.school_class_id == school_class.id)
        )
        assert group is not None
        subject = await f.add(
            m.Subject(school_id=setup.school.id, name="Математика", short_name="Мат",
                      grade_scale_id=setup.scale.id)
        )  # fmt: skip
        for weekday in range(1, 6):
            await f.add(
                m.TimetableEntry(
                    school_id=setup.school.id, school_year_id=setup.year.id, group_id=group,
                    subject_id=subject.id, teacher_id=teacher.id, weekday=weekday,
                    bell_number=1, valid_from=setup.year.starts_on,
                )
            )  # fmt: skip
        return setup.school.id

    return await build(engine, recipe)


async def _lessons_on(engine: AsyncEngine, day: date) -> list[tuple[str, str | None]]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(m.Lesson.status, m.Lesson.topic).where(m.Lesson.held_on == day)
        )
        return [(row.status.value, row.topic) for row in rows]


async def test_a_day_off_replans_the_coming_lessons_and_keeps_those_with_records(
    engine: AsyncEngine, api: GraphQLClient
) -> None:  # R-TT-1, item 4 of issue 11: lessons follow the calendar
    # given a school whose lessons are planned for the coming two weeks, one with its topic
    school = gid("School", await _timetabled_school(engine))
    admin = await api.login("admin3", PASSWORD)
    free, planned = _weekday_after(3), _weekday_after(8)
    holiday = [{"onDate": (TODAY + timedelta(days=100)).isoformat(), "name": "Далеко"}]
    assert (await api(DAYS_OFF, {"s": school, "d": holiday}, token=admin)).data
    assert await _lessons_on(engine, free) == [("planned", None)]
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE lesson SET topic = 'Дроби' WHERE held_on = :d"), {"d": planned}
        )
    # when the day without records becomes a day off, then its lesson goes
    day_off = [{"onDate": free.isoformat(), "name": "Карантин"}]
    assert (await api(DAYS_OFF, {"s": school, "d": day_off}, token=admin)).data
    assert await _lessons_on(engine, free) == []
    # and when the day with a topic would, the write names it and writes nothing
    second = [{"onDate": planned.isoformat(), "name": "Карантин"}]
    reply = await api(DAYS_OFF, {"s": school, "d": second}, token=admin)
    refused(reply, "BAD_USER_INPUT", "confirm")
    assert reply.body["errors"][0]["extensions"]["wouldBreak"][0]["date"] == planned.isoformat()
    assert await count(engine, "day_off") == 2
    # and confirmed, the lesson is cancelled with its topic, not deleted
    confirmed = """mutation($s: ID!, $d: [DayOffInput!]!) {
      daysOffCreate(schoolId: $s, days: $d, confirm: true) { id } }"""
    assert (await api(confirmed, {"s": school, "d": second}, token=admin)).data
    assert await _lessons_on(engine, planned) == [("cancelled", "Дроби")]


async def test_a_saturday_worked_as_a_monday_gets_mondays_lessons(
    engine: AsyncEngine, api: GraphQLClient
) -> None:  # R-TT-1: lessons follow the calendar's moved working days
    # given a school of five days whose 5А has mathematics every weekday
    school = gid("School", await _timetabled_school(engine))
    admin = await api.login("admin3", PASSWORD)
    saturday = TODAY + timedelta(days=(5 - TODAY.weekday()) % 7 + 7)
    assert saturday.isoweekday() == 6
    # when the coming Saturday is worked as a Monday
    given = {"schoolId": school, "onDate": saturday.isoformat(), "followsWeekday": 1,
             "name": "Перенос рабочего дня"}  # fmt: skip
    assert (await api(WORKING_DAY, {"i": given}, token=admin)).data
    # then it has Monday's lesson, planned, and removing the working day removes it
    assert await _lessons_on(engine, saturday) == [("planned", None)]
    day = (await api("{ workingDays { nodes { id } } }", token=admin)).data
    removed = "mutation($id: ID!) { workingDayRemove(workingDayId: $id) }"
    reply = await api(removed, {"id": day["workingDays"]["nodes"][0]["id"]}, token=admin)
    assert reply.data == {"workingDayRemove": "DELETED"}
    assert await _lessons_on(engine, saturday) == []
