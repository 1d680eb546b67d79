"""Setting homework in a lesson (R-HW-1): for the whole group, or for the students listed;
the homework and each student it is set for go to the audit trail."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import insert

import model as m
from model.base import utc_now
from policies.vocabulary import Resource
from resolvers.audit import created, record
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.journal.deadlines import homework_due
from resolvers.journal.journal_writes import open_lesson
from resolvers.notifications import journal_news
from resolvers.setup.classes import group_membership

MAX_TEXT = 4000


@dataclass(frozen=True)
class HomeworkEntry:
    text: str
    due_on: date
    pages: str | None = None
    tasks: str | None = None
    student_ids: Sequence[int] = field(default_factory=tuple)


async def homework_assign(ctx: Context, lesson_id: int, entry: HomeworkEntry) -> m.Homework:
    write = await open_lesson(ctx, lesson_id, Resource.HOMEWORK)
    write.require(existing=False)
    lesson = write.lesson
    text = entry.text.strip()
    if not text or len(text) > MAX_TEXT:
        raise BadUserInput(f"Homework text has 1 to {MAX_TEXT} characters.", field="text")
    if entry.due_on <= lesson.held_on:
        raise BadUserInput("Homework is due after the lesson.", field="dueOn")
    students = set(entry.student_ids)
    if students:
        members = {s for _, s in await ctx.db.rows(group_membership([lesson.group_id]))}
        if not students <= members:
            raise BadUserInput("A listed student is not in the lesson's group.", field="studentIds")
    now = utc_now()
    timezone = write.principal.scope(lesson.school_id).timezone
    homework = m.Homework(
        school_id=lesson.school_id,
        lesson_id=lesson.id,
        text=text,
        pages=(entry.pages or "").strip() or None,
        tasks=(entry.tasks or "").strip() or None,
        due_on=entry.due_on,
        is_individual=bool(students),
        created_by_id=write.principal.account_id,
        created_at=now,
        on_time=now <= homework_due(lesson.held_on, timezone),
    )
    ctx.db.session.add(homework)
    await ctx.db.flush()
    listed: list[m.HomeworkStudent] = []
    if students:
        inserted = await ctx.db.execute(
            insert(m.HomeworkStudent).returning(m.HomeworkStudent),
            [{"homework_id": homework.id, "student_id": s} for s in sorted(students)],
        )
        listed = list(inserted.scalars())
    school = lesson.school_id
    await record(
        ctx, created(m.Homework, school, [homework]) + created(m.HomeworkStudent, school, listed)
    )
    await journal_news.homework_told(ctx, lesson, homework)
    return homework
