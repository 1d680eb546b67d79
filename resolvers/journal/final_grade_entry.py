"""Setting term and final grades (R-FINAL-1) for a group and subject in a period. Once set,
the period's journal for them is locked (R-LOCK-1), the final grades included (Д.2): the
group's row is locked FOR UPDATE here and FOR SHARE by every journal entry, so a finalisation
and an edit never interleave. Each final grade set or changed, and each reopening it closes,
goes to the audit trail with its state before and after, in one statement."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select, update

import model as m
from model.base import utc_now
from policies.vocabulary import Resource
from resolvers.audit import differences, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, NotFound
from resolvers.journal.deadlines import by_day, final_grade_due
from resolvers.journal.journal_writes import MAX_BATCH
from resolvers.journal.period_reopening import close_reopenings
from resolvers.notifications import journal_news
from resolvers.setup.classes import group_membership
from resolvers.write_checks import require_version, require_writes

FINAL_WORDS = "This student's grade for the period"
FINAL_VERSION = "the final grade's `version`, in `finalGrades`"
PERIODS_IN_WORDS = {
    m.PeriodKind.QUARTER: "quarters",
    m.PeriodKind.TRIMESTER: "trimesters",
    m.PeriodKind.HALF: "halves of the year",
    m.PeriodKind.YEAR: "the year",
}


@dataclass(frozen=True)
class FinalGradeEntry:
    student_id: int
    mark: str | None = None
    special: m.FinalGradeSpecial | None = None
    version: int | None = None


@dataclass(frozen=True)
class Target:
    group: m.Group
    subject: m.Subject
    period: m.Period


async def _target(ctx: Context, group_id: int, subject_id: int, period_id: int) -> Target:
    readable = ctx.loaders.readable
    group = await ctx.db.scalar(
        select(m.Group).where(m.Group.id == group_id, readable(m.Group)).with_for_update()
    )
    subject = await ctx.db.scalar(
        select(m.Subject).where(m.Subject.id == subject_id, readable(m.Subject))
    )
    period = await ctx.db.scalar(
        select(m.Period).where(m.Period.id == period_id, readable(m.Period))
    )
    if group is None or subject is None or period is None:
        raise NotFound("No such group, subject or period, or it is not visible to you.")
    if not group.school_id == subject.school_id == period.school_id:
        raise BadUserInput("The group, subject and period belong to different schools.")
    if subject.no_attestation:
        raise BadUserInput(
            "The subject is «без аттестации»: no final grade is expected.", field="subjectId"
        )
    kind = await ctx.db.scalar(
        select(m.SchoolClass.period_kind).where(m.SchoolClass.id == group.school_class_id)
    )
    if period.kind not in (kind, m.PeriodKind.YEAR):
        graded_by = PERIODS_IN_WORDS[kind] if kind is not None else "periods of its own"
        raise BadUserInput(
            f"The class is graded by {graded_by}, not by {PERIODS_IN_WORDS[period.kind]}.",
            field="periodId",
        )
    return Target(group=group, subject=subject, period=period)


async def final_grades_set(
    ctx: Context, group_id: int, subject_id: int, period_id: int, entries: Sequence[FinalGradeEntry]
) -> list[m.FinalGrade]:
    principal = ctx.require_principal()
    target = await _target(ctx, group_id, subject_id, period_id)
    if not entries or len(entries) > MAX_BATCH:
        raise BadUserInput(f"Give 1 to {MAX_BATCH} grades.", argument="grades")
    students = {s for _, s in await ctx.db.rows(group_membership([group_id]))}
    marks = set(
        await ctx.db.scalars(
            select(m.GradeScaleMark.mark).where(
                m.GradeScaleMark.grade_scale_id == target.subject.grade_scale_id
            )
        )
    )
    existing = {
        f.student_id: f
        for f in await ctx.db.scalars(
            select(m.FinalGrade).where(
                m.FinalGrade.group_id == group_id,
                m.FinalGrade.subject_id == subject_id,
                m.FinalGrade.period_id == period_id,
            )
        )
    }
    for item, entry in enumerate(entries):
        where = {"item": item}
        if entry.student_id not in students:
            raise BadUserInput("The student is not in this group.", field="studentId", **where)
        if (entry.mark is None) == (entry.special is None):
            raise BadUserInput("Give a mark or a special value, not both.", field="mark", **where)
        if entry.mark is not None and entry.mark not in marks:
            raise BadUserInput("Not a mark of this subject's scale.", field="mark", **where)
        old = existing.get(entry.student_id)
        if old is not None:
            require_version(old, entry.version, FINAL_WORDS, FINAL_VERSION, **where)
        if (old.version if old else None) != entry.version:
            raise Conflict("The final grade was changed meanwhile; reload.", **where)
    # A set final grade is part of the period's locked journal (Д.2, R-LOCK-1): changing it is
    # decided on it as it stands, before the change; only the admin's reopening allows it.
    changed = [existing[e.student_id].id for e in entries if e.student_id in existing]
    if changed:
        await require_writes(ctx, Resource.FINAL_GRADE, m.FinalGrade, changed, existing=True)
    now, account = utc_now(), principal.account_id
    timezone = principal.scope(target.group.school_id).timezone
    on_time = by_day(now, final_grade_due(target.period.ends_on), timezone)
    fresh = [e for e in entries if e.student_id not in existing]
    listed = {e.student_id for e in entries}
    before = {f.id: snapshot(f) for f in existing.values() if f.student_id in listed}
    if fresh:
        await ctx.db.execute(
            insert(m.FinalGrade),
            [
                {"school_id": target.group.school_id, "student_id": e.student_id,
                 "subject_id": subject_id, "period_id": period_id, "group_id": group_id,
                 "grade_scale_id": target.subject.grade_scale_id, "mark": e.mark,
                 "special": e.special, "created_by_id": account, "created_at": now, "version": 1,
                 "on_time": on_time}
                for e in fresh
            ],
        )  # fmt: skip
    for entry in entries:
        old = existing.get(entry.student_id)
        if old is not None:
            await ctx.db.write(
                update(m.FinalGrade)
                .where(m.FinalGrade.id == old.id)
                .values(mark=entry.mark, special=entry.special, version=old.version + 1,
                        updated_by_id=account, updated_at=now)
            )  # fmt: skip
    standing = list(
        await ctx.db.scalars(
            select(m.FinalGrade)
            .where(
                m.FinalGrade.group_id == group_id,
                m.FinalGrade.subject_id == subject_id,
                m.FinalGrade.period_id == period_id,
            )
            .order_by(m.FinalGrade.student_id)
            .execution_options(populate_existing=True)
        )
    )
    # New ones are checked as written, in one statement; a refusal rolls the request back.
    if fresh:
        created = [grade.id for grade in standing if grade.student_id not in existing]
        await require_writes(ctx, Resource.FINAL_GRADE, m.FinalGrade, created, existing=False)
    school = target.group.school_id
    after = {f.id: snapshot(f) for f in standing if f.student_id in listed}
    closed = await close_reopenings(ctx, group_id, subject_id, period_id)
    await record(ctx, differences(m.FinalGrade, school, before, after) + closed)
    was = {
        grade_id: (
            state["mark"],
            m.FinalGradeSpecial(state["special"]) if state["special"] else None,
        )
        for grade_id, state in before.items()
    }
    told = [
        grade
        for grade in standing
        if grade.student_id in listed and was.get(grade.id) != (grade.mark, grade.special)
    ]
    await journal_news.final_grades_told(ctx, target.subject, target.period, told, was)
    return standing
