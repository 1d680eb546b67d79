"""A class journal page as files: the class's students × the lessons of every subject over the
days, with marks and absences, then the lessons with their subject, teacher, topic and
homework. Built from the screen's own answer (`resolvers.screens.class_journal`)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import model as m
from resolvers.context import Context
from resolvers.database import AnyRow
from resolvers.exports import headings
from resolvers.exports.sheets import Cell, Sheet
from resolvers.people import names
from resolvers.people.names import class_name, day
from resolvers.screens import class_journal
from resolvers.screens.journal_cells import by_lesson


@dataclass(frozen=True)
class ClassJournalAnswer:
    rows: class_journal.ClassJournalRows
    class_id: int
    date_from: date
    date_to: date


async def read(ctx: Context, class_id: int, date_from: date, date_to: date) -> ClassJournalAnswer:
    rows = await class_journal.class_journal(ctx, class_id, date_from, date_to)
    return ClassJournalAnswer(rows, class_id, date_from, date_to)


def _homework(rows: Sequence[AnyRow]) -> dict[int, str]:
    """Each lesson's homework as the journal's column writes it, one assignment a line."""
    lines: dict[int, list[str]] = {}
    for _, lesson_id, text, pages, tasks, due_on, individual in rows:
        due = f"к {day(due_on)}" + (", индивидуальное" if individual else "")
        line = headings.joined(text, pages, tasks, due)
        lines.setdefault(lesson_id, []).append(line)
    return {lesson_id: "\n".join(texts) for lesson_id, texts in lines.items()}


async def class_journal_sheets(ctx: Context, answer: ClassJournalAnswer) -> list[Sheet]:
    rows = answer.rows
    school_class = await headings.one(ctx, m.SchoolClass, answer.class_id)
    heading = "Классный журнал: " + headings.joined(
        None if school_class is None else class_name(school_class),
        headings.days(answer.date_from, answer.date_to),
    )
    lessons = by_lesson(rows.lessons)
    short = await headings.by_id(ctx, m.Subject, (lesson[0][6] for lesson in lessons))
    columns = []
    for (_, held_on, bell, _, _, _, subject_id, _), (subject, *_), _ in lessons:
        name = short[subject_id].short_name if subject_id in short else subject
        columns.append(f"{held_on:%d.%m}, {bell} ур.\n{name or ''}".strip())
    marks = headings.cells(rows.grades, rows.attendance)
    grid: list[list[Cell]] = [
        [
            names.short_name_of(last, first, middle),
            *(marks.get((lesson[0][0], person_id)) for lesson in lessons),
        ]
        for person_id, last, first, middle in rows.students
    ]
    homework = _homework(rows.homework)
    lesson_rows: list[list[Cell]] = [
        [
            held_on,
            bell,
            subject,
            None if last is None else names.short_name_of(last, first, middle),
            topic,
            homework.get(lesson_id),
            headings.STATUS[status],
        ]
        for (lesson_id, held_on, bell, status, topic, *_), (subject, last, first, middle), _ in (
            lessons
        )
    ]
    return [
        Sheet(title="Журнал", heading=heading, header=["Учащийся", *columns], rows=grid),
        Sheet(
            title="Уроки",
            heading=heading,
            header=["Дата", "Урок", "Предмет", "Учитель", "Тема", "Домашнее задание", "Состояние"],
            rows=lesson_rows,
        ),
    ]
