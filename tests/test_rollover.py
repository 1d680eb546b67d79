"""The school-year rollover (перевод, А #20, R-PEOPLE-1, R-YEAR-1): a preview that writes nothing
and says what the commit does; the commit promotes 5А into 6А, lets the 11th grade and the
listed graduates leave, keeps a repeater in the 5th parallel, places a newcomer and carries
subject links and subgroups only where asked — all or nothing, in the same statements for any
school size. Through the endpoint with each role's own token."""

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.factories import PASSWORD, Factory, build

ROLLOVER = """mutation($f: ID!, $t: ID!, $p: RolloverPlanInput, $c: Boolean!) {
  schoolYearRollover(fromYearId: $f, toYearId: $t, plan: $p, commit: $c) {
    committed warnings graduates { id }
    classes { name created subjectsCarried groupsCarried schoolClass { id name }
      fromClass { name } promoted { id } repeaters { id } newcomers { id } } } }"""
TABLES = (m.SchoolClass, m.ClassStudent, m.Group, m.GroupStudent, m.SubjectClass, m.Change)


def gid(type_name: str, row_id: int) -> str:
    return relay.to_base64(type_name, row_id)


@dataclass
class School:
    old_year: str
    new_year: str
    classes: dict[str, str]  # «5А» → its ID
    students: dict[str, list[str]]  # «5А» → its students' IDs, by name
    newcomer: str
    ids: dict[str, int] = field(default_factory=dict)


async def school(engine: AsyncEngine, per_class: int = 3, logins: str = "") -> School:
    """2025/26 with 5А (a subject link, a subgroup of two), 5Б, 9А and 11А; an empty
    2026/27; a student in no class; the admin, head, a teacher and a student sign in."""

    async def recipe(f: Factory) -> School:
        setup = await f.school()
        setup.year.name, setup.year.starts_on = "2025/2026", date(2025, 9, 1)
        setup.year.ends_on = date(2026, 5, 31)
        new = await f.add(
            m.SchoolYear(school_id=setup.school.id, name="2026/2027",
                         starts_on=date(2026, 9, 1), ends_on=date(2027, 5, 31))
        )  # fmt: skip
        for login, role in [("admin", m.Role.ADMIN), ("head", m.Role.HEAD)]:
            await f.account(await f.person(setup, login.title(), role), logins + login)
        classes = {}
        for parallel, letter in [(5, "А"), (5, "Б"), (9, "А"), (11, "А")]:
            made = await f.school_class(setup, parallel, letter, per_class, parents_each=0)
            classes[f"{parallel}{letter}"] = made
        teacher = await f.session.get(m.Person, classes["5А"].class_teacher_id)
        assert teacher is not None
        await f.account(teacher, logins + "teacher")
        members: dict[str, list[int]] = {}
        for name, school_class in classes.items():
            found = await f.session.scalars(
                select(m.ClassStudent.student_id)
                .join(m.Person, m.Person.id == m.ClassStudent.student_id)
                .where(m.ClassStudent.school_class_id == school_class.id)
                .order_by(m.Person.last_name, m.Person.first_name, m.Person.id)
            )
            members[name] = list(found)
        student = await f.session.get(m.Person, members["5А"][0])
        assert student is not None
        await f.account(student, logins + "student")
        school_id = setup.school.id
        subject = await f.add(
            m.Subject(school_id=school_id, name="Математика", short_name="Мат",
                      grade_scale_id=setup.scale.id)
        )  # fmt: skip
        for name in ("5А", "5Б"):
            await f.add(
                m.SubjectClass(school_id=school_id, subject_id=subject.id,
                               school_class_id=classes[name].id, hours_per_week=5)
            )  # fmt: skip
        group = await f.add(
            m.Group(school_id=school_id, school_class_id=classes["5А"].id,
                    kind=m.GroupKind.SUBGROUP, name="Английский, 1 подгруппа")
        )  # fmt: skip
        for student_id in members["5А"][:2]:
            await f.add(m.GroupStudent(group_id=group.id, student_id=student_id))
        newcomer = await f.person(setup, "Новенький", m.Role.STUDENT)
        return School(
            gid("SchoolYear", setup.year.id),
            gid("SchoolYear", new.id),
            {name: gid("SchoolClass", c.id) for name, c in classes.items()},
            {name: [gid("Person", s) for s in ids] for name, ids in members.items()},
            gid("Person", newcomer.id),
            {"school": setup.school.id, "new_year": new.id},
        )

    return await build(engine, recipe)


def _plan(s: School) -> dict[str, Any]:
    return {
        "classes": [{"classId": s.classes["5А"], "carrySubjects": True, "carryGroups": True}],
        "repeaters": [s.students["5А"][2]],
        "graduates": [s.students["9А"][0]],
        "newcomers": [{"studentId": s.newcomer, "parallel": 1, "letter": "а"}],
    }


def _args(s: School, commit: bool, plan: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"f": s.old_year, "t": s.new_year, "p": plan or _plan(s), "c": commit}


async def _counts(engine: AsyncEngine) -> list[int]:
    async with engine.connect() as connection:
        return [
            (await connection.execute(select(func.count()).select_from(t))).scalar_one()
            for t in TABLES
        ]


def _without_ids(classes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in c.items() if k != "schoolClass"} for c in classes]


async def test_the_preview_writes_nothing_and_the_commit_does_what_it_said(
    engine: AsyncEngine, api: GraphQLClient
) -> None:  # R-PEOPLE-1, R-YEAR-1, А #20
    s = await school(engine)
    admin = await api.login("admin", PASSWORD)
    before = await _counts(engine)
    # when the admin previews the rollover
    preview = (await api(ROLLOVER, _args(s, False), token=admin)).data["schoolYearRollover"]
    # then nothing is written
    assert await _counts(engine) == before
    assert preview["committed"] is False
    by_name = {c["name"]: c for c in preview["classes"]}
    assert sorted(by_name) == ["10А", "1А", "5А", "6А", "6Б"]
    # 5А goes to 6А, but the repeater, who stays in the 5th parallel
    six_a = by_name["6А"]
    assert six_a["fromClass"] == {"name": "5А"}
    assert six_a["created"] is True
    assert [p["id"] for p in six_a["promoted"]] == s.students["5А"][:2]
    assert [p["id"] for p in by_name["5А"]["repeaters"]] == [s.students["5А"][2]]
    # its subject link and subgroup go over as asked; 5Б's subject link is not asked for
    assert (six_a["subjectsCarried"], six_a["groupsCarried"]) == (1, 1)
    assert (by_name["6Б"]["subjectsCarried"], by_name["6Б"]["groupsCarried"]) == (0, 0)
    # 9А goes on to 10А but its listed graduate; the 11th grade leaves; the newcomer to 1А
    assert [p["id"] for p in by_name["10А"]["promoted"]] == s.students["9А"][1:]
    assert [g["id"] for g in preview["graduates"]] == [s.students["9А"][0], *s.students["11А"]]
    assert [p["id"] for p in by_name["1А"]["newcomers"]] == [s.newcomer]
    assert all(c["schoolClass"] is None for c in preview["classes"])
    assert any("not closed yet" in w for w in preview["warnings"])
    # when the admin commits the same plan
    done = (await api(ROLLOVER, _args(s, True), token=admin)).data["schoolYearRollover"]
    # then the answer is the preview's, now with the classes made
    assert done["committed"] is True
    assert _without_ids(done["classes"]) == _without_ids(preview["classes"])
    assert done["graduates"] == preview["graduates"]
    assert [c["schoolClass"]["name"] for c in done["classes"]] == [
        c["name"] for c in done["classes"]
    ]
    await _then_the_new_year_holds_it(engine, s)


async def _then_the_new_year_holds_it(engine: AsyncEngine, s: School) -> None:
    async with engine.connect() as connection:
        placed = (
            await connection.execute(
                select(
                    m.SchoolClass.parallel, m.SchoolClass.letter, m.ClassStudent.student_id,
                    m.ClassStudent.starts_on,
                )
                .join(m.SchoolClass, m.SchoolClass.id == m.ClassStudent.school_class_id)
                .where(m.ClassStudent.school_year_id == s.ids["new_year"])
            )
        ).all()  # fmt: skip
        links = (
            await connection.execute(
                select(m.SchoolClass.parallel, m.SchoolClass.letter, m.SubjectClass.hours_per_week)
                .join(m.SchoolClass, m.SchoolClass.id == m.SubjectClass.school_class_id)
                .where(m.SchoolClass.school_year_id == s.ids["new_year"])
            )
        ).all()
        groups = (
            await connection.execute(
                select(m.Group.name, m.Group.kind, func.count(m.GroupStudent.id))
                .join(m.SchoolClass, m.SchoolClass.id == m.Group.school_class_id)
                .outerjoin(m.GroupStudent, m.GroupStudent.group_id == m.Group.id)
                .where(m.SchoolClass.school_year_id == s.ids["new_year"])
                .group_by(m.Group.id, m.Group.name, m.Group.kind)
            )
        ).all()
        audited = (
            await connection.execute(select(func.count()).where(m.Change.entity == "class_student"))
        ).scalar_one()
        left = (
            await connection.execute(
                select(m.ClassStudent.student_id, m.ClassStudent.ends_on, m.SchoolYear.ends_on)
                .join(m.SchoolYear, m.SchoolYear.id == m.ClassStudent.school_year_id)
                .where(m.ClassStudent.school_year_id != s.ids["new_year"])
                .where(m.ClassStudent.ends_on.is_not(None))
            )
        ).all()
    # the leavers' placements end on the year's last day: access ends with it (R-ACC-1)
    leavers = {s.students["9А"][0], *s.students["11А"]}
    assert {relay.to_base64("Person", row[0]) for row in left} == leavers
    assert all(row[1] == row[2] for row in left)
    where = {relay.to_base64("Person", row[2]): f"{row[0]}{row[1]}" for row in placed}
    assert {where[x] for x in s.students["5А"][:2]} == {"6А"}
    assert where[s.students["5А"][2]] == "5А"
    assert where[s.newcomer] == "1А"
    assert not {s.students["9А"][0], *s.students["11А"]} & where.keys()
    assert {row[3] for row in placed} == {date(2026, 9, 1)}
    # the subject link went over for 6А only (5Б did not ask)
    assert [tuple(row) for row in links] == [(6, "А", 5)]
    # 6А has its whole class and the subgroup, with both its students (both promoted)
    subgroups = [(row[0], row[2]) for row in groups if row[1] == m.GroupKind.SUBGROUP]
    assert subgroups == [("Английский, 1 подгруппа", 2)]
    assert len([row for row in groups if row[1] == m.GroupKind.WHOLE_CLASS]) == 5
    assert audited == len(placed) + len(leavers)


async def test_a_failing_rollover_writes_nothing_and_names_the_argument(
    engine: AsyncEngine, api: GraphQLClient
) -> None:  # R-YEAR-1, R-PEOPLE-1
    s = await school(engine)
    admin = await api.login("admin", PASSWORD)
    before = await _counts(engine)
    both = {**_plan(s), "graduates": [s.students["5А"][2]]}  # the repeater, leaving too
    promoted_anew = {"studentId": s.students["5А"][0], "parallel": 6, "letter": "А"}
    cases = [
        (_args(s, True, both), "graduates"),
        ({**_args(s, True), "f": s.new_year, "t": s.old_year}, "toYearId"),
        (_args(s, True, {"repeaters": [s.newcomer]}), "repeaters"),
        (_args(s, True, {"newcomers": [promoted_anew]}), "newcomers"),
    ]
    for args, argument in cases:
        reply = await api(ROLLOVER, args, token=admin)
        assert reply.error_code == "BAD_USER_INPUT", reply.body
        assert reply.body["errors"][0]["extensions"]["argument"] == argument
    plan_class = {"classes": [{"classId": s.classes["5А"]}, {"classId": s.classes["5А"]}]}
    twice = await api(ROLLOVER, _args(s, True, plan_class), token=admin)
    assert twice.body["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT", "field": "classId", "item": 1
    }  # fmt: skip
    assert await _counts(engine) == before
    # a rollover done once is not done twice: the second names a student placed already
    assert (await api(ROLLOVER, _args(s, True), token=admin)).data
    after = await _counts(engine)
    again = await api(ROLLOVER, _args(s, True), token=admin)
    assert again.error_code == "BAD_USER_INPUT"
    assert "already" in again.body["errors"][0]["message"]
    assert await _counts(engine) == after


async def test_the_head_previews_and_teachers_and_students_cannot(
    engine: AsyncEngine, api: GraphQLClient
) -> None:  # R-YEAR-1; Б.1 #4: the head checks the data entered
    s = await school(engine)
    head = await api.login("head", PASSWORD)
    assert (await api(ROLLOVER, _args(s, False), token=head)).data
    assert (await api(ROLLOVER, _args(s, True), token=head)).error_code == "FORBIDDEN"
    for login in ("teacher", "student"):
        token = await api.login(login, PASSWORD)
        assert (await api(ROLLOVER, _args(s, False), token=token)).error_code == "FORBIDDEN"
    assert (await _counts(engine))[1] == 12  # the placements of 2025/26 only


async def test_a_school_of_1200_rolls_over_in_one_request_in_the_same_statements(
    engine: AsyncEngine, api: GraphQLClient, sql: StatementCounter
) -> None:  # R-PEOPLE-1: a school of a thousand and more rolls over in one request
    counts, seconds = [], []
    for per_class, logins in [(3, "small."), (300, "large.")]:
        s = await school(engine, per_class, logins)
        admin = await api.login(logins + "admin", PASSWORD)
        sql.reset()
        started = time.perf_counter()
        done = (await api(ROLLOVER, _args(s, True), token=admin)).data["schoolYearRollover"]
        seconds.append(time.perf_counter() - started)
        counts.append(sql.count)
        assert len(done["graduates"]) == per_class + 1
    assert counts[0] == counts[1], counts
    print(f"rollover of 1,200 students: {seconds[1]:.2f} s, {counts[1]} statements")


async def test_a_class_the_new_year_has_is_used_by_its_name(
    engine: AsyncEngine, api: GraphQLClient
) -> None:  # R-PEOPLE-1, А #20: 6А entered ahead is filled, not made twice
    s = await school(engine)
    admin = await api.login("admin", PASSWORD)
    made = await api(
        "mutation($y: ID!) { classCreate(input: {schoolYearId: $y, parallel: 6, letter: "
        '"А"}) { id } }',
        {"y": s.new_year},
        token=admin,
    )
    six_a = made.data["classCreate"]["id"]
    done = (await api(ROLLOVER, _args(s, True), token=admin)).data["schoolYearRollover"]
    rolled = next(c for c in done["classes"] if c["name"] == "6А")
    assert rolled["created"] is False
    assert rolled["schoolClass"]["id"] == six_a
    assert [p["id"] for p in rolled["promoted"]] == s.students["5А"][:2]
