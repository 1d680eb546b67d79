"""Entering grades for a lesson in bulk (R-GRADE-1): all or nothing, audited (R-AUDIT-1),
refused in locked periods (R-LOCK-1) and for changes past the edit window (R-EDIT-1)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update

import model as m
from model.base import utc_now
from plugins.unlocked_period import via_lesson_unlocked
from policies.vocabulary import Resource
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict
from resolvers.journal.deadlines import by_day, grade_due
from resolvers.journal.journal_writes import MAX_BATCH, LessonWrite, insert_missing, open_lesson
from resolvers.notifications import journal_news
from resolvers.setup.classes import group_membership
from resolvers.write_checks import require_version

MAX_COMMENT = 1000
GRADE_WORDS = "This student's grade for that work in the lesson"
GRADE_VERSION = "a grade's `version`, in the lesson's `grades` or in what `gradesSet` answered"


@dataclass(frozen=True)
class GradeEntry:
    student_id: int
    work_type_id: int
    mark: str | None  # None deletes the grade
    comment: str | None = None
    version: int | None = None  # the version read, for a grade that exists


@dataclass(frozen=True)
class _Facts:
    scale_id: int
    students: frozenset[int]
    marks: frozenset[str]
    work_types: dict[int, int]  # id → checking days
    existing: dict[tuple[int, int], m.Grade]


async def _facts(ctx: Context, lesson: m.Lesson) -> _Facts:
    db = ctx.db
    members = await db.rows(group_membership([lesson.group_id]))
    marks = await db.rows(
        select(m.GradeScaleMark.grade_scale_id, m.GradeScaleMark.mark)
        .join(m.Subject, m.Subject.grade_scale_id == m.GradeScaleMark.grade_scale_id)
        .where(m.Subject.id == lesson.subject_id)
    )
    work_types = await db.rows(
        select(m.WorkType.id, m.WorkType.checking_days).where(
            m.WorkType.school_id == lesson.school_id
        )
    )
    grades = await db.scalars(select(m.Grade).where(m.Grade.lesson_id == lesson.id))
    return _Facts(
        scale_id=marks[0][0] if marks else 0,
        students=frozenset(student for _, student in members),
        marks=frozenset(mark for _, mark in marks),
        work_types={row[0]: row[1] for row in work_types},
        existing={(g.student_id, g.work_type_id): g for g in grades},
    )


def _validate(entries: Sequence[GradeEntry], facts: _Facts, write: LessonWrite) -> None:
    if not entries:
        raise BadUserInput("Give at least one grade.", argument="grades")
    if len(entries) > MAX_BATCH:
        raise BadUserInput(f"At most {MAX_BATCH} grades at once.", argument="grades")
    if write.lesson.status is m.LessonStatus.CANCELLED:
        raise BadUserInput("The lesson was cancelled; it takes no grades.", argument="lessonId")
    seen: set[tuple[int, int]] = set()
    for item, entry in enumerate(entries):
        key = (entry.student_id, entry.work_type_id)
        old = facts.existing.get(key)
        where = {"item": item}
        if key in seen:
            raise BadUserInput("The same student and work type twice.", **where)
        seen.add(key)
        if entry.student_id not in facts.students:
            raise BadUserInput(
                "The student is not in this lesson's group.", field="studentId", **where
            )
        if entry.work_type_id not in facts.work_types:
            raise BadUserInput("No such work type in this school.", field="workTypeId", **where)
        if entry.mark is not None and entry.mark not in facts.marks:
            allowed = ", ".join(sorted(facts.marks))
            raise BadUserInput(
                f"Not a mark of this subject's scale ({allowed}).", field="mark", **where
            )
        if entry.comment is not None and len(entry.comment) > MAX_COMMENT:
            raise BadUserInput(
                f"A comment has at most {MAX_COMMENT} characters.", field="comment", **where
            )
        if old is None and entry.mark is None:
            raise BadUserInput("There is no grade to delete.", field="mark", **where)
        write.require(existing=old is not None, **where)
        if old is None and entry.version is not None:
            raise Conflict("The grade was deleted meanwhile; reload the lesson.", **where)
        if old is not None:
            require_version(old, entry.version, GRADE_WORDS, GRADE_VERSION, **where)
        if old is not None and entry.version != old.version:
            raise Conflict(
                "The grade was changed meanwhile; reload the lesson.",
                current_version=old.version,
                **where,
            )


async def grades_set(
    ctx: Context,
    lesson_id: int,
    entries: Sequence[GradeEntry],
    reason: str | None,
    *,
    grade_report_id: int | None = None,
) -> tuple[m.Lesson, list[m.Grade]]:
    """Creates, changes and deletes a lesson's grades as one unit; returns what now stands.

    The number of statements does not depend on how many grades are entered: new grades and
    their log records go in as one executemany each; only corrections are one statement each.
    `grade_report_id` links the log records to the wrong-grade report they answer (Е.1).
    """
    write = await open_lesson(ctx, lesson_id, Resource.GRADE)
    lesson, principal = write.lesson, write.principal
    facts = await _facts(ctx, lesson)
    _validate(entries, facts, write)
    now, account = utc_now(), principal.account_id
    timezone = principal.scope(lesson.school_id).timezone
    new = [e for e in entries if (e.student_id, e.work_type_id) not in facts.existing]
    corrected: list[tuple[m.Grade, dict[str, Any], bool]] = []  # the grade, before, deleted
    for entry in entries:
        old = facts.existing.get((entry.student_id, entry.work_type_id))
        if old is None:
            continue
        corrected.append((old, audit.snapshot(old), entry.mark is None))
        if entry.mark is None:
            await _delete(ctx, old)
        else:
            await _change(ctx, old, entry, account)
    if new:
        await ctx.db.execute(
            insert(m.Grade),
            [
                {
                    "school_id": lesson.school_id,
                    "lesson_id": lesson.id,
                    "student_id": entry.student_id,
                    "work_type_id": entry.work_type_id,
                    "grade_scale_id": facts.scale_id,
                    "mark": entry.mark,
                    "comment": entry.comment,
                    "created_by_id": account,
                    "created_at": now,
                    "version": 1,
                    "on_time": by_day(
                        now,
                        grade_due(lesson.held_on, facts.work_types[entry.work_type_id]),
                        timezone,
                    ),
                }
                for entry in new
            ],
        )
    standing = list(
        await ctx.db.scalars(
            select(m.Grade)
            .where(m.Grade.lesson_id == lesson.id)
            .where(m.Grade.student_id.in_({e.student_id for e in entries}))
            .order_by(m.Grade.id)
            .execution_options(populate_existing=True)
        )
    )
    now_standing = {grade.id: audit.snapshot(grade) for grade in standing}
    log = [
        _change_record(grade, before, None if deleted else now_standing[grade.id])
        for grade, before, deleted in corrected
    ]
    created = {(e.student_id, e.work_type_id) for e in new}
    log += [
        _change_record(grade, None, now_standing[grade.id])
        for grade in standing
        if (grade.student_id, grade.work_type_id) in created
    ]
    for record in log:
        record.update(
            changed_by_id=account, changed_at=now, reason=reason, grade_report_id=grade_report_id
        )
    await ctx.db.execute(insert(m.GradeChange), log)
    await note_work_types(ctx, lesson, {e.work_type_id for e in entries if e.mark is not None})
    await journal_news.grades_told(ctx, lesson, _news(corrected, standing, created, now_standing))
    return lesson, standing


def _news(
    corrected: list[tuple[m.Grade, dict[str, Any], bool]],
    standing: list[m.Grade],
    created: set[tuple[int, int]],
    now_standing: dict[int, dict[str, Any]],
) -> list[journal_news.GradeNews]:
    """What the write tells (Ж.1 #3): grades entered, marks changed, grades removed."""
    news = [
        journal_news.GradeNews(grade.id, grade.student_id, grade.work_type_id, grade.mark)
        for grade in standing
        if (grade.student_id, grade.work_type_id) in created
    ]
    for grade, before, deleted in corrected:
        after = None if deleted else now_standing[grade.id]["mark"]
        if after == before["mark"]:
            continue  # a comment corrected: no news
        news.append(
            journal_news.GradeNews(
                grade.id,
                grade.student_id,
                grade.work_type_id,
                before["mark"] if after is None else after,
                old_mark=None if after is None else before["mark"],
                removed=after is None,
            )
        )
    return news


async def _change(ctx: Context, old: m.Grade, entry: GradeEntry, account: int | None) -> None:
    # The version and the lock are checked in the statement itself, not before it.
    touched = await ctx.db.write(
        update(m.Grade)
        .where(
            m.Grade.id == old.id,
            m.Grade.version == old.version,
            via_lesson_unlocked(m.Grade.lesson_id),
        )
        .values(
            mark=entry.mark,
            comment=entry.comment,
            version=old.version + 1,
            updated_by_id=account,
            updated_at=utc_now(),
        )
        .execution_options(synchronize_session=False)
    )
    _require_one(touched)


async def _delete(ctx: Context, old: m.Grade) -> None:
    touched = await ctx.db.write(
        delete(m.Grade)
        .where(
            m.Grade.id == old.id,
            m.Grade.version == old.version,
            via_lesson_unlocked(m.Grade.lesson_id),
        )
        .execution_options(synchronize_session=False)
    )
    _require_one(touched)


def _require_one(touched: int) -> None:
    # Under the group lock a finalisation cannot interleave, so what is left is a colleague's
    # edit of the same grade between our read and our write.
    if touched != 1:
        raise Conflict("The grade was changed meanwhile; reload the lesson.")


def _change_record(
    grade: m.Grade, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> dict[str, object]:
    """The grade's entry in the audit trail (its part the grade change log reads): the whole
    grade before and after (its comment too, so that a correction can be undone), its marks
    in columns of their own."""
    old_mark = None if before is None else before["mark"]
    new_mark = None if after is None else after["mark"]
    if before is None:
        action = m.ChangeAction.CREATED
    elif after is None:
        action = m.ChangeAction.DELETED
    else:
        action = m.ChangeAction.CHANGED
    return {
        "school_id": grade.school_id,
        "kind": m.ChangeKind.GRADE,
        "entity": m.Grade.__tablename__,
        "entity_id": grade.id,
        "before": before,
        "after": after,
        "lesson_id": grade.lesson_id,
        "student_id": grade.student_id,
        "work_type_id": grade.work_type_id,
        "action": action,
        "old_mark": old_mark,
        "new_mark": new_mark,
    }


async def note_work_types(ctx: Context, lesson: m.Lesson, work_types: set[int]) -> None:
    """The lesson lists the kinds of work graded in it (R-TOPIC-1). Two teachers grading the
    lesson at once may both find a kind missing: whoever lists it first, both go on; the trail
    has each kind this request listed."""
    listed = set(
        await ctx.db.scalars(
            select(m.LessonWorkType.work_type_id).where(m.LessonWorkType.lesson_id == lesson.id)
        )
    )
    missing = sorted(work_types - listed)
    if missing:
        noted = await insert_missing(
            ctx.db,
            m.LessonWorkType,
            [{"lesson_id": lesson.id, "work_type_id": work_type} for work_type in missing],
        )
        await audit.record(ctx, audit.created(m.LessonWorkType, lesson.school_id, noted))
