"""Closing a school year (R-YEAR-1): its journal becomes read-only history — a grade,
attendance or a placement written into it is PERIOD_LOCKED, reads go on — and the admin alone
reopens it, audited with the reason. Through the endpoint with each role's own token."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from plugins.base import Scope
from plugins.open_year import open_year
from tests.client import GraphQLClient
from tests.lessons import execute, rows, teacher_lesson
from tests.test_grade_entry import SET, _clear, _input

CLOSE = """mutation($y: ID!) { schoolYearClose(schoolYearId: $y) { name closedAt } }"""
REOPEN = """mutation($y: ID!, $r: String!) {
  schoolYearReopen(schoolYearId: $y, reason: $r) { name closedAt } }"""
GRADES = """query($l: ID!) { node(id: $l) { ... on Lesson { grades { mark } } } }"""
LEAVE = """mutation($c: ID!, $s: [PlacementInput!]!) {
  studentsLeave(classId: $c, students: $s) { endsOn } }"""


async def _year_ended(engine: AsyncEngine, school_id: int) -> str:
    """The demo's year is the current one; here it ended the day before yesterday (a year
    closes after its last day), its lessons of autumn inside it."""
    ended = date.today() - timedelta(days=2)
    (year_id,) = (await rows(engine, "SELECT id FROM school_year WHERE school_id = :s "
                             "AND starts_on < :d", s=school_id, d=ended))[0]  # fmt: skip
    await execute(engine, "UPDATE school_year SET ends_on = :d WHERE id = :y", d=ended, y=year_id)
    return relay.to_base64("SchoolYear", year_id)


async def test_a_closed_years_journal_refuses_writes_and_reads_on(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-YEAR-1
    # given a teacher's lesson of a year that has ended, with a grade
    teacher = await api.login(demo_school["teacher"], "demo")
    admin = await api.login(demo_school["admin"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    await _clear(engine, lesson)
    assert (await api(SET, _input(lesson, ["5"]), token=teacher)).data
    year = await _year_ended(engine, lesson["school_id"])
    # when the teacher or the head try to close it, they may not; the admin does
    head = await api.login(demo_school["head"], "demo")
    assert (await api(CLOSE, {"y": year}, token=teacher)).error_code == "FORBIDDEN"
    assert (await api(CLOSE, {"y": year}, token=head)).error_code == "FORBIDDEN"
    closed = (await api(CLOSE, {"y": year}, token=admin)).data["schoolYearClose"]
    assert closed["closedAt"] is not None
    again = await api(CLOSE, {"y": year}, token=admin)
    assert again.error_code == "BAD_USER_INPUT"
    # then a grade written into it is PERIOD_LOCKED, in the school's words, and nothing changes
    refused = await api(SET, _input(lesson, ["4", "3"]), token=teacher)
    assert refused.error_code == "PERIOD_LOCKED"
    assert "school year is closed" in refused.body["errors"][0]["message"]
    marks = await rows(engine, "SELECT mark FROM grade WHERE lesson_id = :l AND work_type_id = :w",
                       l=lesson["id"], w=lesson["work_type_pk"])  # fmt: skip
    assert [mark for (mark,) in marks] == ["5"]
    # and reads go on: the teacher still reads the lesson's grade
    read = await api(GRADES, {"l": lesson["gid"]}, token=teacher)
    assert {"mark": "5"} in read.data["node"]["grades"]
    # and a placement ended in it is refused too
    (class_id, student_id) = (await rows(engine, "SELECT school_class_id, student_id FROM "
                                         "class_student ORDER BY id LIMIT 1"))[0]  # fmt: skip
    leave = await api(
        LEAVE,
        {"c": relay.to_base64("SchoolClass", class_id),
         "s": [{"studentId": relay.to_base64("Person", student_id), "on": "2026-10-01"}]},
        token=admin,
    )  # fmt: skip
    assert leave.error_code == "PERIOD_LOCKED"


async def test_only_the_admin_reopens_saying_why_and_it_is_audited(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-YEAR-1, R-AUDIT-1
    teacher = await api.login(demo_school["teacher"], "demo")
    admin = await api.login(demo_school["admin"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    await _clear(engine, lesson)
    year = await _year_ended(engine, lesson["school_id"])
    assert (await api(CLOSE, {"y": year}, token=admin)).data
    reason = "Итоговая оценка внесена с ошибкой"
    assert (await api(REOPEN, {"y": year, "r": reason}, token=teacher)).error_code == "FORBIDDEN"
    short = await api(REOPEN, {"y": year, "r": "ошибка"}, token=admin)
    assert short.error_code == "BAD_USER_INPUT"
    reopened = (await api(REOPEN, {"y": year, "r": reason}, token=admin)).data
    assert reopened["schoolYearReopen"]["closedAt"] is None
    # then the journal takes writes again
    assert (await api(SET, _input(lesson, ["4"]), token=teacher)).data
    # and the trail has the closing and the reopening, with its reason
    trail = await rows(
        engine,
        "SELECT action, reason FROM change WHERE entity = 'school_year' ORDER BY id",
    )
    assert [tuple(row) for row in trail][-2:] == [("changed", None), ("changed", reason)]


async def test_a_year_is_closed_after_its_last_day(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-YEAR-1
    admin = await api.login(demo_school["admin"], "demo")
    (year_id,) = (await rows(engine, "SELECT id FROM school_year WHERE ends_on > :d",
                             d=date.today()))[0]  # fmt: skip
    early = await api(CLOSE, {"y": relay.to_base64("SchoolYear", year_id)}, token=admin)
    assert early.error_code == "BAD_USER_INPUT"
    assert early.body["errors"][0]["extensions"]["argument"] == "schoolYearId"


async def test_open_year_judges_every_table_it_knows_by_its_year(
    engine: AsyncEngine, demo_school: dict[str, str]
) -> None:  # R-YEAR-1: each write's rows are found in their year, on both engines
    # the demo's rows are all of its current year (the coming one is empty)
    async def open_and_all() -> dict[str, tuple[int, int]]:
        found = {}
        async with engine.connect() as connection:
            for entity, render in open_year.renderers.items():
                held = render(Scope(person_id=None, school_id=0))
                counted = select(func.count(), func.count().filter(held)).select_from(entity)
                total, still_open = (await connection.execute(counted)).one()
                found[entity.__tablename__] = (total, still_open)
        return found

    before = await open_and_all()
    assert all(total == still_open for total, still_open in before.values()), before
    assert all(before[t][0] > 0 for t in ("lesson", "grade", "final_grade", "study_group"))
    # when its year is closed, no row of any of those tables is open any more
    await execute(engine, "UPDATE school_year SET closed_at = :t WHERE starts_on < :d",
                  t=datetime.now(UTC), d=date.today())  # fmt: skip
    after = await open_and_all()
    assert all(still_open == 0 for _, still_open in after.values()), after
