"""Reading the journal on a generated school: filters are right, SQL is constant."""

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from policies.engine import PolicyEngine
from tests.client import GraphQLClient
from tests.conftest import StatementCounter

GRID = """
query($class: ID!, $first: Int!) {
  lessons(filter: {classId: $class}, status: HELD, first: $first) {
    totalCount
    nodes {
      heldOn bellNumber topic status
      subject { name } teacher { shortName } substitute { shortName }
      planItem { position topic }
      workTypes { name weight }
      grades { mark comment student { id } workType { shortName weight } }
      attendance { kind lateMinutes student { id } }
      homework { text dueOn isIndividual students { id } }
      students { id shortName }
    }
  }
}
"""


async def _first(engine: AsyncEngine, statement: Any) -> Any:
    async with engine.connect() as connection:
        return (await connection.execute(statement)).first()


async def test_class_journal_costs_the_same_sql_for_5_and_60_lessons(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:
    # given the head and a class with a term of lessons
    token = await api.login(demo_school["head"], "demo")
    row = await _first(engine, select(m.SchoolClass.id).where(m.SchoolClass.parallel == 3))
    class_id = relay.to_base64("SchoolClass", row.id)
    counts = []
    for first in [5, 60]:
        # when the grid is read with few and with many lessons
        sql.reset()
        reply = await api(GRID, {"class": class_id, "first": first}, token=token)
        lessons = reply.data["lessons"]["nodes"]
        # then it holds what was asked, and the statements do not grow
        assert len(lessons) == first
        counts.append(sql.count)
    grades = sum(len(lesson["grades"]) for lesson in lessons)
    assert grades > 100
    assert counts[0] == counts[1], sql.statements
    assert counts[0] <= 16, sql.statements


async def test_student_filter_gives_their_own_grades_and_homework(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given a student who was set individual homework
    token = await api.login(demo_school["admin"], "demo")
    row = await _first(
        engine,
        select(m.HomeworkStudent.student_id, m.HomeworkStudent.homework_id).order_by(
            m.HomeworkStudent.id
        ),
    )
    student = relay.to_base64("Person", row.student_id)
    query = """query($s: ID!) {
      grades(filter: {studentId: $s}, first: 100) { totalCount nodes { student { id } } }
      homework(filter: {studentId: $s}, first: 100) {
        totalCount nodes { id isIndividual students { id } } }
    }"""
    # when
    data = (await api(query, {"s": student}, token=token)).data
    # then every grade is theirs, and individual homework is only ever theirs
    assert data["grades"]["totalCount"] > 0
    assert {g["student"]["id"] for g in data["grades"]["nodes"]} == {student}
    individual = [h for h in data["homework"]["nodes"] if h["isIndividual"]]
    assert all(student in {s["id"] for s in h["students"]} for h in individual)
    assert data["homework"]["totalCount"] > len(individual)


async def test_period_and_date_filters_bound_the_lessons(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    token = await api.login(demo_school["admin"], "demo")
    period = await _first(
        engine,
        select(m.Period).where(m.Period.kind == m.PeriodKind.QUARTER, m.Period.number == 1),
    )
    query = """query($p: ID!, $from: Date!) {
      inPeriod: lessons(filter: {periodId: $p}, first: 100) { totalCount nodes { heldOn } }
      fromDate: lessons(filter: {dateFrom: $from}, first: 100) { nodes { heldOn } }
    }"""
    variables = {"p": relay.to_base64("Period", period.id), "from": "2026-11-16"}
    data = (await api(query, variables, token=token)).data
    days = [date.fromisoformat(n["heldOn"]) for n in data["inPeriod"]["nodes"]]
    assert data["inPeriod"]["totalCount"] > 100
    assert all(period.starts_on <= day <= period.ends_on for day in days)
    assert days == sorted(days)
    assert all(n["heldOn"] >= "2026-11-16" for n in data["fromDate"]["nodes"])


async def test_policy_work_per_request_does_not_grow_with_the_grid(
    engine: AsyncEngine,
    api: GraphQLClient,
    demo_school: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a teacher, and a count of every policy decision and row filter asked for
    token = await api.login(demo_school["teacher"], "demo")
    asked: list[str] = []
    decide, render = PolicyEngine.alternatives, PolicyEngine.row_filter

    def alternatives(self: PolicyEngine, *args: Any) -> Any:
        asked.append("decision")
        return decide(self, *args)

    def row_filter(self: PolicyEngine, *args: Any) -> Any:
        asked.append("filter")
        return render(self, *args)

    monkeypatch.setattr(PolicyEngine, "alternatives", alternatives)
    monkeypatch.setattr(PolicyEngine, "row_filter", row_filter)
    row = await _first(engine, select(m.SchoolClass.id).where(m.SchoolClass.parallel == 3))
    class_id = relay.to_base64("SchoolClass", row.id)
    await api(GRID, {"class": class_id, "first": 1}, token=token)  # decisions get cached
    counts = []
    for first in [5, 60]:
        # when the grid is read small and large
        asked.clear()
        await api(GRID, {"class": class_id, "first": first}, token=token)
        counts.append(len(asked))
    # then the policy is consulted the same number of times: per table, never per row
    assert counts[0] == counts[1] <= 20
