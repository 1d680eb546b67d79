"""The schools' activity rating (R-RATING-1): how fully and how timely journals are kept, for a
school and for the schools of a municipality, ranked."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from model.base import utc_now
from resolvers.accounts.sign_in import token_digest
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.journal_days import school_today
from tests.lessons import execute, rows

RATING = """query($s: ID, $m: ID, $first: Int, $after: String) {
  activityRating(schoolId: $s, municipalityId: $m, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { rank score lessonsDue lessonsFilled filledPercent entries entriesOnTime
            onTimePercent school { id } } } }"""
TENTH = Decimal("0.1")
MUNICIPAL_INSPECTOR = "tbl_inspector-of-the-municipality"


async def _school(engine: AsyncEngine, municipality: int, name: str) -> int:
    await execute(
        engine,
        "INSERT INTO school (municipality_id, name, short_name, timezone, grade_edit_window, "
        "week_length) VALUES (:m, :n, :n, 'Asia/Yekaterinburg', 'never', 5)",
        m=municipality, n=name,
    )  # fmt: skip
    school: int = (await rows(engine, "SELECT max(id) FROM school"))[0][0]
    return school


async def _second_school(engine: AsyncEngine) -> tuple[int, int, int]:
    """The demo school, a new school of its municipality with no journal yet, the municipality."""
    demo, municipality = (await rows(engine, "SELECT id, municipality_id FROM school"))[0]
    other = await _school(engine, municipality, "Школа № 2")
    async with engine.begin() as connection:
        await connection.execute(
            insert(m.AuthToken),
            {"digest": token_digest(MUNICIPAL_INSPECTOR), "kind": "inspector",
             "name": "Управление образования", "municipality_id": municipality,
             "created_at": utc_now(), "expires_at": utc_now() + timedelta(days=1)},
        )  # fmt: skip
    return demo, other, municipality


async def test_a_municipality_is_ranked_by_how_its_journals_are_kept(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:  # R-RATING-1
    # given the demo school and a new school beside it
    demo, other, municipality = await _second_school(engine)
    ids = {"m": relay.to_base64("Municipality", municipality)}
    # when the municipality's inspector asks for the rating
    assert (await api(RATING, ids, token=MUNICIPAL_INSPECTOR)).data
    sql.reset()
    ranked = (await api(RATING, ids, token=MUNICIPAL_INSPECTOR)).data["activityRating"]["nodes"]
    for_two = sql.count
    # then the school keeping its journal comes first, the empty one last with 0
    assert [r["school"]["id"] for r in ranked] == [
        relay.to_base64("School", demo),
        relay.to_base64("School", other),
    ]
    first, last = ranked
    assert (first["rank"], last["rank"], last["score"]) == (1, 2, "0.0")
    # and the score is the documented formula over the figures shown
    filled = Decimal(first["lessonsFilled"]) / first["lessonsDue"]
    on_time = Decimal(first["entriesOnTime"]) / first["entries"]
    assert Decimal(first["score"]) == (50 * (filled + on_time)).quantize(TENTH, ROUND_HALF_UP)
    assert 0 < filled < 1  # the demo has missing entries
    assert 0 < on_time < 1  # and late ones
    # and the shares are shown as percentages to one decimal (issue 10: no 28-digit decimals)
    assert first["filledPercent"] == str((100 * filled).quantize(TENTH, ROUND_HALF_UP))
    assert first["onTimePercent"] == str((100 * on_time).quantize(TENTH, ROUND_HALF_UP))
    assert (last["filledPercent"], last["onTimePercent"]) == ("0.0", "0.0")
    # and the figures are those of the journal, counted by hand
    start = school_today().replace(month=9, day=1)
    if school_today().month < 9:
        start = start.replace(year=start.year - 1)
    due = await rows(
        engine,
        "SELECT count(*) FROM lesson WHERE school_id = :s AND status <> 'cancelled' "
        "AND held_on >= :start AND held_on < :cut",
        s=demo, start=start, cut=school_today() - timedelta(days=2),
    )  # fmt: skip
    assert first["lessonsDue"] == due[0][0]
    # and a third school costs no more statements
    await _school(engine, municipality, "Школа № 3")
    sql.reset()
    three = (await api(RATING, ids, token=MUNICIPAL_INSPECTOR)).data["activityRating"]
    assert len(three["nodes"]) == three["totalCount"] == 3
    # (on SQLite two of them are BEGINs: the token's use is written in a transaction of its own)
    assert sql.count == for_two <= 11, sql.statements
    # and a page of one school at a time costs the same, in the rating's order
    schools = []
    after = None
    for _ in range(3):
        sql.reset()
        variables = {**ids, "first": 1, "after": after}
        page = (await api(RATING, variables, token=MUNICIPAL_INSPECTOR)).data["activityRating"]
        assert sql.count == for_two, sql.statements
        assert page["totalCount"] == 3
        schools += [node["school"]["id"] for node in page["nodes"]]
        after = page["pageInfo"]["endCursor"]
    assert schools == [node["school"]["id"] for node in three["nodes"]]
    assert not page["pageInfo"]["hasNextPage"]
