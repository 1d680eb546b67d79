"""The control of how journals are kept (R-CONTROL-1) as files: a line per teacher, class and
subject with what is missing past its deadline and what was entered late — the whole report,
not a page of it. Built from the screen's own answer (`resolvers.screens.journal_control`)."""

from dataclasses import dataclass

import model as m
from resolvers.context import Context
from resolvers.exports import headings
from resolvers.exports.sheets import Cell, Sheet
from resolvers.people import names
from resolvers.people.names import class_name
from resolvers.screens import journal_control
from resolvers.screens.journal_control import ControlFilter, ControlRow
from resolvers.screens.journal_facts import span

HEADER = (
    "Учитель", "Класс", "Предмет", "Уроков\nпроведено", "Без темы", "Без отметки\nпосещаемости",
    "Без оценок", "Без домашнего\nзадания", "Оценки\nс опозданием", "Посещаемость\nс опозданием",
    "Домашнее задание\nс опозданием", "Нет итоговых\nоценок",
)  # fmt: skip


@dataclass(frozen=True)
class JournalControlAnswer:
    rows: list[ControlRow]
    filter: ControlFilter


async def read(ctx: Context, f: ControlFilter) -> JournalControlAnswer:
    return JournalControlAnswer(await journal_control.journal_control(ctx, f), f)


def _figures(row: ControlRow) -> list[Cell]:
    return [row.lessons_held, row.lessons_without_topic, row.lessons_without_attendance,
            row.lessons_without_grades, row.lessons_without_homework, row.late_grades,
            row.late_attendance, row.late_homework, row.missing_final_grades]  # fmt: skip


async def journal_control_sheets(ctx: Context, answer: JournalControlAnswer) -> list[Sheet]:
    f, rows = answer.filter, answer.rows
    school = await headings.one(ctx, m.School, f.school_id)
    s = span(ctx.require_principal(), frozenset({f.school_id}), f.date_from, f.date_to)
    heading = "Контроль ведения журналов: " + headings.joined(
        headings.school_name(school), headings.days(s.date_from, s.date_to)
    )
    teachers = await headings.by_id(ctx, m.Person, (row.teacher_id for row in rows))
    classes = await headings.by_id(ctx, m.SchoolClass, (row.class_id for row in rows))
    subjects = await headings.by_id(ctx, m.Subject, (row.subject_id for row in rows))
    lines: list[list[Cell]] = []
    for row in rows:
        teacher = teachers.get(row.teacher_id)
        school_class = classes.get(row.class_id)
        subject = subjects.get(row.subject_id)
        lines.append([
            None if teacher is None else names.short_name(teacher),
            None if school_class is None else class_name(school_class),
            None if subject is None else subject.name,
            *_figures(row),
        ])  # fmt: skip
    return [Sheet(title="Контроль", heading=heading, header=HEADER, rows=lines, frozen_columns=3)]
