"""The class teacher plans their class's coming week lesson by lesson (Г.1 #9, R-TT-1): the
topics, КТП topics and materials of its lessons still to be given, and their homework — through
the endpoint with the demo's tokens. What was given, a lesson's status, and other classes stay
the teachers'."""

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from strawberry import relay

from resolvers.database import Database
from resolvers.setup.lesson_planning import plan_lessons
from server.lesson_scheduler import school_today
from tests.client import GraphQLClient
from tests.lessons import rows
from tests.test_audit_every_write import _entries

PLAN = (
    "mutation($l: ID!, $v: Int!, $topic: String, $status: LessonStatus) { lessonUpdate(input: "
    "{lessonId: $l, version: $v, topic: $topic, status: $status}) { topic status version } }"
)
HOMEWORK = (
    "mutation($l: ID!, $due: Date!) { homeworkAssign(input: "
    '{lessonId: $l, text: "§ 4, № 1–3", dueOn: $due}) { id text } }'
)
TRAIL = "query($r: ID!) { changes(recordId: $r) { nodes { action changedBy { id } } } }"


async def _coming_week(engine: AsyncEngine) -> None:
    """Lessons from the school's today for two weeks, as the server's scheduler makes them."""
    [(school_id, timezone)] = await rows(engine, "SELECT id, timezone FROM school")
    today = school_today(timezone)
    async with AsyncSession(engine, expire_on_commit=False) as session:
        db = Database(session)
        db.expect_writes()
        await plan_lessons(db, school_id, today, today + timedelta(days=14))
        await db.commit()


async def _lesson(
    engine: AsyncEngine, class_teacher: str, *, own: bool, coming: bool
) -> dict[str, Any]:
    """A lesson of the class teacher's class (or of another), still to be given (or given),
    that someone else teaches."""
    [(lesson_id, version, held_on)] = await rows(
        engine,
        f"""SELECT l.id, l.version, l.held_on FROM lesson l
        JOIN study_group g ON g.id = l.group_id
        JOIN school_class c ON c.id = g.school_class_id
        JOIN account a ON a.person_id = c.class_teacher_id
        WHERE (a.login = :login) = :own AND NOT EXISTS (
            SELECT 1 FROM timetable_entry t JOIN account me ON me.person_id = t.teacher_id
            WHERE me.login = :login AND t.group_id = l.group_id AND t.subject_id = l.subject_id)
          AND l.teacher_id NOT IN (SELECT person_id FROM account WHERE login = :login)
          AND l.status = :status AND l.held_on {">=" if coming else "<"} :today
        ORDER BY l.held_on, l.id LIMIT 1""",
        login=class_teacher,
        own=own,
        status="planned" if coming else "held",
        today=school_today("Europe/Moscow"),
    )
    return {
        "l": relay.to_base64("Lesson", lesson_id),
        "v": version,
        "due": str(date.fromisoformat(str(held_on)) + timedelta(days=2)),
    }


@pytest.fixture
async def class_teacher(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> str:
    """The coming two weeks planned, and the demo class teacher signed in: their token."""
    await _coming_week(engine)
    return await api.login(demo_school["class_teacher"], "demo")


async def test_a_class_teacher_plans_their_classs_coming_lessons(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], class_teacher: str
) -> None:  # R-TT-1 (Г.1 #9)
    token = class_teacher
    coming = await _lesson(engine, demo_school["class_teacher"], own=True, coming=True)
    # when they write a coming lesson's topic, and set its homework
    planned = await api(PLAN, {**coming, "topic": "Дроби: сложение"}, token=token)
    homework = await api(HOMEWORK, coming, token=token)
    # then both are saved, the lesson still planned, and the trail has them with their author
    lesson = planned.data["lessonUpdate"]
    assert (lesson["topic"], lesson["status"]) == ("Дроби: сложение", "PLANNED"), planned
    assert homework.data["homeworkAssign"]["text"] == "§ 4, № 1–3", homework
    head = await api.login(demo_school["head"], "demo")
    me = (await api("{ me { person { id } } }", token=token)).data["me"]["person"]["id"]
    by_me = {"id": me}
    lesson_trail = (await api(TRAIL, {"r": coming["l"]}, token=head)).data["changes"]["nodes"]
    assert {"action": "CHANGED", "changedBy": by_me} in lesson_trail, lesson_trail
    homework_id = homework.data["homeworkAssign"]["id"]
    homework_trail = (await api(TRAIL, {"r": homework_id}, token=head)).data["changes"]["nodes"]
    assert homework_trail == [{"action": "CREATED", "changedBy": by_me}], homework_trail


async def test_a_class_teacher_does_not_give_lessons_nor_plan_other_classes(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str], class_teacher: str
) -> None:  # R-TT-1 (Г.1 #9)
    login, token = demo_school["class_teacher"], class_teacher
    coming = await _lesson(engine, login, own=True, coming=True)
    given = await _lesson(engine, login, own=True, coming=False)
    other = await _lesson(engine, login, own=False, coming=True)
    entries = await _entries(engine)
    # a coming lesson's status (held, cancelled) is its teacher's
    held = await api(PLAN, {**coming, "topic": "Дроби", "status": "HELD"}, token=token)
    assert held.error_code == "FORBIDDEN", held
    # a lesson given is the teacher's record, its topic and homework too
    assert (await api(PLAN, {**given, "topic": "Дроби"}, token=token)).error_code == "FORBIDDEN"
    assert (await api(HOMEWORK, given, token=token)).error_code == "FORBIDDEN"
    # another class's lessons are not even visible to them
    assert (await api(PLAN, {**other, "topic": "Дроби"}, token=token)).error_code == "NOT_FOUND"
    assert (await api(HOMEWORK, other, token=token)).error_code == "NOT_FOUND"
    # and nothing of it was written
    assert await _entries(engine) == entries
