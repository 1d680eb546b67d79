"""The class journal page: every lesson of a class's groups, in all subjects, over a range of
dates, with what was recorded in them — the class teacher's and the head's view (issue 5).

Six statements whatever the class size or the range.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

import model as m
from resolvers.context import Context
from resolvers.database import AnyRow, AnySelect
from resolvers.errors import BadUserInput
from resolvers.journal.lessons import JournalFilter, lesson_conditions
from resolvers.kept import kept
from resolvers.screens import journal_cells
from resolvers.screens.journal_cells import require_visible_kept

# A page is a term at most: a client pages through a year, it does not ask for it whole.
# The days are counted with both ends: 1 September to 2 December is 93 days.
MAX_DAYS = 93


@dataclass(frozen=True, slots=True)
class ClassJournalRows:
    students: Sequence[AnyRow]
    lessons: Sequence[AnyRow]
    homework: Sequence[AnyRow]
    grades: Sequence[AnyRow]
    attendance: Sequence[AnyRow]


def check_range(date_from: date, date_to: date, max_days: int) -> None:
    if date_to < date_from:
        raise BadUserInput("`dateTo` comes before `dateFrom`.", argument="dateTo")
    if (date_to - date_from).days + 1 > max_days:
        raise BadUserInput(
            f"A page covers {max_days} days at most, `dateFrom` and `dateTo` included; "
            "ask for the rest page by page.",
            argument="dateTo",
        )


async def class_journal(
    ctx: Context, class_id: int, date_from: date, date_to: date
) -> ClassJournalRows:
    check_range(date_from, date_to, MAX_DAYS)
    await require_visible_kept(ctx, None, {m.SchoolClass: class_id})
    f = JournalFilter(class_id=class_id, date_from=date_from, date_to=date_to)
    statements = kept(ctx, ("class journal", f), lambda: _statements(ctx, f))
    return ClassJournalRows(*[await ctx.db.columns(statement) for statement in statements])


def _statements(ctx: Context, f: JournalFilter) -> tuple[AnySelect, ...]:
    """The statements of `ClassJournalRows`' fields, in their order."""
    conditions = lesson_conditions(f, by_student_groups=False)
    lessons = journal_cells.lesson_ids(ctx, conditions)
    students = select(m.ClassStudent.student_id).where(m.ClassStudent.school_class_id == f.class_id)
    return (
        journal_cells.names_statement(ctx, students),
        journal_cells.lessons_statement(ctx, conditions),
        journal_cells.homework_statement(ctx, lessons),
        journal_cells.grades_statement(ctx, lessons),
        journal_cells.attendance_statement(ctx, lessons),
    )
