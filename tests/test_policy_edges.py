"""Edges of the row filters that a review found: handovers, cursors, temporary passwords,
API tokens under person conditions, and filters used as membership probes."""

import base64
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from plugins.base import Scope
from plugins.registry import BUILT_IN
from tests.client import GraphQLClient


async def _one(engine: AsyncEngine, sql: str, **params: Any) -> Any:
    async with engine.connect() as connection:
        return (await connection.execute(text(sql), params)).first()


async def _execute(engine: AsyncEngine, sql: str, **params: Any) -> None:
    async with engine.begin() as connection:
        await connection.execute(text(sql), params)


async def test_a_teacher_who_handed_a_group_over_keeps_only_their_own_lessons(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given the teacher's group handed to a colleague on 1 October
    teacher = (await _one(engine, "SELECT person_id FROM account WHERE login = 'teacher'"))[0]
    entry = await _one(
        engine,
        "SELECT t.id, t.group_id, t.subject_id FROM timetable_entry t "
        "JOIN study_group g ON g.id = t.group_id JOIN school_class c ON c.id = g.school_class_id "
        "WHERE t.teacher_id = :t AND c.class_teacher_id <> :t ORDER BY t.id",
        t=teacher,
    )
    colleague = (
        await _one(
            engine,
            "SELECT st.teacher_id FROM subject_teacher st WHERE st.subject_id = :s "
            "AND st.teacher_id <> :t ORDER BY st.teacher_id",
            s=entry.subject_id,
            t=teacher,
        )
    )[0]
    await _execute(
        engine,
        "UPDATE timetable_entry SET valid_to = '2026-09-30' "
        "WHERE teacher_id = :t AND group_id = :g AND subject_id = :s",
        t=teacher, g=entry.group_id, s=entry.subject_id,
    )  # fmt: skip
    await _execute(
        engine,
        "UPDATE lesson SET teacher_id = :c WHERE group_id = :g AND subject_id = :s "
        "AND held_on >= '2026-10-01'",
        c=colleague, g=entry.group_id, s=entry.subject_id,
    )  # fmt: skip
    token = await api.login(demo_school["teacher"], "demo")
    query = """query($g: ID!, $s: ID!) {
      before: lessons(filter: {groupId: $g, subjectId: $s, dateTo: "2026-09-30"}) { totalCount }
      after: lessons(filter: {groupId: $g, subjectId: $s, dateFrom: "2026-10-01"}) { totalCount }
    }"""
    ids = {
        "g": relay.to_base64("Group", entry.group_id),
        "s": relay.to_base64("Subject", entry.subject_id),
    }
    # when they read the group's journal
    data = (await api(query, ids, token=token)).data
    # then September, which they taught, is theirs; the colleague's October is not
    assert data["before"]["totalCount"] > 0
    assert data["after"]["totalCount"] == 0


async def test_a_cursor_naming_an_unreadable_row_reveals_nothing(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given a student, and a cursor made from another student's id
    token = await api.login(demo_school["student"], "demo")
    me = (await _one(engine, "SELECT person_id FROM account WHERE login = 'student'"))[0]
    other = (
        await _one(engine, "SELECT max(student_id) FROM class_student WHERE student_id <> :p", p=me)
    )[0]
    cursor = base64.urlsafe_b64encode(f"c:{other}".encode()).decode()
    # when they page "after" it, then the page is empty: no ordering leaks out
    reply = await api(
        "query($a: String!) { people(after: $a) { nodes { id } } }", {"a": cursor}, token=token
    )
    assert reply.data["people"]["nodes"] == []


async def test_nothing_is_read_before_a_temporary_password_is_changed(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:  # R-ACC-1
    await _execute(engine, "UPDATE account SET must_change_password = true WHERE login = 'parent'")
    token = await api.login(demo_school["parent"], "demo")
    query = "{ me { login person { fullName children { person { fullName birthDate } } } } }"
    data = (await api(query, token=token)).data
    assert data["me"] == {"login": "parent", "person": None}


def test_person_conditions_hold_nowhere_for_an_api_token() -> None:
    scope = Scope(person_id=None, school_id=1)
    for condition in BUILT_IN:
        if condition.needs_person:
            for entity in condition.renderers:
                rendered = condition.render(scope, entity)
                assert rendered is not None
                assert str(rendered.compile()) == "false", (condition.name, entity)
    assert {c.name for c in BUILT_IN if c.needs_person} == {
        "own_class",
        "taught",
        "subject_taught",
        "own_child",
        "own_parent",
        "self",
        "addressed",
        "parent_of_taught",
        "child_teacher",
    }
    assert m.Lesson in next(c for c in BUILT_IN if c.name == "taught").renderers


async def test_a_student_filter_is_no_probe_of_other_students_groups(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    token = await api.login(demo_school["student"], "demo")
    me = (await _one(engine, "SELECT person_id FROM account WHERE login = 'student'"))[0]
    classmate = (
        await _one(
            engine,
            "SELECT b.student_id FROM class_student a JOIN class_student b "
            "ON a.school_class_id = b.school_class_id "
            "WHERE a.student_id = :p AND b.student_id <> :p",
            p=me,
        )
    )[0]
    query = """query($s: ID!) { lessons(filter: {studentId: $s}) { totalCount }
      homework(filter: {studentId: $s}) { totalCount } }"""
    theirs = (await api(query, {"s": relay.to_base64("Person", classmate)}, token=token)).data
    mine = (await api(query, {"s": relay.to_base64("Person", me)}, token=token)).data
    assert theirs == {"lessons": {"totalCount": 0}, "homework": {"totalCount": 0}}
    assert mine["lessons"]["totalCount"] > 0
