"""Marking attendance for a lesson in bulk (R-ATT-1): absences, illness, lateness with minutes.
The first marking records that attendance was taken (no marks: everybody was present), and
whether in time (R-CONTROL-1). Every mark set, changed or removed, and the lesson's "attendance
taken", goes to the audit trail with its state before and after, in one more statement."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update

import model as m
from model.base import utc_now
from plugins.unlocked_period import via_lesson_unlocked
from policies.vocabulary import Resource
from resolvers.audit import Changed, created, differences, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, NotFound
from resolvers.journal.deadlines import ENTRY_DAYS, by_day, entry_due, local
from resolvers.journal.journal_writes import MAX_BATCH, insert_missing, open_lesson
from resolvers.notifications import journal_news
from resolvers.setup.classes import group_membership
from resolvers.write_checks import require_version, require_writes

MAX_LATE = 90
MARK_WORDS = "This student's attendance mark in the lesson"
MARK_VERSION = "the mark's `version`, in the lesson's `attendance`"


@dataclass(frozen=True)
class AttendanceEntry:
    student_id: int
    kind: m.AttendanceKind | None  # None: the student was present after all
    late_minutes: int | None = None
    comment: str | None = None
    version: int | None = None


def _check(item: int, entry: AttendanceEntry, students: frozenset[int]) -> None:
    where = {"item": item}
    if entry.student_id not in students:
        raise BadUserInput("The student is not in this lesson's group.", field="studentId", **where)
    late = entry.kind is m.AttendanceKind.LATE
    if late and not (entry.late_minutes and 1 <= entry.late_minutes <= MAX_LATE):
        raise BadUserInput(f"Late needs minutes, 1 to {MAX_LATE}.", field="lateMinutes", **where)
    if not late and entry.late_minutes is not None:
        raise BadUserInput("Minutes go with `LATE` only.", field="lateMinutes", **where)


async def _taken(
    ctx: Context, lessons: Sequence[m.Lesson], now: datetime, timezone: str
) -> list[Changed]:
    """Lessons whose attendance is taken now, unless it was before; in time if `now` is by the
    day ENTRY_DAYS after each lesson, in the school's zone. The lessons' changes, for the trail:
    those this statement marked, before and after (`lessons` as read, the after-state returned)."""
    cutoff = local(now, timezone).date() - timedelta(days=ENTRY_DAYS)
    before = {lesson.id: snapshot(lesson) for lesson in lessons}
    marked = await ctx.db.execute(
        update(m.Lesson)
        .where(m.Lesson.id.in_(list(before)), m.Lesson.attendance_taken_at.is_(None))
        .values(attendance_taken_at=now, attendance_on_time=m.Lesson.held_on >= cutoff)
        .returning(m.Lesson)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    return [
        Changed(lesson.school_id, m.Lesson, lesson.id, before[lesson.id], snapshot(lesson))
        for lesson in marked.scalars()
    ]


async def attendance_mark(
    ctx: Context, lesson_id: int, entries: Sequence[AttendanceEntry]
) -> tuple[m.Lesson, list[m.Attendance]]:
    """Sets each listed student's mark in the lesson, all or nothing; returns what stands.
    No marks at all records that everybody was present."""
    write = await open_lesson(ctx, lesson_id, Resource.ATTENDANCE)
    lesson = write.lesson
    if len(entries) > MAX_BATCH:
        raise BadUserInput(f"Give at most {MAX_BATCH} marks.", argument="marks")
    if lesson.status is m.LessonStatus.CANCELLED:
        raise BadUserInput("The lesson was cancelled; it takes no attendance.", argument="lessonId")
    write.require(existing=False)
    students = frozenset(s for _, s in await ctx.db.rows(group_membership([lesson.group_id])))
    existing = {
        a.student_id: a
        for a in await ctx.db.scalars(
            select(m.Attendance).where(m.Attendance.lesson_id == lesson.id)
        )
    }
    if len({e.student_id for e in entries}) != len(entries):
        raise BadUserInput("The same student twice.", argument="marks")
    for item, entry in enumerate(entries):
        _check(item, entry, students)
        old = existing.get(entry.student_id)
        write.require(existing=old is not None, item=item)
        if old is not None:
            require_version(old, entry.version, MARK_WORDS, MARK_VERSION, item=item)
        if old is not None and entry.version != old.version:
            raise Conflict(
                "The mark was changed meanwhile; reload.", item=item, current_version=old.version
            )
        if old is None and entry.version is not None:
            raise Conflict("The mark was removed meanwhile; reload.", item=item)
    now, account = utc_now(), write.principal.account_id
    timezone = write.principal.scope(lesson.school_id).timezone
    on_time = by_day(now, entry_due(lesson.held_on), timezone)
    new = [e for e in entries if e.student_id not in existing and e.kind is not None]
    corrected = {e.student_id for e in entries} & existing.keys()
    before = {existing[student].id: snapshot(existing[student]) for student in corrected}
    for entry in entries:
        old = existing.get(entry.student_id)
        if old is None:
            continue
        unchanged_lock = [m.Attendance.id == old.id, m.Attendance.version == old.version,
                          via_lesson_unlocked(m.Attendance.lesson_id)]  # fmt: skip
        if entry.kind is None:
            touched = await ctx.db.write(delete(m.Attendance).where(*unchanged_lock))
        else:
            touched = await ctx.db.write(
                update(m.Attendance)
                .where(*unchanged_lock)
                .values(kind=entry.kind, late_minutes=entry.late_minutes, comment=entry.comment,
                        version=old.version + 1, updated_by_id=account, updated_at=now)
            )  # fmt: skip
        if touched != 1:
            raise Conflict("The mark was changed meanwhile; reload.")
    made: set[int] = set()
    if new:
        inserted = await ctx.db.execute(
            insert(m.Attendance).returning(m.Attendance.id),
            [
                {"school_id": lesson.school_id, "lesson_id": lesson.id, "student_id": e.student_id,
                 "kind": e.kind, "late_minutes": e.late_minutes, "comment": e.comment,
                 "created_by_id": account, "created_at": now, "version": 1, "on_time": on_time}
                for e in new
            ],
        )  # fmt: skip
        made = set(inserted.scalars())
    taken = await _taken(ctx, [lesson], now, timezone)
    lesson = await ctx.db.reload(m.Lesson, lesson.id)
    standing = list(
        await ctx.db.scalars(
            select(m.Attendance)
            .where(m.Attendance.lesson_id == lesson.id)
            .order_by(m.Attendance.student_id)
            .execution_options(populate_existing=True)
        )
    )
    after = {a.id: snapshot(a) for a in standing if a.id in before or a.id in made}
    removed = sorted(before.keys() - {a.id for a in standing})
    before_by_student = {state["student_id"]: state for state in before.values()}
    await record(ctx, differences(m.Attendance, lesson.school_id, before, after) + taken)
    await journal_news.attendance_told(
        ctx,
        lesson.school_id,
        _news(lesson, entries, before_by_student, standing),
        removed,
        [before[i]["student_id"] for i in removed],
    )
    return lesson, standing


def _news(
    lesson: m.Lesson,
    entries: Sequence[AttendanceEntry],
    before: dict[int, dict[str, Any]],
    standing: list[m.Attendance],
) -> list[journal_news.AttendanceNews]:
    """Absences and lates marked or changed, and marks removed (Ж.1 #3); `before`: the marks
    as they were, by student."""
    now = {mark.student_id: mark for mark in standing}
    news = []
    for entry in entries:
        old, mark = before.get(entry.student_id), now.get(entry.student_id)
        if old is not None and (old["kind"], old["late_minutes"]) == (
            entry.kind,
            entry.late_minutes,
        ):
            continue  # a comment corrected: no news
        if mark is None and old is None:
            continue
        news.append(
            journal_news.AttendanceNews(
                entry.student_id,
                lesson,
                entry.kind,
                entry.late_minutes,
                None if mark is None else mark.id,
            )
        )
    return news


DAY_KINDS = (m.AttendanceKind.ABSENT_VALID, m.AttendanceKind.ABSENT_UNEXCUSED, m.AttendanceKind.ILL)


async def attendance_day_mark(
    ctx: Context, class_id: int, day: date, entries: Sequence[AttendanceEntry]
) -> list[m.Attendance]:
    """The class teacher's daily absence record (R-ATT-1): a student away for the day is marked
    in every lesson of the class that day; a mark a teacher already gave is kept."""
    principal = ctx.require_principal()
    school_class = await ctx.db.scalar(
        select(m.SchoolClass).where(
            m.SchoolClass.id == class_id, ctx.loaders.readable(m.SchoolClass)
        )
    )
    if school_class is None:
        raise NotFound("No such class, or it is not visible to you.")
    if not entries or len(entries) > MAX_BATCH:
        raise BadUserInput(f"Give 1 to {MAX_BATCH} marks.", argument="marks")
    groups = select(m.Group.id).where(m.Group.school_class_id == class_id)
    await ctx.db.execute(
        select(m.Group.id).where(m.Group.id.in_(groups)).with_for_update(read=True)
    )
    lessons = list(
        await ctx.db.scalars(
            select(m.Lesson).where(
                m.Lesson.group_id.in_(groups),
                m.Lesson.held_on == day,
                m.Lesson.status != m.LessonStatus.CANCELLED,
            )
        )
    )
    if not lessons:
        raise BadUserInput("The class has no lessons that day.", field="date")
    membership = await ctx.db.rows(group_membership([lesson.group_id for lesson in lessons]))
    members = {(group, student) for group, student in membership}
    in_class = {student for _, student in members}
    for item, entry in enumerate(entries):
        _check(item, entry, frozenset(in_class))
        if entry.kind not in DAY_KINDS:
            raise BadUserInput("A day's record is an absence: valid, unexcused or ill.", item=item)
    ids = [lesson.id for lesson in lessons]
    message = "A lesson of the day does not take your marks."
    await require_writes(ctx, Resource.ATTENDANCE, m.Lesson, ids, existing=False, message=message)
    present = await ctx.db.rows(
        select(m.Attendance.lesson_id, m.Attendance.student_id).where(
            m.Attendance.lesson_id.in_(ids)
        )
    )
    marked = {(lesson_id, student) for lesson_id, student in present}
    now = utc_now()
    timezone = principal.scope(school_class.school_id).timezone
    on_time = by_day(now, entry_due(day), timezone)
    new = [
        {"school_id": lesson.school_id, "lesson_id": lesson.id, "student_id": entry.student_id,
         "kind": entry.kind, "comment": entry.comment, "created_by_id": principal.account_id,
         "created_at": now, "version": 1, "on_time": on_time}
        for lesson in lessons
        for entry in entries
        if (lesson.group_id, entry.student_id) in members
        and (lesson.id, entry.student_id) not in marked
    ]  # fmt: skip
    # A mark a teacher gives meanwhile is kept too (R-ATT-1), not a conflict.
    made = await insert_missing(ctx.db, m.Attendance, new)
    taken = await _taken(ctx, lessons, now, timezone)
    await record(ctx, created(m.Attendance, school_class.school_id, made) + taken)
    await journal_news.attendance_day_told(ctx, school_class.school_id, day, made)
    return list(
        await ctx.db.scalars(
            select(m.Attendance)
            .where(
                m.Attendance.lesson_id.in_(ids),
                m.Attendance.student_id.in_([entry.student_id for entry in entries]),
            )
            .order_by(m.Attendance.student_id, m.Attendance.lesson_id)
            .execution_options(populate_existing=True)
        )
    )
