"""Every mutation against every role, through the endpoint with real tokens, on a generated
school: the roles the source document gives a duty may make the write (their request is not
refused, though the school's state may still answer otherwise), every other role is refused
FORBIDDEN or NOT_FOUND, and a mutation without a case here fails the suite.

Each case targets records whose relation to each demo login is known: a lesson the demo
teacher gives in a class that is not the demo class teacher's, and so on."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from graphql import GraphQLObjectType
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from schema.build import build_schema
from tests.client import GraphQLClient
from tests.lessons import execute, rows
from tests.test_permission_matrix import _inspector

PERSONAL = ["admin", "head", "deputy", "teacher", "class_teacher", "psychologist", "student",
            "parent"]  # fmt: skip
EVERYONE = [*PERSONAL, "inspector"]
REFUSED = {"FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"}
# Signing in is the one write made without a token (tests/test_accounts.py).
WITHOUT_TOKEN = {"login"}


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
    day: str
    due: str  # a week after the lesson
    grade_of_student: str
    report: str
    api_token: str
    municipality: str  # the school's
    school_year: str  # the lesson's
    plan: str  # a КТП of the lesson's subject whose topics lessons took up
    plan_roles: frozenset[str]  # the admin, and the demo logins who teach the lesson's subject


@dataclass(frozen=True)
class Case:
    document: str
    variables: Callable[[Demo], dict[str, Any]]
    allowed: frozenset[str] | Callable[[Demo], frozenset[str]]
    last: bool = False  # it ends the caller's session: made after every other case

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
    # Opening a school: only a municipality's operator, whom the demo has not (tests/test_init.py).
    "schoolCreate": Case(
        'mutation($m: ID!) { schoolCreate(input: {municipalityId: $m, name: "Гимназия № 9", '
        'admin: {lastName: "Гимназистова", firstName: "Ольга", login: "gymn9"}}) '
        "{ temporaryPassword } }",
        lambda d: {"m": d.municipality},
        roles(),
    ),
    # The КТП: the admin (А #18), the teachers of the subject (Д.1 #3).
    "planCreate": Case(
        "mutation($y: ID!, $s: ID!) { planCreate(input: {schoolYearId: $y, subjectId: $s, "
        'parallel: 11, name: "КТП", items: [{topic: "Введение"}]}) { id } }',
        lambda d: {"y": d.school_year, "s": d.subject},
        lambda d: d.plan_roles,
    ),
    "planUpdate": Case(
        'mutation($p: ID!) { planUpdate(input: {planId: $p, name: "КТП"}) { id } }',
        lambda d: {"p": d.plan},
        lambda d: d.plan_roles,
    ),
    "planRemove": Case(
        "mutation($p: ID!) { planRemove(planId: $p) { archived } }",
        lambda d: {"p": d.plan},
        lambda d: d.plan_roles,
    ),
    "planImport": Case(
        "mutation($y: ID!, $s: ID!) { planImport(input: {schoolYearId: $y, subjectId: $s, "
        'parallel: 11, name: "КТП", format: CSV, content: "Тема\\nВведение\\n"}) { id } }',
        lambda d: {"y": d.school_year, "s": d.subject},
        lambda d: d.plan_roles,
    ),
}


def _mutations() -> list[str]:
    mutation = build_schema()._schema.mutation_type
    assert isinstance(mutation, GraphQLObjectType)
    return sorted(mutation.fields)


def test_every_mutation_has_a_case() -> None:
    assert sorted(set(CASES) | WITHOUT_TOKEN) == _mutations()


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
    token = await one("SELECT min(id) FROM auth_token WHERE kind <> 'login'")
    municipality, school_year = await one(
        "SELECT s.municipality_id, g.school_year_id FROM school s, school_class g "
        "WHERE s.id = :s AND g.id = :c",
        s=school,
        c=class_id,
    )
    plan = await one(
        "SELECT min(p.id) FROM plan p JOIN plan_item i ON i.plan_id = p.id "
        "JOIN lesson l ON l.plan_item_id = i.id WHERE p.subject_id = :s",
        s=subject,
    )
    teaching = await rows(
        engine,
        "SELECT a.login FROM account a WHERE a.person_id IN (SELECT teacher_id FROM "
        "timetable_entry WHERE subject_id = :s UNION SELECT teacher_id FROM subject_teacher "
        "WHERE subject_id = :s)",
        s=subject,
    )
    teaching_logins = {row[0] for row in teaching}
    plan_roles = {"admin"} | {r for r, login in logins.items() if login in teaching_logins}
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
        day=str(held_on),
        due=str(date.fromisoformat(str(held_on)) + timedelta(days=7)),
        grade_of_student=gid("Grade", grade),
        report=gid("GradeReport", report),
        api_token=gid("ApiToken", token[0]),
        municipality=gid("Municipality", municipality),
        school_year=gid("SchoolYear", school_year),
        plan=gid("Plan", plan[0]),
        plan_roles=frozenset(plan_roles),
    )


@pytest.mark.parametrize("name", sorted(CASES))
async def test_every_role_against_every_mutation(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], name: str
) -> None:
    case = CASES[name]
    demo = await _demo(engine, demo_school)
    tokens = {role: await api.login(demo_school[role], "demo") for role in PERSONAL}
    tokens["inspector"] = await _inspector(engine)
    allowed = case.roles(demo)
    # The refused first: an allowed write may change what the next caller finds.
    outcomes = {}
    for role in sorted(EVERYONE, key=lambda r: r in allowed):
        reply = await api(case.document, case.variables(demo), token=tokens[role])
        outcomes[role] = reply.error_codes
    refused = {role for role, codes in outcomes.items() if set(codes) & REFUSED}
    said = "; ".join(f"{role}: {' '.join(codes) or 'ok'}" for role, codes in outcomes.items())
    assert refused == set(EVERYONE) - allowed, said
