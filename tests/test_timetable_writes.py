"""Writing the timetable and its changes through the API (R-TT-1, В.1 #5–#6, А #28, Г.1 #7):
who may, history kept, nobody booked twice (in the database on PostgreSQL, in the transaction
on both engines, and when raced), lessons re-planned, lessons holding journal records
protected unless the admin confirms."""

import asyncio
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from tests.client import GraphQLClient, Response
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, Factory, build
from tests.races import outcome, race

TODAY = datetime.now(ZoneInfo("Europe/Moscow")).date()
PLANNED = 14  # days after today the lessons exist for


@pytest.fixture(autouse=True)
def _today() -> None:
    """The school's today as each test starts, not as the module was imported: a suite that
    runs past midnight in Moscow (21:00 UTC) would write «from today» into the past."""
    global TODAY
    TODAY = datetime.now(ZoneInfo("Europe/Moscow")).date()


def _school_day(after: int = 0) -> date:
    """The first Monday-to-Friday day `after` days from today or later."""
    day = TODAY + timedelta(days=after)
    while day.isoweekday() > 5:
        day += timedelta(days=1)
    return day


def gid(kind: str, row_id: int) -> str:
    return relay.to_base64(kind, row_id)


@dataclass
class School:
    school_id: int
    year_id: int
    class_a: int  # 7А, its class teacher `class_teacher`
    class_b: int  # 7Б
    group_a: int  # 7А as a whole
    group_b: int
    subgroup_a: int  # 7А, «Группа 1»
    maths: int
    russian: int
    ivanova: int  # teachers
    petrov: int
    class_teacher: int
    room_12: int
    room_14: int


async def _school(engine: AsyncEngine) -> School:
    async def recipe(f: Factory) -> School:
        setup = await f.school()
        setup.year.starts_on = TODAY - timedelta(days=60)
        setup.year.ends_on = TODAY + timedelta(days=200)
        school_id = setup.school.id
        class_a = await f.school_class(setup, 7, "А", students=2, parents_each=1)
        class_b = await f.school_class(setup, 7, "Б", students=1, parents_each=0)
        groups = {g.school_class_id: g.id for g in (await f.session.scalars(select(m.Group))).all()}
        subgroup = await f.add(
            m.Group(school_id=school_id, school_class_id=class_a.id,
                    kind=m.GroupKind.SUBGROUP, name="Группа 1")
        )  # fmt: skip
        maths, russian = [
            await f.add(
                m.Subject(school_id=school_id, name=name, short_name=name[:3],
                          grade_scale_id=setup.scale.id)
            )
            for name in ("Математика", "Русский язык")
        ]  # fmt: skip
        ivanova = await f.person(setup, "Иванова", m.Role.TEACHER)
        ivanova.first_name, ivanova.middle_name = "Ирина", "Ивановна"
        petrov = await f.person(setup, "Петров", m.Role.TEACHER)
        building = await f.add(m.Building(school_id=school_id, name="Главное здание"))
        rooms = [
            await f.add(m.Room(school_id=school_id, building_id=building.id, name=name))
            for name in ("12", "14")
        ]
        for login, role in (("admin", m.Role.ADMIN), ("deputy", m.Role.DEPUTY),
                            ("head", m.Role.HEAD)):  # fmt: skip
            await f.account(await f.person(setup, login.title(), role), login)
        await f.account(ivanova, "teacher")
        assert class_a.class_teacher_id is not None
        await f.account(
            await f.session.get_one(m.Person, class_a.class_teacher_id), "class_teacher"
        )
        student = (await f.session.scalars(select(m.ClassStudent))).first()
        assert student is not None
        await f.account(await f.session.get_one(m.Person, student.student_id), "student")
        parent = (await f.session.scalars(select(m.Guardianship))).first()
        assert parent is not None
        await f.account(await f.session.get_one(m.Person, parent.parent_id), "parent")
        return School(
            school_id, setup.year.id, class_a.id, class_b.id, groups[class_a.id],
            groups[class_b.id], subgroup.id, maths.id, russian.id, ivanova.id, petrov.id,
            class_a.class_teacher_id, rooms[0].id, rooms[1].id,
        )  # fmt: skip

    return await build(engine, recipe)


@pytest.fixture
async def school(engine: AsyncEngine) -> School:
    return await _school(engine)


ROLES = ["admin", "deputy", "head", "teacher", "class_teacher", "student", "parent"]


async def _tokens(api: GraphQLClient) -> dict[str, str]:
    return {role: await api.login(role, PASSWORD) for role in ROLES}


def slot(
    group: int, subject: int, teacher: int, weekday: int, bell: int, room: int | None = None
) -> dict[str, Any]:
    return {
        "groupId": gid("Group", group),
        "subjectId": gid("Subject", subject),
        "teacherId": gid("Person", teacher),
        "roomId": None if room is None else gid("Room", room),
        "weekday": weekday,
        "bellNumber": bell,
    }


SET = """mutation($input: TimetableSetInput!, $confirm: Boolean! = false) {
  timetableSet(input: $input, confirm: $confirm) {
    entries { id weekday bellNumber validFrom validTo teacher { lastName } } ended withdrawn } }"""
ADD = """mutation($input: TimetableEntryAddInput!) {
  timetableEntryAdd(input: $input) { id validFrom } }"""
CHANGE = """mutation($input: TimetableEntryChangeInput!, $confirm: Boolean! = false) {
  timetableEntryChange(input: $input, confirm: $confirm) { id validFrom bellNumber } }"""
END = """mutation($id: ID!, $from: Date!, $confirm: Boolean! = false) {
  timetableEntryEnd(entryId: $id, validFrom: $from, confirm: $confirm) { entry { id validTo } } }"""
DAY = """mutation($input: TimetableChangeAddInput!, $confirm: Boolean! = false) {
  timetableChangeAdd(input: $input, confirm: $confirm) { id kind onDate } }"""
UNDO = """mutation($id: ID!) { timetableChangeRemove(changeId: $id) { removedId } }"""


def week_of(s: School, group: int, from_: date, *slots: dict[str, Any]) -> dict[str, Any]:
    return {"input": {"groupIds": [gid("Group", group)], "validFrom": from_.isoformat(),
                      "slots": list(slots)}}  # fmt: skip


def _everyday(s: School, group: int, teacher: int, bell: int = 1) -> list[dict[str, Any]]:
    return [slot(group, s.maths, teacher, weekday, bell) for weekday in range(1, 6)]


async def _rows(engine: AsyncEngine, sql: str, **params: Any) -> list[Any]:
    async with engine.connect() as connection:
        return list((await connection.execute(text(sql), params)).all())


async def _lessons(engine: AsyncEngine, group: int) -> list[Any]:
    """(date, bell, teacher, substitute, status, slot) of the group's lessons, in order."""
    rows = await _rows(
        engine,
        "SELECT held_on, bell_number, teacher_id, substitute_id, status, timetable_entry_id "
        "FROM lesson WHERE group_id = :g ORDER BY held_on, bell_number",
        g=group,
    )
    return [(_date(row[0]), *row[1:]) for row in rows]


def _expected_days(weekdays: set[int], first: date | None = None) -> list[date]:
    first = first or TODAY
    days = [first + timedelta(days=n) for n in range((TODAY + timedelta(PLANNED) - first).days + 1)]
    return [d for d in days if d.isoweekday() in weekdays]


# R-TT-1, В.1 #5
async def test_the_deputy_enters_a_class_week_and_its_lessons_follow(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:
    # given the deputy
    token = await api.login("deputy", PASSWORD)
    s = school
    week = [slot(s.group_a, s.maths, s.ivanova, 2, 3, s.room_12),
            slot(s.group_a, s.russian, s.petrov, 4, 1)]  # fmt: skip
    # when they enter 7А's week from today
    variables = {"input": {"classIds": [gid("SchoolClass", s.class_a)],
                           "validFrom": TODAY.isoformat(), "slots": week}}  # fmt: skip
    data = (await api(SET, variables, token=token)).data["timetableSet"]
    # then the slots are there, in the order given, until further notice
    assert [(e["weekday"], e["bellNumber"], e["validTo"]) for e in data["entries"]] == [
        (2, 3, None),
        (4, 1, None),
    ]
    assert data["entries"][0]["teacher"]["lastName"] == "Иванова"
    # and the lessons of today and the coming two weeks follow them
    lessons = await _lessons(engine, s.group_a)
    assert [row[0] for row in lessons] == _expected_days({2, 4})
    # and every slot made is in the audit trail
    audited = await _rows(
        engine,
        "SELECT count(*) FROM change WHERE entity = 'timetable_entry' AND action = 'created'",
    )
    assert audited[0][0] == 2


# R-TT-1: history kept
async def test_a_week_replaced_from_a_date_keeps_the_old_one_until_the_day_before(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:
    token = await api.login("admin", PASSWORD)
    s = school
    first = await api(SET, week_of(s, s.group_a, TODAY, *_everyday(s, s.group_a, s.ivanova)),
                      token=token)  # fmt: skip
    assert first.data["timetableSet"]["ended"] == 0
    later = TODAY + timedelta(days=7)
    # when Petrov takes the lessons over from a week later
    second = await api(SET, week_of(s, s.group_a, later, *_everyday(s, s.group_a, s.petrov)),
                       token=token)  # fmt: skip
    # then the old week ends the day before, kept; the new one starts that day
    assert second.data["timetableSet"]["ended"] == 5
    entries = await _rows(
        engine, "SELECT teacher_id, valid_from, valid_to FROM timetable_entry ORDER BY id"
    )
    assert {(row[0], _day(row[1]), _day(row[2])) for row in entries} == {
        (s.ivanova, TODAY, later - timedelta(days=1)),
        (s.petrov, later, None),
    }
    # and the lessons are his from then on, hers before
    for held_on, _, teacher, *_ in await _lessons(engine, s.group_a):
        assert teacher == (s.petrov if _date(held_on) >= later else s.ivanova)
    # when the new week is entered again from that day, the one not yet held is withdrawn
    third = await api(SET, week_of(s, s.group_a, later, *_everyday(s, s.group_a, s.petrov, 2)),
                      token=token)  # fmt: skip
    assert (third.data["timetableSet"]["ended"], third.data["timetableSet"]["withdrawn"]) == (0, 5)
    count = await _rows(engine, "SELECT count(*) FROM timetable_entry")
    assert count[0][0] == 10
    assert {row[1] for row in await _lessons(engine, s.group_a) if _date(row[0]) >= later} == {2}


def _day(value: Any) -> date | None:
    return None if value is None else _date(value)


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


# R-TT-1: nobody in two places at once
async def test_double_booking_is_refused_naming_the_clash(
    api: GraphQLClient, school: School
) -> None:
    token = await api.login("deputy", PASSWORD)
    s = school
    ok = await api(SET, week_of(s, s.group_a, TODAY, slot(s.group_a, s.maths, s.ivanova, 2, 3,
                                                          s.room_12)), token=token)  # fmt: skip
    assert ok.data
    # the teacher, at the same bell, in another class
    teacher = await api(
        SET,
        week_of(s, s.group_b, TODAY, slot(s.group_b, s.russian, s.petrov, 1, 1),
                slot(s.group_b, s.maths, s.ivanova, 2, 3)),
        token=token,
    )  # fmt: skip
    assert teacher.error_code == "BAD_USER_INPUT"
    error = teacher.body["errors"][0]
    assert error["message"] == "Иванова И.И. already teaches 7А at bell 3 on Tuesdays."
    assert (error["extensions"]["field"], error["extensions"]["item"]) == ("teacherId", 1)
    # the room
    room = await api(
        SET, week_of(s, s.group_b, TODAY, slot(s.group_b, s.russian, s.petrov, 2, 3, s.room_12)),
        token=token,
    )  # fmt: skip
    assert room.body["errors"][0]["message"] == "Room 12 is taken by 7А at bell 3 on Tuesdays."
    # the group twice in one week
    twice = await api(
        SET,
        week_of(s, s.group_b, TODAY, slot(s.group_b, s.russian, s.petrov, 1, 1),
                slot(s.group_b, s.maths, s.ivanova, 1, 1)),
        token=token,
    )  # fmt: skip
    assert twice.body["errors"][0]["extensions"]["field"] == "groupId"
    assert twice.body["errors"][0]["extensions"]["item"] == 1
    # a subgroup of 7А while the whole class has a lesson
    split = await api(
        SET, week_of(s, s.subgroup_a, TODAY, slot(s.subgroup_a, s.russian, s.petrov, 2, 3)),
        token=token,
    )  # fmt: skip
    assert split.body["errors"][0]["extensions"]["field"] == "groupId"
    assert split.body["errors"][0]["message"].startswith("7А (Группа 1) already has a lesson")
    # and nothing of the refused writes is left
    assert (await api("{ timetable { totalCount } }", token=token)).data["timetable"][
        "totalCount"
    ] == 1


# R-TT-1: the invariant in the database itself
async def test_the_database_refuses_a_second_booking(engine: AsyncEngine, school: School) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no exclusion constraints: the writes check in their transaction")
    s = school
    row = {"school_id": s.school_id, "school_year_id": s.year_id, "group_id": s.group_a,
           "subject_id": s.maths, "teacher_id": s.ivanova, "room_id": None, "weekday": 2,
           "bell_number": 3, "valid_from": TODAY, "valid_to": None}  # fmt: skip
    async with engine.begin() as connection:
        await connection.execute(insert(m.TimetableEntry), row)
    # a slot of the same teacher and bell that overlaps
    other = {**row, "group_id": s.group_b, "valid_from": TODAY + timedelta(days=30)}
    with pytest.raises(IntegrityError, match="ex_timetable_entry_teacher_booked_once"):
        async with engine.begin() as connection:
            await connection.execute(insert(m.TimetableEntry), other)
    # one that ends before the other starts is fine
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE timetable_entry SET valid_to = :d"), {"d": TODAY + timedelta(days=29)}
        )
        await connection.execute(insert(m.TimetableEntry), other)


# R-TT-1: two deputies at once
async def test_two_writes_racing_for_one_teacher_book_them_once(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:
    s = school
    deputy, admin = await api.login("deputy", PASSWORD), await api.login("admin", PASSWORD)
    replies = await race(
        engine,
        [
            api(SET, week_of(s, s.group_a, TODAY, slot(s.group_a, s.maths, s.ivanova, 2, 3)),
                token=deputy),
            api(SET, week_of(s, s.group_b, TODAY, slot(s.group_b, s.maths, s.ivanova, 2, 3)),
                token=admin),
        ],
    )  # fmt: skip
    assert sorted(outcome(r) for r in replies) in (["BAD_USER_INPUT", "OK"], ["CONFLICT", "OK"])
    count = await _rows(engine, "SELECT count(*) FROM timetable_entry")
    assert count[0][0] == 1


async def _week_a(api: GraphQLClient, s: School, token: str) -> list[str]:
    reply = await api(SET, week_of(s, s.group_a, TODAY, *_everyday(s, s.group_a, s.ivanova, 3)),
                      token=token)  # fmt: skip
    return [e["id"] for e in reply.data["timetableSet"]["entries"]]


# R-TT-1, В.1 #6, А #28: the day's changes
async def test_the_deputy_changes_a_day_and_its_lesson_follows(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:
    s = school
    token = await api.login("deputy", PASSWORD)
    entries = await _week_a(api, s, token)
    day = _school_day(1)
    entry = entries[day.isoweekday() - 1]

    async def change(kind: str, **fields: Any) -> Response:
        values = {"kind": kind, "onDate": day.isoformat(), "entryId": entry, **fields}
        return await api(DAY, {"input": values}, token=token)

    def lesson_of_day(lessons: list[Any]) -> list[Any]:
        return [row for row in lessons if _day(row[0]) == day]

    # a substitute
    sub = await change("SUBSTITUTION", teacherId=gid("Person", s.petrov), reason="болезнь")
    assert sub.data["timetableChangeAdd"]["kind"] == "SUBSTITUTION"
    [lesson] = lesson_of_day(await _lessons(engine, s.group_a))
    assert (lesson[1], lesson[2], lesson[3]) == (3, s.ivanova, s.petrov)
    # a move to another bell
    moved = await change("MOVED", bellNumber=5)
    assert moved.data
    [lesson] = lesson_of_day(await _lessons(engine, s.group_a))
    assert lesson[1] == 5
    # an extra lesson for 7Б with Petrov at bell 5 clashes with the substitute's moved lesson
    extra = {"kind": "EXTRA", "onDate": day.isoformat(), "groupId": gid("Group", s.group_b),
             "subjectId": gid("Subject", s.russian), "teacherId": gid("Person", s.petrov),
             "bellNumber": 5}  # fmt: skip
    clash = await api(DAY, {"input": extra}, token=token)
    assert clash.error_code == "BAD_USER_INPUT"
    assert clash.body["errors"][0]["message"] == (
        f"Петров И.О. already teaches 7А at bell 5 on {day.isoformat()}."  # Имя Отчество
    )
    # at bell 6 it is made, with its lesson
    made = await api(DAY, {"input": {**extra, "bellNumber": 6}}, token=token)
    assert made.data
    assert [row[1] for row in lesson_of_day(await _lessons(engine, s.group_b))] == [6]
    # a second substitute for the same lesson that day is refused
    again = await change("SUBSTITUTION", teacherId=gid("Person", s.class_teacher))
    assert again.body["errors"][0]["extensions"]["field"] == "kind"
    # the move withdrawn: back at bell 3
    undo = await api(UNDO, {"id": moved.data["timetableChangeAdd"]["id"]}, token=token)
    assert undo.data
    [lesson] = lesson_of_day(await _lessons(engine, s.group_a))
    assert lesson[1] == 3
    # a cancellation
    assert (await change("CANCELLED")).data
    [lesson] = lesson_of_day(await _lessons(engine, s.group_a))
    assert lesson[4] == "cancelled"
    # and each change was audited
    audited = await _rows(
        engine, "SELECT action, count(*) FROM change WHERE entity = 'timetable_change' "
        "GROUP BY action ORDER BY action",
    )  # fmt: skip
    assert [tuple(row) for row in audited] == [("created", 4), ("deleted", 1)]


# R-TT-1: a lesson with journal records is never silently moved or removed
async def test_a_lesson_holding_records_is_kept_unless_the_admin_confirms(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:
    s = school
    deputy, admin = await api.login("deputy", PASSWORD), await api.login("admin", PASSWORD)
    entries = await _week_a(api, s, deputy)
    day = _school_day(1)
    entry = entries[day.isoweekday() - 1]
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE lesson SET topic = 'Дроби' WHERE group_id = :g AND held_on = :d"),
            {"g": s.group_a, "d": day},
        )
    # when the deputy ends the slot from that day
    variables = {"id": entry, "from": day.isoformat()}
    refused = await api(END, variables, token=deputy)
    # then the write answers what it would break, and nothing is changed
    assert refused.error_code == "BAD_USER_INPUT"
    error = refused.body["errors"][0]
    assert error["extensions"]["field"] == "confirm"
    [broken] = error["extensions"]["wouldBreak"]
    assert (broken["date"], broken["holds"]) == (day.isoformat(), ["a topic"])
    assert "Дроби" not in error["message"]
    assert "a topic" in error["message"]
    assert (await _rows(engine, "SELECT count(*) FROM timetable_entry WHERE valid_to IS NULL"))[0][
        0
    ] == 5
    # the deputy may not confirm it (they do not write journals); the admin may
    assert (await api(END, {**variables, "confirm": True}, token=deputy)).error_code == "FORBIDDEN"
    confirmed = await api(END, {**variables, "confirm": True}, token=admin)
    assert confirmed.data["timetableEntryEnd"]["entry"] is None or confirmed.data
    [lesson] = [row for row in await _lessons(engine, s.group_a) if _day(row[0]) == day]
    assert lesson[4] == "cancelled"  # kept, with its topic, as cancelled


MUTATIONS = ["timetableSet", "timetableEntryAdd", "timetableEntryChange", "timetableEntryEnd",
             "timetableChangeAdd", "timetableChangeRemove"]  # fmt: skip
# Who may: the admin and the deputy all of it; a class teacher their own class's weekly slots.
ALLOWED = {
    "admin": set(MUTATIONS),
    "deputy": set(MUTATIONS),
    "class_teacher": {"timetableSet", "timetableEntryAdd", "timetableEntryChange",
                      "timetableEntryEnd"},
}  # fmt: skip


async def _attempt(
    api: GraphQLClient, s: School, mutation: str, token: str, group: int, entry: str, change: str
) -> Response:
    day = _school_day(2)
    if mutation == "timetableSet":
        return await api(SET, week_of(s, group, day, slot(group, s.russian, s.petrov, 1, 7)),
                         token=token)  # fmt: skip
    if mutation == "timetableEntryAdd":
        values = {**slot(group, s.russian, s.petrov, 1, 8), "validFrom": day.isoformat()}
        return await api(ADD, {"input": values}, token=token)
    if mutation == "timetableEntryChange":
        values = {"entryId": entry, "validFrom": day.isoformat(), "bellNumber": 9}
        return await api(CHANGE, {"input": values}, token=token)
    if mutation == "timetableEntryEnd":
        return await api(END, {"id": entry, "from": day.isoformat()}, token=token)
    if mutation == "timetableChangeAdd":
        values = {"kind": "ROOM_CHANGE", "onDate": day.isoformat(), "entryId": entry,
                  "roomId": gid("Room", s.room_14)}  # fmt: skip
        return await api(DAY, {"input": values}, token=token)
    return await api(UNDO, {"id": change}, token=token)


# R-TT-1, В.1 #5–#6, Г.1 #7: each role against each mutation
@pytest.mark.parametrize("mutation", MUTATIONS)
async def test_who_may_write_the_timetable(
    engine: AsyncEngine, api: GraphQLClient, school: School, mutation: str
) -> None:
    s = school
    tokens = await _tokens(api)
    _school_day(2)
    # everyone on 7А, the class teacher of 7А on 7Б too
    runs = [(role, s.group_a, True) for role in ROLES] + [("class_teacher", s.group_b, False)]
    for role, group, own in runs:
        # given fresh slots of both classes, and a change to that class's lesson
        entries, change = await _fresh(engine, api, s, tokens["admin"], group)
        # when the role tries it on that class
        reply = await _attempt(api, s, mutation, tokens[role], group, entries[group], change)
        # then only the roles allowed may, and a class teacher only on their own class
        if mutation in ALLOWED.get(role, set()) and own:
            assert not reply.body.get("errors"), (role, mutation, own, reply.body)
        else:
            assert reply.error_code in {"FORBIDDEN", "NOT_FOUND"}, (role, mutation, own)


async def _fresh(
    engine: AsyncEngine, api: GraphQLClient, s: School, admin: str, group: int
) -> tuple[dict[int, str], str]:
    day = _school_day(2)
    async with engine.begin() as connection:
        for table in ("change", "timetable_change", "lesson", "timetable_entry"):
            await connection.execute(text(f"DELETE FROM {table}"))
    entries = {}
    for g in (s.group_a, s.group_b):
        week = _everyday(s, g, s.ivanova if g == s.group_a else s.petrov, 2)
        reply = await api(SET, week_of(s, g, TODAY, *week), token=admin)
        entries[g] = reply.data["timetableSet"]["entries"][day.isoweekday() - 1]["id"]
    cancel = {"kind": "CANCELLED", "onDate": day.isoformat(), "entryId": entries[group]}
    made = await api(DAY, {"input": cancel}, token=admin)
    return entries, made.data["timetableChangeAdd"]["id"]


# Constant SQL: the bulk form's statements do not grow with its slots
async def test_a_week_costs_the_same_statements_for_two_slots_or_twenty(
    api: GraphQLClient, school: School, sql: StatementCounter
) -> None:
    s = school
    token = await api.login("deputy", PASSWORD)
    counts = []
    for group, bells in ((s.group_a, 1), (s.group_b, 4)):
        week = [slot(group, s.maths, t, d, b) for d in range(1, 6) for b in range(1, bells + 1)
                for t in [s.ivanova if group == s.group_a else s.petrov]]  # fmt: skip
        sql.reset()
        assert (await api(SET, week_of(s, group, TODAY, *week), token=token)).data
        counts.append(sql.count)
    assert counts[0] == counts[1]


async def test_the_past_is_not_rewritten(api: GraphQLClient, school: School) -> None:
    s = school
    token = await api.login("admin", PASSWORD)
    yesterday = TODAY - timedelta(days=1)
    reply = await api(SET, week_of(s, s.group_a, yesterday, slot(s.group_a, s.maths, s.ivanova,
                                                                  1, 1)), token=token)  # fmt: skip
    assert reply.error_code == "BAD_USER_INPUT"
    assert reply.body["errors"][0]["extensions"]["field"] == "validFrom"


# R-TT-1: a booking made meanwhile by another writer is caught by the database, as CONFLICT
async def test_a_booking_made_meanwhile_is_a_conflict(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite writers hold the write lock from their start: no meanwhile")
    s = school
    token = await api.login("deputy", PASSWORD)
    row = {"school_id": s.school_id, "school_year_id": s.year_id, "group_id": s.group_b,
           "subject_id": s.maths, "teacher_id": s.ivanova, "room_id": None, "weekday": 2,
           "bell_number": 3, "valid_from": TODAY, "valid_to": None}  # fmt: skip
    # given another writer's slot for Ivanova, not yet committed
    async with engine.connect() as other:
        await other.execute(insert(m.TimetableEntry), row)
        # when the deputy books her at that bell, and the other writer then commits
        write = asyncio.create_task(
            api(SET, week_of(s, s.group_a, TODAY, slot(s.group_a, s.maths, s.ivanova, 2, 3)),
                token=token)
        )  # fmt: skip
        await asyncio.sleep(1)
        await other.commit()
        reply = await write
    # then the deputy's write is refused as a race lost, and leaves nothing
    assert reply.error_code == "CONFLICT"
    assert "booked at the same bell" in reply.body["errors"][0]["message"]
    count = await _rows(engine, "SELECT count(*) FROM timetable_entry")
    assert count[0][0] == 1


# R-TT-1: a weekly slot does not double-book a day's extra lesson either
async def test_a_weekly_slot_clashing_with_a_days_extra_lesson_is_refused(
    api: GraphQLClient, school: School
) -> None:
    s = school
    token = await api.login("deputy", PASSWORD)
    day = _school_day(1)
    extra = {"kind": "EXTRA", "onDate": day.isoformat(), "groupId": gid("Group", s.group_b),
             "subjectId": gid("Subject", s.russian), "teacherId": gid("Person", s.petrov),
             "bellNumber": 5}  # fmt: skip
    assert (await api(DAY, {"input": extra}, token=token)).data
    # when Petrov gets 7А on that weekday at that bell, every week from today
    week = slot(s.group_a, s.maths, s.petrov, day.isoweekday(), 5)
    reply = await api(SET, week_of(s, s.group_a, TODAY, week), token=token)
    # then the day's lesson is named
    assert reply.error_code == "BAD_USER_INPUT"
    error = reply.body["errors"][0]
    assert error["message"] == f"Петров И.О. already teaches 7Б at bell 5 on {day.isoformat()}."
    assert (error["extensions"]["field"], error["extensions"]["item"]) == ("teacherId", 0)
    # and from the day after, the week is fine
    later = week_of(s, s.group_a, day + timedelta(days=1), week)
    assert (await api(SET, later, token=token)).data


# R-TT-1: a moved working day (a Saturday worked as a Monday) has Monday's lessons to clash with
async def test_a_moved_working_day_is_checked_as_the_weekday_it_follows(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:
    s = school
    token = await api.login("deputy", PASSWORD)
    saturday = TODAY + timedelta(days=(6 - TODAY.isoweekday()) % 7 or 7)
    async with engine.begin() as connection:
        await connection.execute(
            insert(m.WorkingDay),
            {"school_id": s.school_id, "on_date": saturday, "follows_weekday": 1,
             "name": "перенос с понедельника"},
        )  # fmt: skip
    monday = slot(s.group_a, s.maths, s.ivanova, 1, 2)
    assert (await api(SET, week_of(s, s.group_a, TODAY, monday), token=token)).data
    # when an extra lesson with her is added that Saturday at Monday's bell
    extra = {"kind": "EXTRA", "onDate": saturday.isoformat(), "groupId": gid("Group", s.group_b),
             "subjectId": gid("Subject", s.russian), "teacherId": gid("Person", s.ivanova),
             "bellNumber": 2}  # fmt: skip
    reply = await api(DAY, {"input": extra}, token=token)
    # then her Monday lesson given that day is named
    assert reply.body["errors"][0]["message"] == (
        f"Иванова И.И. already teaches 7А at bell 2 on {saturday.isoformat()}."
    )


# R-TT-1, Г.1 #7: one slot corrected from a date, history kept; ended before it ever held
async def test_the_class_teacher_corrects_a_slot_of_their_class_from_a_date(
    engine: AsyncEngine, api: GraphQLClient, school: School
) -> None:
    s = school
    token = await api.login("class_teacher", PASSWORD)
    variables = {"input": {"classIds": [gid("SchoolClass", s.class_a)],
                           "validFrom": TODAY.isoformat(),
                           "slots": [slot(s.group_a, s.maths, s.ivanova, 3, 2)]}}  # fmt: skip
    [entry] = (await api(SET, variables, token=token)).data["timetableSet"]["entries"]
    later = TODAY + timedelta(days=7)
    # when they move it to bell 4 from a week later
    change = {"entryId": entry["id"], "validFrom": later.isoformat(), "bellNumber": 4}
    moved = (await api(CHANGE, {"input": change}, token=token)).data["timetableEntryChange"]
    # then the slot as it was ends the day before, and the new one starts that day
    assert (moved["validFrom"], moved["bellNumber"]) == (later.isoformat(), 4)
    rows = await _rows(engine, "SELECT bell_number, valid_from, valid_to FROM timetable_entry")
    assert sorted((r[0], _day(r[1]), _day(r[2])) for r in rows) == [
        (2, TODAY, later - timedelta(days=1)),
        (4, later, None),
    ]
    # and ending the new one from its first day withdraws it: it never held
    ended = await api(END, {"id": moved["id"], "from": later.isoformat()}, token=token)
    assert ended.data["timetableEntryEnd"]["entry"] is None
    rows = await _rows(engine, "SELECT bell_number FROM timetable_entry")
    assert [r[0] for r in rows] == [2]
    # and 7Б is not theirs
    other = {**variables["input"], "classIds": [gid("SchoolClass", s.class_b)], "slots": []}
    assert (await api(SET, {"input": other}, token=token)).error_code in {"NOT_FOUND", "FORBIDDEN"}
