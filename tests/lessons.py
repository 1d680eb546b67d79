"""Finding a teacher's lesson in a generated school, and raw SQL for givens and checks."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay


async def rows(engine: AsyncEngine, sql: str, **params: Any) -> list[Any]:
    async with engine.connect() as connection:
        return list((await connection.execute(text(sql), params)).all())


async def execute(engine: AsyncEngine, sql: str, **params: Any) -> None:
    async with engine.begin() as connection:
        await connection.execute(text(sql), params)


async def teacher_lesson(
    engine: AsyncEngine, login: str, *, locked: bool = False
) -> dict[str, Any]:
    """A held lesson the teacher gave: in the locked first quarter, or after it."""
    before_or_after = "<" if locked else ">="
    found = await rows(
        engine,
        f"""SELECT l.id, l.group_id, l.school_id, l.subject_id, l.held_on, l.version
        FROM lesson l JOIN account a ON a.person_id = l.teacher_id
        JOIN subject s ON s.id = l.subject_id
        WHERE a.login = :login AND l.status = 'held'
          AND NOT s.no_attestation AND l.held_on {before_or_after} '2026-11-01'
        ORDER BY l.held_on DESC, l.id LIMIT 1""",
        login=login,
    )
    lesson_id, group_id, school_id, subject_id, held_on, version = found[0]
    if not locked:
        held_on = await within_edit_window(engine, lesson_id)
    students = await rows(
        engine,
        "SELECT cs.student_id FROM class_student cs JOIN study_group g "
        "ON g.school_class_id = cs.school_class_id WHERE g.id = :g AND g.kind = 'whole_class' "
        "UNION SELECT student_id FROM group_student WHERE group_id = :g ORDER BY 1",
        g=group_id,
    )
    work_type = (
        await rows(engine, "SELECT min(id) FROM work_type WHERE school_id = :s", s=school_id)
    )[0][0]
    return {
        "id": lesson_id,
        "gid": relay.to_base64("Lesson", lesson_id),
        "group_id": group_id,
        "subject_id": subject_id,
        "school_id": school_id,
        "held_on": held_on if isinstance(held_on, date) else date.fromisoformat(held_on),
        "version": version,
        "students": [relay.to_base64("Person", s) for (s,) in students],
        "work_type": relay.to_base64("WorkType", work_type),
        "work_type_pk": work_type,
    }


async def within_edit_window(engine: AsyncEngine, lesson_id: int) -> date:
    """The lesson's day, moved to the latest day before yesterday that its group has free at
    its bell when it is older than a few days: the tests' school is generated as of 2026-11-20,
    while the edit window (R-EDIT-1) runs by the real clock, so that without the move the
    lesson's grades could no longer be changed a week or two later."""
    held_on, group_id, bell = (
        await rows(
            engine, "SELECT held_on, group_id, bell_number FROM lesson WHERE id = :l", l=lesson_id
        )
    )[0]
    held = held_on if isinstance(held_on, date) else date.fromisoformat(held_on)
    today = datetime.now(UTC).date()
    if (today - held).days <= 3:
        return held
    for back in range(2, (today - held).days):
        day = today - timedelta(days=back)
        taken = "SELECT 1 FROM lesson WHERE group_id = :g AND held_on = :d AND bell_number = :b"
        if not await rows(engine, taken, g=group_id, d=day, b=bell):
            await execute(
                engine, "UPDATE lesson SET held_on = :d WHERE id = :l", d=day, l=lesson_id
            )
            return day
    return held
