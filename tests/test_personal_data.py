"""Personal data as its own resource (R-PD-1, 152-FZ): birth dates, private contacts and
addresses are read by the duties that need them, whatever path reaches the person; every read
by staff or an API token is logged with the request, for the admin and the person to read."""

from typing import Any

from graphql import GraphQLObjectType, get_named_type
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from resolvers.people.personal_data import FIELDS
from schema.build import build_schema
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.lessons import execute, rows

P = "id fullName birthDate phone email address document workContact"
PERSONAL = ("birthDate", "phone", "email", "address", "document")

# Every path from the root to a person a student may take: lists, `node`, nested fields.
STUDENT_PATHS = f"""
query($teacher: ID!, $me: ID!) {{
  people(first: 100) {{ nodes {{ {P} parents {{ person {{ {P} }} }} children {{ person {{ {P} }} }} }} }}
  node(id: $teacher) {{ ... on Person {{ {P} }} }}
  mine: node(id: $me) {{ ... on Person {{ {P} parents {{ person {{ {P} }} }} }} }}
  me {{ person {{ {P} }} }}
  lessons(first: 100) {{ nodes {{ teacher {{ {P} }} substitute {{ {P} }} }} }}
  classes(first: 100) {{ nodes {{ classTeacher {{ {P} }} students {{ {P} }} }} }}
  timetable(first: 100) {{ nodes {{ teacher {{ {P} }} }} }}
  grades(first: 100) {{ nodes {{ student {{ {P} }} }} }}
}}
"""  # noqa: E501


def people_in(reply: Any) -> list[dict[str, Any]]:
    """Every person object anywhere in the answer."""
    found: list[dict[str, Any]] = []
    if isinstance(reply, dict):
        if "fullName" in reply and "id" in reply:
            found.append(reply)
        for value in reply.values():
            found += people_in(value)
    elif isinstance(reply, list):
        for value in reply:
            found += people_in(value)
    return found


def shown(people: list[dict[str, Any]]) -> set[str]:
    """The ids of the people whose personal data came back."""
    return {p["id"] for p in people if any(p.get(name) is not None for name in PERSONAL)}


async def person_of(engine: AsyncEngine, login: str) -> int:
    found = await rows(engine, "SELECT person_id FROM account WHERE login = :l", l=login)
    person_id: int = found[0][0]
    return person_id


def gid(type_name: str, row_id: int) -> str:
    return relay.to_base64(type_name, row_id)


async def staff_with_private_data(engine: AsyncEngine) -> None:
    """Every member of staff has a birth date, a private phone, an address and a document."""
    await execute(
        engine,
        "UPDATE person SET birth_date = '1980-02-03', phone = '+79990000000', "
        "address = 'ул. Ленина, 1', document = 'паспорт 4510 123456' "
        "WHERE id IN (SELECT person_id FROM school_role "
        "WHERE role IN ('admin', 'head', 'deputy', 'teacher', 'psychologist'))",
    )


def test_personal_fields_are_the_persons_and_read_through_their_rules() -> None:
    # R-PD-1: no other type of the schema carries a birth date or a contact, so every path to
    # one goes through `Person`, whose fields each ask the `personal_data` rules.
    schema = build_schema()._schema
    names = {"birthDate", "phone", "email", "address", "document", "birth", "dateOfBirth"}
    carrying = sorted(
        f"{type_name}.{field}"
        for type_name, type_ in schema.type_map.items()
        if isinstance(type_, GraphQLObjectType)
        and not type_name.startswith("__")
        and type_name not in {"School", "Building"}  # a school's address is public
        for field in type_.fields
        if field in names
        and (type_name, field) != ("Consent", "document")  # the consent's paper, not an ID
    )
    assert carrying == [f"Person.{name}" for name in sorted(FIELDS.values())]
    person = schema.type_map["Person"]
    assert isinstance(person, GraphQLObjectType)
    for name in FIELDS.values():
        definition = person.fields[name].extensions["strawberry-definition"]
        assert definition.base_resolver is not None, name
        assert "Personal data (152-ФЗ)" in (person.fields[name].description or "")
        assert get_named_type(person.fields[name].type).name in {"Date", "String"}


async def test_a_student_reads_no_staff_birth_date_or_phone_by_any_path(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-PD-1
    # given staff with birth dates, private phones, and a published work contact
    await staff_with_private_data(engine)
    teacher = await person_of(engine, demo_school["teacher"])
    await execute(
        engine, "UPDATE person SET work_contact = 'teacher@school.example' WHERE id = :t", t=teacher
    )
    me = await person_of(engine, demo_school["student"])
    parents = {
        gid("Person", row[0])
        for row in await rows(
            engine, "SELECT parent_id FROM guardianship WHERE child_id = :c", c=me
        )
    }
    token = await api.login(demo_school["student"], "demo")
    # when the student asks by every path
    reply = await api(STUDENT_PATHS, {"teacher": gid("Person", teacher), "me": gid("Person", me)},
                      token=token)  # fmt: skip
    people = people_in(reply.data)
    # then staff names and the work contact come back, never their birth date or phone
    staff = [p for p in people if p["id"] == gid("Person", teacher)]
    assert staff
    assert all(p["fullName"] for p in staff)
    assert {p["workContact"] for p in staff} == {"teacher@school.example"}
    assert all(p["birthDate"] is None and p["phone"] is None for p in staff)
    # and the only personal data shown is their own and their parents'
    assert shown(people) <= {gid("Person", me), *parents}
    assert gid("Person", me) in shown(people)


async def test_a_teacher_reads_students_names_not_their_parents_contacts(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-PD-1
    # given the teacher's students, with their parents
    query = f"""{{ lessons(first: 100) {{ nodes {{ group {{ id }} }} }}
      people(first: 100) {{ nodes {{ {P} parents {{ person {{ {P} }} }} }} }} }}"""
    token = await api.login(demo_school["teacher"], "demo")
    me = gid("Person", await person_of(engine, demo_school["teacher"]))
    # when the teacher reads them
    people = people_in((await api(query, token=token)).data)
    # then names, and no one's personal data but their own
    assert len(people) > 5
    assert shown(people) <= {me}


async def test_the_class_teacher_reads_their_class_parents_contacts_only(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-PD-1
    # given the class teacher's class, and another class
    teacher = await person_of(engine, demo_school["class_teacher"])
    own = {
        gid("Person", row[0])
        for row in await rows(
            engine,
            "SELECT cs.student_id FROM class_student cs JOIN school_class c "
            "ON c.id = cs.school_class_id WHERE c.class_teacher_id = :t "
            "UNION SELECT g.parent_id FROM guardianship g JOIN class_student cs "
            "ON cs.student_id = g.child_id JOIN school_class c ON c.id = cs.school_class_id "
            "WHERE c.class_teacher_id = :t",
            t=teacher,
        )
    }
    query = f"{{ classes(first: 100) {{ nodes {{ students {{ {P} parents {{ person {{ {P} }} }} }} }} }} }}"  # noqa: E501
    token = await api.login(demo_school["class_teacher"], "demo")
    # when they read the classes they see
    people = people_in((await api(query, token=token)).data)
    # then their class's students' and parents' contacts, nobody else's
    assert shown(people) - {gid("Person", teacher)} <= own
    parents_shown = {p["id"] for p in people if p["phone"] or p["email"]} & own
    assert parents_shown, "the class's contacts are shown to its class teacher"


async def test_a_withdrawn_consent_hides_contacts_from_all_but_the_admin_and_the_person(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-PD-1, 152-FZ
    # given a student of the class teacher's class with a phone and a consent
    teacher = await person_of(engine, demo_school["class_teacher"])
    (student,), *_ = await rows(
        engine,
        "SELECT min(cs.student_id) FROM class_student cs JOIN school_class c "
        "ON c.id = cs.school_class_id WHERE c.class_teacher_id = :t",
        t=teacher,
    )
    await execute(engine, "UPDATE person SET phone = '+79991112233' WHERE id = :s", s=student)
    consents = await rows(engine, "SELECT id FROM consent WHERE person_id = :s", s=student)
    admin = await api.login(demo_school["admin"], "demo")
    class_teacher = await api.login(demo_school["class_teacher"], "demo")
    read = f"query($p: ID!) {{ node(id: $p) {{ ... on Person {{ {P} consents {{ withdrawnAt withdrawalReason }} }} }} }}"  # noqa: E501
    who = {"p": gid("Person", student)}
    assert (await api(read, who, token=class_teacher)).data["node"]["phone"] == "+79991112233"
    # when the admin withdraws every consent of theirs
    withdraw = """mutation($c: ID!) { consentWithdraw(input: {consentId: $c,
      reason: "Заявление законного представителя"}) { withdrawnAt withdrawalReason } }"""
    for (consent,) in consents:
        done = (await api(withdraw, {"c": gid("Consent", consent)}, token=admin)).data
        assert done["consentWithdraw"]["withdrawalReason"] == "Заявление законного представителя"
    # then the class teacher sees their name, not their phone; the admin still sees it
    seen = (await api(read, who, token=class_teacher)).data["node"]
    assert seen["fullName"]
    assert seen["phone"] is None
    assert (await api(read, who, token=admin)).data["node"]["phone"] == "+79991112233"
    # and the data is kept; the school may no longer contact them
    from resolvers.database import Database
    from resolvers.people.personal_data import may_contact

    school = await rows(engine, "SELECT school_id FROM consent WHERE person_id = :s", s=student)
    async with engine.connect() as connection:
        assert await connection.scalar(select(m.Person.phone).where(m.Person.id == student))
    from sqlalchemy.ext.asyncio import AsyncSession

    async with AsyncSession(engine) as session:
        db = Database(session)
        assert await may_contact(db, school[0][0], [student, teacher]) == {teacher}
    # and withdrawing again is refused
    again = await api(withdraw, {"c": gid("Consent", consents[0][0])}, token=admin)
    assert again.error_code == "BAD_USER_INPUT"


async def test_personal_data_is_entered_only_with_a_consent(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-PD-1, 152-FZ
    # given a student of the class teacher's class without any consent
    teacher = await person_of(engine, demo_school["class_teacher"])
    (student, school), *_ = await rows(
        engine,
        "SELECT min(cs.student_id), min(c.school_id) FROM class_student cs JOIN school_class c "
        "ON c.id = cs.school_class_id WHERE c.class_teacher_id = :t",
        t=teacher,
    )
    await execute(engine, "DELETE FROM consent WHERE person_id = :s", s=student)
    await execute(engine, "UPDATE person SET phone = NULL WHERE id = :s", s=student)
    admin = await api.login(demo_school["admin"], "demo")
    enter = """mutation($p: ID!) { personalDataSet(input: {personId: $p, phone: "+79005554433",
      birthDate: "2015-04-05"}) { phone birthDate } }"""
    who = {"p": gid("Person", student)}
    # when the admin enters their phone, then it is refused and nothing is written
    refused = await api(enter, who, token=admin)
    assert refused.error_code == "BAD_USER_INPUT"
    assert "consent" in refused.body["errors"][0]["message"]
    async with engine.connect() as connection:
        assert await connection.scalar(select(m.Person.phone).where(m.Person.id == student)) is None
    # when the class teacher records the parent's consent (a parent not linked is refused)
    record = """mutation($s: ID!, $p: ID!, $by: ID) { consentRecord(input: {schoolId: $s,
      personId: $p, givenById: $by, document: "Согласие № 12/2026"}) {
      document givenBy { id } withdrawnAt } }"""
    (parent,), *_ = await rows(
        engine, "SELECT parent_id FROM guardianship WHERE child_id = :s", s=student
    )
    class_teacher = await api.login(demo_school["class_teacher"], "demo")
    args = {"s": gid("School", school), "p": gid("Person", student)}
    stranger = await api(record, {**args, "by": gid("Person", teacher)}, token=class_teacher)
    assert stranger.error_code == "BAD_USER_INPUT"
    given = await api(record, {**args, "by": gid("Person", parent)}, token=class_teacher)
    assert given.data["consentRecord"]["givenBy"]["id"] == gid("Person", parent)
    # then the admin enters the data, and it is in the audit trail
    entered = (await api(enter, who, token=admin)).data["personalDataSet"]
    assert entered == {"phone": "+79005554433", "birthDate": "2015-04-05"}
    async with engine.connect() as connection:
        trail = await connection.scalar(
            select(func.count()).where(
                m.Change.entity == "consent", m.Change.entity_id.is_not(None)
            )
        )
    assert trail
    # and a student may not record consents
    student_token = await api.login(demo_school["student"], "demo")
    assert (await api(record, {**args, "by": None}, token=student_token)).error_code == "FORBIDDEN"


LOG = """query($p: ID) { personalDataReads(personId: $p, first: 100) { totalCount
  nodes { person { id } fields reader { name kind readAt person { id } } } } }"""


async def test_reads_are_logged_in_the_request_for_the_admin_and_the_person(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:  # R-PD-1
    # given the class teacher reading their class's phones and birth dates
    teacher = await person_of(engine, demo_school["class_teacher"])
    query = "{ classes(first: 100) { nodes { students { id fullName phone birthDate } } } }"
    class_teacher = await api.login(demo_school["class_teacher"], "demo")
    sql.reset()
    students = people_in((await api(query, token=class_teacher)).data)
    inserts = [s for s in sql.statements if s.lstrip().upper().startswith("INSERT")]
    read = {p["id"] for p in students if p["phone"] or p["birthDate"]}
    assert len(read) > 1
    # then one row of the query log and one statement for all the people read
    assert len(inserts) == 2, inserts
    # and the admin reads who read what
    admin = await api.login(demo_school["admin"], "demo")
    log = (await api(LOG, {"p": None}, token=admin)).data["personalDataReads"]
    mine = [n for n in log["nodes"] if n["reader"]["name"] == demo_school["class_teacher"]]
    assert {n["person"]["id"] for n in mine} == read
    assert all(set(n["fields"]) <= {"phone", "birthDate"} and n["fields"] for n in mine)
    assert {n["reader"]["kind"] for n in mine} == {"LOGIN"}
    assert {n["reader"]["person"]["id"] for n in mine} == {gid("Person", teacher)}
    # and a student of the class reads the reads of their own data only
    me = await person_of(engine, demo_school["student"])
    student = await api.login(demo_school["student"], "demo")
    own = (await api(LOG, {"p": None}, token=student)).data["personalDataReads"]
    assert {n["person"]["id"] for n in own["nodes"]} <= {gid("Person", me)}
    other = next(iter(read - {gid("Person", me)}))
    assert (await api(LOG, {"p": other}, token=student)).data["personalDataReads"][
        "totalCount"
    ] == 0
    # and the student reading their own data is not logged
    before = log["totalCount"]
    await api("{ me { person { phone birthDate } } }", token=student)
    after = (await api(LOG, {"p": None}, token=admin)).data["personalDataReads"]["totalCount"]
    assert after == before


async def test_an_inspectors_reads_are_logged_under_its_query_log_row(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-PD-1, §1.12
    from tests.test_permission_matrix import _inspector

    token = await _inspector(engine)
    reply = await api("{ people(first: 20) { nodes { id fullName phone } } }", token=token)
    people = people_in(reply.data)
    assert any(p["phone"] for p in people)  # inspectors read personal data, read-only
    async with engine.connect() as connection:
        logged = (
            await connection.execute(
                select(func.count(m.QueryLog.id.distinct()), func.count(m.PersonalDataRead.id))
                .select_from(m.PersonalDataRead)
                .join(m.QueryLog, m.QueryLog.id == m.PersonalDataRead.query_log_id)
            )
        ).one()
        queries = await connection.scalar(select(func.count()).select_from(m.QueryLog))
    # each person whose phone was read (empty or not) is a row of that one request's log
    assert logged[0] == 1
    assert logged[1] == len(people)
    assert queries == 1  # the inspector's one row of the query log holds its reads
