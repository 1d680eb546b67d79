"""Averages and weighted averages (R-SUMMARY-1): the same figures as a hand count, per role."""

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.lessons import rows

AVERAGES = """query($f: JournalFilter!, $first: Int = 100, $after: String) {
  gradeAverages(filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { average weightedAverage gradeCount student { id } subject { id } }
  }
}"""
RAW = """SELECT g.student_id, l.subject_id, v.value, w.weight FROM grade g
JOIN lesson l ON l.id = g.lesson_id JOIN work_type w ON w.id = g.work_type_id
JOIN grade_scale_mark v ON v.grade_scale_id = g.grade_scale_id AND v.mark = g.mark
JOIN study_group sg ON sg.id = l.group_id
WHERE sg.school_class_id = :c AND v.value IS NOT NULL"""


def _cents(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


async def test_class_averages_match_a_hand_count_in_constant_sql(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], sql: StatementCounter
) -> None:
    # given a class's marks, counted by hand
    class_id = (await rows(engine, "SELECT min(id) FROM school_class WHERE parallel = 3"))[0][0]
    sums: dict[tuple[int, int], list[Decimal]] = {}
    for student, subject, value, weight in await rows(engine, RAW, c=class_id):
        total = sums.setdefault(
            (student, subject), [Decimal(0), Decimal(0), Decimal(0), Decimal(0)]
        )
        value, weight = Decimal(str(value)), Decimal(str(weight))
        total[0] += value
        total[1] += 1
        total[2] += value * weight
        total[3] += weight
    token = await api.login(demo_school["head"], "demo")
    # when the head asks for the class's averages, 40 at a time
    averages, counts, after = [], [], None
    while True:
        sql.reset()
        variables = {"f": {"classId": relay.to_base64("SchoolClass", class_id)}, "first": 40}
        page = (await api(AVERAGES, {**variables, "after": after}, token=token)).data
        counts.append(sql.count)
        averages += page["gradeAverages"]["nodes"]
        assert page["gradeAverages"]["totalCount"] == len(sums)
        if not page["gradeAverages"]["pageInfo"]["hasNextPage"]:
            break
        after = page["gradeAverages"]["pageInfo"]["endCursor"]
    # then the pages hold each student × subject once, each page in the same few statements
    assert len(averages) == len({(r["student"]["id"], r["subject"]["id"]) for r in averages})
    assert len(counts) > 1
    assert len(set(counts)) == 1, counts
    # and each is the hand count, rounded to cents
    assert len(averages) == len(sums) > 10
    for row in averages:
        key = (
            int(relay.from_base64(row["student"]["id"])[1]),
            int(relay.from_base64(row["subject"]["id"])[1]),
        )
        total = sums[key]
        assert row["average"] == _cents(total[0] / total[1])
        assert row["weightedAverage"] == _cents(total[2] / total[3])
        assert row["gradeCount"] == int(total[1])
    assert counts[0] <= 8, sql.statements


async def test_a_parent_gets_their_childs_averages_only(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    token = await api.login(demo_school["parent"], "demo")
    children = (
        "SELECT g.child_id FROM guardianship g JOIN account a "
        "ON a.person_id = g.parent_id WHERE a.login = 'parent'"
    )
    child = (await rows(engine, children))[0][0]
    class_id = (
        await rows(
            engine, "SELECT school_class_id FROM class_student WHERE student_id = :s", s=child
        )
    )[0][0]
    mine = relay.to_base64("Person", child)
    reply = await api(
        AVERAGES, {"f": {"classId": relay.to_base64("SchoolClass", class_id)}}, token=token
    )
    students = {row["student"]["id"] for row in reply.data["gradeAverages"]["nodes"]}
    assert students == {mine}
    unbounded = await api(AVERAGES, {"f": {}}, token=token)
    assert unbounded.error_code == "BAD_USER_INPUT"
