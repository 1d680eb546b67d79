"""The journal's rows laid out as the paper form's spreads: what `journal_pages.typ` prints.

A cell prints as the paper journal writes it: the marks of the lesson's kinds of work joined by
«/» («5/4»), after the absence or late arrival: «н» absent without a valid reason, «у» for a
valid one, «б» ill, «оп» late.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import model as m
from resolvers.database import AnyRow
from resolvers.people.names import day
from resolvers.screens.journal_cells import by_lesson


@dataclass(frozen=True, slots=True)
class Header:
    school: str
    school_class: str
    period: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True, slots=True)
class Journal:
    """One subject's pages: its students (id, last, first, middle) and lessons (`lessons` rows,
    the grades and attendance of them, homework rows)."""

    subject: str
    group: str | None  # a subgroup's name; None for the whole class
    teacher: str | None
    students: Sequence[Sequence[Any]]
    lessons: Sequence[AnyRow]
    grades: Sequence[AnyRow]
    attendance: Sequence[AnyRow]
    homework: Sequence[AnyRow]
    finals: dict[int, str]


ABSENCE = {
    m.AttendanceKind.ABSENT_UNEXCUSED: "н",
    m.AttendanceKind.ABSENT_VALID: "у",
    m.AttendanceKind.ILL: "б",
    m.AttendanceKind.LATE: "оп",
}
LEGEND = (
    "н — отсутствовал без уважительной причины, у — по уважительной причине, "
    "б — по болезни, оп — опоздание"
)
SPECIAL = {
    m.FinalGradeSpecial.NOT_ATTESTED: "н/а",
    m.FinalGradeSpecial.EXEMPT: "осв.",
    m.FinalGradeSpecial.PASS: "зач.",
}
MONTHS = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip


def final_mark(mark: str | None, special: str | None) -> str:
    if mark is not None:
        return mark
    return "" if special is None else SPECIAL[m.FinalGradeSpecial(special)]


def homework_text(text: str, pages: str | None, tasks: str | None) -> str:
    """«Решить задачи, с. 82–83, № 242»: pages and tasks as written, a bare number marked."""
    parts = [text.strip()]
    if pages:
        parts.append(f"с. {pages}" if pages[0].isdigit() else pages)
    if tasks:
        parts.append(f"№ {tasks}" if tasks[0].isdigit() else tasks)
    return ", ".join(parts)


def _cells(journal: Journal) -> dict[tuple[int, int], list[str]]:
    """(lesson, student) → what its cell prints, the absence first."""
    cells: dict[tuple[int, int], list[str]] = {}
    for _, lesson_id, student_id, kind, _ in journal.attendance:
        cells.setdefault((lesson_id, student_id), []).append(ABSENCE[m.AttendanceKind(kind)])
    marks: dict[tuple[int, int], list[str]] = {}
    for _, lesson_id, student_id, _, mark, _ in journal.grades:
        marks.setdefault((lesson_id, student_id), []).append(mark)
    for key, given in marks.items():
        cells.setdefault(key, []).append("/".join(given))
    return cells


def printed_lessons(journal: Journal) -> list[tuple[Any, ...]]:
    """The lessons' own columns, of those held or with a mark in them, in order."""
    marked = {row[1] for row in journal.grades} | {row[1] for row in journal.attendance}
    return [
        lesson
        for lesson, _, _ in by_lesson(journal.lessons)
        if lesson[3] == m.LessonStatus.HELD or lesson[0] in marked
    ]


def _spread(
    journal: Journal,
    lessons: Sequence[tuple[Any, ...]],
    cells: dict[tuple[int, int], list[str]],
    homework: dict[int, list[str]],
    *,
    first_number: int,
    last: bool,
    columns: int,
) -> dict[str, Any]:
    months: list[dict[str, Any]] = []
    for lesson in lessons:
        name = MONTHS[lesson[1].month - 1]
        if months and months[-1]["name"] == name:
            months[-1]["span"] += 1
        else:
            months.append({"name": name, "span": 1})
    blank = columns - len(lessons)
    if blank:
        months.append({"name": "", "span": blank})
    return {
        "months": months,
        "days": [f"{lesson[1].day}" for lesson in lessons] + [""] * blank,
        "final": last,
        "students": [
            {
                "number": n,
                "name": " ".join(part for part in (student[1], student[2]) if part),
                "cells": [" ".join(cells.get((lesson[0], student[0]), [])) for lesson in lessons]
                + [""] * blank,
                "final": journal.finals.get(student[0], "") if last else "",
            }
            for n, student in enumerate(journal.students, start=1)
        ],
        "lessons": [
            {
                "number": first_number + n,
                "date": day(lesson[1])[:5],
                "topic": lesson[4] or "",
                "homework": "; ".join(homework.get(lesson[0], [])),
            }
            for n, lesson in enumerate(lessons)
        ],
    }


def journal_data(journal: Journal, columns: int) -> dict[str, Any]:
    lessons = printed_lessons(journal)
    cells = _cells(journal)
    homework: dict[int, list[str]] = {}
    for _, lesson_id, text, pages, tasks, _, individual in journal.homework:
        if not individual:  # the journal records the group's; individual ones are the diary's
            homework.setdefault(lesson_id, []).append(homework_text(text, pages, tasks))
    chunks = [lessons[i : i + columns] for i in range(0, len(lessons), columns)] or [[]]
    return {
        "subject": journal.subject,
        "group": journal.group,
        "teacher": journal.teacher,
        "spreads": [
            _spread(
                journal,
                chunk,
                cells,
                homework,
                first_number=1 + n * columns,
                last=n == len(chunks) - 1,
                columns=columns,
            )
            for n, chunk in enumerate(chunks)
        ],
    }


def document(header: Header, journals: Sequence[Journal], columns: int) -> dict[str, Any]:
    return {
        "school": header.school,
        "class": header.school_class,
        "period": header.period,
        "dates": f"{day(header.starts_on)} – {day(header.ends_on)}",
        "columns": columns,
        "legend": LEGEND,
        "journals": [journal_data(journal, columns) for journal in journals],
    }
