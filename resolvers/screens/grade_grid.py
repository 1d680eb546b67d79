"""The class grade grid: a group's students × its lessons of one subject in one period, with
grades, attendance and each student's averages — the teacher's main screen (issue 5).

Five statements whatever the class or the period: the targets' existence, students with
their averages, lessons with their kinds of work, grades, attendance. Everything is filtered for
the caller.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

import model as m
from resolvers.context import Context
from resolvers.database import AnyRow, AnySelect
from resolvers.journal.lessons import JournalFilter, lesson_conditions
from resolvers.kept import kept
from resolvers.screens import journal_cells
from resolvers.screens.averages import averages_statement, mean
from resolvers.screens.journal_cells import require_visible_in_period
from resolvers.setup.classes import STUDENT_ORDER, group_membership


@dataclass(frozen=True, slots=True)
class Averages:
    average: Decimal
    weighted_average: Decimal


@dataclass(frozen=True, slots=True)
class GradeGridRows:
    students: Sequence[AnyRow]
    lessons: Sequence[AnyRow]
    grades: Sequence[AnyRow]
    attendance: Sequence[AnyRow]
    averages: dict[int, Averages]


@dataclass(frozen=True, slots=True)
class GradeGridAnswer:
    """A grid as read, with what it is the grid of: what its files and printed pages take."""

    rows: GradeGridRows
    group_id: int
    subject_id: int
    period_id: int


@dataclass(frozen=True, slots=True)
class GridStatements:
    students: AnySelect
    lessons: AnySelect
    grades: AnySelect
    attendance: AnySelect


async def grade_grid(ctx: Context, group_id: int, subject_id: int, period_id: int) -> GradeGridRows:
    starts_on, ends_on = await require_visible_in_period(
        ctx, {m.Group: group_id, m.Subject: subject_id}, period_id
    )
    f = JournalFilter(
        group_id=group_id, subject_id=subject_id, date_from=starts_on, date_to=ends_on
    )
    statements = kept(ctx, ("grade grid", f), lambda: _statements(ctx, f))
    student_rows = await ctx.db.columns(statements.students)
    return GradeGridRows(
        students=student_rows,
        lessons=await ctx.db.columns(statements.lessons),
        grades=await ctx.db.columns(statements.grades),
        attendance=await ctx.db.columns(statements.attendance),
        averages={
            row[0]: Averages(mean(total, count), mean(weighted, weights))
            for row in student_rows
            for total, count, weighted, weights in [row[4:]]
            if count
        },
    )


def _statements(ctx: Context, f: JournalFilter) -> GridStatements:
    assert f.group_id is not None
    conditions = lesson_conditions(f, by_student_groups=False)
    lessons = journal_cells.lesson_ids(ctx, conditions)
    membership = group_membership([f.group_id]).subquery()
    # Materialized: summed once, then joined to the students. As a subquery, PostgreSQL at
    # district scale misjudged it as one row and summed the grades again for every student.
    sums = averages_statement(ctx.loaders.readable(m.Grade), f).cte("sums")
    sums = sums.prefix_with("MATERIALIZED")
    student_id, _, *sum_columns = sums.c
    students = (
        select(*journal_cells.PERSON_NAME, *sum_columns)
        .outerjoin(sums, student_id == m.Person.id)
        .where(ctx.loaders.readable(m.Person), m.Person.id.in_(select(membership.c.student_id)))
        .order_by(*STUDENT_ORDER)
    )
    return GridStatements(
        students=students,
        lessons=journal_cells.lessons_statement(ctx, conditions, names=False),
        grades=journal_cells.grades_statement(ctx, lessons),
        attendance=journal_cells.attendance_statement(ctx, lessons),
    )
