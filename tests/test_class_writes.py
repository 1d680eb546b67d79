"""Placing students in classes (А #20, R-PEOPLE-1): enrol, move and leave with dates, the
history kept, one class of a school year at a time on both engines — through the endpoint with
each role's own token."""

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, Factory, build
from tests.races import outcome, race

PLACEMENT = "startsOn endsOn student { id } schoolClass { name }"
ENROL = f"""mutation($c: ID!, $s: [PlacementInput!]!) {{
  studentsEnrol(classId: $c, students: $s) {{ {PLACEMENT} }} }}"""
MOVE = f"""mutation($c: ID!, $s: [PlacementInput!]!) {{
  studentsMove(classId: $c, students: $s) {{ {PLACEMENT} }} }}"""
LEAVE = f"""mutation($c: ID!, $s: [PlacementInput!]!) {{
  studentsLeave(classId: $c, students: $s) {{ {PLACEMENT} }} }}"""
HISTORY = """query($p: ID!) { node(id: $p) { ... on Person {
  placements { endsOn schoolClass { name } }
  classes { name placements { startsOn endsOn student { id } } } } } }"""


@dataclass
class School:
    five_a: str
    five_b: str
    students: list[str]
    student_ids: list[int]
    year: str = ""
    english: str = ""
    maths: str = ""
    teacher: str = ""


def gid(type_name: str, row_id: int) -> str:
    return relay.to_base64(type_name, row_id)


async def school(engine: AsyncEngine, students: int = 6) -> School:
    """A school with its admin, head, a teacher and 5А, 5Б (empty), and students in no class."""

    async def recipe(f: Factory) -> School:
        setup = await f.school()
        for login, role in [("admin", m.Role.ADMIN), ("head", m.Role.HEAD)]:
            await f.account(await f.person(setup, login.title(), role), login)
        five_a = await f.school_class(setup, 5, "А", 0)
        five_b = await f.school_class(setup, 5, "Б", 0)
        teacher = await f.person(setup, "Учителева", m.Role.TEACHER)
        await f.account(teacher, "teacher")
        class_teacher = await f.session.get(m.Person, five_a.class_teacher_id)
        assert class_teacher is not None
        await f.account(class_teacher, "class_teacher")
        people = [await f.person(setup, f"Ученик{i}", m.Role.STUDENT) for i in range(students)]
        subjects = [
            await f.add(
                m.Subject(
                    school_id=setup.school.id,
                    name=n,
                    short_name=n[:4],
                    grade_scale_id=setup.scale.id,
                )
            )
            for n in ("Английский язык", "Математика")
        ]
        # the teacher teaches 5А English, on Mondays at bell 2
        whole = await f.session.scalar(
            select(m.Group.id).where(m.Group.school_class_id == five_a.id)
        )
        assert whole is not None
        await f.add(
            m.TimetableEntry(
                school_id=setup.school.id, school_year_id=setup.year.id, group_id=whole,
                subject_id=subjects[0].id, teacher_id=teacher.id, weekday=1, bell_number=2,
                valid_from=date(2026, 9, 1),
            )
        )  # fmt: skip
        return School(
            gid("SchoolClass", five_a.id),
            gid("SchoolClass", five_b.id),
            [gid("Person", p.id) for p in people],
            [p.id for p in people],
            gid("SchoolYear", setup.year.id),
            gid("Subject", subjects[0].id),
            gid("Subject", subjects[1].id),
            gid("Person", teacher.id),
        )

    return await build(engine, recipe)


async def placements(engine: AsyncEngine) -> list[tuple[int, int, date | None, date | None]]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(
                m.ClassStudent.student_id,
                m.ClassStudent.school_class_id,
                m.ClassStudent.starts_on,
                m.ClassStudent.ends_on,
            ).order_by(m.ClassStudent.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def test_the_admin_enrols_a_whole_class_in_constant_sql(
    engine: AsyncEngine, api: GraphQLClient, sql: StatementCounter
) -> None:  # R-PEOPLE-1, А #20
    s = await school(engine, students=8)
    token = await api.login("admin", PASSWORD)
    counts = []
    for klass, students in [(s.five_a, s.students[:2]), (s.five_b, s.students[2:])]:
        sql.reset()
        reply = await api(
            ENROL, {"c": klass, "s": [{"studentId": x} for x in students]}, token=token
        )
        counts.append(sql.count)
        enrolled = reply.data["studentsEnrol"]
        assert [p["student"]["id"] for p in enrolled] == students
        assert {(p["startsOn"], p["endsOn"]) for p in enrolled} == {("2026-09-01", None)}
    assert counts[0] == counts[1]  # 2 students or 6: the same statements


async def test_a_move_ends_the_old_placement_and_keeps_it(
    engine: AsyncEngine, api: GraphQLClient
) -> None:  # R-PEOPLE-1, А #20
    s = await school(engine)
    token = await api.login("admin", PASSWORD)
    first, second = s.students[:2]
    students = [{"studentId": first}, {"studentId": second, "on": "2026-09-15"}]
    assert (await api(ENROL, {"c": s.five_a, "s": students}, token=token)).data
    # when the first moves to 5Б on 1 November
    move = [{"studentId": first, "on": "2026-11-01"}]
    moved = (await api(MOVE, {"c": s.five_b, "s": move}, token=token)).data["studentsMove"]
    assert [(p["schoolClass"]["name"], p["startsOn"], p["endsOn"]) for p in moved] == [
        ("5А", "2026-09-01", "2026-10-31"),
        ("5Б", "2026-11-01", None),
    ]
    # the old placement is changed (ended), the new one created: both in the audit trail
    assert (await trail(engine))[-2:] == [
        ("class_student", "changed"),
        ("class_student", "created"),
    ]
    # then the second leaves on 20 December
    leave = [{"studentId": second, "on": "2026-12-20"}]
    left = await api(LEAVE, {"c": s.five_a, "s": leave}, token=token)
    assert [(p["startsOn"], p["endsOn"]) for p in left.data["studentsLeave"]] == [
        ("2026-09-15", "2026-12-20")
    ]
    # the history is kept: both classes, each with its days
    answer = (await api(HISTORY, {"p": first}, token=token)).data["node"]
    assert [(p["schoolClass"]["name"], p["endsOn"]) for p in answer["placements"]] == [
        ("5А", "2026-10-31"),
        ("5Б", None),
    ]
    history = answer["classes"]
    assert [c["name"] for c in history] == ["5А", "5Б"]
    days = {(p["student"]["id"], p["startsOn"], p["endsOn"]) for p in history[0]["placements"]}
    assert days == {(first, "2026-09-01", "2026-10-31"), (second, "2026-09-15", "2026-12-20")}
    # and a move of someone in no class is refused, naming what to do instead
    stray = [{"studentId": s.students[3], "on": "2026-11-01"}]
    reply = await api(MOVE, {"c": s.five_b, "s": stray}, token=token)
    assert reply.error_code == "BAD_USER_INPUT"
    assert "enrol them instead" in reply.body["errors"][0]["message"]


PROMOTE = f"""mutation($f: ID!, $t: ID!) {{
  studentsPromote(fromClassId: $f, toClassId: $t) {{ {PLACEMENT} }} }}"""


async def test_a_class_is_promoted_to_the_next_year_without_its_leavers(
    engine: AsyncEngine, api: GraphQLClient
) -> None:  # R-PEOPLE-1, А #20: перевод в следующий учебный год
    s = await school(engine)
    token = await api.login("admin", PASSWORD)
    enrol = [{"studentId": x} for x in s.students[:3]]
    assert (await api(ENROL, {"c": s.five_a, "s": enrol}, token=token)).data
    leave = [{"studentId": s.students[2], "on": "2026-12-20"}]
    assert (await api(LEAVE, {"c": s.five_a, "s": leave}, token=token)).data

    async def next_year(f: Factory) -> str:
        five_a = await f.session.get(m.SchoolClass, int(relay.GlobalID.from_id(s.five_a).node_id))
        assert five_a is not None
        year = await f.add(
            m.SchoolYear(
                school_id=five_a.school_id, name="2027/2028",
                starts_on=date(2027, 9, 1), ends_on=date(2028, 5, 31),
            )
        )  # fmt: skip
        six_a = await f.add(
            m.SchoolClass(
                school_id=five_a.school_id, school_year_id=year.id, parallel=6, letter="А"
            )
        )
        return gid("SchoolClass", six_a.id)

    six_a = await build(engine, next_year)
    promoted = (await api(PROMOTE, {"f": s.five_a, "t": six_a}, token=token)).data
    assert [(p["student"]["id"], p["startsOn"], p["schoolClass"]["name"])
            for p in promoted["studentsPromote"]] == [
        (x, "2027-09-01", "6А") for x in s.students[:2]
    ]  # fmt: skip
    # promoted once only, and only into a later year
    again = await api(PROMOTE, {"f": s.five_a, "t": six_a}, token=token)
    assert again.error_code == "BAD_USER_INPUT"
    same_year = await api(PROMOTE, {"f": s.five_a, "t": s.five_b}, token=token)
    assert "later school year" in same_year.body["errors"][0]["message"]


async def test_a_student_is_in_one_class_of_a_year_and_a_refusal_leaves_nothing(
    engine: AsyncEngine, api: GraphQLClient
) -> None:  # R-PEOPLE-1
    s = await school(engine)
    token = await api.login("admin", PASSWORD)
    one = [{"studentId": s.students[0]}]
    assert (await api(ENROL, {"c": s.five_a, "s": one}, token=token)).data
    before = await placements(engine)
    # the second item is in 5А already: nothing of the call is written
    both = [{"studentId": s.students[1]}, {"studentId": s.students[0], "on": "2026-10-01"}]
    reply = await api(ENROL, {"c": s.five_b, "s": both}, token=token)
    error = reply.body["errors"][0]
    assert (error["extensions"]["code"], error["extensions"]["item"]) == ("BAD_USER_INPUT", 1)
    assert "is in 5А from 01.09.2026: move them instead" in error["message"]
    assert await placements(engine) == before
    # a day outside the school year, or a student listed twice, names the item too
    for bad, field in [
        ([{"studentId": s.students[2], "on": "2027-07-01"}], "on"),
        ([{"studentId": s.students[2]}, {"studentId": s.students[2]}], "studentId"),
    ]:
        reply = await api(ENROL, {"c": s.five_b, "s": bad}, token=token)
        assert reply.body["errors"][0]["extensions"]["field"] == field


async def test_the_database_refuses_overlapping_placements(engine: AsyncEngine) -> None:
    # R-PEOPLE-1: the invariant holds for any writer on PostgreSQL, not only for the API
    s = await school(engine)
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's writers check it in their transaction (the tests above and below)")
    async with engine.connect() as connection:
        classes = (
            await connection.execute(select(m.SchoolClass.id, m.SchoolClass.school_year_id))
        ).all()
    rows = [
        {"school_class_id": c, "school_year_id": y, "student_id": s.student_ids[0],
         "starts_on": starts, "ends_on": ends}
        for (c, y), (starts, ends) in zip(
            classes, [(None, date(2026, 10, 31)), (date(2026, 10, 31), None)], strict=True
        )
    ]  # fmt: skip
    with pytest.raises(IntegrityError, match="one_class_at_a_time"):
        async with engine.begin() as connection:
            await connection.execute(insert(m.ClassStudent), rows)


async def test_racing_enrolments_of_one_student_place_them_once(
    engine: AsyncEngine, api: GraphQLClient
) -> None:  # R-PEOPLE-1
    s = await school(engine)
    token = await api.login("admin", PASSWORD)
    student = [{"studentId": s.students[0]}]
    replies = await race(
        engine,
        [api(ENROL, {"c": klass, "s": student}, token=token) for klass in (s.five_a, s.five_b)],
    )
    outcomes = sorted(outcome(reply) for reply in replies)
    assert outcomes[1] == "OK"
    assert outcomes[0] in {"BAD_USER_INPUT", "CONFLICT"}
    assert len(await placements(engine)) == 1


@pytest.mark.parametrize("login", ["head", "teacher", "class_teacher"])
async def test_only_the_admin_places_students(
    engine: AsyncEngine, api: GraphQLClient, login: str
) -> None:  # А #20: the admin keeps the contingent
    s = await school(engine)
    token = await api.login(login, PASSWORD)
    for document in (ENROL, MOVE, LEAVE):
        students = [{"studentId": s.students[0], "on": "2026-10-01"}]
        reply = await api(document, {"c": s.five_a, "s": students}, token=token)
        assert reply.error_code in {"FORBIDDEN", "NOT_FOUND"}
    assert await placements(engine) == []


CLASS = "id name letter classTeacher { id } groups { kind name } archivedAt"
CREATE = f"""mutation($i: ClassCreateInput!) {{ classCreate(input: $i) {{ {CLASS} }} }}"""
UPDATE = f"""mutation($i: ClassUpdateInput!) {{ classUpdate(input: $i) {{ {CLASS} }} }}"""
REMOVE = "mutation($c: ID!) { classRemove(classId: $c) }"
GROUP = "id name kind subject { name } students { id }"
GROUP_CREATE = f"""mutation($i: GroupCreateInput!) {{ groupCreate(input: $i) {{ {GROUP} }} }}"""
GROUP_SET = f"""mutation($g: ID!, $s: [ID!]!) {{
  groupStudentsSet(groupId: $g, studentIds: $s) {{ {GROUP} }} }}"""
GROUP_REMOVE = "mutation($g: ID!) { groupRemove(groupId: $g) }"


async def trail(engine: AsyncEngine) -> list[tuple[str, str]]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(m.Change.entity, m.Change.action)
            .where(m.Change.kind == m.ChangeKind.RECORD)
            .order_by(m.Change.id)
        )
        return [(entity, str(action)) for entity, action in rows]


async def test_the_admin_creates_corrects_and_removes_classes(
    engine: AsyncEngine, api: GraphQLClient
) -> None:  # R-SETUP-2, А #17
    s = await school(engine)
    token = await api.login("admin", PASSWORD)
    new = {"schoolYearId": s.year, "parallel": 6, "letter": " в ", "classTeacherId": s.teacher}
    made = (await api(CREATE, {"i": new}, token=token)).data["classCreate"]
    assert (made["name"], made["classTeacher"]) == ("6В", {"id": s.teacher})
    assert made["groups"] == [{"kind": "WHOLE_CLASS", "name": "Весь класс"}]
    assert await trail(engine) == [("school_class", "created"), ("study_group", "created")]
    # a parallel and letter taken that year, or a class teacher who does not teach, is refused
    not_teaching = {**new, "letter": "Г", "classTeacherId": s.students[0]}
    for bad, field in [({**new, "letter": "В"}, "letter"), (not_teaching, "classTeacherId")]:
        reply = await api(CREATE, {"i": bad}, token=token)
        assert reply.body["errors"][0]["extensions"]["field"] == field
    # the class teacher is changed, and the change is in the trail with both states
    fix = {"classId": made["id"], "classTeacherId": None, "letter": "Г"}
    fixed = (await api(UPDATE, {"i": fix}, token=token)).data["classUpdate"]
    assert (fixed["name"], fixed["classTeacher"]) == ("6Г", None)
    assert (await trail(engine))[-1] == ("school_class", "changed")
    # an empty class is deleted with its group; one with placements is archived and kept
    assert (await api(REMOVE, {"c": made["id"]}, token=token)).data["classRemove"] == "DELETED"
    enrol = [{"studentId": s.students[0]}]
    assert (await api(ENROL, {"c": s.five_a, "s": enrol}, token=token)).data
    assert (await api(REMOVE, {"c": s.five_a}, token=token)).data["classRemove"] == "ARCHIVED"
    archived = await api(ENROL, {"c": s.five_a, "s": [{"studentId": s.students[1]}]}, token=token)
    assert "archived" in archived.body["errors"][0]["message"]


@pytest.mark.parametrize("login", ["head", "teacher", "class_teacher"])
async def test_only_the_admin_keeps_classes(
    engine: AsyncEngine, api: GraphQLClient, login: str
) -> None:  # А #17
    s = await school(engine)
    token = await api.login(login, PASSWORD)
    new = {"schoolYearId": s.year, "parallel": 6, "letter": "В"}
    assert (await api(CREATE, {"i": new}, token=token)).error_code in {
        "FORBIDDEN",
        "BAD_USER_INPUT",
    }
    fix = {"classId": s.five_b, "letter": "Я"}  # 5А's class teacher sets 5А up (below)
    assert (await api(UPDATE, {"i": fix}, token=token)).error_code in {"FORBIDDEN", "NOT_FOUND"}
    assert (await api(REMOVE, {"c": s.five_a}, token=token)).error_code in {
        "FORBIDDEN",
        "NOT_FOUND",
    }
    async with engine.connect() as connection:
        letters = (await connection.execute(select(m.SchoolClass.letter))).scalars().all()
    assert sorted(letters) == ["А", "Б"]


def pk(global_id: str) -> int:
    return int(relay.from_base64(global_id)[1])


async def test_the_class_teacher_sets_their_own_class_up_and_no_other(
    engine: AsyncEngine, api: GraphQLClient
) -> None:  # Г.1 #6: «создавать и настраивать классы … (только в рамках своего класса)»
    # given 5А's class teacher, who also teaches 5Б maths, and a room for a home room
    s = await school(engine)

    async def recipe(f: Factory) -> str:
        five_b = await f.session.get(m.SchoolClass, pk(s.five_b))
        five_a = await f.session.get(m.SchoolClass, pk(s.five_a))
        assert five_a is not None
        assert five_b is not None
        whole = await f.session.scalar(
            select(m.Group.id).where(m.Group.school_class_id == five_b.id)
        )
        assert whole is not None
        await f.add(
            m.TimetableEntry(
                school_id=five_b.school_id, school_year_id=five_b.school_year_id, group_id=whole,
                subject_id=pk(s.maths), teacher_id=five_a.class_teacher_id, weekday=2,
                bell_number=1, valid_from=date(2026, 9, 1),
            )
        )  # fmt: skip
        building = await f.add(m.Building(school_id=five_a.school_id, name="Главный корпус"))
        room = await f.add(
            m.Room(school_id=five_a.school_id, building_id=building.id, name="Кабинет 21")
        )
        return gid("Room", room.id)

    room = await build(engine, recipe)
    token = await api.login("class_teacher", PASSWORD)
    before = await trail(engine)
    # when they rename their class, give it its home room and grade it by halves
    fix = {"classId": s.five_a, "letter": "В", "roomId": room, "periodKind": "HALF"}
    reply = await api(
        f"mutation($i: ClassUpdateInput!) {{ classUpdate(input: $i) {{ {CLASS} "
        "room { name } periodKind } }",
        {"i": fix},
        token=token,
    )
    # then the class is so, and the change is in the trail
    fixed = reply.data["classUpdate"]
    assert (fixed["name"], fixed["room"], fixed["periodKind"]) == (
        "5В",
        {"name": "Кабинет 21"},
        "HALF",
    )
    assert await trail(engine) == [*before, ("school_class", "changed")]
    # and naming themselves its class teacher again changes nothing of it: allowed
    own = fixed["classTeacher"]["id"]
    same = {"classId": s.five_a, "classTeacherId": own, "letter": "А"}
    assert (await api(UPDATE, {"i": same}, token=token)).data["classUpdate"]["name"] == "5А"
    # but another class, though they teach it, is the admin's and its own class teacher's
    other = await api(UPDATE, {"i": {"classId": s.five_b, "letter": "Я"}}, token=token)
    assert other.error_code == "FORBIDDEN"
    assert other.body["errors"][0]["message"] == (
        "Only the school's admin, or the class teacher of this class, sets it up."
    )
    # and who the class teacher of their own class is, is the admin's
    for teacher in (s.teacher, None):
        change = {"classId": s.five_a, "classTeacherId": teacher, "letter": "Г"}
        refused = await api(UPDATE, {"i": change}, token=token)
        assert refused.error_code == "FORBIDDEN"
        assert refused.body["errors"][0]["message"] == (
            "Only the school's admin appoints or changes a class's class teacher."
        )
    async with engine.connect() as connection:
        classes = (
            await connection.execute(
                select(m.SchoolClass.letter, m.SchoolClass.class_teacher_id).order_by(
                    m.SchoolClass.id
                )
            )
        ).all()
    assert [tuple(row) for row in classes] == [("А", pk(own)), ("Б", classes[1][1])]
    assert len(await trail(engine)) == len(before) + 2  # the two changes, no refusal


async def test_the_class_teacher_and_the_subjects_teacher_split_the_class(
    engine: AsyncEngine, api: GraphQLClient
) -> None:  # R-SETUP-2, Г.1 #6
    s = await school(engine)
    admin = await api.login("admin", PASSWORD)
    enrol = [{"studentId": x} for x in s.students[:4]]
    assert (await api(ENROL, {"c": s.five_a, "s": enrol}, token=admin)).data
    class_teacher = await api.login("class_teacher", PASSWORD)
    # the class teacher splits their class for maths
    half = {"classId": s.five_a, "name": "Математика, 1", "subjectId": s.maths,
            "studentIds": s.students[:2]}  # fmt: skip
    made = (await api(GROUP_CREATE, {"i": half}, token=class_teacher)).data["groupCreate"]
    assert (made["kind"], made["subject"], len(made["students"])) == (
        "SUBGROUP",
        {"name": "Математика"},
        2,
    )
    # a student not placed in the class is refused, naming the item
    stray = {**half, "name": "Математика, 2", "studentIds": [s.students[0], s.students[5]]}
    error = (await api(GROUP_CREATE, {"i": stray}, token=class_teacher)).body["errors"][0]
    assert (error["extensions"]["field"], error["extensions"]["item"]) == ("studentIds", 1)
    # not another class: the class teacher does not see 5Б
    other = {**half, "classId": s.five_b, "studentIds": []}
    assert (await api(GROUP_CREATE, {"i": other}, token=class_teacher)).error_code == "NOT_FOUND"
    # the English teacher splits 5А for English, not for maths
    teacher = await api.login("teacher", PASSWORD)
    english = {"classId": s.five_a, "name": "Английский, 1", "subjectId": s.english,
               "studentIds": s.students[2:4]}  # fmt: skip
    group = (await api(GROUP_CREATE, {"i": english}, token=teacher)).data["groupCreate"]
    maths = {**english, "name": "Математика, 3", "subjectId": s.maths}
    assert (await api(GROUP_CREATE, {"i": maths}, token=teacher)).error_code == "FORBIDDEN"
    async with engine.connect() as connection:  # refused after its insert: rolled back
        names = (await connection.execute(select(m.Group.name))).scalars().all()
    assert "Математика, 3" not in names
    # the list is set anew, all at once; an unused group is deleted
    reset = await api(GROUP_SET, {"g": group["id"], "s": s.students[1:3]}, token=teacher)
    assert {x["id"] for x in reset.data["groupStudentsSet"]["students"]} == set(s.students[1:3])
    assert (await api(GROUP_REMOVE, {"g": group["id"]}, token=teacher)).data == {
        "groupRemove": "DELETED"
    }
    entities = [entity for entity, _ in await trail(engine)]
    assert entities.count("group_student") == 2 + 2 + 2 + 2  # in, then one out, one in, all out
