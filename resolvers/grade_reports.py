"""Wrong-grade reports (Е.1): a student or parent reports a grade within 3 days, the teacher
answers (correcting the grade through `gradesSet` if it was wrong)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select, update

import model as m
from model.base import utc_now
from policies.vocabulary import Resource
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, NotFound
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
    return report


async def grade_report_answer(ctx: Context, report_id: int, answer: str) -> m.GradeReport:
    report = await ctx.db.scalar(
        select(m.GradeReport).where(
            m.GradeReport.id == report_id, ctx.loaders.readable(m.GradeReport)
        )
    )
    if report is None:
        raise NotFound("No such report, or it is not visible to you.")
    await require_writes(ctx, Resource.GRADE_REPORT, m.GradeReport, [report.id], existing=True)
    text = _text(answer, "answer")
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
    return await ctx.db.reload(m.GradeReport, report.id)
