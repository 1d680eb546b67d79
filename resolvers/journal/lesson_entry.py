"""Recording a lesson: its topic from the КТП (R-TOPIC-1), material, held or cancelled, and
who actually taught it when another teacher gave it (R-SUB-1); each change goes to the audit
trail with the lesson as it was and became."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select, update

import model as m
from model.base import utc_now
from plugins.unlocked_period import lesson_unlocked
from policies.vocabulary import Resource
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict
from resolvers.journal.grade_entry import note_work_types
from resolvers.journal.journal_writes import open_lesson

MAX_TOPIC = 500


@dataclass(frozen=True)
class LessonChanges:
    """What to change; None leaves a field as it is."""

    version: int
    topic: str | None = None
    plan_item_id: int | None = None
    material: str | None = None
    status: m.LessonStatus | None = None


async def _save(ctx: Context, lesson: m.Lesson, version: int, values: dict[str, Any]) -> m.Lesson:
    if version != lesson.version:
        raise Conflict("The lesson was changed meanwhile; reload.", current_version=lesson.version)
    before = snapshot(lesson)
    touched = await ctx.db.write(
        update(m.Lesson)
        .where(m.Lesson.id == lesson.id, m.Lesson.version == version, lesson_unlocked())
        .values(
            **values,
            version=version + 1,
            updated_by_id=ctx.require_principal().account_id,
            updated_at=utc_now(),
        )
    )
    if touched != 1:
        raise Conflict("The lesson was changed meanwhile; reload.")
    saved = await ctx.db.reload(m.Lesson, lesson.id)
    await record(ctx, [Changed(saved.school_id, m.Lesson, saved.id, before, snapshot(saved))])
    return saved


async def lesson_update(ctx: Context, lesson_id: int, changes: LessonChanges) -> m.Lesson:
    # Its topic, КТП topic and material alone are its planning (a class teacher plans their
    # class's coming lessons, Г.1 #9); its status (held, cancelled) is the lesson's own.
    planning = changes.status is None
    write = await open_lesson(ctx, lesson_id, Resource.LESSON_PLAN if planning else Resource.LESSON)
    write.require(existing=True)
    lesson = write.lesson
    values: dict[str, Any] = {}
    item: m.PlanItem | None = None
    if changes.plan_item_id is not None:
        item = await ctx.db.scalar(
            select(m.PlanItem)
            .join(m.Plan, m.Plan.id == m.PlanItem.plan_id)
            .where(
                m.PlanItem.id == changes.plan_item_id,
                m.Plan.subject_id == lesson.subject_id,
                m.Plan.archived_at.is_(None),
            )
        )
        if item is None:
            raise BadUserInput(
                "Not a topic of this subject's КТП (an archived КТП is no longer offered).",
                field="planItemId",
            )
        values.update(plan_item_id=item.id, topic=item.topic)
    if changes.topic is not None:
        topic = changes.topic.strip()
        if not topic or len(topic) > MAX_TOPIC:
            raise BadUserInput(f"A topic has 1 to {MAX_TOPIC} characters.", field="topic")
        values["topic"] = topic
    if changes.material is not None:
        values["material"] = changes.material.strip() or None
    if changes.status is not None:
        values["status"] = changes.status
    if values.get("status", lesson.status) is m.LessonStatus.HELD and not (
        values.get("topic") or lesson.topic
    ):
        raise BadUserInput("A held lesson needs its topic.", field="topic")
    if not values:
        raise BadUserInput("Nothing to change.", argument="input")
    saved = await _save(ctx, lesson, changes.version, values)
    if item is not None and item.work_type_id is not None:
        # The work the КТП plans for the topic is the lesson's (R-TOPIC-1): from now on its
        # grades are expected by the work type's checking days (R-CONTROL-1).
        await note_work_types(ctx, saved, {item.work_type_id})
    return saved


async def lesson_substitute(
    ctx: Context, lesson_id: int, version: int, substitute_id: int | None
) -> m.Lesson:
    """Records who gave the lesson instead; they may then fill in this lesson, and only it."""
    write = await open_lesson(ctx, lesson_id, Resource.LESSON)
    write.require(existing=True)
    lesson = write.lesson
    if substitute_id is not None:
        if substitute_id == lesson.teacher_id:
            raise BadUserInput("The substitute is the lesson's own teacher.", field="substituteId")
        teaches = exists().where(
            m.SchoolRole.person_id == substitute_id,
            m.SchoolRole.school_id == lesson.school_id,
            m.SchoolRole.role.in_([m.Role.TEACHER.value, m.Role.PSYCHOLOGIST.value]),
        )
        if not await ctx.db.scalar(select(teaches)):
            raise BadUserInput("The substitute must teach at this school.", field="substituteId")
    return await _save(ctx, lesson, version, {"substitute_id": substitute_id})
