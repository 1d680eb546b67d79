"""What the schema's descriptions promise about limits, pages and order is what the server
does (issue 10, item 5): one class-journal limit, stated the same in the schema and the error;
the default page size; lists in their stated order — through the endpoint, on both engines."""

from datetime import date, timedelta

from graphql import GraphQLObjectType
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from bench.shapes import JOURNAL_QUERY as CLASS_JOURNAL
from resolvers.pagination import DEFAULT_FIRST
from resolvers.screens.class_journal import MAX_DAYS
from schema.build import build_schema
from tests.client import GraphQLClient
from tests.lessons import rows

SCHEMA = build_schema()._schema


def _description(type_name: str, field: str, argument: str | None = None) -> str:
    type_ = SCHEMA.type_map[type_name]
    assert isinstance(type_, GraphQLObjectType)
    definition = type_.fields[field]
    text = definition.args[argument].description if argument else definition.description
    return text or ""


async def test_the_class_journal_takes_as_many_days_as_its_description_and_error_say(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given a class, and the limit the schema states
    found = await rows(engine, "SELECT id FROM school_class ORDER BY id LIMIT 1")
    class_id = relay.to_base64("SchoolClass", found[0][0])
    token = await api.login(demo_school["head"], "demo")
    stated = f"{MAX_DAYS} days at most"
    assert stated in _description("Query", "classJournal")
    assert f"at most {MAX_DAYS} days" in _description("Query", "classJournal", "dateTo")
    first = date(2026, 9, 1)

    async def page(days: int) -> list[str]:
        last = first + timedelta(days=days - 1)  # `dateFrom` and `dateTo` both count
        variables = {"class": class_id, "from": first.isoformat(), "to": last.isoformat()}
        return (await api(CLASS_JOURNAL, variables, token=token)).error_codes

    # when a page of exactly that many days is asked for, and one of a day more
    at_the_limit, past_it = await page(MAX_DAYS), await page(MAX_DAYS + 1)

    # then the first is answered and the second refused, saying the same number
    assert at_the_limit == []
    assert past_it == ["BAD_USER_INPUT"]
    reply = await api(
        CLASS_JOURNAL,
        {"class": class_id, "from": "2026-09-01", "to": "2026-12-03"},
        token=token,
    )
    assert f"{MAX_DAYS} days at most" in reply.body["errors"][0]["message"]


async def test_a_page_without_first_has_the_stated_default_size(
    api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given a list longer than a page, and the size `first` states
    token = await api.login(demo_school["head"], "demo")
    assert f"{DEFAULT_FIRST} when not given" in _description("Query", "lessons", "first")

    # when it is read without `first`
    data = (
        await api("{ lessons { totalCount nodes { id } pageInfo { hasNextPage } } }", token=token)
    ).data["lessons"]

    # then the page has that many rows, and says more follow
    assert data["totalCount"] > DEFAULT_FIRST
    assert len(data["nodes"]) == DEFAULT_FIRST
    assert data["pageInfo"]["hasNextPage"] is True


PERIODS = """
{
  periods(first: 100) { nodes { kind startsOn endsOn } }
  schoolYears { nodes { periods { kind startsOn endsOn } } }
}
"""


async def test_periods_come_by_start_date_the_shortest_first(
    api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given a school year of quarters, halves and the year: three of them start on one day
    token = await api.login(demo_school["head"], "demo")
    assert "by start date" in _description("Query", "periods")
    assert "by start date" in _description("SchoolYear", "periods")

    # when its periods are listed, at the root and under the year
    data = (await api(PERIODS, token=token)).data
    listed = [data["periods"]["nodes"]] + [y["periods"] for y in data["schoolYears"]["nodes"]]

    # then both lists are by start date, and of one start date the shortest comes first:
    # the first quarter, the first half, then the year
    for periods in filter(None, listed):  # a year without periods yet: the demo's coming one
        keys = [(p["startsOn"], p["endsOn"]) for p in periods]
        assert keys == sorted(keys)
        first_day = [p["kind"] for p in periods if p["startsOn"] == periods[0]["startsOn"]]
        assert first_day == ["QUARTER", "HALF", "YEAR"]
