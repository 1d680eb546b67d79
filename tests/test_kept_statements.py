"""Statements kept once built (issue 15, resolvers/kept.py): a screen asked again by a caller
with the same roles runs the statement objects it built before, and what is kept is the
question for that caller, never another caller's, and never an answer."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from bench.shapes import DIARY_QUERY as DIARY
from resolvers.kept import KEPT_STATEMENTS
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.lessons import execute, rows

WEEK = "2026-11-18"


async def _person(engine: AsyncEngine, login: str) -> int:
    found = await rows(engine, "SELECT person_id FROM account WHERE login = :l", l=login)
    return int(found[0][0])


async def test_a_screen_asked_again_runs_the_statements_it_built_and_reads_rows_anew(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:
    KEPT_STATEMENTS.clear()
    student = relay.to_base64("Person", await _person(engine, "student"))
    token = await api.login(demo_school["student"], "demo")
    first = (await api(DIARY, {"student": student, "week": WEEK}, token=token)).data
    kept = len(KEPT_STATEMENTS)
    assert kept == 2  # who may see the diary; the week's statements
    sql.reset()
    again = (await api(DIARY, {"student": student, "week": WEEK}, token=token)).data
    assert again == first
    assert len(KEPT_STATEMENTS) == kept  # nothing built anew
    statements = sql.count
    # when a grade of the week is removed, the same kept question reads the rows as they are
    grades = [g for d in first["diaryWeek"]["days"] for s in d["lessons"] for g in s["grades"]]
    assert grades
    await execute(
        engine, "DELETE FROM grade WHERE id = :g", g=relay.from_base64(grades[0]["id"])[1]
    )
    sql.reset()
    after = (await api(DIARY, {"student": student, "week": WEEK}, token=token)).data
    left = [g for d in after["diaryWeek"]["days"] for s in d["lessons"] for g in s["grades"]]
    assert len(left) == len(grades) - 1
    assert sql.count == statements


async def test_kept_statements_are_each_callers_own(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-PERM: a student's diary read by them first is still NOT_FOUND for another
    KEPT_STATEMENTS.clear()
    student = relay.to_base64("Person", await _person(engine, "student"))
    mine = await api.login(demo_school["student"], "demo")
    assert (await api(DIARY, {"student": student, "week": WEEK}, token=mine)).data
    others = await rows(
        engine,
        "SELECT a.login FROM account a JOIN school_role r ON r.person_id = a.person_id"
        " WHERE r.role = 'student' AND a.login <> 'student' ORDER BY a.id LIMIT 1",
    )
    await execute(engine, "UPDATE account SET must_change_password = false WHERE login = :l",
                  l=others[0][0])  # fmt: skip
    other = await api.login(others[0][0], "demo")
    refused = await api(DIARY, {"student": student, "week": WEEK}, token=other)
    assert refused.error_code == "NOT_FOUND"
    assert len(KEPT_STATEMENTS) == 3  # the other student's own check; the week not reached


async def test_a_long_statement_run_again_is_not_converted_again(
    engine: AsyncEngine, database_url: str
) -> None:  # psycopg converts placeholders of statements over 4 KB at every run, unless told
    if not database_url.startswith("postgresql"):
        return  # psycopg's, on PostgreSQL
    from psycopg import _queries

    long = text("SELECT CAST(:v AS integer) /* " + "a screen's row filters " * 400 + "*/")
    async with engine.connect() as connection:
        assert (await connection.execute(long, {"v": 1})).scalar() == 1
        before = _queries._query2pg.cache_info()
        assert (await connection.execute(long, {"v": 2})).scalar() == 2
        after = _queries._query2pg.cache_info()
    assert after.hits == before.hits + 1  # converted once, kept
