"""Texts and lists a client sends have declared maxima, and texts no control characters
(issue 9, item 2): refused as BAD_USER_INPUT naming the field, before any SQL of the operation
runs, nothing written — through the endpoint with real tokens, on both engines."""

from datetime import UTC, datetime
from typing import Any

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLString,
    get_named_type,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.build import build_schema
from schema.input_checks import bound_of
from tests.client import GraphQLClient, Response
from tests.conftest import StatementCounter
from tests.lessons import execute, rows, teacher_lesson

SCHEMA = build_schema()._schema


def _inputs() -> list[tuple[str, GraphQLArgument | GraphQLInputField]]:
    """Every argument and input field of the schema, named `Type.field(argument)` or
    `Input.field`."""
    found: list[tuple[str, GraphQLArgument | GraphQLInputField]] = []
    for type_ in SCHEMA.type_map.values():
        if type_.name.startswith("__"):
            continue
        if isinstance(type_, GraphQLObjectType):
            for name, field in type_.fields.items():
                for argument_name, argument in field.args.items():
                    found.append((f"{type_.name}.{name}({argument_name})", argument))
        elif isinstance(type_, GraphQLInputObjectType):
            for name, input_field in type_.fields.items():
                found.append((f"{type_.name}.{name}", input_field))
    return found


def _is_list(type_: GraphQLInputType) -> bool:
    nullable = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    return isinstance(nullable, GraphQLList)


TEXT_INPUTS = sorted(
    name for name, definition in _inputs() if get_named_type(definition.type) is GraphQLString
)


def test_every_text_and_list_input_declares_its_maximum() -> None:
    missing = []
    for name, definition in _inputs():
        bound = bound_of(definition)
        if get_named_type(definition.type) is GraphQLString and (
            bound is None or bound.max_length is None
        ):
            missing.append(f"{name}: no maximum length")
        if _is_list(definition.type) and (bound is None or bound.max_items is None):
            missing.append(f"{name}: no maximum of items")
    assert missing == []


def _writes(sql: StatementCounter) -> list[str]:
    return [
        s for s in sql.statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def _refused(reply: Response, field: str, **extensions: Any) -> None:
    assert reply.error_codes == ["BAD_USER_INPUT"], reply.body
    found = reply.body["errors"][0]["extensions"]
    assert found["field"] == field
    for key, value in extensions.items():
        assert found[key] == value, found


async def _statements_of_a_signed_in_nothing(
    api: GraphQLClient, sql: StatementCounter, token: str
) -> int:
    sql.reset()
    assert (await api("{ __typename }", token=token)).data == {"__typename": "Query"}
    count = sql.count
    sql.reset()
    return count


async def test_a_1_mb_search_is_refused_before_the_search_runs(
    api: GraphQLClient, sql: StatementCounter, demo_school: dict[str, str]
) -> None:
    # given the head, signed in
    token = await api.login(demo_school["head"], "demo")
    people = "query($f: PersonFilter!) { people(filter: $f) { totalCount } }"
    assert (await api(people, {"f": {"search": "а" * 100}}, token=token)).data
    caller_only = await _statements_of_a_signed_in_nothing(api, sql, token)
    # when searching for a million characters, as a variable and written inline
    by_variable = await api(people, {"f": {"search": "a" * 1_000_000}}, token=token)
    inline = await api(
        f'{{ people(filter: {{search: "{"a" * 101}"}}) {{ totalCount }} }}', token=token
    )
    # then both are refused, naming the field and its limit, with no SQL but the caller's
    _refused(by_variable, "search", argument="filter", maxLength=100)
    _refused(inline, "search", argument="filter", maxLength=100)
    assert sql.count == 2 * caller_only


MARK = """mutation($l: ID!, $m: [AttendanceEntryInput!]!) {
  attendanceMark(lessonId: $l, marks: $m) { attendance { comment } }
}"""


async def test_a_100000_character_attendance_comment_is_refused_and_nothing_is_written(
    engine: AsyncEngine, api: GraphQLClient, sql: StatementCounter, demo_school: dict[str, str]
) -> None:
    # given a teacher's lesson and its attendance as it stands
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    before = await rows(engine, "SELECT * FROM attendance WHERE lesson_id = :l", l=lesson["id"])
    taken = await rows(
        engine, "SELECT attendance_taken_at FROM lesson WHERE id = :l", l=lesson["id"]
    )
    first, second = lesson["students"][:2]
    sql.reset()
    # when one of two marks carries a comment of 100,000 characters
    marks = [
        {"studentId": first, "kind": "ILL"},
        {"studentId": second, "kind": "ILL", "comment": "я" * 100_000},
    ]
    reply = await api(MARK, {"l": lesson["gid"], "m": marks}, token=token)
    # then refused, naming the comment of the second mark; nothing written
    _refused(reply, "comment", argument="marks", item=1, maxLength=500)
    assert _writes(sql) == []
    assert (
        await rows(engine, "SELECT * FROM attendance WHERE lesson_id = :l", l=lesson["id"])
        == before
    )
    assert (
        await rows(engine, "SELECT attendance_taken_at FROM lesson WHERE id = :l", l=lesson["id"])
        == taken
    )


UPDATE = "mutation($i: LessonUpdateInput!) { lessonUpdate(input: $i) { material version } }"


async def test_lesson_material_has_a_maximum_and_20_mb_is_not_even_read(
    engine: AsyncEngine, api: GraphQLClient, sql: StatementCounter, demo_school: dict[str, str]
) -> None:
    # given a teacher's lesson
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    before = await rows(
        engine, "SELECT material, version FROM lesson WHERE id = :l", l=lesson["id"]
    )
    given = {"lessonId": lesson["gid"], "version": lesson["version"]}
    sql.reset()
    # when the material is 20 MB, or one character past its maximum
    huge = await api.http.post(
        "/graphql",
        json={"query": UPDATE, "variables": {"i": {**given, "material": "§" * 20_000_000}}},
        headers={"Authorization": f"Bearer {token}"},
    )
    over = await api(UPDATE, {"i": {**given, "material": "§ 12\n" * 2000 + "!"}}, token=token)
    # then the first is refused unread (413), the second naming the field; nothing written
    assert huge.status_code == 413
    _refused(over, "material", argument="input", maxLength=10_000)
    assert _writes(sql) == []
    assert (
        await rows(engine, "SELECT material, version FROM lesson WHERE id = :l", l=lesson["id"])
        == before
    )
    # and at its maximum, lines and tabs included, the material is stored as given
    fits = "§ 12\tс. 45\n" * 908 + "§ 12\tс. 45!"
    stored = await api(UPDATE, {"i": {**given, "material": fits}}, token=token)
    assert stored.data["lessonUpdate"]["material"] == fits


GRADES = """mutation($i: GradesSetInput!) { gradesSet(input: $i) { grades { mark } } }"""


async def test_more_grades_at_once_than_declared_are_refused_before_any_work(
    engine: AsyncEngine, api: GraphQLClient, sql: StatementCounter, demo_school: dict[str, str]
) -> None:
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    count = "SELECT count(*) FROM grade"
    before = await rows(engine, count)
    entry = {"studentId": lesson["students"][0], "workTypeId": lesson["work_type"], "mark": "5"}
    caller_only = await _statements_of_a_signed_in_nothing(api, sql, token)
    reply = await api(
        GRADES, {"i": {"lessonId": lesson["gid"], "grades": [entry] * 201}}, token=token
    )
    _refused(reply, "grades", argument="input", maxItems=200)
    assert sql.count == caller_only
    assert await rows(engine, count) == before


# The reference writes taking an `input`: the mutation, and the input's other required fields.
X = '"x"'
_REFERENCE: dict[str, tuple[str, dict[str, str]]] = {
    "SchoolUpdateInput": ("schoolUpdate", {"schoolId": X}),
    "BuildingCreateInput": ("buildingCreate", {"schoolId": X, "name": X}),
    "BuildingUpdateInput": ("buildingUpdate", {"buildingId": X}),
    "RoomCreateInput": ("roomCreate", {"buildingId": X, "name": X}),
    "RoomUpdateInput": ("roomUpdate", {"roomId": X}),
    "SubjectCreateInput": (
        "subjectCreate",
        {"schoolId": X, "name": X, "shortName": X, "gradeScaleId": X},
    ),
    "SubjectUpdateInput": ("subjectUpdate", {"subjectId": X}),
    "WorkTypeCreateInput": (
        "workTypeCreate",
        {"schoolId": X, "name": X, "shortName": X, "weight": '"1"'},
    ),
    "WorkTypeUpdateInput": ("workTypeUpdate", {"workTypeId": X}),
    "GradeScaleCreateInput": ("gradeScaleCreate", {"schoolId": X, "name": X, "marks": "[]"}),
    "GradeScaleUpdateInput": ("gradeScaleUpdate", {"gradeScaleId": X}),
    "SchoolYearCreateInput": (
        "schoolYearCreate",
        {"schoolId": X, "name": X, "startsOn": '"2030-09-01"', "endsOn": '"2031-05-31"'},
    ),
    "SchoolYearUpdateInput": ("schoolYearUpdate", {"schoolYearId": X}),
    "PeriodUpdateInput": ("periodUpdate", {"periodId": X}),
    "BellScheduleCreateInput": ("bellScheduleCreate", {"schoolId": X, "name": X, "bells": "[]"}),
    "BellScheduleUpdateInput": ("bellScheduleUpdate", {"bellScheduleId": X}),
    "WorkingDayCreateInput": (
        "workingDayCreate",
        {"schoolId": X, "onDate": '"2026-10-31"', "followsWeekday": "1", "name": X},
    ),
}
EXPIRES = 'expiresAt: "2027-01-01T00:00:00Z"'
FINAL = 'groupId: "x", subjectId: "x", periodId: "x"'
GRADE = 'studentId: "x", workTypeId: "x"'
HOMEWORK = 'lessonId: "x", text: "x", dueOn: "2026-11-21"'
PLAN_NEW = 'schoolYearId: "x", subjectId: "x", parallel: 7'


def _fields(values: dict[str, str]) -> str:
    return ", ".join(f"{key}: {value}" for key, value in values.items())


def _school_create(
    school: dict[str, str] | None = None, admin: dict[str, str] | None = None
) -> str:
    """`schoolCreate` with `$v` in one of its texts."""
    new_admin = {"lastName": '"x"', "firstName": '"x"', "login": '"x"'} | (admin or {})
    new_school = {"municipalityId": '"x"', "name": '"x"'} | (school or {})
    fields = _fields(new_school | {"admin": "{" + _fields(new_admin) + "}"})
    return f"schoolCreate(input: {{{fields}}}) {{ temporaryPassword }}"


# For each text input: the operation, a selection placing `$v` there, and the field refused.
PLACES: dict[str, tuple[str, str, str]] = {
    "Mutation.login(login)": ("mutation", 'login(login: $v, password: "x") { token }', "login"),
    "Mutation.login(password)": (
        "mutation", 'login(login: "x", password: $v) { token }', "password"
    ),
    "Mutation.passwordChange(oldPassword)": (
        "mutation", 'passwordChange(oldPassword: $v, newPassword: "x")', "oldPassword"
    ),
    "Mutation.passwordChange(newPassword)": (
        "mutation",
        'passwordChange(oldPassword: "x", newPassword: $v)',
        "newPassword",
    ),
    "Mutation.accountsIssue(signInAt)": (
        "mutation", 'accountsIssue(input: {schoolId: "x"}, signInAt: $v) { slips }', "signInAt"
    ),
    "Mutation.accountsReset(signInAt)": (
        "mutation", 'accountsReset(schoolId: "x", personIds: [], signInAt: $v) { slips }',
        "signInAt",
    ),
    "MessageSendInput.subject": (
        "mutation", 'messageSend(input: {schoolId: "x", subject: $v, body: "x"}) { id }', "subject"
    ),
    "MessageSendInput.body": (
        "mutation", 'messageSend(input: {schoolId: "x", subject: "x", body: $v}) { id }', "body"
    ),
    "MessageReplyInput.body": (
        "mutation", 'messageReply(input: {messageId: "x", body: $v}) { id }', "body"
    ),
    "MessageReplyInput.subject": (
        "mutation", 'messageReply(input: {messageId: "x", body: "x", subject: $v}) { id }',
        "subject",
    ),
    "Mutation.gradeReport(text)": (
        "mutation", 'gradeReport(gradeId: "x", text: $v) { id }', "text"
    ),
    "Mutation.gradeReportAnswer(answer)": (
        "mutation", 'gradeReportAnswer(reportId: "x", answer: $v) { id }', "answer"
    ),
    "Mutation.gradeReportAnswer(correctedMark)": (
        "mutation",
        'gradeReportAnswer(reportId: "x", answer: "Верно", correctedMark: $v) { id }',
        "correctedMark",
    ),
    "Mutation.compromiseReport(note)": (
        "mutation",
        'compromiseReport(schoolId: "x", noticedAt: "2026-12-01T10:00:00Z", note: $v) { id }',
        "note",
    ),
    "Compromise.operations(after)": (
        "query", "compromises { nodes { operations(after: $v) { totalCount } } }", "after"
    ),
    "Mutation.periodReopen(reason)": (
        "mutation", f"periodReopen({FINAL}, reason: $v) {{ __typename }}", "reason"
    ),
    "Mutation.schoolYearReopen(reason)": (
        "mutation", 'schoolYearReopen(schoolYearId: "x", reason: $v) { __typename }', "reason"
    ),
    "NewcomerInput.letter": (
        "mutation",
        'schoolYearRollover(fromYearId: "x", toYearId: "x", plan: {newcomers: '
        '[{studentId: "x", parallel: 1, letter: $v}]}) { committed }',
        "letter",
    ),
    "ApiTokenIssueInput.name": (
        "mutation",
        f"apiTokenIssue(input: {{name: $v, kind: INSPECTOR, {EXPIRES}}}) {{ token }}",
        "name",
    ),
    "ApiTokenIssueInput.scopes": (
        "mutation",
        f'apiTokenIssue(input: {{name: "x", kind: INTEGRATOR, {EXPIRES}, scopes: [$v]}}) '
        "{ token }",
        "scopes",
    ),
    "AttendanceEntryInput.comment": (
        "mutation",
        'attendanceMark(lessonId: "x", marks: [{studentId: "x", comment: $v}]) { __typename }',
        "comment",
    ),
    "DayAbsenceInput.comment": (
        "mutation",
        'attendanceDayMark(classId: "x", date: "2026-11-20", '
        'marks: [{studentId: "x", kind: ILL, comment: $v}]) { __typename }',
        "comment",
    ),
    "FinalGradeEntryInput.mark": (
        "mutation",
        f'finalGradesSet(input: {{{FINAL}, grades: [{{studentId: "x", mark: $v}}]}}) '
        "{ __typename }",
        "mark",
    ),
    "GradeEntryInput.mark": (
        "mutation",
        f'gradesSet(input: {{lessonId: "x", grades: [{{{GRADE}, mark: $v}}]}}) {{ __typename }}',
        "mark",
    ),
    "GradeEntryInput.comment": (
        "mutation",
        f'gradesSet(input: {{lessonId: "x", grades: [{{{GRADE}, mark: "5", comment: $v}}]}}) '
        "{ __typename }",
        "comment",
    ),
    "GradesSetInput.reason": (
        "mutation",
        'gradesSet(input: {lessonId: "x", grades: [], reason: $v}) { __typename }',
        "reason",
    ),
    "HomeworkAssignInput.text": (
        "mutation",
        'homeworkAssign(input: {lessonId: "x", text: $v, dueOn: "2026-11-21"}) { id }',
        "text",
    ),
    "HomeworkAssignInput.pages": (
        "mutation", f"homeworkAssign(input: {{{HOMEWORK}, pages: $v}}) {{ id }}", "pages"
    ),
    "HomeworkAssignInput.tasks": (
        "mutation", f"homeworkAssign(input: {{{HOMEWORK}, tasks: $v}}) {{ id }}", "tasks"
    ),
    "LessonUpdateInput.topic": (
        "mutation", 'lessonUpdate(input: {lessonId: "x", version: 1, topic: $v}) { id }', "topic"
    ),
    "LessonUpdateInput.material": (
        "mutation",
        'lessonUpdate(input: {lessonId: "x", version: 1, material: $v}) { id }',
        "material",
    ),
    "TimetableChangeAddInput.reason": (
        "mutation",
        'timetableChangeAdd(input: {kind: CANCELLED, onDate: "2026-11-20", entryId: "x", '
        "reason: $v}) { id }",
        "reason",
    ),
    **{
        f"SchoolCreateInput.{name}": ("mutation", _school_create(school={name: "$v"}), name)
        for name in ["name", "shortName", "timezone", "address"]
    },
    **{
        f"FirstAdminInput.{name}": ("mutation", _school_create(admin={name: "$v"}), name)
        for name in ["lastName", "firstName", "middleName", "login"]
    },
    "PlanCreateInput.name": (
        "mutation", f"planCreate(input: {{{PLAN_NEW}, name: $v, items: []}}) {{ id }}", "name"
    ),
    "PlanItemInput.topic": (
        "mutation",
        f'planCreate(input: {{{PLAN_NEW}, name: "x", items: [{{topic: $v}}]}}) {{ id }}',
        "topic",
    ),
    "PlanUpdateInput.name": (
        "mutation", 'planUpdate(input: {planId: "x", name: $v}) { id }', "name"
    ),
    "ConsentRecordInput.document": (
        "mutation",
        'consentRecord(input: {schoolId: "x", personId: "x", document: $v}) { id }',
        "document",
    ),
    "ConsentWithdrawInput.reason": (
        "mutation", 'consentWithdraw(input: {consentId: "x", reason: $v}) { id }', "reason"
    ),
    **{
        f"PersonalDataInput.{name}": (
            "mutation", f'personalDataSet(input: {{personId: "x", {name}: $v}}) {{ id }}', name
        )
        for name in ("email", "phone", "address", "document")
    },
    "PersonUpdateInput.workContact": (
        "mutation", 'personUpdate(input: {personId: "x", workContact: $v}) { id }', "workContact"
    ),
    **{
        f"PeopleImportStartInput.{name}": (
            "mutation",
            "peopleImportStart(input: {schoolId: \"x\", "
            + ", ".join(f"{n}: {'$v' if n == name else chr(34) + 'x' + chr(34)}"
                        for n in ("fileName", "content"))
            + "}) { id }",
            name,
        )
        for name in ("fileName", "content")
    },
    "PeopleImportInput.content": (
        "mutation",
        'peopleImportCheck(input: {schoolId: "x", format: CSV, content: $v}) { created }',
        "content",
    ),
    "PlanImportInput.name": (
        "mutation",
        f'planImport(input: {{{PLAN_NEW}, name: $v, format: CSV, content: "x"}}) {{ id }}',
        "name",
    ),
    "PlanImportInput.content": (
        "mutation",
        f'planImport(input: {{{PLAN_NEW}, name: "x", format: CSV, content: $v}}) {{ id }}',
        "content",
    ),
    **{
        f"PersonInput.{name}": (
            "mutation",
            f'peopleCreate(schoolId: "x", people: [{{{names}, roles: [STUDENT], {name}: $v}}]) '
            "{ id }",
            name,
        )
        for name, names in [
            ("lastName", 'firstName: "x"'),
            ("firstName", 'lastName: "x"'),
            ("middleName", 'lastName: "x", firstName: "x"'),
        ]
    },
    **{
        f"PersonUpdateInput.{name}": (
            "mutation", f'personUpdate(input: {{personId: "x", {name}: $v}}) {{ id }}', name
        )
        for name in ("lastName", "firstName", "middleName")
    },
    "ClassCreateInput.letter": (
        "mutation",
        'classCreate(input: {schoolYearId: "x", parallel: 5, letter: $v}) { id }',
        "letter",
    ),
    "ClassUpdateInput.letter": (
        "mutation", 'classUpdate(input: {classId: "x", letter: $v}) { id }', "letter"
    ),
    "GroupCreateInput.name": (
        "mutation", 'groupCreate(input: {classId: "x", name: $v}) { id }', "name"
    ),
    "GroupUpdateInput.name": (
        "mutation", 'groupUpdate(input: {groupId: "x", name: $v}) { id }', "name"
    ),
    "PersonFilter.role": ("query", "people(filter: {role: $v}) { totalCount }", "role"),
    "PersonFilter.search": ("query", "people(filter: {search: $v}) { totalCount }", "search"),
    "Query.signInFailures(login)": ("query", "signInFailures(login: $v) { totalCount }", "login"),
    "Query.accounts(login)": ("query", "accounts(login: $v) { totalCount }", "login"),
    "Query.attestationCertificate(checksum)": (
        "query", "attestationCertificate(checksum: $v) { stillMatches }", "checksum"
    ),
    "Query.changes(record)": ("query", "changes(record: $v) { totalCount }", "record"),
    "Query.notificationDeliveries(channel)": (
        "query", "notificationDeliveries(channel: $v) { totalCount }", "channel"
    ),
    "Query.notificationDeliveryCounts(channel)": (
        "query", "notificationDeliveryCounts(channel: $v) { count }", "channel"
    ),
    "SchoolOverview.rows(after)": (
        "query",
        # the demo school's first period (School:1, Period:1): the page is cut of an overview
        'schoolOverview(schoolId: "U2Nob29sOjE=", periodId: "UGVyaW9kOjE=") '
        "{ rows(after: $v) { totalCount } }",
        "after",
    ),
} | {
    position: ("query", f"{position[6:-7]}(after: $v) {{ totalCount }}", "after")
    for position in TEXT_INPUTS
    if position.startswith("Query.") and position.endswith("(after)")
} | {  # the reports that need a school or a filter: the demo school's (School:1)
    "Query.gradeAverages(after)": (
        "query",
        'gradeAverages(filter: {schoolId: "U2Nob29sOjE="}, after: $v) { totalCount }',
        "after",
    ),
    "Query.journalControl(after)": (
        "query", 'journalControl(schoolId: "U2Nob29sOjE=", after: $v) { totalCount }', "after"
    ),
} | {  # the reference writes' inputs (issue 11): the other required fields given as literals
    position: (
        "mutation",
        f"{_REFERENCE[position.split('.')[0]][0]}(input: {{"
        + ", ".join(
            f"{name}: {value}"
            for name, value in {
                **_REFERENCE[position.split(".")[0]][1], position.split(".")[1]: "$v"
            }.items()
        )
        + "}) { __typename }",
        position.split(".")[1],
    )
    for position in TEXT_INPUTS
    if position.split(".")[0] in _REFERENCE
} | {
    "GradeScaleMarkInput.mark": (
        "mutation",
        'gradeScaleCreate(input: {schoolId: "x", name: "x", marks: [{mark: $v}]}) '
        "{ __typename }",
        "mark",
    ),
    "PeriodInput.name": (
        "mutation",
        'periodsCreate(schoolYearId: "x", periods: [{kind: QUARTER, number: 1, '
        'startsOn: "2026-09-01", endsOn: "2026-10-01", name: $v}]) { __typename }',
        "name",
    ),
    "DayOffInput.name": (
        "mutation",
        'daysOffCreate(schoolId: "x", days: [{onDate: "2026-11-04", name: $v}]) '
        "{ __typename }",
        "name",
    ),
    "TopicChannelsInput.channels": (
        "mutation",
        'notificationSubscriptionsSet(input: {studentId: "x", topics: [{topic: GRADE, '
        "channels: [$v]}]}) { __typename }",
        "channels",
    ),
}  # fmt: skip


@pytest.mark.parametrize(
    "control", ["\x00", "\x1b[2J", "\x7f", "\u0085"], ids=["NUL", "ESC", "DEL", "NEL"]
)
async def test_control_characters_are_refused_in_every_text_input(
    engine: AsyncEngine,
    api: GraphQLClient,
    sql: StatementCounter,
    demo_school: dict[str, str],
    control: str,
) -> None:
    # given the admin, signed in, and a document for every text input of the schema (and a
    # compromise reported, for the inputs of its fields)
    token = await api.login(demo_school["admin"], "demo")
    await execute(
        engine,
        "INSERT INTO compromise (school_id, account_id, noticed_at, reported_by_id, reported_at) "
        "SELECT 1, id, :now, id, :now FROM account WHERE login = :l",
        now=datetime.now(UTC),
        l=demo_school["parent"],
    )
    assert sorted(set(TEXT_INPUTS) & set(PLACES)) == TEXT_INPUTS
    sql.reset()
    for position in TEXT_INPUTS:
        operation, selection, field = PLACES[position]
        # when the text holds a control character
        document = f"{operation}($v: String!) {{ {selection} }}"
        reply = await api(document, {"v": f"5{control}"}, token=token)
        # then it is refused, naming the field
        assert reply.error_codes == ["BAD_USER_INPUT"], (position, reply.body)
        assert reply.body["errors"][0]["extensions"]["field"] == field, position
        assert "control characters" in reply.body["errors"][0]["message"], position
    assert _writes(sql) == []


async def test_tab_and_new_line_are_refused_in_a_one_line_text_and_kept_in_a_multi_line_one(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    token = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    given = {"lessonId": lesson["gid"], "version": lesson["version"]}
    topic = await api(UPDATE, {"i": {**given, "topic": "Дроби\nи проценты"}}, token=token)
    _refused(topic, "topic", argument="input")
    material = await api(UPDATE, {"i": {**given, "material": "§ 12\n\tс. 45"}}, token=token)
    assert material.data["lessonUpdate"]["material"] == "§ 12\n\tс. 45"
