"""One audit trail (design.md invariant 11, R-AUDIT-1, Б.1 #12): the grade change log is its
grade part, the admin and the head read the whole of it, nobody else does."""

from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

from tests.client import GraphQLClient
from tests.lessons import execute, rows, teacher_lesson

SET = """mutation($input: GradesSetInput!) { gradesSet(input: $input) { grades { id mark } } }"""
TRAIL = """query($record: ID) { changes(recordId: $record, first: 10) { totalCount nodes {
  id record recordId action before after reason changedBy { id } school { id } } } }"""
GRADE_LOG = "{ gradeChanges(first: 1) { nodes { id action newMark } } }"


async def test_a_grade_entered_is_one_entry_of_the_trail_and_of_the_grade_log(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-AUDIT-1
    # given a teacher's lesson without grades of one work type
    teacher = await api.login(demo_school["teacher"], "demo")
    lesson = await teacher_lesson(engine, demo_school["teacher"])
    await execute(engine, "DELETE FROM grade WHERE lesson_id = :l AND work_type_id = :w",
                  l=lesson["id"], w=lesson["work_type_pk"])  # fmt: skip
    # when the teacher enters a grade
    entry = {"studentId": lesson["students"][0], "workTypeId": lesson["work_type"], "mark": "5"}
    reply = await api(SET, {"input": {"lessonId": lesson["gid"], "grades": [entry]}}, token=teacher)
    grade = reply.data["gradesSet"]["grades"][0]
    # then the head reads it in the trail: a Grade created, its mark after, by the teacher
    head = await api.login(demo_school["head"], "demo")
    trail = (await api(TRAIL, {"record": grade["id"]}, token=head)).data["changes"]
    assert trail["totalCount"] == 1
    change = trail["nodes"][0]
    assert change["record"] == "Grade"
    assert change["recordId"] == grade["id"]
    assert change["action"] == "CREATED"
    assert change["before"] is None
    assert (change["after"]["mark"], change["after"]["version"]) == ("5", 1)
    assert change["after"]["studentId"] == entry["studentId"]
    assert change["changedBy"] is not None
    # and the same row is the grade log's entry, under its own type
    [(change_id,)] = await rows(
        engine,
        "SELECT id FROM change WHERE kind = 'grade' AND entity_id = :g",
        g=int(relay.GlobalID.from_id(grade["id"]).node_id),
    )
    assert change["id"] == relay.to_base64("Change", change_id)
    node = f'{{ node(id: "{relay.to_base64("GradeChange", change_id)}") {{ __typename }} }}'
    assert (await api(node, token=head)).data["node"]["__typename"] == "GradeChange"


async def test_only_the_admin_and_the_head_read_the_trail(
    api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # Б.1 #12
    for role in ["admin", "head"]:
        token = await api.login(demo_school[role], "demo")
        reply = await api(TRAIL, {"record": None}, token=token)
        assert reply.data["changes"]["totalCount"] >= 0, reply
    for role in ["deputy", "teacher", "class_teacher", "student", "parent"]:
        token = await api.login(demo_school[role], "demo")
        assert (await api(TRAIL, {"record": None}, token=token)).error_code == "FORBIDDEN", role


async def test_a_filter_by_an_unknown_type_is_refused(
    api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    head = await api.login(demo_school["head"], "demo")
    reply = await api('{ changes(record: "Spaceship") { totalCount } }', token=head)
    assert reply.error_code == "BAD_USER_INPUT"
