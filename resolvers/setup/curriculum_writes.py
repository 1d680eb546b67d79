"""The admin keeps the school's subjects (with «без аттестации» and their grade scale, §4.8),
its kinds of graded work (weight, checking days) and its grade scales with their marks
(А #16). What grades, lessons or plans used is archived, never deleted (item 5)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, or_, select

import model as m
from policies.vocabulary import Resource
from resolvers import records
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.setup.reference_checks import existing, filled, names_free, school, usable
from resolvers.write_checks import require_writes

MAX_WEIGHT = Decimal(10)
MAX_CHECKING_DAYS = 30


# Subjects


def _subject_values(values: dict[str, Any]) -> dict[str, Any]:
    if "name" in values:
        values["name"] = filled(values["name"], "name", "A subject's name")
    if "short_name" in values:
        values["short_name"] = filled(values["short_name"], "shortName", "A short name")
    return values


async def subject_create(ctx: Context, school_id: int, values: dict[str, Any]) -> m.Subject:
    found = await school(ctx, school_id)
    values = _subject_values(values)
    await usable(
        ctx, m.GradeScale, [values["grade_scale_id"]], found.id, "grade scale", "gradeScaleId"
    )
    await names_free(ctx, m.Subject, m.Subject.school_id == found.id, [values["name"]], "A subject")
    (subject,) = await records.create(
        ctx, Resource.CURRICULUM, m.Subject, [{"school_id": found.id, **values}]
    )
    return subject


async def subject_update(ctx: Context, subject_id: int, values: dict[str, Any]) -> m.Subject:
    subject: m.Subject = await existing(ctx, m.Subject, subject_id, "subject")
    values = _subject_values(values)
    if "grade_scale_id" in values:
        await usable(
            ctx, m.GradeScale, [values["grade_scale_id"]], subject.school_id, "grade scale",
            "gradeScaleId",
        )  # fmt: skip
    if "name" in values:
        among = m.Subject.school_id == subject.school_id
        await names_free(ctx, m.Subject, among, [values["name"]], "A subject", except_id=subject.id)
    if not values:
        raise BadUserInput("Nothing to change.", argument="input")
    return await records.change(ctx, Resource.CURRICULUM, m.Subject, subject.id, values)


def subject_in_use(subject_id: int) -> ColumnElement[bool]:
    """Taught (lessons, the timetable, its changes), graded for a period, planned (КТП) or
    given its own groups."""
    return or_(
        exists().where(m.Lesson.subject_id == subject_id),
        exists().where(m.TimetableEntry.subject_id == subject_id),
        exists().where(m.TimetableChange.subject_id == subject_id),
        exists().where(m.FinalGrade.subject_id == subject_id),
        exists().where(m.PeriodReopening.subject_id == subject_id),
        exists().where(m.Plan.subject_id == subject_id),
        exists().where(m.Group.subject_id == subject_id),
    )


LINKS: tuple[type[Any], ...] = (m.SubjectTeacher, m.SubjectRoom, m.SubjectClass)


async def subject_remove(ctx: Context, subject_id: int) -> records.Removal:
    """An unused subject goes with its links (audited); a used one is archived and keeps them."""
    subject: m.Subject = await existing(ctx, m.Subject, subject_id, "subject")
    used = await ctx.db.scalar(select(subject_in_use(subject.id)))
    if not used:
        await require_writes(ctx, Resource.CURRICULUM, m.Subject, [subject.id], existing=True)
        gone: list[Changed] = []
        for link in LINKS:
            rows = await ctx.db.scalars(select(link).where(link.subject_id == subject.id))
            gone += [Changed(subject.school_id, link, row.id, snapshot(row), None) for row in rows]
            await ctx.db.write(delete(link).where(link.subject_id == subject.id))
        if gone:
            await record(ctx, gone)
    return await records.remove(
        ctx, Resource.CURRICULUM, m.Subject, subject.id, in_use=subject_in_use(subject.id)
    )


# Work types


@dataclass(frozen=True)
class WorkTypeEntry:
    name: str
    short_name: str
    weight: Decimal
    checking_days: int = 2


def _work_type_values(values: dict[str, Any]) -> dict[str, Any]:
    if "name" in values:
        values["name"] = filled(values["name"], "name", "A kind of work's name")
    if "short_name" in values:
        values["short_name"] = filled(values["short_name"], "shortName", "A short name")
    if "weight" in values:
        weight = values["weight"]
        if not (0 < weight <= MAX_WEIGHT) or weight != round(weight, 2):
            raise BadUserInput(
                f"A weight is more than 0 and at most {MAX_WEIGHT}, with two decimals at most.",
                field="weight",
            )
    if "checking_days" in values and not 0 <= values["checking_days"] <= MAX_CHECKING_DAYS:
        raise BadUserInput(f"Checking takes 0 to {MAX_CHECKING_DAYS} days.", field="checkingDays")
    return values


async def work_type_create(ctx: Context, school_id: int, entry: WorkTypeEntry) -> m.WorkType:
    found = await school(ctx, school_id)
    values = _work_type_values(dict(entry.__dict__))
    among = m.WorkType.school_id == found.id
    await names_free(ctx, m.WorkType, among, [values["name"]], "A kind of work")
    (work_type,) = await records.create(
        ctx, Resource.CURRICULUM, m.WorkType, [{"school_id": found.id, **values}]
    )
    return work_type


async def work_type_update(ctx: Context, work_type_id: int, values: dict[str, Any]) -> m.WorkType:
    work_type: m.WorkType = await existing(ctx, m.WorkType, work_type_id, "kind of work")
    values = _work_type_values(values)
    if "name" in values:
        among = m.WorkType.school_id == work_type.school_id
        await names_free(
            ctx, m.WorkType, among, [values["name"]], "A kind of work", except_id=work_type.id
        )
    if not values:
        raise BadUserInput("Nothing to change.", argument="input")
    return await records.change(ctx, Resource.CURRICULUM, m.WorkType, work_type.id, values)


def work_type_in_use(work_type_id: int) -> ColumnElement[bool]:
    """Graded (its grades and their change log), given in a lesson or planned in a КТП."""
    return or_(
        exists().where(m.Grade.work_type_id == work_type_id),
        exists().where(m.GradeChange.work_type_id == work_type_id),
        exists().where(m.LessonWorkType.work_type_id == work_type_id),
        exists().where(m.PlanItem.work_type_id == work_type_id),
    )


async def work_type_remove(ctx: Context, work_type_id: int) -> records.Removal:
    work_type: m.WorkType = await existing(ctx, m.WorkType, work_type_id, "kind of work")
    return await records.remove(
        ctx, Resource.CURRICULUM, m.WorkType, work_type.id, in_use=work_type_in_use(work_type.id)
    )
