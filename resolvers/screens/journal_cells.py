"""What a set of lessons recorded, read as flat rows for grids, journal pages and diaries.

A screen's lessons are given as conditions on `lesson`; every kind of record is then one
statement over those lessons (the lessons' subquery inside it), so a screen costs the same number
of statements for 10 students or 40, for one term or three. Rows come back as plain tuples:
nothing here builds ORM instances, which the hot read paths cannot afford (issue 5).
"""

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, null, or_, select

import model as m
from resolvers.context import Context
from resolvers.database import AnyRow, AnySelect
from resolvers.errors import NotFound
from resolvers.kept import kept
from resolvers.setup.classes import STUDENT_ORDER

# The teacher who actually gave the lesson: the substitute when there was one.
TEACHER = func.coalesce(m.Lesson.substitute_id, m.Lesson.teacher_id)
PERSON_NAME = (m.Person.id, m.Person.last_name, m.Person.first_name, m.Person.middle_name)


# What a screen's target is called in a refusal: the school's word, not the table's.
TARGET_WORDS: dict[type[m.Base], str] = {
    m.School: "school",
    m.SchoolClass: "class",
    m.Group: "group",
    m.Subject: "subject",
    m.Person: "student",
    m.Lesson: "lesson",
}
NO_SUCH_PERIOD = "There is no such period, or you may not see it."


async def require_visible(
    ctx: Context,
    targets: dict[type[m.Base], int],
    *also: ColumnElement[Any],
    missing: str = NO_SUCH_PERIOD,
) -> tuple[Any, ...]:
    """One statement: each target exists and the caller may read it, or `NOT_FOUND`; the
    values of `also` (see `period_dates`) come back from the same statement, `missing` the
    refusal when one of them is null."""
    return await _visible(ctx, targets, _visible_statement(ctx, targets, also), missing)


async def require_visible_kept(
    ctx: Context,
    key: Hashable,
    targets: dict[type[m.Base], int],
    also: Callable[[], Sequence[ColumnElement[Any]]] = tuple,
    missing: str = NO_SUCH_PERIOD,
) -> tuple[Any, ...]:
    """`require_visible`, its statement kept for the caller (resolvers/kept.py): `key` names
    what `also` builds."""
    targeted = tuple((entity.__name__, row_id) for entity, row_id in targets.items())
    statement = kept(
        ctx, ("visible", targeted, key), lambda: _visible_statement(ctx, targets, also())
    )
    return await _visible(ctx, targets, statement, missing)


async def require_visible_in_period(
    ctx: Context, targets: dict[type[m.Base], int], period_id: int
) -> tuple[Any, ...]:
    """`require_visible_kept` with the period's first and last day (`period_dates`)."""
    return await require_visible_kept(
        ctx, ("period", period_id), targets, lambda: period_dates(ctx, period_id)
    )


def _visible_statement(
    ctx: Context, targets: dict[type[m.Base], int], also: Sequence[ColumnElement[Any]]
) -> AnySelect:
    checks = [
        exists().where(entity.id == row_id, ctx.loaders.readable(entity))  # type: ignore[attr-defined]
        for entity, row_id in targets.items()
    ]
    return select(*checks, *also)


async def _visible(
    ctx: Context, targets: dict[type[m.Base], int], statement: AnySelect, missing: str
) -> tuple[Any, ...]:
    found = (await ctx.db.columns(statement))[0]
    for (entity, _), visible in zip(targets.items(), found, strict=False):
        if not visible:
            raise NotFound(f"There is no such {TARGET_WORDS[entity]}, or you may not see it.")
    values = tuple(found[len(targets) :])
    if any(value is None for value in values):
        raise NotFound(missing)
    return values


def period_dates(ctx: Context, period_id: int) -> list[ColumnElement[Any]]:
    """A readable period's first and last day, for `require_visible`. A screen bounds its
    lessons by these as values, not as subqueries: PostgreSQL then knows how many lessons a
    period holds, and plans the rest for that (at 20 schools a subquery bound made the
    overview 2.4× slower)."""
    period = select(m.Period).where(m.Period.id == period_id, ctx.loaders.readable(m.Period))
    return [
        period.with_only_columns(m.Period.starts_on).scalar_subquery(),
        period.with_only_columns(m.Period.ends_on).scalar_subquery(),
    ]


def lesson_ids(ctx: Context, conditions: Sequence[ColumnElement[bool]]) -> Select[Any]:
    """The readable lessons meeting `conditions`, as a subquery of ids."""
    return select(m.Lesson.id).where(ctx.loaders.readable(m.Lesson), *conditions)


def with_names(ctx: Context, statement: AnySelect, subject_id: Any, teacher_id: Any) -> AnySelect:
    """Adds (subject name, teacher's last, first, middle name) to the rows, each null where
    the caller may not read the subject or the person: names come with the rows that need
    them instead of costing statements of their own."""
    readable_subject = and_(m.Subject.id == subject_id, ctx.loaders.readable(m.Subject))
    readable_teacher = and_(m.Person.id == teacher_id, ctx.loaders.readable(m.Person))
    return (
        statement.add_columns(
            m.Subject.name, m.Person.last_name, m.Person.first_name, m.Person.middle_name
        )
        .outerjoin(m.Subject, readable_subject)
        .outerjoin(m.Person, readable_teacher)
    )


def lessons_statement(
    ctx: Context, conditions: Sequence[ColumnElement[bool]], *, names: bool = True
) -> AnySelect:
    """(id, held_on, bell_number, status, topic, group_id, subject_id, teacher_id,
    subject name, teacher's last, first and middle name, work_type_id, short_name, weight): a
    row per kind of work graded in a lesson, or one with nulls for a lesson without any,
    lessons in order (see `by_lesson`). Without `names`, the names are nulls: a grid, whose
    lessons are all of one subject and teacher, saves the joins and their row filters."""
    columns = select(
        m.Lesson.id,
        m.Lesson.held_on,
        m.Lesson.bell_number,
        m.Lesson.status,
        m.Lesson.topic,
        m.Lesson.group_id,
        m.Lesson.subject_id,
        TEACHER,
    )
    named = (
        with_names(ctx, columns, m.Lesson.subject_id, TEACHER)
        if names
        else columns.add_columns(null(), null(), null(), null())
    )
    return (
        named.add_columns(m.WorkType.id, m.WorkType.short_name, m.WorkType.weight)
        .outerjoin(m.LessonWorkType, m.LessonWorkType.lesson_id == m.Lesson.id)
        .outerjoin(m.WorkType, m.WorkType.id == m.LessonWorkType.work_type_id)
        .where(ctx.loaders.readable(m.Lesson), *conditions)
        .order_by(m.Lesson.held_on, m.Lesson.bell_number, m.Lesson.id, m.WorkType.id)
    )


WORK_TYPES_AT = 12  # where a `lessons` row's work type begins


LessonRows = tuple[tuple[Any, ...], tuple[Any, ...], list[tuple[Any, ...]]]


def by_lesson(rows: Sequence[AnyRow]) -> list[LessonRows]:
    """`lessons` rows as (the lesson's eight columns, the four of its subject's and teacher's
    names, its work types as (id, short_name, weight))."""
    grouped: list[LessonRows] = []
    for row in rows:
        if not grouped or grouped[-1][0][0] != row[0]:
            grouped.append((tuple(row[:8]), tuple(row[8:WORK_TYPES_AT]), []))
        if row[WORK_TYPES_AT] is not None:
            grouped[-1][2].append(tuple(row[WORK_TYPES_AT:]))
    return grouped


def grades_statement(ctx: Context, lessons: Select[Any]) -> AnySelect:
    return (
        select(
            m.Grade.id,
            m.Grade.lesson_id,
            m.Grade.student_id,
            m.Grade.work_type_id,
            m.Grade.mark,
            m.Grade.comment,
        )
        .where(ctx.loaders.readable(m.Grade), m.Grade.lesson_id.in_(lessons))
        .order_by(m.Grade.id)
    )


def student_grades_statement(ctx: Context, lessons: Select[Any], student_id: int) -> AnySelect:
    """A student's grades in the lessons, with their work type's short name and weight:
    (id, lesson_id, student_id, work_type_id, mark, comment, short_name, weight)."""
    return (
        grades_statement(ctx, lessons)
        .add_columns(m.WorkType.short_name, m.WorkType.weight)
        .join(m.WorkType, m.WorkType.id == m.Grade.work_type_id)
        .where(m.Grade.student_id == student_id)
    )


def attendance_statement(
    ctx: Context, lessons: Select[Any], student_id: int | None = None
) -> AnySelect:
    """(id, lesson_id, student_id, kind, late_minutes), of one student when given."""
    statement = (
        select(
            m.Attendance.id,
            m.Attendance.lesson_id,
            m.Attendance.student_id,
            m.Attendance.kind,
            m.Attendance.late_minutes,
        )
        .where(ctx.loaders.readable(m.Attendance), m.Attendance.lesson_id.in_(lessons))
        .order_by(m.Attendance.id)
    )
    if student_id is not None:
        statement = statement.where(m.Attendance.student_id == student_id)
    return statement


def homework_statement(
    ctx: Context, lessons: Select[Any], student_id: int | None = None
) -> AnySelect:
    """(id, lesson_id, text, pages, tasks, due_on, is_individual) readable by the caller, who
    sees an individual assignment only when the policies let them (its students, staff);
    with `student_id`, only what that student was set."""
    statement = (
        select(
            m.Homework.id,
            m.Homework.lesson_id,
            m.Homework.text,
            m.Homework.pages,
            m.Homework.tasks,
            m.Homework.due_on,
            m.Homework.is_individual,
        )
        .where(ctx.loaders.readable(m.Homework), m.Homework.lesson_id.in_(lessons))
        .order_by(m.Homework.id)
    )
    if student_id is not None:
        listed = select(m.HomeworkStudent.homework_id).where(
            m.HomeworkStudent.student_id == student_id
        )
        statement = statement.where(or_(~m.Homework.is_individual, m.Homework.id.in_(listed)))
    return statement


def names_statement(ctx: Context, people: Select[Any]) -> AnySelect:
    """(id, last_name, first_name, middle_name) of the readable people among `people` (ids)."""
    return (
        select(*PERSON_NAME)
        .where(ctx.loaders.readable(m.Person), m.Person.id.in_(people))
        .order_by(*STUDENT_ORDER)
    )
