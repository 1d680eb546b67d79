"""Wrong-grade reports (Е.1): a student or parent reports a grade within 3 days, the teacher
answers, correcting the grade in the same request if it was wrong: the correction goes through
grade entry (locks, edit window, versions) and its change record names the report. The
report and its answer go to the audit trail as well."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select, update

import model as m
from model.base import utc_now
from policies.vocabulary import Resource
from resolvers.audit import Changed, created, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, NotFound
from resolvers.journal.grade_entry import GradeEntry, grades_set
from resolvers.write_checks import require_writes

REPORT_DAYS = 3
MAX_TEXT = 2000


def _text(text: str, field: str) -> str:
    text = text.strip()
    if not 5 <= len(text) <= MAX_TEXT:
        raise BadUserInput(f"Write 5 to {MAX_TEXT} characters.", field=field)
    return text


async def grade_report(ctx: Context, grade_id: int, text: str) -> m.GradeReport:
    principal = ctx.require_principal()
    grade = await ctx.db.scalar(
        select(m.Grade).where(m.Grade.id == grade_id, ctx.loaders.readable(m.Grade))
    )
    if grade is None:
        raise NotFound("No such grade, or it is not visible to you.")
    await require_writes(ctx, Resource.GRADE_REPORT, m.Grade, [grade.id], existing=False)
    scope = principal.scope(grade.school_id)
    given_on = grade.created_at.astimezone(ZoneInfo(scope.timezone)).date()
    if scope.today > given_on + timedelta(days=REPORT_DAYS):
        raise BadUserInput(f"A grade is reported within {REPORT_DAYS} days of being given.")
    report_text = _text(text, "text")
    open_one = exists().where(
        m.GradeReport.grade_id == grade.id, m.GradeReport.status == m.GradeReportStatus.OPEN
    )
    if await ctx.db.scalar(select(open_one)):
        raise Conflict("This grade is reported already; the teacher has not answered yet.")
    report = m.GradeReport(
        school_id=grade.school_id,
        grade_id=grade.id,
        lesson_id=grade.lesson_id,
        student_id=grade.student_id,
        mark=grade.mark,
        text=report_text,
        reported_by_id=principal.account_id,
        reported_at=utc_now(),
    )
    ctx.db.session.add(report)
    await ctx.db.flush()
    await record(ctx, created(m.GradeReport, report.school_id, [report]))
    return report


async def _correct(ctx: Context, report: m.GradeReport, mark: str, reason: str) -> None:
    grade = await ctx.db.scalar(
        select(m.Grade).where(m.Grade.id == report.grade_id, ctx.loaders.readable(m.Grade))
    )
    if grade is None:
        raise Conflict("The grade was deleted meanwhile; nothing to correct.")
    if grade.mark == mark:
        raise BadUserInput(f"The grade is {mark} already.", argument="correctedMark")
    entry = GradeEntry(grade.student_id, grade.work_type_id, mark, grade.comment, grade.version)
    try:
        await grades_set(ctx, grade.lesson_id, [entry], reason, grade_report_id=report.id)
    except BadUserInput as error:
        raise BadUserInput(error.message, argument="correctedMark") from error


async def grade_report_answer(
    ctx: Context, report_id: int, answer: str, corrected_mark: str | None = None
) -> m.GradeReport:
    report = await ctx.db.scalar(
        select(m.GradeReport).where(
            m.GradeReport.id == report_id, ctx.loaders.readable(m.GradeReport)
        )
    )
    if report is None:
        raise NotFound("No such report, or it is not visible to you.")
    await require_writes(ctx, Resource.GRADE_REPORT, m.GradeReport, [report.id], existing=True)
    text = _text(answer, "answer")
    if report.status is not m.GradeReportStatus.OPEN:
        raise Conflict("The report is answered already.")
    before = snapshot(report)
    if corrected_mark is not None:
        await _correct(ctx, report, corrected_mark, text)
    touched = await ctx.db.write(
        update(m.GradeReport)
        .where(m.GradeReport.id == report.id, m.GradeReport.status == m.GradeReportStatus.OPEN)
        .values(
            status=m.GradeReportStatus.ANSWERED,
            answer=text,
            resolved_by_id=ctx.require_principal().account_id,
            resolved_at=utc_now(),
        )
    )
    if touched != 1:
        raise Conflict("The report is answered already.")
    answered = await ctx.db.reload(m.GradeReport, report.id)
    change = Changed(answered.school_id, m.GradeReport, answered.id, before, snapshot(answered))
    await record(ctx, [change])
    return answered
