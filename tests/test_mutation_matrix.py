"""Every mutation against every role, through the endpoint with real tokens, on a generated
school: the roles the source document gives a duty may make the write (their request is not
refused, though the school's state may still answer otherwise), every other role is refused
FORBIDDEN or NOT_FOUND, and a mutation without a case here fails the suite.

Each case targets records whose relation to each demo login is known: a lesson the demo
teacher gives in a class that is not the demo class teacher's, the demo teacher's subgroup of
the demo class teacher's class, and so on. The demo has no municipality's operator: `_demo`
adds one. A mutation may have further cases, for other roles' duties ("rolesGrant/admin").
Where the policies answer otherwise than the source document, the case keeps the document's
roles and says how they differ (`differs`): a strict xfail, for the lead to decide."""

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from graphql import GraphQLObjectType
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from schema.build import build_schema
from tests.client import GraphQLClient
from tests.lessons import execute, rows
from tests.test_permission_matrix import _inspector

PERSONAL = ["admin", "head", "deputy", "teacher", "class_teacher", "psychologist", "student",
            "parent", "operator"]  # fmt: skip
# The municipality's operator (оператор муниципалитета) is not in the demo: `_demo` adds one.
OPERATOR = "operator"
EVERYONE = [*PERSONAL, "inspector"]
REFUSED = {"FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"}
# Signing in is the one write made without a token (tests/test_accounts.py).
WITHOUT_TOKEN = {"login"}


PEOPLE_FILE = base64.b64encode("Код;Фамилия;Имя;Роль\nm1;Новикова;Вера;учитель\n".encode()).decode()


def gid(type_name: str, row_id: int) -> str:
    return relay.to_base64(type_name, row_id)


@dataclass
class Demo:
    """The demo school's records the cases write to."""

    school: str
    lesson: str
    lesson_version: int
    lesson_class_teacher: str  # the login of the class teacher of the lesson's class
    group: str
    subject: str
    current_period: str
    locked_period: str
    student: str
    work_type: str
    own_class: str  # the demo class teacher's class
    own_student: str  # a student of it
    consent: str  # the own student's consent to the processing of their data
    day: str
    due: str  # a week after the lesson
    grade_of_student: str
    report: str
    api_token: str
    compromise: str  # the demo parent's account, reported by the admin (R-ACC-2)
    notification: str  # an e-mail to the demo parent, given up (issue 14)
    # The set-up work's records (А #12–#21, В.1 #5–#6, Г.1 #6–#7, Д.1 #3, Б.1 #5).
    municipality: str
    school_year: str
    building: str
    room: str
    grade_scale: str
    bell_schedule: str
    day_off: str
    working_day: str  # a Saturday worked as a Monday, added by `_demo`
    sister_class: str  # another class of the own class's parallel
    taught: str  # the own class's subgroup the demo teacher teaches
    taught_subject: str  # what they teach it
    entry: str  # a weekly slot of that subgroup
    entry_day: str  # the slot's next day from the day after tomorrow on
    entry_bell: int
    entry_weekday: int
    plan: str  # the КТП of that subject for the own class's parallel, its topics taken up
    counselled: str  # what the demo psychologist teaches the own class (Д.1: a «педагог»)
    counselled_plan: str  # its КТП for the own class's parallel
    teacher: str  # the demo teacher, the admin, the head, the deputy and the parent, as people
    admin: str
    head: str
    deputy: str
    parent: str  # the demo student's
    message: str  # the class teacher's latest weekly message to the class's parents (Г.1 #2)
    # A change of the own class on `entry_day` for each caller allowed to withdraw one: the
    # first one's withdrawal must not take the next one's target away.
    day_changes: dict[str, str]


@dataclass(frozen=True)
class Case:
    document: str
    variables: Callable[..., dict[str, Any]]
    allowed: frozenset[str] | Callable[[Demo], frozenset[str]]
    last: bool = False  # it ends the caller's session: made after every other case
    # variables(demo, role): each caller writes a target of their own (a removal, which the
    # caller allowed first would otherwise take away from the next one)
    each_caller: bool = False
    # The roles are the source document's; where the policies answer otherwise, this says how,
    # and the case is expected to fail until the lead decides (strict xfail).
    differs: str | None = None

    def roles(self, demo: Demo) -> frozenset[str]:
        return self.allowed if isinstance(self.allowed, frozenset) else self.allowed(demo)


def roles(*names: str) -> frozenset[str]:
    return frozenset(names)


def _teacher_and_class_teacher(demo: Demo) -> frozenset[str]:
    """Attendance: the lesson's teacher, and the class teacher of its class (Г.1 #10)."""
    return roles("teacher", *(["class_teacher"] if demo.lesson_class_teacher else []))


CASES: dict[str, Case] = {
    "logout": Case("mutation { logout }", lambda d: {}, frozenset(PERSONAL), last=True),
    "passwordChange": Case(
        'mutation { passwordChange(oldPassword: "not the password", newPassword: "a-new-one-1") }',
        lambda d: {},
        frozenset(PERSONAL),
    ),
    # Logins and temporary passwords (Г.1 #1, #5, А #5, #22): the admin, and the class
    # teacher for their class's students and parents.
    "accountsIssue": Case(
        "mutation($s: ID!, $c: ID!) { accountsIssue(input: {schoolId: $s, classId: $c, "
        "groups: [CLASS_STUDENTS, CLASS_PARENTS]}) { accounts { temporaryPassword } } }",
        lambda d: {"s": d.school, "c": d.own_class},
        # The head issues the admins' accounts; for a class whose people all have logins
        # already, theirs is an empty issue, as the admin's is.
        roles("admin", "class_teacher", "head"),
    ),
    "accountsReset": Case(
        "mutation($s: ID!, $p: ID!) { accountsReset(schoolId: $s, personIds: [$p]) "
        "{ accounts { temporaryPassword } } }",
        lambda d: {"s": d.school, "p": d.own_student},
        roles("admin", "class_teacher"),
    ),
    "accountsBlock": Case(
        "mutation($s: ID!, $p: ID!) { accountsBlock(schoolId: $s, personIds: [$p]) { isActive } }",
        lambda d: {"s": d.school, "p": d.own_student},
        roles("admin", "class_teacher"),
    ),
    "accountsUnblock": Case(
        "mutation($s: ID!, $p: ID!) { accountsUnblock(schoolId: $s, personIds: [$p]) "
        "{ isActive } }",
        lambda d: {"s": d.school, "p": d.own_student},
        roles("admin", "class_teacher"),
    ),
    # The attestation summary certified (R-ATTEST-1, А #6): the admin.
    "attestationSummaryCertify": Case(
        "mutation($s: ID!, $p: ID!) { attestationSummaryCertify(schoolId: $s, periodIds: [$p]) "
        "{ checksum } }",
        lambda d: {"s": d.school, "p": d.locked_period},
        roles("admin"),
    ),
    # A compromised account (R-ACC-2, R-ACC-3): anyone reports their own, the admin anyone's
    # of the school; the admin voids what it did.
    "compromiseReport": Case(
        "mutation($s: ID!, $n: DateTime!) { compromiseReport(schoolId: $s, noticedAt: $n) { id } }",
        lambda d: {"s": d.school, "n": (datetime.now(UTC) - timedelta(hours=1)).isoformat()},
        frozenset(PERSONAL),
        last=True,
    ),
    "compromiseReport/admin": Case(
        "mutation($s: ID!, $p: ID!, $n: DateTime!) { compromiseReport(schoolId: $s, "
        "personId: $p, noticedAt: $n) { id } }",
        lambda d: {
            "s": d.school,
            "p": d.own_student,
            "n": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
        },
        roles("admin"),
    ),
    "compromiseVoid": Case(
        "mutation($c: ID!) { compromiseVoid(compromiseId: $c, operationCount: 0) "
        "{ compromise { voidedAt } } }",
        lambda d: {"c": d.compromise},
        roles("admin"),
    ),
    "apiTokenIssue": Case(
        "mutation($s: ID!, $at: DateTime!) { apiTokenIssue(input: "
        '{name: "Проверка", kind: INSPECTOR, expiresAt: $at, schoolIds: [$s]}) { token } }',
        lambda d: {"s": d.school, "at": (datetime.now(UTC) + timedelta(days=30)).isoformat()},
        roles("admin"),
    ),
    "apiTokenRevoke": Case(
        "mutation($t: ID!) { apiTokenRevoke(id: $t) { id } }",
        lambda d: {"t": d.api_token},
        roles("admin"),
    ),
    "gradesSet": Case(
        "mutation($l: ID!, $s: ID!, $w: ID!) { gradesSet(input: {lessonId: $l, grades: "
        '[{studentId: $s, workTypeId: $w, mark: "4"}]}) { lesson { id } } }',
        lambda d: {"l": d.lesson, "s": d.student, "w": d.work_type},
        roles("teacher"),
    ),
    "attendanceMark": Case(
        "mutation($l: ID!, $s: ID!) { attendanceMark(lessonId: $l, marks: "
        "[{studentId: $s, kind: LATE, lateMinutes: 5}]) { attendance { id } } }",
        lambda d: {"l": d.lesson, "s": d.student},
        _teacher_and_class_teacher,
    ),
    "lessonUpdate": Case(
        "mutation($l: ID!, $v: Int!) { lessonUpdate(input: "
        '{lessonId: $l, version: $v, material: "§ 12"}) { id } }',
        lambda d: {"l": d.lesson, "v": d.lesson_version},
        roles("teacher", "admin"),
    ),
    "lessonSubstitute": Case(
        "mutation($l: ID!, $v: Int!) { lessonSubstitute(lessonId: $l, version: $v) { id } }",
        lambda d: {"l": d.lesson, "v": d.lesson_version},
        roles("teacher", "admin"),
    ),
    "homeworkAssign": Case(
        "mutation($l: ID!, $due: Date!) { homeworkAssign(input: "
        '{lessonId: $l, text: "№ 5", dueOn: $due}) { id } }',
        lambda d: {"l": d.lesson, "due": d.due},
        roles("teacher"),
    ),
    "finalGradesSet": Case(
        "mutation($g: ID!, $s: ID!, $p: ID!) { finalGradesSet(input: "
        "{groupId: $g, subjectId: $s, periodId: $p, grades: []}) { __typename } }",
        lambda d: {"g": d.group, "s": d.subject, "p": d.current_period},
        _teacher_and_class_teacher,
    ),
    "gradeEditWindowSet": Case(
        "mutation($s: ID!) { gradeEditWindowSet(schoolId: $s, window: TWO_WEEKS) { id } }",
        lambda d: {"s": d.school},
        roles("admin"),
    ),
    "periodReopen": Case(
        "mutation($g: ID!, $s: ID!, $p: ID!) { periodReopen(groupId: $g, subjectId: $s, "
        'periodId: $p, reason: "Исправление ошибки") { __typename } }',
        lambda d: {"g": d.group, "s": d.subject, "p": d.locked_period},
        roles("admin"),
    ),
    "gradeReport": Case(
        'mutation($g: ID!) { gradeReport(gradeId: $g, text: "Я отвечал на 5") { id } }',
        lambda d: {"g": d.grade_of_student},
        roles("student", "parent"),
    ),
    # Messages (Г.1 #2): the class teacher, a teacher of the child, the administration write to
    # a parent; the parent to their child's teacher; a student writes first to nobody. A reply
    # and a reading are the sender's and the recipients' of the message only.
    "messageSend": Case(
        'mutation($s: ID!, $p: ID!) { messageSend(input: {schoolId: $s, subject: "Итоги", '
        'body: "Всё хорошо", recipientIds: [$p]}) { id } }',
        lambda d, role: {"s": d.school, "p": d.teacher if role == "parent" else d.parent},
        roles("admin", "head", "deputy", "class_teacher", "teacher", "psychologist", "parent"),
        each_caller=True,
    ),
    "messageReply": Case(
        'mutation($m: ID!) { messageReply(input: {messageId: $m, body: "Спасибо"}) { id } }',
        lambda d: {"m": d.message},
        roles("class_teacher", "parent"),
    ),
    "messagesMarkRead": Case(
        "mutation($m: ID!) { messagesMarkRead(messageIds: [$m]) { id } }",
        lambda d: {"m": d.message},
        roles("class_teacher", "parent"),
    ),
    "gradeReportAnswer": Case(
        'mutation($r: ID!) { gradeReportAnswer(reportId: $r, answer: "Оценка верна") { id } }',
        lambda d: {"r": d.report},
        roles("teacher", "admin"),
    ),
    "attendanceDayMark": Case(
        "mutation($c: ID!, $d: Date!, $s: ID!) { attendanceDayMark(classId: $c, date: $d, "
        "marks: [{studentId: $s, kind: ILL}]) { __typename } }",
        lambda d: {"c": d.own_class, "d": d.day, "s": d.own_student},
        roles("class_teacher"),
    ),
    # The timetable (R-TT-1): the admin and the deputy (А #28, В.1 #5); the class teacher
    # their own class's weekly slots (Г.1 #7); the day's changes the admin and the deputy
    # (В.1 #6). The slots are the demo teacher's subgroup of the own class.
    "timetableSet": Case(
        "mutation($g: ID!, $s: ID!, $t: ID!, $from: Date!, $w: Int!, $b: Int!) { timetableSet("
        "input: {classIds: [], groupIds: [$g], validFrom: $from, slots: [{groupId: $g, "
        "subjectId: $s, teacherId: $t, weekday: $w, bellNumber: $b}]}, confirm: false) "
        "{ ended } }",
        lambda d: {
            "g": d.taught,
            "s": d.taught_subject,
            "t": d.teacher,
            "from": d.entry_day,
            "w": d.entry_weekday,
            "b": d.entry_bell,
        },
        roles("admin", "deputy", "class_teacher"),
    ),
    "timetableEntryAdd": Case(
        "mutation($g: ID!, $s: ID!, $t: ID!, $from: Date!, $w: Int!) { timetableEntryAdd("
        "input: {groupId: $g, subjectId: $s, teacherId: $t, weekday: $w, bellNumber: 8, "
        "validFrom: $from}, confirm: false) { id } }",
        lambda d: {
            "g": d.taught,
            "s": d.taught_subject,
            "t": d.teacher,
            "from": d.entry_day,
            "w": d.entry_weekday,
        },
        roles("admin", "deputy", "class_teacher"),
    ),
    "timetableEntryChange": Case(
        "mutation($e: ID!, $from: Date!) { timetableEntryChange(input: {entryId: $e, "
        "validFrom: $from, noRoom: false, bellNumber: 8}, confirm: false) { id } }",
        lambda d: {"e": d.entry, "from": d.entry_day},
        roles("admin", "deputy", "class_teacher"),
    ),
    "timetableEntryEnd": Case(
        "mutation($e: ID!, $from: Date!) { timetableEntryEnd(entryId: $e, validFrom: $from, "
        "confirm: false) { entry { id } } }",
        lambda d: {"e": d.entry, "from": d.entry_day},
        roles("admin", "deputy", "class_teacher"),
    ),
    "timetableChangeAdd": Case(
        "mutation($e: ID!, $on: Date!) { timetableChangeAdd(input: {kind: CANCELLED, "
        'onDate: $on, entryId: $e, reason: "Экскурсия"}, confirm: false) { id } }',
        lambda d: {"e": d.entry, "on": d.entry_day},
        roles("admin", "deputy"),
    ),
    "timetableChangeRemove": Case(
        "mutation($c: ID!) { timetableChangeRemove(changeId: $c, confirm: false) { removedId } }",
        lambda d, role: {"c": d.day_changes.get(role, d.day_changes["admin"])},
        roles("admin", "deputy"),
        each_caller=True,
    ),
    # The school's reference data: the admin (А #12, #14–#16, #21; R-SETUP-1, R-SETUP-2).
    "schoolUpdate": Case(
        'mutation($s: ID!) { schoolUpdate(input: {schoolId: $s, address: "ул. Лесная, 47"}) '
        "{ id } }",
        lambda d: {"s": d.school},
        roles("admin"),
    ),
    "buildingCreate": Case(
        'mutation($s: ID!) { buildingCreate(input: {schoolId: $s, name: "Корпус № 3"}) { id } }',
        lambda d: {"s": d.school},
        roles("admin"),
    ),
    "buildingUpdate": Case(
        'mutation($b: ID!) { buildingUpdate(input: {buildingId: $b, address: "ул. Лесная, 47"}) '
        "{ id } }",
        lambda d: {"b": d.building},
        roles("admin"),
    ),
    "buildingRemove": Case(
        "mutation($b: ID!) { buildingRemove(buildingId: $b) }",
        lambda d: {"b": d.building},
        roles("admin"),
    ),
    "roomCreate": Case(
        'mutation($b: ID!) { roomCreate(input: {buildingId: $b, name: "301", capacity: 25}) '
        "{ id } }",
        lambda d: {"b": d.building},
        roles("admin"),
    ),
    "roomUpdate": Case(
        "mutation($r: ID!) { roomUpdate(input: {roomId: $r, capacity: 30}) { id } }",
        lambda d: {"r": d.room},
        roles("admin"),
    ),
    "roomRemove": Case(
        "mutation($r: ID!) { roomRemove(roomId: $r) }",
        lambda d: {"r": d.room},
        roles("admin"),
    ),
    "subjectCreate": Case(
        "mutation($s: ID!, $g: ID!) { subjectCreate(input: {schoolId: $s, name: "
        '"Астрономия", shortName: "Астр.", gradeScaleId: $g, noAttestation: false}) { id } }',
        lambda d: {"s": d.school, "g": d.grade_scale},
        roles("admin"),
    ),
    "subjectUpdate": Case(
        'mutation($s: ID!) { subjectUpdate(input: {subjectId: $s, shortName: "Англ."}) { id } }',
        lambda d: {"s": d.taught_subject},
        roles("admin"),
    ),
    "subjectRemove": Case(
        "mutation($s: ID!) { subjectRemove(subjectId: $s) }",
        lambda d: {"s": d.taught_subject},
        roles("admin"),
    ),
    "subjectTeachersSet": Case(
        "mutation($s: ID!, $t: ID!) { subjectTeachersSet(subjectId: $s, teacherIds: [$t]) { id } }",
        lambda d: {"s": d.taught_subject, "t": d.teacher},
        roles("admin"),
    ),
    "subjectRoomsSet": Case(
        "mutation($s: ID!, $r: ID!) { subjectRoomsSet(subjectId: $s, roomIds: [$r]) { id } }",
        lambda d: {"s": d.taught_subject, "r": d.room},
        roles("admin"),
    ),
    "subjectClassesSet": Case(
        "mutation($s: ID!, $c: ID!) { subjectClassesSet(subjectId: $s, classes: "
        "[{classId: $c, hoursPerWeek: 2}]) { id } }",
        lambda d: {"s": d.taught_subject, "c": d.own_class},
        roles("admin"),
    ),
    "workTypeCreate": Case(
        "mutation($s: ID!) { workTypeCreate(input: {schoolId: $s, name: "
        '"Зачётная работа", shortName: "Зач", weight: "1.5", checkingDays: 3}) { id } }',
        lambda d: {"s": d.school},
        roles("admin"),
    ),
    "workTypeUpdate": Case(
        "mutation($w: ID!) { workTypeUpdate(input: {workTypeId: $w, checkingDays: 3}) { id } }",
        lambda d: {"w": d.work_type},
        roles("admin"),
    ),
    "workTypeRemove": Case(
        "mutation($w: ID!) { workTypeRemove(workTypeId: $w) }",
        lambda d: {"w": d.work_type},
        roles("admin"),
    ),
    "gradeScaleCreate": Case(
        'mutation($s: ID!) { gradeScaleCreate(input: {schoolId: $s, name: "Трёхуровневая", '
        'marks: [{mark: "В", value: "3"}, {mark: "С", value: "2"}, {mark: "Н", value: "1"}]}) '
        "{ id } }",
        lambda d: {"s": d.school},
        roles("admin"),
    ),
    "gradeScaleUpdate": Case(
        "mutation($g: ID!) { gradeScaleUpdate(input: {gradeScaleId: $g, "
        'name: "Пятибалльная шкала"}) { id } }',
        lambda d: {"g": d.grade_scale},
        roles("admin"),
    ),
    "gradeScaleRemove": Case(
        "mutation($g: ID!) { gradeScaleRemove(gradeScaleId: $g) }",
        lambda d: {"g": d.grade_scale},
        roles("admin"),
    ),
    "schoolYearCreate": Case(
        "mutation($s: ID!) { schoolYearCreate(input: {schoolId: $s, name: "
        '"2027/2028", startsOn: "2027-09-01", endsOn: "2028-05-31"}) { id } }',
        lambda d: {"s": d.school},
        roles("admin"),
    ),
    "schoolYearUpdate": Case(
        'mutation($y: ID!) { schoolYearUpdate(input: {schoolYearId: $y, name: "2026–2027"}) '
        "{ id } }",
        lambda d: {"y": d.school_year},
        roles("admin"),
    ),
    "schoolYearRemove": Case(
        "mutation($y: ID!) { schoolYearRemove(schoolYearId: $y) }",
        lambda d: {"y": d.school_year},
        roles("admin"),
    ),
    "periodsCreate": Case(
        "mutation($y: ID!) { periodsCreate(schoolYearId: $y, periods: [{kind: TRIMESTER, "
        'number: 1, startsOn: "2026-09-01", endsOn: "2026-11-30"}]) { id } }',
        lambda d: {"y": d.school_year},
        roles("admin"),
    ),
    "periodUpdate": Case(
        'mutation($p: ID!) { periodUpdate(input: {periodId: $p, name: "II четверть"}) { id } }',
        lambda d: {"p": d.current_period},
        roles("admin"),
    ),
    "periodRemove": Case(
        "mutation($p: ID!) { periodRemove(periodId: $p) }",
        lambda d: {"p": d.current_period},
        roles("admin"),
    ),
    "bellScheduleCreate": Case(
        'mutation($s: ID!) { bellScheduleCreate(input: {schoolId: $s, name: "Сокращённые", '
        'bells: [{number: 1, startsAt: "08:30", endsAt: "09:00"}, '
        '{number: 2, startsAt: "09:10", endsAt: "09:40"}]}) { id } }',
        lambda d: {"s": d.school},
        roles("admin"),
    ),
    "bellScheduleUpdate": Case(
        'mutation($b: ID!) { bellScheduleUpdate(input: {bellScheduleId: $b, name: "Основное"}) '
        "{ id } }",
        lambda d: {"b": d.bell_schedule},
        roles("admin"),
    ),
    "bellScheduleRemove": Case(
        "mutation($b: ID!) { bellScheduleRemove(bellScheduleId: $b) }",
        lambda d: {"b": d.bell_schedule},
        roles("admin"),
    ),
    "daysOffCreate": Case(
        "mutation($s: ID!) { daysOffCreate(schoolId: $s, days: "
        '[{onDate: "2027-04-12", name: "День космонавтики"}]) { id } }',
        lambda d: {"s": d.school},
        roles("admin"),
    ),
    "dayOffRemove": Case(
        "mutation($d: ID!) { dayOffRemove(dayOffId: $d) }",
        lambda d: {"d": d.day_off},
        roles("admin"),
    ),
    "workingDayCreate": Case(
        "mutation($s: ID!) { workingDayCreate(input: {schoolId: $s, onDate: "
        '"2027-03-13", followsWeekday: 1, name: "Перенос с 8 марта"}) { id } }',
        lambda d: {"s": d.school},
        roles("admin"),
    ),
    "workingDayRemove": Case(
        "mutation($w: ID!) { workingDayRemove(workingDayId: $w) }",
        lambda d: {"w": d.working_day},
        roles("admin"),
    ),
    # Classes: the admin (А #17), the class teacher setting their own class up (Г.1 #6);
    # groups: the admin, the class teacher splitting their class and a teacher for what they
    # teach it (Г.1 #6); placements: the admin (А #20).
    "classCreate": Case(
        "mutation($y: ID!) { classCreate(input: {schoolYearId: $y, parallel: 3, "
        'letter: "В", periodKind: QUARTER}) { id } }',
        lambda d: {"y": d.school_year},
        roles("admin"),
    ),
    "classUpdate": Case(
        "mutation($c: ID!, $b: ID!) { classUpdate(input: {classId: $c, bellScheduleId: $b}) "
        "{ id } }",
        lambda d: {"c": d.own_class, "b": d.bell_schedule},
        roles("admin", "class_teacher"),
    ),
    # Who a class's class teacher is: the admin's, not the class teacher's (А #17).
    "classUpdate/classTeacher": Case(
        "mutation($c: ID!, $t: ID!) { classUpdate(input: {classId: $c, classTeacherId: $t}) "
        "{ id } }",
        lambda d: {"c": d.own_class, "t": d.teacher},
        roles("admin"),
    ),
    "classRemove": Case(
        "mutation($c: ID!) { classRemove(classId: $c) }",
        lambda d: {"c": d.own_class},
        roles("admin"),
    ),
    "groupCreate": Case(
        "mutation($c: ID!, $s: ID!, $st: ID!) { groupCreate(input: {classId: $c, "
        'name: "Англ. яз. (3 гр.)", subjectId: $s, studentIds: [$st]}) { id } }',
        lambda d: {"c": d.own_class, "s": d.taught_subject, "st": d.own_student},
        roles("admin", "class_teacher", "teacher"),
    ),
    "groupCreate/psychologist": Case(
        "mutation($c: ID!, $s: ID!) { groupCreate(input: {classId: $c, "
        'name: "Тренинг (1 гр.)", subjectId: $s, studentIds: []}) { id } }',
        lambda d: {"c": d.own_class, "s": d.counselled},
        roles("admin", "class_teacher", "psychologist"),
    ),
    "groupUpdate": Case(
        'mutation($g: ID!) { groupUpdate(input: {groupId: $g, name: "Англ. яз. (группа 1)"}) '
        "{ id } }",
        lambda d: {"g": d.taught},
        roles("admin", "class_teacher", "teacher"),
    ),
    "groupStudentsSet": Case(
        "mutation($g: ID!, $s: ID!) { groupStudentsSet(groupId: $g, studentIds: [$s]) { id } }",
        lambda d: {"g": d.taught, "s": d.own_student},
        roles("admin", "class_teacher", "teacher"),
    ),
    "groupRemove": Case(
        "mutation($g: ID!) { groupRemove(groupId: $g) }",
        lambda d: {"g": d.taught},
        roles("admin", "class_teacher", "teacher"),
    ),
    "studentsEnrol": Case(
        "mutation($c: ID!, $s: ID!, $on: Date!) { studentsEnrol(classId: $c, students: "
        "[{studentId: $s, on: $on}]) { startsOn } }",
        lambda d: {"c": d.sister_class, "s": d.own_student, "on": d.entry_day},
        roles("admin"),
    ),
    "studentsMove": Case(
        "mutation($c: ID!, $s: ID!, $on: Date!) { studentsMove(classId: $c, students: "
        "[{studentId: $s, on: $on}]) { startsOn } }",
        lambda d: {"c": d.sister_class, "s": d.own_student, "on": d.entry_day},
        roles("admin"),
    ),
    "studentsPromote": Case(
        "mutation($from: ID!, $to: ID!) { studentsPromote(fromClassId: $from, toClassId: $to) "
        "{ startsOn } }",
        lambda d: {"from": d.own_class, "to": d.sister_class},
        roles("admin"),
    ),
    # The school year's end (А #20, R-YEAR-1): the admin rolls it over, closes and reopens it;
    # the head, who checks the data entered (Б.1 #4), previews the rollover.
    "schoolYearRollover": Case(
        "mutation($y: ID!) { schoolYearRollover(fromYearId: $y, toYearId: $y) { committed } }",
        lambda d: {"y": d.school_year},
        roles("admin", "head"),
    ),
    "schoolYearClose": Case(
        "mutation($y: ID!) { schoolYearClose(schoolYearId: $y) { closedAt } }",
        lambda d: {"y": d.school_year},
        roles("admin"),
    ),
    "schoolYearReopen": Case(
        'mutation($y: ID!) { schoolYearReopen(schoolYearId: $y, reason: "Исправление оценки") '
        "{ closedAt } }",
        lambda d: {"y": d.school_year},
        roles("admin"),
    ),
    "studentsLeave": Case(
        "mutation($c: ID!, $s: ID!, $on: Date!) { studentsLeave(classId: $c, students: "
        "[{studentId: $s, on: $on}]) { endsOn } }",
        lambda d: {"c": d.own_class, "s": d.own_student, "on": d.entry_day},
        roles("admin"),
    ),
    # People: the admin enters them and appoints every role but the admin's and the head's
    # (А #13, #19); the head appoints and dismisses the admins (Б.1 #5).
    "peopleCreate": Case(
        'mutation($s: ID!) { peopleCreate(schoolId: $s, people: [{lastName: "Новикова", '
        'firstName: "Вера", sex: FEMALE, roles: [TEACHER], parents: []}]) { id } }',
        lambda d: {"s": d.school},
        roles("admin"),
    ),
    # A school's people from a file (issue 12): the admin, as they enter people (А #13, #19).
    "peopleImportCheck": Case(
        "mutation($s: ID!, $f: String!) { peopleImportCheck(input: {schoolId: $s, format: CSV, "
        "content: $f}) { created } }",
        lambda d: {"s": d.school, "f": PEOPLE_FILE},
        roles("admin"),
    ),
    "peopleImport": Case(
        "mutation($s: ID!, $f: String!) { peopleImport(input: {schoolId: $s, format: CSV, "
        "content: $f}) { created } }",
        lambda d: {"s": d.school, "f": PEOPLE_FILE},
        roles("admin"),
    ),
    "peopleImportStart": Case(
        "mutation($s: ID!, $f: String!) { peopleImportStart(input: {schoolId: $s, "
        'fileName: "people.csv", content: $f}) { id } }',
        lambda d: {"s": d.school, "f": PEOPLE_FILE},
        roles("admin"),
    ),
    # A report made as a job (issue 13): whoever the screen shows the student to (a teacher
    # and the psychologist: what they teach the student; the operator reads no grades).
    "reportStart": Case(
        "mutation($s: ID!) { reportStart(input: {summaryStatementsPdf: {studentId: $s, "
        'dateFrom: "2026-11-09", dateTo: "2026-11-20"}}) { id } }',
        lambda d: {"s": d.student},
        roles(
            "admin",
            "head",
            "deputy",
            "teacher",
            "class_teacher",
            "psychologist",
            "student",
            "parent",
        ),
    ),
    # A notification given up, queued again (issue 14): the school's admin.
    "notificationDeliveryRetry": Case(
        "mutation($n: ID!) { notificationDeliveryRetry(id: $n) { status } }",
        lambda d: {"n": d.notification},
        roles("admin"),
    ),
    "personUpdate": Case(
        'mutation($p: ID!) { personUpdate(input: {personId: $p, middleName: "Андреевна"}) { id } }',
        lambda d: {"p": d.own_student},
        roles("admin"),
    ),
    # Consents (152-FZ, R-PD-1): the admin, and the class teacher for their class.
    "consentRecord": Case(
        "mutation($s: ID!, $p: ID!) { consentRecord(input: {schoolId: $s, personId: $p, "
        'document: "Согласие № 7/2026"}) { id } }',
        lambda d: {"s": d.school, "p": d.own_student},
        roles("admin", "class_teacher"),
    ),
    "consentWithdraw": Case(
        "mutation($c: ID!) { consentWithdraw(input: {consentId: $c, "
        'reason: "Заявление родителя"}) { id } }',
        lambda d: {"c": d.consent},
        roles("admin", "class_teacher"),
    ),
    "personalDataSet": Case(
        "mutation($p: ID!) { personalDataSet(input: {personId: $p, "
        'phone: "+79001234567"}) { id } }',
        lambda d: {"p": d.own_student},
        roles("admin"),
    ),
    # Notifications (issue 14, Ж.1 #3): what the demo student is told of, chosen by their
    # parent and by themselves, nobody else; quiet hours and the digest are one's own; everyone
    # with their own login reads their own in-app feed.
    "notificationSubscriptionsSet": Case(
        "mutation($s: ID!) { notificationSubscriptionsSet(input: {studentId: $s, topics: "
        '[{topic: GRADE, channels: ["email", "in_app"]}]}) { topics { channels } } }',
        lambda d: {"s": d.student},
        roles("student", "parent"),
    ),
    "notificationSettingsSet": Case(
        'mutation { notificationSettingsSet(input: {quietFrom: "22:00:00", '
        'quietUntil: "07:00:00"}) { quietFrom } }',
        lambda d: {},
        roles("student", "parent"),
    ),
    "notificationsMarkRead": Case(
        "mutation { notificationsMarkRead { marked } }",
        lambda d: {},
        frozenset(PERSONAL),
    ),
    "guardiansLink": Case(
        "mutation($c: ID!, $p: ID!) { guardiansLink(links: "
        "[{childId: $c, parentId: $p, kinship: GUARDIAN}]) { id } }",
        lambda d: {"c": d.own_student, "p": d.parent},
        roles("admin"),
    ),
    "guardiansUnlink": Case(
        "mutation($c: ID!, $p: ID!) { guardiansUnlink(links: "
        "[{childId: $c, parentId: $p, kinship: MOTHER}]) { id } }",
        lambda d: {"c": d.student, "p": d.parent},
        roles("admin"),
    ),
    "rolesGrant": Case(
        "mutation($s: ID!, $p: ID!) { rolesGrant(schoolId: $s, grants: "
        "[{personId: $p, role: DEPUTY}]) { id } }",
        lambda d: {"s": d.school, "p": d.teacher},
        roles("admin"),
    ),
    "rolesGrant/admin": Case(
        "mutation($s: ID!, $p: ID!) { rolesGrant(schoolId: $s, grants: "
        "[{personId: $p, role: ADMIN}]) { id } }",
        lambda d: {"s": d.school, "p": d.deputy},
        roles("head"),
    ),
    "rolesRevoke": Case(
        "mutation($s: ID!, $p: ID!) { rolesRevoke(schoolId: $s, grants: "
        "[{personId: $p, role: DEPUTY}]) { id } }",
        lambda d: {"s": d.school, "p": d.deputy},
        roles("admin"),
    ),
    "rolesRevoke/admin": Case(
        "mutation($s: ID!, $p: ID!) { rolesRevoke(schoolId: $s, grants: "
        "[{personId: $p, role: ADMIN}]) { id } }",
        lambda d: {"s": d.school, "p": d.admin},
        roles("head"),
    ),
    # The head is appointed by the school's founder: the municipality's operator.
    "rolesGrant/head": Case(
        "mutation($s: ID!, $p: ID!) { rolesGrant(schoolId: $s, grants: "
        "[{personId: $p, role: HEAD}]) { id } }",
        lambda d: {"s": d.school, "p": d.deputy},
        roles(OPERATOR),
    ),
    "rolesRevoke/head": Case(
        "mutation($s: ID!, $p: ID!) { rolesRevoke(schoolId: $s, grants: "
        "[{personId: $p, role: HEAD}]) { id } }",
        lambda d: {"s": d.school, "p": d.head},
        roles(OPERATOR),
    ),
    # Opening a school: the municipality's operator, in their municipality.
    "schoolCreate": Case(
        "mutation($m: ID!) { schoolCreate(input: {municipalityId: $m, name: "
        '"МБОУ СОШ № 119", timezone: "Europe/Moscow", weekLength: 5, admin: '
        '{lastName: "Первова", firstName: "Анна", login: "school119.admin"}}) { adminLogin } }',
        lambda d: {"m": d.municipality},
        roles(OPERATOR),
    ),
    # The КТП: a teacher for what they teach (Д.1 #3), the admin for every subject (А #18).
    "planCreate": Case(
        "mutation($y: ID!, $s: ID!) { planCreate(input: {schoolYearId: $y, subjectId: $s, "
        'parallel: 1, name: "Английский язык, 1 класс", items: [{topic: "Алфавит", hours: 2}]}) '
        "{ id } }",
        lambda d: {"y": d.school_year, "s": d.taught_subject},
        roles("admin", "teacher"),
    ),
    "planUpdate": Case(
        'mutation($p: ID!) { planUpdate(input: {planId: $p, name: "КТП: Английский язык"}) '
        "{ id } }",
        lambda d: {"p": d.plan},
        roles("admin", "teacher"),
    ),
    "planUpdate/psychologist": Case(
        'mutation($p: ID!) { planUpdate(input: {planId: $p, name: "КТП: психология"}) { id } }',
        lambda d: {"p": d.counselled_plan},
        roles("admin", "psychologist"),
    ),
    "planRemove": Case(
        "mutation($p: ID!) { planRemove(planId: $p) { archived } }",
        lambda d: {"p": d.plan},
        roles("admin", "teacher"),
    ),
    "planImport": Case(
        "mutation($y: ID!, $s: ID!) { planImport(input: {schoolYearId: $y, subjectId: $s, "
        'parallel: 1, name: "Английский язык, 1 класс (файл)", format: CSV, '
        'content: "Тема;Часы\\nАлфавит;2\\nЦвета;1\\n"}) { id } }',
        lambda d: {"y": d.school_year, "s": d.taught_subject},
        roles("admin", "teacher"),
    ),
}


def _mutations() -> list[str]:
    mutation = build_schema()._schema.mutation_type
    assert isinstance(mutation, GraphQLObjectType)
    return sorted(mutation.fields)


def test_every_mutation_has_a_case() -> None:
    # "rolesGrant/admin": a second case of a mutation, for another role's duty.
    assert sorted({name.split("/")[0] for name in CASES} | WITHOUT_TOKEN) == _mutations()


def _coming(weekday: int) -> date:
    """The first such weekday from the day after tomorrow on: a day the timetable may change."""
    day = date.today() + timedelta(days=2)
    return day + timedelta(days=(weekday - day.isoweekday()) % 7)


async def _demo(engine: AsyncEngine, logins: dict[str, str]) -> Demo:
    async def one(sql: str, **params: Any) -> Any:
        found = await rows(engine, sql, **params)
        assert found, sql
        return found[0]

    student_login = logins["student"]
    # A grade the demo teacher gave the demo student, after the locked quarter, and its lesson.
    grade, lesson, version, group, subject, class_id, held_on, school, student = await one(
        """SELECT gr.id, l.id, l.version, l.group_id, l.subject_id, g.school_class_id,
                  l.held_on, l.school_id, st.person_id
        FROM grade gr JOIN lesson l ON l.id = gr.lesson_id
        JOIN account t ON t.person_id = l.teacher_id
        JOIN study_group g ON g.id = l.group_id
        JOIN account st ON st.person_id = gr.student_id
        JOIN subject s ON s.id = l.subject_id
        WHERE t.login = :teacher AND st.login = :student AND l.status = 'held'
          AND NOT s.no_attestation AND l.held_on >= '2026-11-01'
        ORDER BY l.held_on DESC, gr.id LIMIT 1""",
        teacher=logins["teacher"],
        student=student_login,
    )
    own = await rows(
        engine,
        "SELECT 1 FROM school_class c JOIN account a ON a.person_id = c.class_teacher_id "
        "WHERE c.id = :c AND a.login = :login",
        c=class_id,
        login=logins["class_teacher"],
    )
    work_type = (await one("SELECT min(id) FROM work_type WHERE school_id = :s", s=school))[0]
    current = await one(
        "SELECT id FROM period WHERE school_id = :s AND kind = 'quarter' "
        "AND starts_on <= :d AND ends_on >= :d",
        s=school,
        d=held_on,
    )
    locked = await one(
        "SELECT id FROM period WHERE school_id = :s AND kind = 'quarter' AND ends_on < :d "
        "ORDER BY starts_on LIMIT 1",
        s=school,
        d=held_on,
    )
    own_class, own_student = await one(
        "SELECT c.id, min(cs.student_id) FROM school_class c "
        "JOIN account a ON a.person_id = c.class_teacher_id "
        "JOIN class_student cs ON cs.school_class_id = c.id WHERE a.login = :login "
        "GROUP BY c.id ORDER BY c.id LIMIT 1",
        login=logins["class_teacher"],
    )
    (consent,) = await one(
        "SELECT min(id) FROM consent WHERE person_id = :p HAVING min(id) IS NOT NULL",
        p=own_student,
    )
    # The student's open report of that grade, for the teacher to answer (Е.1).
    await execute(
        engine,
        "INSERT INTO grade_report (school_id, grade_id, lesson_id, student_id, mark, text, "
        "reported_at, status) SELECT school_id, id, lesson_id, student_id, mark, 'Неверно', "
        ":now, 'open' FROM grade WHERE id = :g",
        g=grade,
        now=datetime.now(UTC),
    )
    [(report,)] = await rows(engine, "SELECT max(id) FROM grade_report")
    # The parent's account reported compromised by the admin an hour ago (R-ACC-2).
    await execute(
        engine,
        "INSERT INTO compromise (school_id, account_id, noticed_at, reported_by_id, reported_at) "
        "SELECT :s, p.id, :noticed, a.id, :now FROM account p, account a "
        "WHERE p.login = :parent AND a.login = :admin",
        s=school,
        noticed=datetime.now(UTC) - timedelta(hours=1),
        now=datetime.now(UTC),
        parent=logins["parent"],
        admin=logins["admin"],
    )
    [(compromise,)] = await rows(engine, "SELECT max(id) FROM compromise")
    # An e-mail of a grade to the parent, given up: the mail server refused it (issue 14).
    await execute(
        engine,
        "INSERT INTO notification (school_id, person_id, topic, channel, key, coalesce_key, "
        "subject, body, facts, digest, status, attempts, created_at, updated_at, due_at, "
        "last_error) SELECT :s, a.person_id, 'grade', 'email', 'matrix-key', 'grade:0', "
        "'Новая оценка', '5', '{}', FALSE, 'given_up', 8, :now, :now, :now, '550' "
        "FROM account a WHERE a.login = :parent",
        s=school,
        now=datetime.now(UTC),
        parent=logins["parent"],
    )
    [(notification,)] = await rows(engine, "SELECT max(id) FROM notification")
    token = await one("SELECT min(id) FROM auth_token WHERE kind <> 'login'")
    # A weekly slot of the own class's subgroup that the demo teacher teaches.
    entry, taught, taught_subject, teacher, weekday, bell = await one(
        "SELECT e.id, e.group_id, e.subject_id, e.teacher_id, e.weekday, e.bell_number "
        "FROM timetable_entry e JOIN study_group g ON g.id = e.group_id "
        "JOIN account a ON a.person_id = e.teacher_id WHERE a.login = :login "
        "AND g.school_class_id = :c AND g.kind = 'subgroup' AND e.valid_to IS NULL "
        "ORDER BY e.id LIMIT 1",
        login=logins["teacher"],
        c=own_class,
    )
    found = await one(
        """SELECT (SELECT municipality_id FROM school WHERE id = :s),
          (SELECT id FROM school_year WHERE school_id = :s AND starts_on <= :d AND ends_on >= :d),
          (SELECT min(id) FROM building WHERE school_id = :s),
          (SELECT min(id) FROM room WHERE school_id = :s),
          (SELECT min(id) FROM grade_scale WHERE school_id = :s),
          (SELECT min(id) FROM bell_schedule WHERE school_id = :s),
          (SELECT max(id) FROM day_off WHERE school_id = :s),
          (SELECT min(o.id) FROM school_class o JOIN school_class c ON c.parallel = o.parallel
             AND c.school_year_id = o.school_year_id WHERE c.id = :c AND o.id <> c.id),
          (SELECT min(p.id) FROM plan p JOIN school_class c ON c.parallel = p.parallel
             AND c.school_year_id = p.school_year_id WHERE c.id = :c AND p.subject_id = :subject),
          (SELECT person_id FROM account WHERE login = :admin),
          (SELECT person_id FROM account WHERE login = :head),
          (SELECT person_id FROM account WHERE login = :deputy),
          (SELECT person_id FROM account WHERE login = :parent),
          (SELECT min(e.subject_id) FROM timetable_entry e
             JOIN study_group g ON g.id = e.group_id JOIN account a ON a.person_id = e.teacher_id
             WHERE a.login = :psychologist AND g.school_class_id = :c)""",
        s=school,
        d=held_on,
        c=own_class,
        subject=taught_subject,
        admin=logins["admin"],
        head=logins["head"],
        deputy=logins["deputy"],
        psychologist=logins["psychologist"],
        parent=logins["parent"],
    )
    assert None not in found, found
    municipality, year, building, room, scale, bells, day_off, sister, plan = found[:9]
    admin, head, deputy, parent, counselled = found[9:]
    [counselled_plan] = await one(
        "SELECT min(p.id) FROM plan p JOIN school_class c ON c.parallel = p.parallel "
        "AND c.school_year_id = p.school_year_id WHERE c.id = :c AND p.subject_id = :subject",
        c=own_class,
        subject=counselled,
    )
    on = _coming(weekday)
    async with engine.begin() as connection:
        # A Saturday worked as a Monday; two of the own class's lessons of that coming day
        # cancelled, for the admin and the deputy to withdraw one each.
        await connection.execute(
            text(
                "INSERT INTO working_day (school_id, on_date, follows_weekday, name) "
                "VALUES (:s, '2027-05-15', 1, 'Перенос с 10 мая')"
            ),
            {"s": school},
        )
        await connection.execute(
            text(
                "INSERT INTO timetable_change (school_id, on_date, kind, timetable_entry_id, "
                "group_id, subject_id, bell_number, reason) SELECT e.school_id, :on, "
                "'cancelled', e.id, e.group_id, e.subject_id, e.bell_number, 'Экскурсия' "
                "FROM timetable_entry e JOIN study_group g ON g.id = e.group_id "
                "WHERE g.school_class_id = :c AND g.kind = 'whole_class' AND e.weekday = :w "
                "AND e.valid_to IS NULL ORDER BY e.bell_number LIMIT 2"
            ),
            {"on": on, "c": own_class, "w": weekday},
        )
        # The municipality's operator, signing in with the demo password.
        await connection.execute(
            text(
                "INSERT INTO person (region_id, last_name, first_name) SELECT region_id, "
                "'Операторова', 'Анна' FROM person WHERE id = :p"
            ),
            {"p": admin},
        )
        await connection.execute(
            text(
                "INSERT INTO account (person_id, login, password_hash, must_change_password, "
                "is_active, created_at, password_changed_at, is_demo) SELECT "
                "(SELECT max(id) FROM person), :login, password_hash, :no, :yes, :now, :now, "
                ":no FROM account WHERE person_id = :p"
            ),
            {"login": OPERATOR, "p": admin, "no": False, "yes": True, "now": datetime.now(UTC)},
        )
        await connection.execute(
            text(
                "INSERT INTO municipality_role (person_id, municipality_id, role) "
                "SELECT max(id), :m, :role FROM person"
            ),
            {"m": municipality, "role": OPERATOR},
        )
    changes = await rows(
        engine, "SELECT id FROM timetable_change WHERE on_date = :on ORDER BY id", on=on
    )
    working_day = await one("SELECT max(id) FROM working_day")
    (message,) = await one(
        "SELECT max(m.id) FROM message m JOIN message_recipient r ON r.message_id = m.id "
        "JOIN account p ON p.person_id = r.recipient_id JOIN account t ON t.person_id = "
        "m.sender_id WHERE p.login = :parent AND t.login = :teacher HAVING max(m.id) IS NOT NULL",
        parent=logins["parent"],
        teacher=logins["class_teacher"],
    )
    return Demo(
        school=gid("School", school),
        lesson=gid("Lesson", lesson),
        lesson_version=version,
        lesson_class_teacher=logins["class_teacher"] if own else "",
        group=gid("Group", group),
        subject=gid("Subject", subject),
        current_period=gid("Period", current[0]),
        locked_period=gid("Period", locked[0]),
        student=gid("Person", student),
        work_type=gid("WorkType", work_type),
        own_class=gid("SchoolClass", own_class),
        own_student=gid("Person", own_student),
        consent=gid("Consent", consent),
        day=str(held_on),
        due=str(date.fromisoformat(str(held_on)) + timedelta(days=7)),
        grade_of_student=gid("Grade", grade),
        report=gid("GradeReport", report),
        api_token=gid("ApiToken", token[0]),
        compromise=gid("Compromise", compromise),
        notification=gid("NotificationDelivery", notification),
        municipality=gid("Municipality", municipality),
        school_year=gid("SchoolYear", year),
        building=gid("Building", building),
        room=gid("Room", room),
        grade_scale=gid("GradeScale", scale),
        bell_schedule=gid("BellSchedule", bells),
        day_off=gid("DayOff", day_off),
        working_day=gid("WorkingDay", working_day[0]),
        sister_class=gid("SchoolClass", sister),
        taught=gid("Group", taught),
        taught_subject=gid("Subject", taught_subject),
        entry=gid("TimetableEntry", entry),
        entry_day=str(on),
        entry_bell=bell,
        entry_weekday=weekday,
        plan=gid("Plan", plan),
        counselled=gid("Subject", counselled),
        counselled_plan=gid("Plan", counselled_plan),
        teacher=gid("Person", teacher),
        admin=gid("Person", admin),
        head=gid("Person", head),
        deputy=gid("Person", deputy),
        parent=gid("Person", parent),
        message=gid("Message", message),
        day_changes={
            role: gid("TimetableChange", change)
            for role, (change,) in zip(["admin", "deputy"], changes, strict=True)
        },
    )


def _params() -> list[Any]:
    """Each case's name; a case whose roles the policies answer otherwise is a strict xfail."""
    params = []
    for name, case in sorted(CASES.items()):
        marks = [pytest.mark.xfail(strict=True, reason=case.differs)] if case.differs else []
        params.append(pytest.param(name, marks=marks))
    return params


@pytest.mark.parametrize("name", _params())
async def test_every_role_against_every_mutation(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], name: str
) -> None:
    case = CASES[name]
    demo = await _demo(engine, demo_school)
    logins = {**demo_school, OPERATOR: OPERATOR}
    tokens = {role: await api.login(logins[role], "demo") for role in PERSONAL}
    tokens["inspector"] = await _inspector(engine)
    allowed = case.roles(demo)
    # The refused first: an allowed write may change what the next caller finds.
    outcomes = {}
    for role in sorted(EVERYONE, key=lambda r: r in allowed):
        variables = case.variables(demo, role) if case.each_caller else case.variables(demo)
        reply = await api(case.document, variables, token=tokens[role])
        outcomes[role] = reply.error_codes
    refused = {role for role, codes in outcomes.items() if set(codes) & REFUSED}
    said = "; ".join(f"{role}: {' '.join(codes) or 'ok'}" for role, codes in outcomes.items())
    assert refused == set(EVERYONE) - allowed, said
