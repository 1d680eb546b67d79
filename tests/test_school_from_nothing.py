"""From an empty database to a grade in a parent's diary, through the API alone (issue 11,
"Done means"): `tabel init` opens the school and prints its admin's temporary password; then
the admin, the deputy, the teachers and a parent do their parts over GraphQL, each with their
own sign-in, with no fixture, factory or demo code (R-SETUP-1, R-SETUP-2, R-PEOPLE-1, R-TT-1,
R-ACC-1, R-TOPIC-1, R-ATT-1, R-GRADE-1).

The one step the API cannot do yet is issuing a login to a person it entered: issue 12 brings
account issue. Until then the accounts are given as `tabel init` gives its admin's, with the
console's code (`_account_from_the_console`), and `test_no_mutation_issues_a_login_yet` fails
the day a mutation does, so that this test uses it instead."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from model.db import make_sessionmaker
from resolvers.accounts.passwords import new_password_hash
from resolvers.audit import Changed, record_as, snapshot
from resolvers.database import Database
from resolvers.setup.schools import HIDDEN, FirstAdmin, SchoolParameters, temporary_password
from schema.build import build_schema
from server.init_command import InitOptions, initialise
from tests.client import GraphQLClient, Response

ZONE = "Asia/Yekaterinburg"
PLANNED_DAYS = 14  # lessons exist for today and the two weeks after it

ME = "{ me { mustChangePassword login person { id fullName } roles { role } } }"
SCHOOLS = "{ schools { nodes { id name timezone weekLength } } }"
PASSWORD_CHANGE = """mutation($o: String!, $n: String!) {
  passwordChange(oldPassword: $o, newPassword: $n) }"""
SCHOOL_UPDATE = """mutation($i: SchoolUpdateInput!) { schoolUpdate(input: $i) {
  id name shortName address timezone weekLength } }"""
BUILDING = "mutation($i: BuildingCreateInput!) { buildingCreate(input: $i) { id name address } }"
ROOM = "mutation($i: RoomCreateInput!) { roomCreate(input: $i) { id name capacity } }"
SCALE = """mutation($i: GradeScaleCreateInput!) {
  gradeScaleCreate(input: $i) { id name marks { mark value } } }"""
WORK_TYPE = """mutation($i: WorkTypeCreateInput!) {
  workTypeCreate(input: $i) { id name weight checkingDays } }"""
SUBJECT = """mutation($i: SubjectCreateInput!) {
  subjectCreate(input: $i) { id name noAttestation gradeScale { name } } }"""
YEAR = """mutation($i: SchoolYearCreateInput!) {
  schoolYearCreate(input: $i) { id name startsOn endsOn } }"""
PERIODS = """mutation($y: ID!, $p: [PeriodInput!]!) {
  periodsCreate(schoolYearId: $y, periods: $p) { id name kind startsOn endsOn } }"""
BELLS = """mutation($i: BellScheduleCreateInput!) {
  bellScheduleCreate(input: $i) { id name bells { number startsAt endsAt } } }"""
WORKING_DAY = """mutation($i: WorkingDayCreateInput!) {
  workingDayCreate(input: $i) { id onDate followsWeekday } }"""
PEOPLE = """mutation($s: ID!, $p: [PersonInput!]!) { peopleCreate(schoolId: $s, people: $p) {
  id fullName roles { role } parents { kinship person { fullName } } } }"""
CLASS = """mutation($i: ClassCreateInput!) { classCreate(input: $i) {
  id name classTeacher { fullName } room { name } bellSchedule { name }
  groups { id kind name } } }"""
ENROL = """mutation($c: ID!, $s: [PlacementInput!]!) { studentsEnrol(classId: $c, students: $s) {
  startsOn endsOn student { fullName } schoolClass { name } } }"""
TEACHERS = """mutation($s: ID!, $t: [ID!]!) { subjectTeachersSet(subjectId: $s, teacherIds: $t) {
  name teachers { fullName } } }"""
ROOMS = """mutation($s: ID!, $r: [ID!]!) { subjectRoomsSet(subjectId: $s, roomIds: $r) {
  name rooms { name } } }"""
CLASSES = """mutation($s: ID!, $c: [SubjectClassInput!]!) {
  subjectClassesSet(subjectId: $s, classes: $c) { name } }"""
CURRICULUM = """query($c: ID!) { node(id: $c) { ... on SchoolClass {
  name students { fullName } subjects { hoursPerWeek subject { name } } } } }"""
PLAN = """mutation($i: PlanCreateInput!) { planCreate(input: $i) {
  id name parallel subject { name } author { fullName }
  items { id position topic hours workType { name } } } }"""
TIMETABLE = """mutation($i: TimetableSetInput!) { timetableSet(input: $i) {
  entries { weekday bellNumber validFrom subject { name } teacher { shortName } room { name } }
  ended withdrawn } }"""
SETUP = """query($s: ID!) { schoolSetup(schoolId: $s) {
  ready dueOn schoolYear { name } items { gap missing todo } } }"""
LESSONS = """query($f: JournalFilter!) { lessons(filter: $f, first: 100) {
  totalCount nodes { id version heldOn bellNumber status topic
    subject { name } teacher { fullName } group { name } } } }"""
TOPIC = """mutation($i: LessonUpdateInput!) { lessonUpdate(input: $i) {
  topic planItem { topic } version } }"""
ATTENDANCE = """mutation($l: ID!, $m: [AttendanceEntryInput!]!) {
  attendanceMark(lessonId: $l, marks: $m) {
    lesson { attendanceTakenAt } attendance { kind student { fullName } } } }"""
GRADES = """mutation($i: GradesSetInput!) { gradesSet(input: $i) {
  grades { mark comment onTime student { fullName } workType { name } } } }"""
CHILDREN = "{ me { person { children { kinship person { id fullName } } } } }"
DIARY = """query($s: ID!, $w: Date!) { diaryWeek(studentId: $s, weekOf: $w) { days {
  date dayOff lessons { bellNumber status topic change subject { name } teacher { shortName }
    grades { mark comment workType { shortName weight } } attendance { kind } } } } }"""


def _pk(global_id: str) -> int:
    return int(relay.from_base64(global_id)[1])


def _school_year(today: date) -> tuple[date, date]:
    """The school year holding today: 1 September to 31 August."""
    first = today.year if today.month >= 9 else today.year - 1
    return date(first, 9, 1), date(first + 1, 8, 31)


def _quarters(starts: date) -> list[dict[str, Any]]:
    """Four quarters filling the year with no vacation between them: today is in term on
    whatever date the test runs (a real school's vacations are gaps between them)."""
    y = starts.year
    spans = [
        (date(y, 9, 1), date(y, 10, 31)),
        (date(y, 11, 1), date(y, 12, 31)),
        (date(y + 1, 1, 1), date(y + 1, 3, 31)),
        (date(y + 1, 4, 1), date(y + 1, 8, 31)),
    ]
    quarters = [
        {"kind": "QUARTER", "number": n, "startsOn": s.isoformat(), "endsOn": e.isoformat()}
        for n, (s, e) in enumerate(spans, start=1)
    ]
    year = {"kind": "YEAR", "number": 1, "startsOn": spans[0][0].isoformat()}
    return [*quarters, {**year, "endsOn": spans[-1][1].isoformat()}]


@dataclass
class Users:
    """Tokens of those who signed in, by role in this story."""

    api: GraphQLClient
    tokens: dict[str, str] = field(default_factory=dict)

    async def call(self, who: str, query: str, variables: dict[str, Any] | None = None) -> Any:
        return (await self.api(query, variables, token=self.tokens[who])).data

    async def first_sign_in(self, who: str, login: str, temporary: str) -> None:
        """R-ACC-1: the temporary password opens nothing but `me` until it is changed."""
        token = await self.api.login(login, temporary)
        me = (await self.api(ME, token=token)).data["me"]
        assert (me["login"], me["mustChangePassword"]) == (login, True)
        refused: Response = await self.api(SCHOOLS, token=token)
        assert refused.error_code == "FORBIDDEN"
        assert refused.body["errors"][0]["extensions"]["reason"] == "PASSWORD_CHANGE_REQUIRED"
        new = f"{login}-own-secret-2026"
        assert (await self.api(PASSWORD_CHANGE, {"o": temporary, "n": new}, token=token)).data
        self.tokens[who] = await self.api.login(login, new)
        assert (await self.call(who, ME))["me"]["mustChangePassword"] is False


async def _account_from_the_console(
    engine: AsyncEngine, school_id: int, person_id: str, login: str
) -> str:
    """THE GAP (issue 12): no mutation issues a login to a person `peopleCreate` entered. This
    is what `tabel init` does for its admin (resolvers/setup/schools.py): an account with a
    temporary password that must be changed at the first sign-in, audited by no one."""
    password = temporary_password()
    async with make_sessionmaker(engine)() as session:
        db = Database(session)
        await db.begin_writing()
        account = (
            await db.execute(
                insert(m.Account)
                .values(
                    person_id=_pk(person_id),
                    login=login,
                    password_hash=await new_password_hash(password),
                    must_change_password=True,
                )
                .returning(m.Account)
            )
        ).scalar_one()
        shown = {key: value for key, value in snapshot(account).items() if key not in HIDDEN}
        await record_as(db, None, [Changed(school_id, m.Account, account.id, None, shown)])
        await db.commit()
    return password


def _school_days(today: date, year_ends: date, working_day: date | None) -> list[date]:
    """The days from today through two weeks on with lessons: Monday to Saturday in the school
    year (the quarters fill it), and a working day moved onto a Sunday."""
    last = min(today + timedelta(days=PLANNED_DAYS), year_ends)
    every = [today + timedelta(days=n) for n in range((last - today).days + 1)]
    return [day for day in every if day.isoweekday() <= 6 or day == working_day]


def test_no_mutation_issues_a_login_yet() -> None:
    # given the schema; then no mutation gives a person a login: the gap this test fills with
    # the console's code. When issue 12 adds one, use it in the test below and drop this.
    mutation = build_schema()._schema.mutation_type
    assert mutation is not None
    names = set(mutation.fields)
    assert {"login", "logout", "passwordChange", "schoolCreate", "peopleCreate"} <= names
    issuing = {name for name in names if name.startswith(("account", "login", "credential"))}
    assert issuing == {"login"}, issuing


async def test_a_school_from_an_empty_database_to_a_grade_in_the_parents_diary(
    database_url: str, engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given an empty, upgraded database: no school, no person, no account
    async with engine.connect() as connection:
        for table in (m.School, m.Person, m.Account, m.Lesson):
            count = select(func.count()).select_from(table)
            assert (await connection.execute(count)).scalar_one() == 0, table
    users = Users(api)

    # when the operator who installs tabel runs `tabel init` (the function behind it)
    done = await initialise(
        engine,
        database_url,
        InitOptions(
            region="Свердловская область",
            municipality="г. Екатеринбург",
            school=SchoolParameters(name="МБОУ СОШ № 12", timezone="Europe/Moscow"),
            admin=FirstAdmin("Админова", "Ольга", "Петровна", "olga.admin"),
        ),
    )
    # then the school's admin signs in with the printed password and must change it first
    await users.first_sign_in("admin", done.admin.login, done.admin.temporary_password)
    [school] = (await users.call("admin", SCHOOLS))["schools"]["nodes"]
    assert school["name"] == "МБОУ СОШ № 12"
    s = school["id"]
    # and the readiness report says there is no school year yet (R-SETUP-1)
    setup = (await users.call("admin", SETUP, {"s": s}))["schoolSetup"]
    assert (setup["ready"], setup["schoolYear"]) == (False, None)
    assert [item["gap"] for item in setup["items"]] == ["SCHOOL_YEAR"]

    # R-SETUP-2 (А #12): the admin sets the school's parameters: its own time zone and a
    # six-day week (lessons Monday to Saturday)
    school = (
        await users.call(
            "admin",
            SCHOOL_UPDATE,
            {
                "i": {
                    "schoolId": s,
                    "shortName": "Школа № 12",
                    "timezone": ZONE,
                    "weekLength": 6,
                    "address": "г. Екатеринбург, ул. Ленина, 12",
                }
            },
        )
    )["schoolUpdate"]
    assert (school["shortName"], school["timezone"], school["weekLength"]) == (
        "Школа № 12",
        ZONE,
        6,
    )
    today = datetime.now(ZoneInfo(ZONE)).date()

    # А #12: a building and its rooms
    building = (
        await users.call("admin", BUILDING, {"i": {"schoolId": s, "name": "Главный корпус"}})
    )["buildingCreate"]
    rooms = [
        (
            await users.call(
                "admin", ROOM, {"i": {"buildingId": building["id"], "name": name, "capacity": 30}}
            )
        )["roomCreate"]
        for name in ("Кабинет 21", "Кабинет 22")
    ]
    assert [room["name"] for room in rooms] == ["Кабинет 21", "Кабинет 22"]

    # А #16, §4.8: a grade scale, the kinds of work with their weights, the subjects
    marks = [{"mark": str(n), "value": str(n)} for n in (5, 4, 3, 2)]
    scale = (
        await users.call(
            "admin", SCALE, {"i": {"schoolId": s, "name": "Пятибалльная", "marks": marks}}
        )
    )["gradeScaleCreate"]
    assert [mark["mark"] for mark in scale["marks"]] == ["5", "4", "3", "2"]
    oral = (
        await users.call(
            "admin",
            WORK_TYPE,
            {"i": {"schoolId": s, "name": "Ответ на уроке", "shortName": "Отв", "weight": "1"}},
        )
    )["workTypeCreate"]
    test = (
        await users.call(
            "admin",
            WORK_TYPE,
            {
                "i": {
                    "schoolId": s,
                    "name": "Контрольная работа",
                    "shortName": "К/р",
                    "weight": "2",
                    "checkingDays": 7,
                }
            },
        )
    )["workTypeCreate"]
    assert (oral["weight"], test["weight"], test["checkingDays"]) == ("1.00", "2.00", 7)
    subjects = {
        name: (
            await users.call(
                "admin",
                SUBJECT,
                {
                    "i": {
                        "schoolId": s,
                        "name": name,
                        "shortName": short,
                        "gradeScaleId": scale["id"],
                    }
                },
            )
        )["subjectCreate"]
        for name, short in (("Математика", "Мат"), ("Русский язык", "Рус"))
    }
    assert subjects["Математика"]["gradeScale"] == {"name": "Пятибалльная"}
    maths, russian = subjects["Математика"]["id"], subjects["Русский язык"]["id"]

    # R-SETUP-1 (А #14, #15): the school year holding today, its quarters and the year, bells
    starts, ends = _school_year(today)
    name = f"{starts.year}/{ends.year}"
    year = (
        await users.call(
            "admin",
            YEAR,
            {
                "i": {
                    "schoolId": s,
                    "name": name,
                    "startsOn": starts.isoformat(),
                    "endsOn": ends.isoformat(),
                }
            },
        )
    )["schoolYearCreate"]
    periods = (await users.call("admin", PERIODS, {"y": year["id"], "p": _quarters(starts)}))[
        "periodsCreate"
    ]
    assert [p["name"] for p in periods] == [
        "1 четверть",
        "2 четверть",
        "3 четверть",
        "4 четверть",
        "Учебный год",
    ]
    bells = [
        {"number": n, "startsAt": f"{7 + n:02}:30:00", "endsAt": f"{8 + n:02}:15:00"}
        for n in (1, 2, 3)
    ]
    schedule = (
        await users.call("admin", BELLS, {"i": {"schoolId": s, "name": "Основное", "bells": bells}})
    )["bellScheduleCreate"]
    assert [b["number"] for b in schedule["bells"]] == [1, 2, 3]
    working_day = None
    if today.isoweekday() == 7:
        # a Sunday has no lessons: this one is worked instead of a Saturday (перенос), as a
        # school does before a holiday, so that today has lessons to fill
        working_day = today
        moved = (
            await users.call(
                "admin",
                WORKING_DAY,
                {
                    "i": {
                        "schoolId": s,
                        "onDate": today.isoformat(),
                        "followsWeekday": 6,
                        "name": "Перенос с субботы",
                    }
                },
            )
        )["workingDayCreate"]
        assert moved["followsWeekday"] == 6

    # R-PEOPLE-1 (А #13, #19): staff, a parent, then the students with their parent (kinship)
    staff = (
        await users.call(
            "admin",
            PEOPLE,
            {
                "s": s,
                "p": [
                    {
                        "lastName": "Сидорова",
                        "firstName": "Елена",
                        "middleName": "Викторовна",
                        "roles": ["DEPUTY"],
                    },
                    {
                        "lastName": "Иванова",
                        "firstName": "Ирина",
                        "middleName": "Ивановна",
                        "roles": ["TEACHER"],
                    },
                    {
                        "lastName": "Петрова",
                        "firstName": "Анна",
                        "middleName": "Сергеевна",
                        "roles": ["TEACHER"],
                    },
                    {
                        "lastName": "Кузнецов",
                        "firstName": "Павел",
                        "middleName": "Андреевич",
                        "roles": ["PARENT"],
                    },
                ],
            },
        )
    )["peopleCreate"]
    deputy, teacher, class_teacher, parent = (person["id"] for person in staff)
    assert [(p["fullName"], p["roles"]) for p in staff] == [
        ("Сидорова Елена Викторовна", [{"role": "deputy"}]),
        ("Иванова Ирина Ивановна", [{"role": "teacher"}]),
        ("Петрова Анна Сергеевна", [{"role": "teacher"}]),
        ("Кузнецов Павел Андреевич", [{"role": "parent"}]),
    ]
    pupils = (
        await users.call(
            "admin",
            PEOPLE,
            {
                "s": s,
                "p": [
                    {
                        "lastName": "Кузнецова",
                        "firstName": "Мария",
                        "roles": ["STUDENT"],
                        "parents": [{"parentId": parent, "kinship": "FATHER"}],
                    },
                    {"lastName": "Смирнов", "firstName": "Олег", "roles": ["STUDENT"]},
                ],
            },
        )
    )["peopleCreate"]
    daughter, classmate = (pupil["id"] for pupil in pupils)
    assert pupils[0]["parents"] == [
        {"kinship": "FATHER", "person": {"fullName": "Кузнецов Павел Андреевич"}}
    ]

    # R-ACC-1: their sign-ins — given from the console, the API has no account issue yet
    school_pk = _pk(s)
    temporary = {
        who: (login, await _account_from_the_console(engine, school_pk, person, login))
        for who, person, login in (
            ("deputy", deputy, "sidorova"),
            ("teacher", teacher, "ivanova"),
            ("class_teacher", class_teacher, "petrova"),
            ("parent", parent, "kuznetsov"),
        )
    }
    for who, (login, password) in temporary.items():
        await users.first_sign_in(who, login, password)

    # А #17: a class with its class teacher, home room and bells; its whole-class group
    made = (
        await users.call(
            "admin",
            CLASS,
            {
                "i": {
                    "schoolYearId": year["id"],
                    "parallel": 5,
                    "letter": "А",
                    "classTeacherId": class_teacher,
                    "roomId": rooms[0]["id"],
                    "bellScheduleId": schedule["id"],
                }
            },
        )
    )["classCreate"]
    assert (made["name"], made["classTeacher"], made["room"], made["bellSchedule"]) == (
        "5А",
        {"fullName": "Петрова Анна Сергеевна"},
        {"name": "Кабинет 21"},
        {"name": "Основное"},
    )
    [whole] = made["groups"]
    assert whole["kind"] == "WHOLE_CLASS"
    class_id = made["id"]

    # А #20: the students placed in it from the year's first day
    placed = (
        await users.call(
            "admin",
            ENROL,
            {"c": class_id, "s": [{"studentId": daughter}, {"studentId": classmate}]},
        )
    )["studentsEnrol"]
    assert [(p["student"]["fullName"], p["startsOn"], p["endsOn"]) for p in placed] == [
        ("Кузнецова Мария", starts.isoformat(), None),
        ("Смирнов Олег", starts.isoformat(), None),
    ]

    # А #16: who teaches what, in which room, and the class's curriculum (hours a week)
    links = [
        (await users.call("admin", TEACHERS, {"s": maths, "t": [teacher]}))["subjectTeachersSet"],
        (await users.call("admin", TEACHERS, {"s": russian, "t": [class_teacher]}))[
            "subjectTeachersSet"
        ],
    ]
    assert [(link["name"], link["teachers"]) for link in links] == [
        ("Математика", [{"fullName": "Иванова Ирина Ивановна"}]),
        ("Русский язык", [{"fullName": "Петрова Анна Сергеевна"}]),
    ]
    fitted = await users.call("admin", ROOMS, {"s": maths, "r": [rooms[1]["id"]]})
    assert fitted["subjectRoomsSet"]["rooms"] == [{"name": "Кабинет 22"}]
    for subject in (maths, russian):
        await users.call(
            "admin", CLASSES, {"s": subject, "c": [{"classId": class_id, "hoursPerWeek": 6}]}
        )
    curriculum = (await users.call("admin", CURRICULUM, {"c": class_id}))["node"]
    assert [(c["subject"]["name"], c["hoursPerWeek"]) for c in curriculum["subjects"]] == [
        ("Математика", 6),
        ("Русский язык", 6),
    ]
    assert [p["fullName"] for p in curriculum["students"]] == ["Кузнецова Мария", "Смирнов Олег"]

    # Д.1 #3: each teacher writes the КТП of what they teach (the first topic closes with a test
    # in the second)
    plans = {}
    for who, subject, topics in (
        ("teacher", maths, ["Натуральные числа", "Контрольная работа № 1"]),
        ("class_teacher", russian, ["Звуки и буквы", "Диктант"]),
    ):
        items = [
            {"topic": topics[0], "hours": 6},
            {"topic": topics[1], "hours": 1, "workTypeId": test["id"]},
        ]
        plans[who] = (
            await users.call(
                who,
                PLAN,
                {
                    "i": {
                        "schoolYearId": year["id"],
                        "subjectId": subject,
                        "parallel": 5,
                        "name": "5 класс",
                        "items": items,
                    }
                },
            )
        )["planCreate"]
    maths_plan = plans["teacher"]
    assert maths_plan["author"] == {"fullName": "Иванова Ирина Ивановна"}
    assert [(i["position"], i["topic"], i["workType"]) for i in maths_plan["items"]] == [
        (1, "Натуральные числа", None),
        (2, "Контрольная работа № 1", {"name": "Контрольная работа"}),
    ]

    # R-TT-1 (В.1 #5): the deputy enters the class's week from today: Russian at bell 1 and
    # maths at bell 2, Monday to Saturday
    week = [
        {
            "groupId": whole["id"],
            "subjectId": subject,
            "teacherId": who,
            "roomId": room,
            "weekday": weekday,
            "bellNumber": bell,
        }
        for weekday in range(1, 7)
        for bell, subject, who, room in (
            (1, russian, class_teacher, rooms[0]["id"]),
            (2, maths, teacher, rooms[1]["id"]),
        )
    ]
    entered = (
        await users.call(
            "deputy",
            TIMETABLE,
            {"i": {"classIds": [class_id], "validFrom": today.isoformat(), "slots": week}},
        )
    )["timetableSet"]
    assert (len(entered["entries"]), entered["ended"], entered["withdrawn"]) == (12, 0, 0)
    assert entered["entries"][1] == {
        "weekday": 1,
        "bellNumber": 2,
        "validFrom": today.isoformat(),
        "subject": {"name": "Математика"},
        "teacher": {"shortName": "Иванова И.И."},
        "room": {"name": "Кабинет 22"},
    }

    # §4.1: nothing is missing before the year starts
    setup = (await users.call("admin", SETUP, {"s": s}))["schoolSetup"]
    assert setup == {
        "ready": True,
        "dueOn": date(starts.year, 9, 5).isoformat(),
        "schoolYear": {"name": name},
        "items": [],
    }

    # Г.1 #9: the lessons of today and the coming two weeks are there to plan and to fill
    planned = (
        await users.call(
            "deputy",
            LESSONS,
            {
                "f": {
                    "classId": class_id,
                    "dateFrom": today.isoformat(),
                    "dateTo": (today + timedelta(days=PLANNED_DAYS)).isoformat(),
                }
            },
        )
    )["lessons"]
    school_days = _school_days(today, ends, working_day)
    by_day: dict[str, list[tuple[int, str]]] = {}
    for lesson in planned["nodes"]:
        by_day.setdefault(lesson["heldOn"], []).append(
            (lesson["bellNumber"], lesson["subject"]["name"])
        )
    assert by_day == {
        day.isoformat(): [(1, "Русский язык"), (2, "Математика")] for day in school_days
    }
    assert planned["totalCount"] == 2 * len(school_days)
    assert {lesson["status"] for lesson in planned["nodes"]} == {"PLANNED"}

    # R-TOPIC-1, R-ATT-1, R-GRADE-1: the teacher finds today's maths lesson among their own
    me = (await users.call("teacher", ME))["me"]["person"]["id"]
    mine = (
        await users.call(
            "teacher",
            LESSONS,
            {"f": {"teacherId": me, "dateFrom": today.isoformat(), "dateTo": today.isoformat()}},
        )
    )["lessons"]["nodes"]
    [lesson] = mine
    assert (lesson["subject"]["name"], lesson["group"]["name"], lesson["bellNumber"]) == (
        "Математика",
        whole["name"],
        2,
    )
    # and enters its topic from the КТП
    topic = (
        await users.call(
            "teacher",
            TOPIC,
            {
                "i": {
                    "lessonId": lesson["id"],
                    "version": lesson["version"],
                    "planItemId": maths_plan["items"][0]["id"],
                }
            },
        )
    )["lessonUpdate"]
    assert (topic["topic"], topic["planItem"]) == (
        "Натуральные числа",
        {"topic": "Натуральные числа"},
    )
    # attendance: Олег is away with a valid reason, Мария is there
    taken = (
        await users.call(
            "teacher",
            ATTENDANCE,
            {"l": lesson["id"], "m": [{"studentId": classmate, "kind": "ABSENT_VALID"}]},
        )
    )["attendanceMark"]
    assert taken["lesson"]["attendanceTakenAt"] is not None
    assert taken["attendance"] == [
        {"kind": "ABSENT_VALID", "student": {"fullName": "Смирнов Олег"}}
    ]
    # and Мария's grade for her answer
    graded = (
        await users.call(
            "teacher",
            GRADES,
            {
                "i": {
                    "lessonId": lesson["id"],
                    "grades": [
                        {
                            "studentId": daughter,
                            "workTypeId": oral["id"],
                            "mark": "5",
                            "comment": "Уверенно решила задачу у доски",
                        }
                    ],
                }
            },
        )
    )["gradesSet"]
    assert graded["grades"] == [
        {
            "mark": "5",
            "comment": "Уверенно решила задачу у доски",
            "onTime": True,
            "student": {"fullName": "Кузнецова Мария"},
            "workType": {"name": "Ответ на уроке"},
        },
    ]

    # Ж: the parent opens the diary of their child's week and reads the grade
    [child] = (await users.call("parent", CHILDREN))["me"]["person"]["children"]
    assert (child["kinship"], child["person"]["fullName"]) == ("FATHER", "Кузнецова Мария")
    diary = (
        await users.call("parent", DIARY, {"s": child["person"]["id"], "w": today.isoformat()})
    )["diaryWeek"]
    shown = {day["date"]: day for day in diary["days"]}
    if today.isoformat() not in shown:
        pytest.xfail(
            f"diaryWeek shows Monday to Saturday: the lessons of a working day moved onto a "
            f"Sunday ({today.isoformat()}) are not in the diary"
        )
    day = shown[today.isoformat()]
    assert day["dayOff"] is None
    assert [(entry["bellNumber"], entry["subject"]["name"]) for entry in day["lessons"]] == [
        (1, "Русский язык"),
        (2, "Математика"),
    ]
    entry = day["lessons"][1]
    assert (entry["topic"], entry["teacher"], entry["attendance"]) == (
        "Натуральные числа",
        {"shortName": "Иванова И.И."},
        None,
    )
    assert entry["grades"] == [
        {
            "mark": "5",
            "comment": "Уверенно решила задачу у доски",
            "workType": {"shortName": "Отв", "weight": "1.00"},
        },
    ]
