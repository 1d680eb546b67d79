"""What a school still lacks before its year starts (§4.1: set up by 5 September, R-SETUP-1):
the school year, its reporting periods, bells, classes and their class teachers, each class's
curriculum, teachers of its subjects, the timetable's weekly hours and the КТП. A fixed number
of statements, however large the school."""

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import distinct, exists, func, or_, select

import model as m
from policies.vocabulary import Resource
from resolvers.context import Context
from resolvers.errors import Forbidden, NotFound

SETUP_DAY = (9, 5)  # 5 September: the year's structure is entered by then (§4.1)


class SetupGap(enum.StrEnum):
    SCHOOL_YEAR = "school_year"
    PERIODS = "periods"
    BELLS = "bells"
    CLASSES = "classes"
    CLASS_TEACHER = "class_teacher"
    CURRICULUM = "curriculum"
    SUBJECT_TEACHER = "subject_teacher"
    TIMETABLE = "timetable"
    PLAN = "plan"


@dataclass(frozen=True)
class SetupItem:
    gap: SetupGap
    missing: str  # what is missing, naming it
    todo: str  # what to do about it
    school_class_id: int | None = None
    subject_id: int | None = None
    parallel: int | None = None


@dataclass(frozen=True)
class SchoolSetup:
    school_id: int
    school_year_id: int | None
    due_on: date | None
    items: list[SetupItem] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.items


PERIOD_WORDS = {
    m.PeriodKind.QUARTER: "quarters",
    m.PeriodKind.TRIMESTER: "trimesters",
    m.PeriodKind.HALF: "halves",
    m.PeriodKind.YEAR: "the year as a period",
}


async def school_setup(ctx: Context, school_id: int) -> SchoolSetup:
    principal = ctx.require_principal()
    if school_id not in ctx.policy.report_schools(principal, Resource.SCHOOL_SETUP):
        school = await ctx.db.scalar(
            select(m.School.id).where(m.School.id == school_id, ctx.loaders.readable(m.School))
        )
        if school is None:
            raise NotFound("No such school, or it is not visible to you.")
        raise Forbidden("Only the school's admin and head read what its set-up still lacks.")
    timezone = await ctx.db.scalar(select(m.School.timezone).where(m.School.id == school_id))
    assert timezone is not None
    today = datetime.now(ZoneInfo(timezone)).date()
    year = await ctx.db.scalar(
        select(m.SchoolYear)
        .where(m.SchoolYear.school_id == school_id, m.SchoolYear.ends_on >= today)
        .order_by(m.SchoolYear.starts_on)
        .limit(1)
    )
    if year is None:
        item = SetupItem(
            SetupGap.SCHOOL_YEAR,
            "No school year is current or coming.",
            "Enter the coming school year with its first and last day.",
        )
        return SchoolSetup(school_id, None, None, [item])
    items = [
        *await _periods(ctx, year),
        *await _bells(ctx, school_id),
        *await _classes(ctx, year, today),
    ]
    return SchoolSetup(school_id, year.id, date(year.starts_on.year, *SETUP_DAY), items)


async def _periods(ctx: Context, year: m.SchoolYear) -> list[SetupItem]:
    """Every kind of period the year's classes are graded by has its periods (quarters while
    there are no classes yet)."""
    used = set(
        await ctx.db.scalars(
            select(m.SchoolClass.period_kind)
            .distinct()
            .where(m.SchoolClass.school_year_id == year.id)
        )
    ) or {m.PeriodKind.QUARTER}
    entered = set(
        await ctx.db.scalars(
            select(m.Period.kind).distinct().where(m.Period.school_year_id == year.id)
        )
    )
    return [
        SetupItem(
            SetupGap.PERIODS,
            f"The school year {year.name} has no {PERIOD_WORDS[kind]}: classes are graded by them.",
            f"Enter the {PERIOD_WORDS[kind]} of {year.name}, each with its first and last day,"
            " inside the year and not overlapping.",
        )
        for kind in sorted(used - entered)
    ]


async def _bells(ctx: Context, school_id: int) -> list[SetupItem]:
    in_use = select(m.BellSchedule.id).where(
        m.BellSchedule.school_id == school_id, m.BellSchedule.archived_at.is_(None)
    )
    bells = await ctx.db.scalar(
        select(func.count()).select_from(m.Bell).where(m.Bell.bell_schedule_id.in_(in_use))
    )
    if bells:
        return []
    return [
        SetupItem(
            SetupGap.BELLS,
            "The school has no bell schedule (расписание звонков) with its bells.",
            "Enter a bell schedule: each lesson's number, start and end.",
        )
    ]


async def _classes(ctx: Context, year: m.SchoolYear, today: date) -> list[SetupItem]:
    """The year's classes, each with its curriculum: in one statement."""
    on = max(today, year.starts_on)
    class_groups = select(m.Group.id).where(
        m.Group.school_class_id == m.SchoolClass.id, m.Group.archived_at.is_(None)
    )
    slots = (
        select(func.count(distinct(m.TimetableEntry.weekday * 16 + m.TimetableEntry.bell_number)))
        .where(
            m.TimetableEntry.school_year_id == year.id,
            m.TimetableEntry.subject_id == m.SubjectClass.subject_id,
            m.TimetableEntry.group_id.in_(class_groups),
            m.TimetableEntry.valid_from <= on,
            or_(m.TimetableEntry.valid_to.is_(None), m.TimetableEntry.valid_to >= on),
        )
        .scalar_subquery()
    )
    teacher = exists().where(m.SubjectTeacher.subject_id == m.SubjectClass.subject_id)
    plan = exists().where(
        m.Plan.school_year_id == year.id,
        m.Plan.subject_id == m.SubjectClass.subject_id,
        m.Plan.parallel == m.SchoolClass.parallel,
        m.Plan.archived_at.is_(None),
    )
    taught_subjects = select(m.Subject.id).where(m.Subject.archived_at.is_(None))
    rows = await ctx.db.rows(
        select(
            m.SchoolClass.id,
            m.SchoolClass.parallel,
            m.SchoolClass.letter,
            m.SchoolClass.class_teacher_id,
            m.SubjectClass.subject_id,
            m.Subject.name,
            m.SubjectClass.hours_per_week,
            slots,
            teacher,
            plan,
        )
        .select_from(m.SchoolClass)
        .outerjoin(
            m.SubjectClass,
            (m.SubjectClass.school_class_id == m.SchoolClass.id)
            & m.SubjectClass.subject_id.in_(taught_subjects),
        )
        .outerjoin(m.Subject, m.Subject.id == m.SubjectClass.subject_id)
        .where(m.SchoolClass.school_year_id == year.id, m.SchoolClass.archived_at.is_(None))
        .order_by(m.SchoolClass.parallel, m.SchoolClass.letter, m.Subject.name)
    )
    if not rows:
        return [
            SetupItem(
                SetupGap.CLASSES,
                f"The school year {year.name} has no classes.",
                "Enter the year's classes (parallel and letter), each with its class teacher.",
            )
        ]
    items: list[SetupItem] = []
    seen_classes: set[int] = set()
    untaught: set[int] = set()
    unplanned: set[tuple[int, int]] = set()
    for row in rows:
        class_id, parallel, letter, class_teacher, subject_id, subject, hours = row[:7]
        held, taught, planned = row[7:]
        name = f"{parallel}{letter}"
        if class_id not in seen_classes:
            seen_classes.add(class_id)
            if class_teacher is None:
                items.append(
                    SetupItem(
                        SetupGap.CLASS_TEACHER,
                        f"{name} has no class teacher (классный руководитель).",
                        f"Name the class teacher of {name}.",
                        school_class_id=class_id,
                    )
                )
            if subject_id is None:
                items.append(
                    SetupItem(
                        SetupGap.CURRICULUM,
                        f"{name} has no subjects in its curriculum (учебный план).",
                        f"Enter the subjects {name} is taught, with their hours per week.",
                        school_class_id=class_id,
                    )
                )
        if subject_id is None or not hours:
            continue
        if not taught and subject_id not in untaught:
            untaught.add(subject_id)
            items.append(
                SetupItem(
                    SetupGap.SUBJECT_TEACHER,
                    f"{subject} has no teacher.",
                    f"Name the teachers who teach {subject}.",
                    subject_id=subject_id,
                )
            )
        if held < hours:
            items.append(
                SetupItem(
                    SetupGap.TIMETABLE,
                    f"{name} has {held} of its {hours} weekly lessons of {subject} in the"
                    " timetable.",
                    f"Enter the missing {hours - held} in the timetable of {name}.",
                    school_class_id=class_id,
                    subject_id=subject_id,
                )
            )
        if not planned and (subject_id, parallel) not in unplanned:
            unplanned.add((subject_id, parallel))
            items.append(
                SetupItem(
                    SetupGap.PLAN,
                    f"{subject} in parallel {parallel} has no КТП for {year.name}.",
                    f"The teachers of {subject} write or import its КТП.",
                    subject_id=subject_id,
                    parallel=parallel,
                )
            )
    return items
