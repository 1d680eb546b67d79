"""A substitute's access to a class ends with the lesson (R-PD-1, R-SUB-1): one lesson given
for a colleague gives no lasting reading of the class's roster; the lesson's own journal stays."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from tests.client import GraphQLClient
from tests.factories import PASSWORD, Factory, build
from tests.lessons import execute

READ = {
    "student": "query($id: ID!) { node(id: $id) { ... on Person { fullName } } }",
    "schoolClass": "query($id: ID!) { node(id: $id) { ... on SchoolClass { name } } }",
    "lesson": "query($id: ID!) { node(id: $id) { ... on Lesson { heldOn } } }",
}


@dataclass
class Given:
    student: str
    school_class: str
    lesson: str
    lesson_id: int


async def substituted(engine: AsyncEngine) -> Given:
    """A class with a bell schedule (bell 1 ends at 00:01, bell 2 at 23:59) and one of its
    lessons given by a substitute who does not teach it."""

    async def recipe(f: Factory) -> Given:
        setup = await f.school()
        school_class = await f.school_class(setup, 5, "А", students=2, parents_each=0)
        bells = await f.add(m.BellSchedule(school_id=setup.school.id, name="Основное"))
        slots = {1: (time(0, 0), time(0, 1)), 2: (time(23, 58), time(23, 59))}
        for number, (start, end) in slots.items():
            await f.add(
                m.Bell(
                    school_id=setup.school.id,
                    bell_schedule_id=bells.id,
                    number=number,
                    starts_at=start,
                    ends_at=end,
                )
            )
        school_class.bell_schedule_id = bells.id
        teacher = await f.person(setup, "Основная", m.Role.TEACHER)
        substitute = await f.person(setup, "Заменяющая", m.Role.TEACHER)
        await f.account(substitute, "substitute")
        subject = await f.add(
            m.Subject(
                school_id=setup.school.id,
                name="Математика",
                short_name="Мат",
                grade_scale_id=setup.scale.id,
            )
        )
        group = (
            await f.session.scalars(
                select(m.Group.id).where(m.Group.school_class_id == school_class.id)
            )
        ).one()
        students = (
            await f.session.scalars(
                select(m.ClassStudent.student_id).where(
                    m.ClassStudent.school_class_id == school_class.id
                )
            )
        ).all()
        lesson = await f.add(
            m.Lesson(
                school_id=setup.school.id,
                group_id=group,
                subject_id=subject.id,
                teacher_id=teacher.id,
                substitute_id=substitute.id,
                held_on=_today() - timedelta(days=1),
                bell_number=2,
            )
        )
        return Given(
            relay.to_base64("Person", students[0]),
            relay.to_base64("SchoolClass", school_class.id),
            relay.to_base64("Lesson", lesson.id),
            lesson.id,
        )

    return await build(engine, recipe)


def _today() -> datetime:
    now = datetime.now(UTC).astimezone(ZoneInfo("Europe/Moscow"))
    return datetime(now.year, now.month, now.day)


async def test_a_substitutes_access_to_the_class_ends_with_the_lesson(
    engine: AsyncEngine, api: GraphQLClient
) -> None:  # R-PD-1, R-SUB-1
    given = await substituted(engine)
    token = await api.login("substitute", PASSWORD)
    ids = {"student": given.student, "schoolClass": given.school_class, "lesson": given.lesson}

    async def lesson_at(day: datetime, bell: int) -> dict[str, object]:
        await execute(
            engine,
            "UPDATE lesson SET held_on = :d, bell_number = :b WHERE id = :l",
            d=day.date(),
            b=bell,
            l=given.lesson_id,
        )
        seen: dict[str, object] = {}
        for name, query in READ.items():
            reply = await api(query, {"id": ids[name]}, token=token)
            seen[name] = None if reply.error_codes == ["NOT_FOUND"] else reply.data["node"]
        return seen

    # while the lesson lasts (today, its bell ends at 23:59), the class and its students
    during = await lesson_at(_today(), 2)
    assert during["student"] is not None
    assert during["schoolClass"] is not None
    # once it is over (today's bell 1 ended at 00:01), neither: only the lesson they gave
    ended = await lesson_at(_today(), 1)
    assert ended["student"] is None
    assert ended["schoolClass"] is None
    assert ended["lesson"] is not None
    # nor on the following days
    yesterday = await lesson_at(_today() - timedelta(days=1), 2)
    assert yesterday["student"] is None
    assert yesterday["schoolClass"] is None
    assert yesterday["lesson"] is not None
