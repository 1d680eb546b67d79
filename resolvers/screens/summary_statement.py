"""The summary statement (сводная ведомость, R-SUMMARY-1, §4.14): for a student over any days of
one reporting period (by default the past school week), per subject the lessons held, the
grades with their dates and kinds of work, the average and the weighted average, the lates and
the lessons missed, for a valid reason or not. Parents who opted out of the electronic service
are given it on paper (`printing/summary_statements.typ`).

One student or a whole class, in five statements whatever their number: the students, the
reporting period, the lessons held with the attendance per student and subject, the grades, the
averages (`screens.averages`, the grid's own figures). A lesson counts for a student on the days
they were placed in its class (and, for a subgroup, in the subgroup); everything is filtered for
the caller, as every screen is: a teacher sees the subjects they teach.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select

import model as m
from plugins import relations
from resolvers.context import Context
from resolvers.database import AnySelect
from resolvers.errors import BadUserInput, NotFound
from resolvers.journal.lessons import JournalFilter
from resolvers.people.names import day
from resolvers.screens.averages import averages_statement, mean
from resolvers.setup.classes import STUDENT_ORDER

MAX_DAYS = 366
VALID = (m.AttendanceKind.ABSENT_VALID, m.AttendanceKind.ILL)


@dataclass(frozen=True)
class GradeLine:
    held_on: date
    mark: str
    work_type: str
    weight: Decimal
    grade_id: int


@dataclass
class SubjectSummary:
    subject_id: int
    subject: str
    lessons_held: int = 0
    lates: int = 0
    missed_valid: int = 0
    missed_unexcused: int = 0
    grades: list[GradeLine] = field(default_factory=list)
    average: Decimal | None = None
    weighted_average: Decimal | None = None


@dataclass(frozen=True)
class Statement:
    student: m.Person
    school_class: m.SchoolClass | None
    subjects: list[SubjectSummary]

    def total(self, name: str) -> int:
        return sum(getattr(subject, name) for subject in self.subjects)


@dataclass(frozen=True)
class Statements:
    date_from: date
    date_to: date
    period: m.Period | None
    statements: list[Statement]


def past_school_week(today: date) -> tuple[date, date]:
    """Monday to Sunday of the week before this one."""
    monday = today - timedelta(days=today.weekday() + 7)
    return monday, monday + timedelta(days=6)


async def summary_statements(
    ctx: Context,
    *,
    class_id: int | None = None,
    student_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    paper_only: bool = False,
) -> Statements:
    if (class_id is None) == (student_id is None):
        raise BadUserInput("Name a class or a student, not both.", argument="classId")
    students = await _students(ctx, class_id, student_id, paper_only)
    if not students and student_id is not None:
        raise NotFound("There is no such student, or you may not see them.")
    school_id = next((row[1].school_id for row in students if row[1] is not None), None)
    defaulted = date_from is None and date_to is None
    if school_id is None:  # no student to show: nothing to bound either
        start, end = past_school_week((ctx.require_principal().now or datetime.now(UTC)).date())
        return Statements(date_from or start, date_to or end, None, [])
    if date_from is None or date_to is None:
        last_week = past_school_week(ctx.require_principal().scope(school_id).today)
        date_from, date_to = date_from or last_week[0], date_to or last_week[1]
    if date_from > date_to:
        raise BadUserInput("The days start after they end.", argument="dateFrom")
    if (date_to - date_from).days >= MAX_DAYS:
        raise BadUserInput("A statement covers at most a school year.", argument="dateFrom")
    period = await _period(ctx, school_id, date_to)
    if period is not None and date_from < period.starts_on:
        if not defaulted:
            raise BadUserInput(
                f"A statement covers days of one reporting period: {period.name} starts on "
                f"{day(period.starts_on)}.",
                argument="dateFrom",
            )
        date_from = period.starts_on  # the past week began in the period before
    ids = [row[0].id for row in students]
    subjects = await _lessons(ctx, ids, date_from, date_to)
    for (
        grade_id,
        student,
        subject_id,
        subject,
        held_on,
        mark,
        work_type,
        weight,
    ) in await ctx.db.rows(_grades(ctx, ids, date_from, date_to)):
        summary = _subject(subjects, student, subject_id, subject)
        summary.grades.append(GradeLine(held_on, mark, work_type, weight, grade_id))
    # The students' own grades wherever they were given (a student who moved kept theirs).
    graded = and_(ctx.loaders.readable(m.Grade), m.Grade.student_id.in_(ids))
    f = JournalFilter(date_from=date_from, date_to=date_to)
    for student, subject_id, total, count, weighted, weights in await ctx.db.rows(
        averages_statement(graded, f)
    ):
        if student in subjects and subject_id in subjects[student]:
            summary = subjects[student][subject_id]
            summary.average, summary.weighted_average = mean(total, count), mean(weighted, weights)
    return Statements(
        date_from,
        date_to,
        period,
        [
            Statement(
                person,
                school_class,
                sorted(
                    subjects.get(person.id, {}).values(), key=lambda s: (s.subject, s.subject_id)
                ),
            )
            for person, school_class in students
        ],
    )


def _by_name(summary: SubjectSummary) -> tuple[str, int]:
    return summary.subject, summary.subject_id


def _subject(
    subjects: dict[int, dict[int, SubjectSummary]], student: int, subject_id: int, name: str
) -> SubjectSummary:
    of_student = subjects.setdefault(student, {})
    if subject_id not in of_student:
        of_student[subject_id] = SubjectSummary(subject_id, name)
    return of_student[subject_id]


async def _students(
    ctx: Context, class_id: int | None, student_id: int | None, paper_only: bool
) -> list[tuple[m.Person, m.SchoolClass | None]]:
    """The students shown, each with their class (the newest placement), by name; a class
    must be visible to the caller. `paper_only`: those with a parent given statements on paper."""
    newest = (
        select(m.ClassStudent.school_class_id)
        .join(m.SchoolYear, m.SchoolYear.id == m.ClassStudent.school_year_id)
        .where(m.ClassStudent.student_id == m.Person.id)
        .order_by(m.SchoolYear.starts_on.desc(), m.ClassStudent.starts_on.desc())
        .limit(1)
        .correlate(m.Person)
        .scalar_subquery()
    )
    statement = (
        select(m.Person, m.SchoolClass)
        .outerjoin(m.SchoolClass, m.SchoolClass.id == newest)
        .where(ctx.loaders.readable(m.Person))
        .order_by(*STUDENT_ORDER)
    )
    if student_id is not None:
        statement = statement.where(
            m.Person.id == student_id, exists().where(m.ClassStudent.student_id == m.Person.id)
        )
    else:
        visible = exists().where(m.SchoolClass.id == class_id, ctx.loaders.readable(m.SchoolClass))
        if not await ctx.db.scalar(select(visible)):
            raise NotFound("There is no such class, or you may not see it.")
        statement = statement.where(
            m.Person.id.in_(
                select(m.ClassStudent.student_id).where(m.ClassStudent.school_class_id == class_id)
            )
        )
    if paper_only:
        paper = select(m.Guardianship.child_id).join(
            m.Person, m.Person.id == m.Guardianship.parent_id
        )
        statement = statement.where(m.Person.id.in_(paper.where(m.Person.paper_statements)))
    return [(row[0], row[1]) for row in await ctx.db.rows(statement)]


async def _period(ctx: Context, school_id: int, on: date) -> m.Period | None:
    """The shortest reporting period of the school holding the day (a quarter before its half)."""
    return await ctx.db.scalar(
        select(m.Period)
        .where(m.Period.school_id == school_id, m.Period.starts_on <= on, m.Period.ends_on >= on)
        .order_by(m.Period.ends_on - m.Period.starts_on, m.Period.id)
        .limit(1)
    )


def _placed(student: Any) -> ColumnElement[bool]:
    """The lesson's day was one the student was placed in its class, and in its subgroup."""
    in_class = exists().where(
        m.ClassStudent.student_id == student,
        m.ClassStudent.school_class_id == m.Group.school_class_id,
        or_(m.ClassStudent.starts_on.is_(None), m.ClassStudent.starts_on <= m.Lesson.held_on),
        or_(m.ClassStudent.ends_on.is_(None), m.ClassStudent.ends_on >= m.Lesson.held_on),
    )
    in_group = or_(
        m.Group.kind == m.GroupKind.WHOLE_CLASS,
        exists().where(m.GroupStudent.group_id == m.Group.id, m.GroupStudent.student_id == student),
    )
    return and_(in_class, in_group)


async def _lessons(
    ctx: Context, ids: Sequence[int], date_from: date, date_to: date
) -> dict[int, dict[int, SubjectSummary]]:
    """Per student and subject: the lessons held and their absences, in one statement."""
    student = m.Person.id
    attendance = m.Attendance
    kind = attendance.kind
    statement = (
        select(
            student,
            m.Subject.id,
            m.Subject.name,
            func.count(m.Lesson.id),
            func.sum(case((kind == m.AttendanceKind.LATE, 1), else_=0)),
            func.sum(case((kind.in_(VALID), 1), else_=0)),
            func.sum(case((kind == m.AttendanceKind.ABSENT_UNEXCUSED, 1), else_=0)),
        )
        .select_from(m.Person)
        .join(m.Lesson, m.Lesson.status == m.LessonStatus.HELD)
        .join(m.Group, m.Group.id == m.Lesson.group_id)
        .join(m.Subject, m.Subject.id == m.Lesson.subject_id)
        .outerjoin(
            attendance,
            and_(
                attendance.lesson_id == m.Lesson.id,
                attendance.student_id == student,
                ctx.loaders.readable(attendance),
            ),
        )
        .where(
            student.in_(list(ids)),
            m.Lesson.group_id.in_(
                relations.groups_of_students(select(m.Person.id).where(m.Person.id.in_(list(ids))))
            ),
            m.Lesson.held_on.between(date_from, date_to),
            ctx.loaders.readable(m.Lesson),
            _placed(student),
        )
        .group_by(student, m.Subject.id, m.Subject.name)
    )
    subjects: dict[int, dict[int, SubjectSummary]] = defaultdict(dict)
    for person, subject_id, name, held, lates, valid, unexcused in await ctx.db.rows(statement):
        subjects[person][subject_id] = SubjectSummary(
            subject_id, name, held, lates or 0, valid or 0, unexcused or 0
        )
    return subjects


def _grades(ctx: Context, ids: Sequence[int], date_from: date, date_to: date) -> AnySelect:
    return (
        select(
            m.Grade.id,
            m.Grade.student_id,
            m.Subject.id,
            m.Subject.name,
            m.Lesson.held_on,
            m.Grade.mark,
            m.WorkType.name,
            m.WorkType.weight,
        )
        .join(m.Lesson, m.Lesson.id == m.Grade.lesson_id)
        .join(m.Subject, m.Subject.id == m.Lesson.subject_id)
        .join(m.WorkType, m.WorkType.id == m.Grade.work_type_id)
        .where(
            m.Grade.student_id.in_(list(ids)),
            m.Lesson.held_on.between(date_from, date_to),
            ctx.loaders.readable(m.Grade),
        )
        .order_by(m.Grade.student_id, m.Lesson.held_on, m.Lesson.bell_number, m.Grade.id)
    )
