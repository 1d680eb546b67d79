"""The journal's changes, live (issue 14, item 5): a parent's or student's diary receives the
child's new, changed and removed grades and absences as they are entered; a teacher's open
grid receives what a colleague (a substitute, the class teacher) enters in the lesson.

A subscription starts as the query of the same rows would: a student or lesson the caller may
not read is NOT_FOUND (FORBIDDEN when their roles read no grades anywhere). Each event is then
read again through the subscriber's own row filters (`feed.py`): a subscription never tells a
row its subscriber could not query."""

from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
from sqlalchemy import exists, select

import model as m
from policies.vocabulary import Action, Resource
from resolvers.context import Context
from resolvers.notifications.live import JournalEvent
from resolvers.screens.journal_cells import require_visible
from schema import list_sizes as sizes
from schema.base import Info, decode_id, reads
from schema.journal.grading import Grade
from schema.journal.lessons import Attendance, Lesson
from schema.list_sizes import at_most
from schema.people.person import Person
from schema.permissions import can
from schema.screens.journal_views import global_id
from schema.subscriptions.feed import Feed, changes

KINDS = {"grade": m.Grade, "attendance": m.Attendance}
NODE_NAMES = {"grade": "Grade", "attendance": "Attendance"}


@strawberry.type(
    description="What one write in a lesson's journal changed, as far as you may read it: "
    "the grades and absences entered or changed (as they now stand), and the IDs of those "
    "removed."
)
class JournalChange:
    lesson_id: strawberry.ID = strawberry.field(description="The lesson (a `Lesson` ID).")
    grades: list[Grade] = strawberry.field(
        description="Grades entered or changed, as they now stand, in the order entered.",
        metadata=reads(Resource.GRADE) | at_most(sizes.GRADES_OF_A_LESSON),
    )
    attendance: list[Attendance] = strawberry.field(
        description="Absences and late arrivals marked or changed, as they now stand, in the "
        "order marked.",
        metadata=reads(Resource.ATTENDANCE) | at_most(sizes.CLASS_SIZE),
    )
    removed: list[strawberry.ID] = strawberry.field(
        description="The `Grade` and `Attendance` IDs removed (a grade deleted, a student "
        "marked present after all).",
        metadata=at_most(sizes.WRITTEN_AT_ONCE),
    )


async def _read(
    ctx: Context, journal_event: JournalEvent, *where: Any, removed: tuple[int, ...]
) -> JournalChange | None:
    """The event's rows of its kind that the subscriber may read, under `where`."""
    entity: Any = KINDS[journal_event.kind]
    rows: list[Any] = []
    if journal_event.ids or not journal_event.removed:  # no ids, none removed: all of them
        by_id = [entity.id.in_(journal_event.ids)] if journal_event.ids else []
        statement = (
            select(entity)
            .where(entity.lesson_id == journal_event.lesson_id, *where, *by_id)
            .where(ctx.loaders.readable(entity))
        )
        rows = list(await ctx.db.scalars(statement.order_by(entity.id)))
    if not rows and not removed:
        return None
    name = NODE_NAMES[journal_event.kind]
    return JournalChange(
        lesson_id=global_id("Lesson", journal_event.lesson_id or 0),
        grades=rows if journal_event.kind == "grade" else [],
        attendance=rows if journal_event.kind == "attendance" else [],
        removed=[global_id(name, row_id) for row_id in removed],
    )


async def _removed(ctx: Context, journal_event: JournalEvent) -> tuple[int, ...]:
    """The removed records of students the subscriber may read (none when the event does not
    say whose each was): a removal tells nothing of a student they could not query."""
    students = journal_event.removed_students
    if not journal_event.removed or len(students) != len(journal_event.removed):
        return ()
    readable = set(
        await ctx.db.scalars(
            select(m.Person.id).where(
                m.Person.id.in_(set(students)), ctx.loaders.readable(m.Person)
            )
        )
    )
    pairs = zip(journal_event.removed, students, strict=True)
    return tuple(row for row, student in pairs if student in readable)


async def _still_visible(ctx: Context, entity: Any, row_id: int) -> bool:
    found = await ctx.db.scalar(
        select(exists().where(entity.id == row_id, ctx.loaders.readable(entity)))
    )
    return bool(found)


async def _opened(ctx: Context, feed: Feed, entity: type[m.Base], row_id: int) -> None:
    """The feed listening, then the row checked visible (NOT_FOUND) in a transaction that ends
    here: nothing committed after the check is missed, and none stays open while it waits."""
    feed.start()
    try:
        await require_visible(ctx, {entity: row_id})
        await ctx.db.commit()
    except BaseException:
        feed.stop()
        raise


async def diary_changes(
    info: Info,
    student_id: Annotated[
        strawberry.ID, strawberry.argument(description="The student (a `Person` ID).")
    ],
) -> AsyncGenerator[JournalChange, None]:
    ctx = info.context
    student = decode_id(student_id, Person)
    feed = Feed(
        lambda e: e.kind in KINDS and e.lesson_id is not None
        and (student in e.student_ids or not e.student_ids)
    )  # fmt: skip
    await _opened(ctx, feed, m.Person, student)

    async def read(journal_event: JournalEvent) -> JournalChange | None:
        entity: Any = KINDS[journal_event.kind]
        removed = journal_event.removed_of(student)
        if removed and not await _still_visible(ctx, m.Person, student):
            removed = ()
        return await _read(ctx, journal_event, entity.student_id == student, removed=removed)

    return changes(ctx, feed, read)


async def lesson_journal_changes(
    info: Info,
    lesson_id: Annotated[
        strawberry.ID, strawberry.argument(description="The lesson (a `Lesson` ID).")
    ],
) -> AsyncGenerator[JournalChange, None]:
    ctx = info.context
    lesson = decode_id(lesson_id, Lesson)
    feed = Feed(lambda e: e.kind in KINDS and e.lesson_id == lesson)
    await _opened(ctx, feed, m.Lesson, lesson)

    async def read(journal_event: JournalEvent) -> JournalChange | None:
        return await _read(ctx, journal_event, removed=await _removed(ctx, journal_event))

    return changes(ctx, feed, read)


@strawberry.type(
    description="What the API tells live, over a WebSocket at `/graphql` (the "
    "graphql-transport-ws protocol; sign in with `connection_init`'s payload "
    '`{"authorization": "Bearer <token>"}`). Each event is read again as you may read it; '
    "a subscription ends when your token no longer signs you in (revoked, expired, the "
    "account blocked)."
)
class Subscription:
    diary_changes: JournalChange = strawberry.subscription(  # type: ignore[assignment]
        resolver=diary_changes,
        permission_classes=[can(Resource.GRADE, Action.READ)],
        metadata=reads(Resource.GRADE),
        description="A student's grades and absences as they are entered, changed or removed, "
        "lesson by lesson: a diary kept open (электронный дневник).",
    )
    lesson_journal_changes: JournalChange = strawberry.subscription(  # type: ignore[assignment]
        resolver=lesson_journal_changes,
        permission_classes=[can(Resource.LESSON, Action.READ)],
        metadata=reads(Resource.LESSON),
        description="A lesson's grades and absences as anyone enters, changes or removes "
        "them: the teacher's open grid sees a colleague's entries.",
    )
