"""From an empty database to a grade in a parent's diary, through the API alone (issue 11,
"Done means"): `tabel init` opens the school and prints its admin's temporary password; then
the admin, the deputy, the teachers and a parent do their parts over GraphQL, each with their
own sign-in, with no fixture, factory or demo code (R-SETUP-1, R-SETUP-2, R-PEOPLE-1, R-TT-1,
R-ACC-1, R-TOPIC-1, R-ATT-1, R-GRADE-1, R-AUDIT-1). The database is the suite's, emptied after
every test: the story checks that it starts with nothing in it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from resolvers.setup.schools import FirstAdmin, SchoolParameters
from server.init_command import InitOptions, initialise
from tests.client import GraphQLClient, Response

# The school's time zone: Yekaterinburg's, unless its today is a Sunday; then one whose today
# is a Saturday or a Monday (one of them always is), for today to have lessons to fill.
ZONES = ("Asia/Yekaterinburg", "Etc/GMT+12", "Pacific/Kiritimati")
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
ISSUE = """mutation($i: AccountHoldersInput!, $at: String!) {
  accountsIssue(input: $i, signInAt: $at) {
    accounts { temporaryPassword account { login person { id } } }
    slips
  }
}"""
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
  entries { id weekday bellNumber validFrom subject { name } teacher { shortName }
    room { name } }
  ended withdrawn } }"""
SETUP = """query($s: ID!) { schoolSetup(schoolId: $s) {
  ready dueOn schoolYear { name } items { gap missing todo } } }"""
LESSONS = """query($f: JournalFilter!) { lessons(filter: $f, first: 100) {
  totalCount nodes { id version heldOn bellNumber status topic
    subject { name } teacher { shortName } substitute { shortName } group { name } } } }"""
TOPIC = """mutation($i: LessonUpdateInput!) { lessonUpdate(input: $i) {
  topic planItem { topic } version } }"""
ATTENDANCE = """mutation($l: ID!, $m: [AttendanceEntryInput!]!) {
  attendanceMark(lessonId: $l, marks: $m) {
    lesson { attendanceTakenAt } attendance { kind student { fullName } } } }"""
GRADES = """mutation($i: GradesSetInput!) { gradesSet(input: $i) {
  grades { mark comment onTime student { fullName } workType { name } } } }"""
TRAIL = """query($by: ID!, $record: String!) {
  changes(changedById: $by, record: $record, first: 100) {
    totalCount nodes { action record after changedBy { fullName } } } }"""
GRANT = """mutation($s: ID!, $g: [RoleGrantInput!]!) {
  rolesGrant(schoolId: $s, grants: $g) { fullName roles { role } } }"""
CHANGE = """mutation($i: TimetableChangeAddInput!) { timetableChangeAdd(input: $i) {
  kind onDate reason entry { bellNumber } teacher { shortName } } }"""
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
    """Four quarters filling the year with no vacation between them, so that today is in term
    on whatever date the test runs (a real school's vacations are the gaps between them)."""
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


def _zone() -> tuple[str, date]:
    """The school's time zone and its today: a school day of a six-day week."""
    for zone in ZONES:
        today = datetime.now(ZoneInfo(zone)).date()
        if today.isoweekday() <= 6:
            return zone, today
    raise AssertionError("no zone of ZONES has a school day today")


def _school_days(today: date, year_ends: date, working_day: date | None) -> list[date]:
    """The days from today through two weeks on that have lessons: Monday to Saturday in the
    school year (its quarters fill it), and a Sunday worked instead of another day."""
    last = min(today + timedelta(days=PLANNED_DAYS), year_ends)
    every = [today + timedelta(days=n) for n in range((last - today).days + 1)]
    return [day for day in every if day.isoweekday() <= 6 or day == working_day]


def _person(last: str, first: str, middle: str | None, *roles: str) -> dict[str, Any]:
    return {"lastName": last, "firstName": first, "middleName": middle, "roles": list(roles)}


@dataclass
class Story:
    """The school as the story has made it (global IDs by name), and who has signed in."""

    api: GraphQLClient
    engine: AsyncEngine
    today: date = date.min
    ids: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    working_day: date | None = None

    async def ask(self, who: str, query: str, **variables: Any) -> Any:
        """The one root field's answer, as `who` asked it; an error fails the test."""
        data = (await self.api(query, variables, token=self.tokens[who])).data
        [answer] = data.values()
        return answer

    async def first_sign_in(self, who: str, login: str, temporary: str) -> None:
        """R-ACC-1: a temporary password opens nothing but `me` until it is changed."""
        token = await self.api.login(login, temporary)
        me = (await self.api(ME, token=token)).data["me"]
        assert (me["login"], me["mustChangePassword"]) == (login, True)
        refused: Response = await self.api(SCHOOLS, token=token)
        assert refused.error_code == "FORBIDDEN"
        assert refused.body["errors"][0]["extensions"]["reason"] == "PASSWORD_CHANGE_REQUIRED"
        new = f"{login}-own-secret-2026"
        assert (await self.api(PASSWORD_CHANGE, {"o": temporary, "n": new}, token=token)).data
        self.tokens[who] = await self.api.login(login, new)
        assert (await self.ask(who, ME))["mustChangePassword"] is False


async def _opened_by_tabel_init(story: Story, database_url: str) -> None:
    # given an empty, upgraded database: no school, no person, no account, no lesson
    async with story.engine.connect() as connection:
        for table in (m.School, m.Person, m.Account, m.Lesson):
            count = select(func.count()).select_from(table)
            assert (await connection.execute(count)).scalar_one() == 0, table
    # when the operator who installs tabel runs `tabel init` (the function behind it)
    options = InitOptions(
        region="Свердловская область",
        municipality="г. Екатеринбург",
        school=SchoolParameters(name="МБОУ СОШ № 12", timezone="Europe/Moscow"),
        admin=FirstAdmin("Админова", "Ольга", "Петровна", "olga.admin"),
    )
    done = await initialise(story.engine, database_url, options)
    # then its admin signs in with the printed password, changes it, and finds the school
    await story.first_sign_in("admin", done.admin.login, done.admin.temporary_password)
    [school] = (await story.ask("admin", SCHOOLS))["nodes"]
    assert (school["name"], school["timezone"]) == ("МБОУ СОШ № 12", "Europe/Moscow")
    story.ids["school"] = school["id"]
    # and the readiness report says what comes first: a school year (R-SETUP-1)
    setup = await story.ask("admin", SETUP, s=school["id"])
    assert (setup["ready"], setup["schoolYear"]) == (False, None)
    assert [item["gap"] for item in setup["items"]] == ["SCHOOL_YEAR"]


async def _school_and_premises(story: Story) -> None:
    # R-SETUP-2 (А #12): the school's parameters: its own time zone, a six-day week
    s = story.ids["school"]
    zone, story.today = _zone()
    school = await story.ask(
        "admin",
        SCHOOL_UPDATE,
        i={"schoolId": s, "shortName": "Школа № 12", "timezone": zone, "weekLength": 6,
           "address": "г. Екатеринбург, ул. Ленина, 12"},
    )  # fmt: skip
    assert (school["shortName"], school["timezone"], school["weekLength"]) == (
        "Школа № 12",
        zone,
        6,
    )
    # a building and its rooms
    building = await story.ask("admin", BUILDING, i={"schoolId": s, "name": "Главный корпус"})
    for name in ("Кабинет 21", "Кабинет 22"):
        room = await story.ask(
            "admin", ROOM, i={"buildingId": building["id"], "name": name, "capacity": 30}
        )
        assert (room["name"], room["capacity"]) == (name, 30)
        story.ids[name] = room["id"]


async def _curriculum(story: Story) -> None:
    # А #16, §4.8: a grade scale, kinds of work with their weights, the subjects on the scale
    s = story.ids["school"]
    marks = [{"mark": str(n), "value": str(n)} for n in (5, 4, 3, 2)]
    scale = await story.ask("admin", SCALE, i={"schoolId": s, "name": "Пятибалльная",
                                               "marks": marks})  # fmt: skip
    assert [mark["mark"] for mark in scale["marks"]] == ["5", "4", "3", "2"]
    oral = await story.ask("admin", WORK_TYPE, i={"schoolId": s, "name": "Ответ на уроке",
                                                  "shortName": "Отв", "weight": "1"})  # fmt: skip
    test = await story.ask("admin", WORK_TYPE, i={"schoolId": s, "name": "Контрольная работа",
                                                  "shortName": "К/р", "weight": "2",
                                                  "checkingDays": 7})  # fmt: skip
    assert (oral["weight"], test["weight"], test["checkingDays"]) == ("1.00", "2.00", 7)
    story.ids |= {"oral": oral["id"], "test": test["id"]}
    for name, short in (("Математика", "Мат"), ("Русский язык", "Рус")):
        subject = await story.ask("admin", SUBJECT, i={"schoolId": s, "name": name,
                                                       "shortName": short,
                                                       "gradeScaleId": scale["id"]})  # fmt: skip
        assert (subject["gradeScale"], subject["noAttestation"]) == (
            {"name": "Пятибалльная"},
            False,
        )
        story.ids[name] = subject["id"]


async def _calendar(story: Story) -> None:
    # R-SETUP-1 (А #14, #15): the school year holding today, its quarters and the year, bells
    s, today = story.ids["school"], story.today
    starts, ends = _school_year(today)
    name = f"{starts.year}/{ends.year}"
    year = await story.ask("admin", YEAR, i={"schoolId": s, "name": name,
                                             "startsOn": starts.isoformat(),
                                             "endsOn": ends.isoformat()})  # fmt: skip
    story.ids["year"] = year["id"]
    periods = await story.ask("admin", PERIODS, y=year["id"], p=_quarters(starts))
    assert [period["name"] for period in periods] == [
        "1 четверть", "2 четверть", "3 четверть", "4 четверть", "Учебный год",
    ]  # fmt: skip
    bells = [
        {"number": n, "startsAt": f"{7 + n:02}:30:00", "endsAt": f"{8 + n:02}:15:00"}
        for n in (1, 2, 3)
    ]
    schedule = await story.ask("admin", BELLS, i={"schoolId": s, "name": "Основное",
                                                  "bells": bells})  # fmt: skip
    assert [(b["number"], b["startsAt"]) for b in schedule["bells"]][:2] == [
        (1, "08:30:00"),
        (2, "09:30:00"),
    ]
    story.ids["bells"] = schedule["id"]


async def _a_sunday_worked(story: Story) -> None:
    # §4.1: the coming Sunday is worked as a Monday (перенос рабочего дня)
    sunday = story.today + timedelta(days=7 - story.today.isoweekday())
    story.working_day = sunday
    moved = await story.ask("admin", WORKING_DAY, i={"schoolId": story.ids["school"],
                                                     "onDate": sunday.isoformat(),
                                                     "followsWeekday": 1,
                                                     "name": "Перенос с понедельника"})  # fmt: skip
    assert (moved["onDate"], moved["followsWeekday"]) == (sunday.isoformat(), 1)


async def _people(story: Story) -> None:
    # R-PEOPLE-1 (А #13, #19): staff and a parent, then the students with their parent
    s = story.ids["school"]
    staff = await story.ask(
        "admin",
        PEOPLE,
        s=s,
        p=[
            _person("Сидорова", "Елена", "Викторовна", "DEPUTY"),
            _person("Иванова", "Ирина", "Ивановна", "TEACHER"),
            _person("Петрова", "Анна", "Сергеевна", "TEACHER"),
            _person("Кузнецов", "Павел", "Андреевич", "PARENT"),
        ],
    )
    assert [(person["fullName"], person["roles"]) for person in staff] == [
        ("Сидорова Елена Викторовна", [{"role": "deputy"}]),
        ("Иванова Ирина Ивановна", [{"role": "teacher"}]),
        ("Петрова Анна Сергеевна", [{"role": "teacher"}]),
        ("Кузнецов Павел Андреевич", [{"role": "parent"}]),
    ]
    for who, person in zip(("deputy", "teacher", "class_teacher", "parent"), staff, strict=True):
        story.ids[who] = person["id"]
    daughter = {
        **_person("Кузнецова", "Мария", None, "STUDENT"),
        "parents": [{"parentId": story.ids["parent"], "kinship": "FATHER"}],
    }
    pupils = await story.ask(
        "admin", PEOPLE, s=s, p=[daughter, _person("Смирнов", "Олег", None, "STUDENT")]
    )
    assert pupils[0]["parents"] == [
        {"kinship": "FATHER", "person": {"fullName": "Кузнецов Павел Андреевич"}}
    ]
    story.ids |= {"daughter": pupils[0]["id"], "classmate": pupils[1]["id"]}
    # R-ACC-1 (А #5, #22): the admin issues their logins and temporary passwords (slips to
    # print), each changed at the first sign-in
    who_is = {story.ids[who]: who for who in ("deputy", "teacher", "class_teacher", "parent")}
    issued = await story.ask(
        "admin", ISSUE, i={"schoolId": s, "personIds": list(who_is)}, at="https://tabel.example"
    )
    logins = {row["account"]["person"]["id"]: row["account"]["login"] for row in issued["accounts"]}
    assert sorted(logins.values()) == ["ivanova.ii", "kuznetsov.pa", "petrova.as", "sidorova.ev"]
    assert issued["slips"]
    for row in issued["accounts"]:
        person = row["account"]["person"]["id"]
        await story.first_sign_in(who_is[person], logins[person], row["temporaryPassword"])


async def _class_and_its_students(story: Story) -> None:
    # А #17: a class with its class teacher, home room and bells, and its whole-class group
    ids = story.ids
    made = await story.ask(
        "admin",
        CLASS,
        i={"schoolYearId": ids["year"], "parallel": 5, "letter": "А",
           "classTeacherId": ids["class_teacher"], "roomId": ids["Кабинет 21"],
           "bellScheduleId": ids["bells"]},
    )  # fmt: skip
    assert (made["name"], made["classTeacher"], made["room"], made["bellSchedule"]) == (
        "5А",
        {"fullName": "Петрова Анна Сергеевна"},
        {"name": "Кабинет 21"},
        {"name": "Основное"},
    )
    [whole] = made["groups"]
    assert (whole["kind"], whole["name"]) == ("WHOLE_CLASS", "Весь класс")
    ids |= {"class": made["id"], "group": whole["id"]}
    # А #20: the students placed in it from the year's first day
    students = [{"studentId": ids["daughter"]}, {"studentId": ids["classmate"]}]
    placed = await story.ask("admin", ENROL, c=ids["class"], s=students)
    first_day = _school_year(story.today)[0].isoformat()
    assert [(p["student"]["fullName"], p["startsOn"], p["endsOn"]) for p in placed] == [
        ("Кузнецова Мария", first_day, None),
        ("Смирнов Олег", first_day, None),
    ]


async def _who_teaches_what(story: Story) -> None:
    # А #16: who teaches each subject, in which room, and the class's curriculum (hours a week)
    ids = story.ids
    for subject, teacher, name in (
        ("Математика", "teacher", "Иванова Ирина Ивановна"),
        ("Русский язык", "class_teacher", "Петрова Анна Сергеевна"),
    ):
        linked = await story.ask("admin", TEACHERS, s=ids[subject], t=[ids[teacher]])
        assert linked["teachers"] == [{"fullName": name}]
        hours = [{"classId": ids["class"], "hoursPerWeek": 6}]
        await story.ask("admin", CLASSES, s=ids[subject], c=hours)
    fitted = await story.ask("admin", ROOMS, s=ids["Математика"], r=[ids["Кабинет 22"]])
    assert fitted["rooms"] == [{"name": "Кабинет 22"}]
    curriculum = await story.ask("admin", CURRICULUM, c=ids["class"])
    assert [(c["subject"]["name"], c["hoursPerWeek"]) for c in curriculum["subjects"]] == [
        ("Математика", 6),
        ("Русский язык", 6),
    ]
    assert [p["fullName"] for p in curriculum["students"]] == ["Кузнецова Мария", "Смирнов Олег"]


async def _plans(story: Story) -> None:
    # Д.1 #3: each teacher writes the КТП of what they teach; a unit closes with a test
    ids = story.ids
    for who, subject, topics in (
        ("teacher", "Математика", ["Натуральные числа", "Контрольная работа № 1"]),
        ("class_teacher", "Русский язык", ["Звуки и буквы", "Диктант"]),
    ):
        items = [{"topic": topics[0], "hours": 6},
                 {"topic": topics[1], "hours": 1, "workTypeId": ids["test"]}]  # fmt: skip
        plan = await story.ask(who, PLAN, i={"schoolYearId": ids["year"],
                                             "subjectId": ids[subject], "parallel": 5,
                                             "name": "5 класс", "items": items})  # fmt: skip
        assert (plan["subject"], plan["parallel"]) == ({"name": subject}, 5)
        assert [(i["position"], i["topic"], i["workType"]) for i in plan["items"]] == [
            (1, topics[0], None),
            (2, topics[1], {"name": "Контрольная работа"}),
        ]
        ids[f"КТП {subject}"] = plan["items"][0]["id"]


async def _the_deputys_timetable(story: Story) -> None:
    # R-TT-1 (В.1 #5): the deputy enters the class's week from today: Russian at bell 1 and
    # maths at bell 2, Monday to Saturday
    ids, today = story.ids, story.today
    lessons = (
        (1, "Русский язык", "class_teacher", "Кабинет 21"),
        (2, "Математика", "teacher", "Кабинет 22"),
    )
    week = [
        {"groupId": ids["group"], "subjectId": ids[subject], "teacherId": ids[who],
         "roomId": ids[room], "weekday": weekday, "bellNumber": bell}
        for weekday in range(1, 7)
        for bell, subject, who, room in lessons
    ]  # fmt: skip
    entered = await story.ask(
        "deputy",
        TIMETABLE,
        i={"classIds": [ids["class"]], "validFrom": today.isoformat(), "slots": week},
    )
    assert (len(entered["entries"]), entered["ended"], entered["withdrawn"]) == (12, 0, 0)
    for entry in entered["entries"]:
        ids[f"slot {entry['weekday']}.{entry['bellNumber']}"] = entry.pop("id")
    assert entered["entries"][1] == {
        "weekday": 1, "bellNumber": 2, "validFrom": today.isoformat(),
        "subject": {"name": "Математика"}, "teacher": {"shortName": "Иванова И.И."},
        "room": {"name": "Кабинет 22"},
    }  # fmt: skip


async def _the_deputys_substitution(story: Story) -> None:
    # R-TT-1 (В.1 #6, §4.11): today Петрова is away; the deputy has Иванова, free at bell 1,
    # give her Russian lesson (замена)
    ids, today = story.ids, story.today
    change = await story.ask(
        "deputy",
        CHANGE,
        i={"kind": "SUBSTITUTION", "onDate": today.isoformat(), "teacherId": ids["teacher"],
           "entryId": ids[f"slot {today.isoweekday()}.1"], "reason": "Петрова А.С. на курсах"},
    )  # fmt: skip
    assert change == {
        "kind": "SUBSTITUTION", "onDate": today.isoformat(), "reason": "Петрова А.С. на курсах",
        "entry": {"bellNumber": 1}, "teacher": {"shortName": "Иванова И.И."},
    }  # fmt: skip


async def _ready_with_lessons_planned(story: Story) -> None:
    # §4.1: nothing is missing before the year starts
    starts, ends = _school_year(story.today)
    setup = await story.ask("admin", SETUP, s=story.ids["school"])
    assert setup == {
        "ready": True,
        "dueOn": date(starts.year, 9, 5).isoformat(),
        "schoolYear": {"name": f"{starts.year}/{ends.year}"},
        "items": [],
    }
    # Г.1 #9: the lessons of today and the coming two weeks are there, to plan and to fill
    last = story.today + timedelta(days=PLANNED_DAYS)
    window = {"dateFrom": story.today.isoformat(), "dateTo": last.isoformat()}
    planned = await story.ask("deputy", LESSONS, f={"classId": story.ids["class"], **window})
    by_day: dict[str, list[tuple[int, str]]] = {}
    for lesson in planned["nodes"]:
        by_day.setdefault(lesson["heldOn"], []).append(
            (lesson["bellNumber"], lesson["subject"]["name"])
        )
    school_days = _school_days(story.today, ends, story.working_day)
    assert by_day == {
        day.isoformat(): [(1, "Русский язык"), (2, "Математика")] for day in school_days
    }
    assert planned["totalCount"] == 2 * len(school_days)
    assert {lesson["status"] for lesson in planned["nodes"]} == {"PLANNED"}


async def _the_teachers_lesson(story: Story) -> None:
    # R-TOPIC-1, R-ATT-1, R-GRADE-1: the teacher finds today's lesson among their own
    ids, today = story.ids, story.today.isoformat()
    me = (await story.ask("teacher", ME))["person"]["id"]
    mine = await story.ask("teacher", LESSONS, f={"teacherId": me, "dateFrom": today,
                                                  "dateTo": today})  # fmt: skip
    assert [
        (lesson["bellNumber"], lesson["subject"]["name"], lesson["teacher"], lesson["substitute"])
        for lesson in mine["nodes"]
    ] == [
        (1, "Русский язык", {"shortName": "Петрова А.С."}, {"shortName": "Иванова И.И."}),
        (2, "Математика", {"shortName": "Иванова И.И."}, None),
    ]
    lesson = mine["nodes"][1]
    assert (lesson["group"], lesson["status"]) == ({"name": "Весь класс"}, "PLANNED")
    # and enters its topic from the КТП
    topic = await story.ask("teacher", TOPIC, i={"lessonId": lesson["id"],
                                                 "version": lesson["version"],
                                                 "planItemId": ids["КТП Математика"]})  # fmt: skip
    assert (topic["topic"], topic["planItem"]) == (
        "Натуральные числа",
        {"topic": "Натуральные числа"},
    )
    # attendance: Олег is away with a valid reason, Мария is there
    away = [{"studentId": ids["classmate"], "kind": "ABSENT_VALID"}]
    taken = await story.ask("teacher", ATTENDANCE, l=lesson["id"], m=away)
    assert taken["lesson"]["attendanceTakenAt"] is not None
    assert taken["attendance"] == [
        {"kind": "ABSENT_VALID", "student": {"fullName": "Смирнов Олег"}}
    ]
    # and Мария's grade for her answer at the board
    grade = {"studentId": ids["daughter"], "workTypeId": ids["oral"], "mark": "5",
             "comment": "Уверенно решила задачу у доски"}  # fmt: skip
    graded = await story.ask("teacher", GRADES, i={"lessonId": lesson["id"], "grades": [grade]})
    assert graded["grades"] == [
        {"mark": "5", "comment": "Уверенно решила задачу у доски", "onTime": True,
         "student": {"fullName": "Кузнецова Мария"}, "workType": {"name": "Ответ на уроке"}},
    ]  # fmt: skip


async def _the_trail(story: Story) -> None:
    # R-AUDIT-1, Б.1 #12: the admin reads who did what in the school's audit trail: the
    # deputy's twelve weekly slots and the teacher's grade, each with its new state
    ids = story.ids
    slots = await story.ask("admin", TRAIL, by=ids["deputy"], record="TimetableEntry")
    assert slots["totalCount"] == 12
    assert {(c["action"], c["changedBy"]["fullName"]) for c in slots["nodes"]} == {
        ("CREATED", "Сидорова Елена Викторовна")
    }
    [grade] = (await story.ask("admin", TRAIL, by=ids["teacher"], record="Grade"))["nodes"]
    assert (grade["action"], grade["after"]["mark"]) == ("CREATED", "5")


async def _the_parents_diary(story: Story) -> None:
    # Ж: the parent opens their child's diary for this week and reads the grade
    today = story.today.isoformat()
    [child] = (await story.ask("parent", CHILDREN))["person"]["children"]
    assert (child["kinship"], child["person"]["fullName"]) == ("FATHER", "Кузнецова Мария")
    diary = await story.ask("parent", DIARY, s=child["person"]["id"], w=today)
    [day] = [day for day in diary["days"] if day["date"] == today]
    assert day["dayOff"] is None
    assert [
        (entry["bellNumber"], entry["subject"]["name"], entry["change"], entry["teacher"])
        for entry in day["lessons"]
    ] == [
        (1, "Русский язык", "SUBSTITUTION", {"shortName": "Иванова И.И."}),
        (2, "Математика", None, {"shortName": "Иванова И.И."}),
    ]
    maths = day["lessons"][1]
    assert (maths["topic"], maths["teacher"], maths["attendance"]) == (
        "Натуральные числа",
        {"shortName": "Иванова И.И."},
        None,
    )
    assert maths["grades"] == [
        {"mark": "5", "comment": "Уверенно решила задачу у доски",
         "workType": {"shortName": "Отв", "weight": "1.00"}},
    ]  # fmt: skip


async def test_a_school_from_an_empty_database_to_a_grade_in_the_parents_diary(
    database_url: str, engine: AsyncEngine, api: GraphQLClient
) -> None:
    story = Story(api, engine)
    await _opened_by_tabel_init(story, database_url)
    await _school_and_premises(story)
    await _curriculum(story)
    await _calendar(story)
    await _people(story)
    await _class_and_its_students(story)
    await _who_teaches_what(story)
    await _plans(story)
    await _the_deputys_timetable(story)
    await _the_deputys_substitution(story)
    await _ready_with_lessons_planned(story)
    await _the_teachers_lesson(story)
    await _the_trail(story)
    await _the_parents_diary(story)


async def test_the_municipality_appoints_the_schools_head(
    database_url: str, engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given a school opened by `tabel init` with its municipality's operator: an admin, no head
    story = Story(api, engine)
    options = InitOptions(
        municipality="г. Екатеринбург",
        school=SchoolParameters(name="МБОУ СОШ № 12"),
        admin=FirstAdmin("Админова", "Ольга", None, "olga.admin"),
        operator=FirstAdmin("Операторова", "Анна", None, "ekb.operator"),
    )
    done = await initialise(engine, database_url, options)
    assert done.operator is not None
    await story.first_sign_in("admin", done.admin.login, done.admin.temporary_password)
    await story.first_sign_in("operator", done.operator.login, done.operator.temporary_password)
    [school] = (await story.ask("admin", SCHOOLS))["nodes"]
    # the head is appointed outside the school (policies: the admin grants every role but the
    # admin's and the head's, the head the admins', Б.1 #5): the admin may not
    head = _person("Директорова", "Вера", None, "TEACHER")
    [person] = await story.ask("admin", PEOPLE, s=school["id"], p=[head])
    grant = [{"personId": person["id"], "role": "HEAD"}]
    refused = await api(GRANT, {"s": school["id"], "g": grant}, token=story.tokens["admin"])
    assert refused.error_code == "FORBIDDEN"
    # when the municipality's operator appoints the head
    reply = await api(GRANT, {"s": school["id"], "g": grant}, token=story.tokens["operator"])
    # then the head holds the role
    assert reply.data["rolesGrant"] == [
        {"fullName": "Директорова Вера", "roles": [{"role": "head"}, {"role": "teacher"}]}
    ]


async def test_a_sunday_worked_as_a_monday_has_mondays_lessons(
    database_url: str, engine: AsyncEngine, api: GraphQLClient
) -> None:
    # given the school set up as above, the coming Sunday worked as a Monday (§4.1)
    story = Story(api, engine)
    await _opened_by_tabel_init(story, database_url)
    await _school_and_premises(story)
    await _curriculum(story)
    await _calendar(story)
    await _a_sunday_worked(story)
    await _people(story)
    await _class_and_its_students(story)
    await _who_teaches_what(story)
    # when the deputy enters the class's week
    await _the_deputys_timetable(story)
    # then that Sunday has Monday's lessons, as `workingDayCreate` says
    assert story.working_day is not None
    sunday = story.working_day.isoformat()
    window = {"classId": story.ids["class"], "dateFrom": sunday, "dateTo": sunday}
    planned = (await story.ask("deputy", LESSONS, f=window))["nodes"]
    assert [(lesson["bellNumber"], lesson["subject"]["name"]) for lesson in planned] == [
        (1, "Русский язык"),
        (2, "Математика"),
    ]
    # and the parent sees them in the child's diary of that week
    [child] = (await story.ask("parent", CHILDREN))["person"]["children"]
    diary = await story.ask("parent", DIARY, s=child["person"]["id"], w=sunday)
    # (Monday to Saturday, its six-day week, and the Sunday worked)
    days = [day["date"] for day in diary["days"]]
    monday = (story.working_day - timedelta(days=6)).isoformat()
    assert (days[0], days[-1], len(days)) == (monday, sunday, 7)
    [worked] = [day for day in diary["days"] if day["date"] == sunday]
    assert worked["dayOff"] is None
    assert [(x["bellNumber"], x["subject"]["name"]) for x in worked["lessons"]] == [
        (1, "Русский язык"),
        (2, "Математика"),
    ]
