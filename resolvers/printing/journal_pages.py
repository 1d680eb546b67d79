"""The class journal printed as the paper form lays it out (Б.2 #2, В.2 #2): for each subject
(a group: the whole class or a subgroup) spreads of a left page, students × lesson dates with
the marks and absences and, on the last spread, the period's final grades, and a right page,
the same lessons with their topics, homework and a column for the teacher's signature.

The data is the screens' own: a subject's pages are `screens.grade_grid`'s rows, a whole
class's are `screens.class_journal`'s, so rows are filtered by the same policies. Only held
lessons are printed (and any other one with a mark in it): a planned lesson has nothing to
print yet, a cancelled one was not given. The printed journal is whole pages: a student or
parent, who reads only their own row of a page, prints their diary instead (`journal_page`
rules), and a teacher only the journals they keep.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, exists, select

import model as m
from policies.vocabulary import Action, Resource
from policies.wording import not_allowed
from resolvers.context import Context
from resolvers.database import AnyRow
from resolvers.errors import Forbidden, NotFound
from resolvers.people.names import short_name_of
from resolvers.printing import journal_pages_layout as marks
from resolvers.printing.journal_pages_layout import Header, Journal
from resolvers.printing.pdf import render_pdf
from resolvers.screens import class_journal as class_journals
from resolvers.screens import journal_cells
from resolvers.screens.grade_grid import GradeGridAnswer, GradeGridRows, grade_grid
from resolvers.screens.journal_cells import period_dates, require_visible
from resolvers.setup.classes import STUDENT_ORDER, group_membership

# Date columns on a page: the paper form has 25 or so; two-digit marks and «н» stay readable.
COLUMNS = 24
NOT_PRINTABLE = "There are no journal pages of this group and subject that you may print."


async def grid_pdf(ctx: Context, pages: GradeGridAnswer | None) -> bytes:
    assert pages is not None, "the grade grid's field gives its rows"
    return await subject_journal_pdf(
        ctx, pages.group_id, pages.subject_id, pages.period_id, rows=pages.rows
    )


def may_print(ctx: Context) -> bool:
    """The caller's roles print journal pages somewhere."""
    return ctx.policy.allows(ctx.require_principal(), Resource.JOURNAL_PAGE, Action.READ)


def require_printing(ctx: Context) -> None:
    """`may_print`, or FORBIDDEN (the GraphQL fields check it too; a job calls these
    functions directly)."""
    if not may_print(ctx):
        raise Forbidden(
            not_allowed(Resource.JOURNAL_PAGE, Action.READ),
            resource=Resource.JOURNAL_PAGE.value,
            action=Action.READ.value,
        )


def _school_header(period_id: int, class_of: Any) -> Any:
    """School, class and period names for a class (a column or subquery of its id)."""
    return (
        select(
            m.School.short_name,
            m.School.name,
            m.SchoolClass.parallel,
            m.SchoolClass.letter,
            m.Period.name,
            m.Period.starts_on,
            m.Period.ends_on,
        )
        .join(m.School, m.School.id == m.SchoolClass.school_id)
        .join(m.Period, m.Period.id == period_id)
        .where(m.SchoolClass.id == class_of)
    )


def _header(row: AnyRow) -> Header:
    short, name, parallel, letter, period, starts_on, ends_on = row[:7]
    return Header(short or name, f"{parallel}{letter}", period, starts_on, ends_on)


def _teachers(ctx: Context, groups: Any) -> Any:
    """(group_id, subject_id, last, first, middle) of the groups' timetable teachers, newest
    entries last: a page names the teacher who teaches the subject now."""
    entry = m.TimetableEntry
    return (
        select(entry.group_id, entry.subject_id, *journal_cells.PERSON_NAME[1:])
        .join(m.Person, and_(m.Person.id == entry.teacher_id, ctx.loaders.readable(m.Person)))
        .where(ctx.loaders.readable(entry), entry.group_id.in_(groups))
        .order_by(entry.valid_from, entry.id)
    )


def _finals(ctx: Context, period_id: int, students: Any) -> Any:
    """(student_id, subject_id, mark or special) of the period's final grades."""
    grade = m.FinalGrade
    return select(grade.student_id, grade.subject_id, grade.mark, grade.special).where(
        ctx.loaders.readable(grade), grade.period_id == period_id, grade.student_id.in_(students)
    )


def _final_marks(rows: Sequence[AnyRow], subject_id: int) -> dict[int, str]:
    return {
        student: marks.final_mark(mark, special)
        for student, subject, mark, special in rows
        if subject == subject_id
    }


def _name(last: str | None, first: str | None, middle: str | None) -> str | None:
    return None if last is None else short_name_of(last, first, middle)


async def subject_journal_pdf(
    ctx: Context,
    group_id: int,
    subject_id: int,
    period_id: int,
    rows: GradeGridRows | None = None,
) -> bytes:
    """A subject's journal pages in a period, from its grade grid's rows (read here unless
    given): the grid's five statements, then three (names and the right to print, final
    grades, homework)."""
    require_printing(ctx)
    if rows is None:
        rows = await grade_grid(ctx, group_id, subject_id, period_id)
    group = m.Group
    printable = exists().where(
        m.Lesson.group_id == group_id,
        m.Lesson.subject_id == subject_id,
        ctx.loaders.readable(m.Lesson, Resource.JOURNAL_PAGE),
    )
    names = _school_header(
        period_id, select(group.school_class_id).where(group.id == group_id).scalar_subquery()
    )
    statement = names.add_columns(
        select(m.Subject.name).where(m.Subject.id == subject_id).scalar_subquery(),
        select(group.name).where(group.id == group_id, group.kind != m.GroupKind.WHOLE_CLASS)
        .scalar_subquery(),
        printable,
    )  # fmt: skip
    found = await ctx.db.rows(statement)
    if not found or not found[0][-1]:
        raise NotFound(NOT_PRINTABLE)
    header, (subject, subgroup, _) = _header(found[0]), found[0][7:]
    students = [row[:4] for row in rows.students]
    teachers = await ctx.db.rows(_teachers(ctx, select(group.id).where(group.id == group_id)))
    lesson_ids = [row[0] for row in rows.lessons]
    finals = await ctx.db.rows(_finals(ctx, period_id, [row[0] for row in students]))
    homework = await ctx.db.rows(
        journal_cells.homework_statement(
            ctx, journal_cells.lesson_ids(ctx, [m.Lesson.id.in_(lesson_ids)])
        )
    )
    journal = Journal(
        subject=subject,
        group=subgroup,
        teacher=next((_name(*t[2:]) for t in reversed(teachers) if t[1] == subject_id), None),
        students=students,
        lessons=rows.lessons,
        grades=rows.grades,
        attendance=rows.attendance,
        homework=homework,
        finals=_final_marks(finals, subject_id),
    )
    return await render_pdf("journal_pages.typ", marks.document(header, [journal], COLUMNS))


def _chunks(starts_on: date, ends_on: date) -> list[tuple[date, date]]:
    """The period in pages of the class journal screen (93 days at most each)."""
    chunks, day = [], starts_on
    while day <= ends_on:
        last = min(ends_on, day + timedelta(days=class_journals.MAX_DAYS - 1))
        chunks.append((day, last))
        day = last + timedelta(days=1)
    return chunks


async def class_journal_pdf(ctx: Context, class_id: int, period_id: int) -> bytes:
    """Every subject (group) of a class in a period, one after another by subject name, from
    the class journal screen's rows: its six statements per 93 days of the period (a quarter
    one page of it, the year four), and four more (the period and names, the groups'
    students, their teachers, the final grades) — never a statement per subject."""
    require_printing(ctx)
    starts_on, ends_on = await require_visible(
        ctx, {m.SchoolClass: class_id}, *period_dates(ctx, period_id)
    )
    pages = [
        await class_journals.class_journal(ctx, class_id, first, last)
        for first, last in _chunks(starts_on, ends_on)
    ]
    lesson_rows = [row for page in pages for row in page.lessons]
    [header_row] = await ctx.db.rows(_school_header(period_id, class_id))
    header = _header(header_row)
    groups = select(m.Group.id).where(m.Group.school_class_id == class_id)
    membership = group_membership(groups).subquery()
    members = await ctx.db.rows(
        select(membership.c.group_id, *journal_cells.PERSON_NAME, m.Group.name, m.Group.kind)
        .join(m.Person, m.Person.id == membership.c.student_id)
        .join(m.Group, m.Group.id == membership.c.group_id)
        .where(ctx.loaders.readable(m.Person))
        .order_by(membership.c.group_id, *STUDENT_ORDER)
    )
    teachers = await ctx.db.rows(_teachers(ctx, groups))
    finals = await ctx.db.rows(_finals(ctx, period_id, select(membership.c.student_id)))
    journals = _class_journals(pages, lesson_rows, members, teachers, finals)
    return await render_pdf("journal_pages.typ", marks.document(header, journals, COLUMNS))


def _class_journals(
    pages: Sequence[class_journals.ClassJournalRows],
    lesson_rows: Sequence[AnyRow],
    members: Sequence[AnyRow],
    teachers: Sequence[AnyRow],
    finals: Sequence[AnyRow],
) -> list[Journal]:
    students: dict[int, list[Sequence[Any]]] = {}
    subgroup: dict[int, str | None] = {}
    for group_id, *person, name, kind in members:
        students.setdefault(group_id, []).append(person)
        subgroup[group_id] = None if kind == m.GroupKind.WHOLE_CLASS else name
    teacher = {(t[0], t[1]): _name(*t[2:]) for t in teachers}
    pairs: dict[tuple[int, int], tuple[str, list[AnyRow]]] = {}
    for row in lesson_rows:
        group_id, subject_id = row[5], row[6]
        subject = row[8] if row[8] is not None else "—"
        pairs.setdefault((group_id, subject_id), (subject, []))[1].append(row)
    grades = [row for page in pages for row in page.grades]
    attendance = [row for page in pages for row in page.attendance]
    homework = [row for page in pages for row in page.homework]
    journals = []
    for (group_id, subject_id), (subject, lessons) in sorted(
        pairs.items(), key=lambda pair: (pair[1][0], subgroup.get(pair[0][0]) or "")
    ):
        ids = {lesson[0] for lesson in lessons}
        journals.append(
            Journal(
                subject=subject,
                group=subgroup.get(group_id),
                teacher=teacher.get((group_id, subject_id)),
                students=students.get(group_id, []),
                lessons=lessons,
                grades=[row for row in grades if row[1] in ids],
                attendance=[row for row in attendance if row[1] in ids],
                homework=[row for row in homework if row[1] in ids],
                finals=_final_marks(finals, subject_id),
            )
        )
    return journals
