"""A student's diary (дневник) printed, a week to a landscape A4 spread as the paper diary has
it: each school day's lessons with their subject, topic, homework, marks and absences, a column
for the teacher's signature and a line for the parent's. From `screens.diary`'s rows: the same
lessons and timetable slots (a lesson not entered yet shows as its timetable slot), the same
rules on who reads them — the student, their parents, and the staff who read their journal.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

import model as m
from resolvers.context import Context
from resolvers.database import AnyRow
from resolvers.people.names import day
from resolvers.printing.journal_pages_layout import ABSENCE, LEGEND, homework_text
from resolvers.printing.pdf import render_pdf
from resolvers.screens.diary import DiaryRows, diary_week
from resolvers.screens.journal_cells import by_lesson

MAX_WEEKS = 6  # a month and a bit: longer runs are printed month by month
WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
CHANGES = {
    m.TimetableChangeKind.CANCELLED: "отменён",
    m.TimetableChangeKind.SUBSTITUTION: "замена",
    m.TimetableChangeKind.ROOM_CHANGE: "другой кабинет",
    m.TimetableChangeKind.MOVED: "перенесён",
    m.TimetableChangeKind.EXTRA: "дополнительный",
}


@dataclass(frozen=True, slots=True)
class DiaryLine:
    bell: int
    subject: str
    topic: str
    homework: str
    marks: str
    absence: str
    change: str


@dataclass(frozen=True, slots=True)
class DiaryPages:
    """A diary week as read, to print: whose, and its rows."""

    student_id: int
    rows: DiaryRows


async def week_pdf(ctx: Context, pages: DiaryPages | None) -> bytes:
    assert pages is not None, "the diary week's field gives its rows"
    return await diary_pages_pdf(ctx, pages.student_id, [], rows=[pages.rows])


def _lessons(rows: DiaryRows) -> dict[date, list[DiaryLine]]:
    """The week's lines per day, as the diary screen (`schema.screens.journal_views`) builds
    them: the lessons entered, then the timetable slots with no lesson yet; none on a day off."""
    homework: dict[int, list[str]] = {}
    for _, lesson_id, text, pages, tasks, _, _ in rows.homework:
        homework.setdefault(lesson_id, []).append(homework_text(text, pages, tasks))
    marks: dict[int, list[str]] = {}
    for _, lesson_id, _, _, mark, _, short, _ in rows.grades:
        marks.setdefault(lesson_id, []).append(f"{mark} ({short})" if short else mark)
    absence = {row[1]: ABSENCE[m.AttendanceKind(row[3])] for row in rows.attendance}
    entry_bell = {entry[0]: entry[5] for entry in rows.timetable}
    changes: dict[tuple[int, date, int | None], Any] = {}
    for row in rows.changes:
        group_id, on_date, bell, entry_id, kind, *_ = row
        key = (group_id, on_date, bell if bell is not None else entry_bell.get(entry_id))
        changes[key] = kind
    days: dict[date, list[tuple[int, int, DiaryLine]]] = {day: [] for day in rows.days}
    held = set()
    for lesson, (subject, *_), _ in by_lesson(rows.lessons):
        lesson_id, held_on, bell, _, topic, group_id, subject_id, _ = lesson
        held.add((group_id, held_on, bell))
        kind = changes.get((group_id, held_on, bell))
        line = DiaryLine(
            bell=bell,
            subject=subject or "—",
            topic=topic or "",
            homework="; ".join(homework.get(lesson_id, [])),
            marks=", ".join(marks.get(lesson_id, [])),
            absence=absence.get(lesson_id, ""),
            change=CHANGES[m.TimetableChangeKind(kind)] if kind else "",
        )
        days.setdefault(held_on, []).append((bell, subject_id, line))
    for on, lines in days.items():
        if on in rows.days_off:
            continue
        follows = rows.working_days.get(on, on.isoweekday())
        for _, group_id, subject_id, _, weekday, bell, starts, ends, subject, *_ in rows.timetable:
            if weekday != follows or starts > on or (ends is not None and ends < on):
                continue
            if (group_id, on, bell) in held:
                continue
            kind = changes.get((group_id, on, bell))
            change = CHANGES[m.TimetableChangeKind(kind)] if kind else ""
            lines.append(
                (bell, subject_id, DiaryLine(bell, subject or "—", "", "", "", "", change))
            )
    return {
        on: [line for *_, line in sorted(lines, key=lambda x: x[:2])] for on, lines in days.items()
    }


def _week(rows: DiaryRows) -> dict[str, Any]:
    lines = _lessons(rows)
    return {
        "from": day(rows.days[0]) if rows.days else "",
        "to": day(rows.days[-1]) if rows.days else "",
        "days": [
            {
                "date": day(on),
                "weekday": WEEKDAYS[on.weekday()],
                "day_off": rows.days_off.get(on),
                "lessons": [
                    {
                        "bell": line.bell,
                        "subject": line.subject,
                        "topic": line.topic,
                        "homework": line.homework,
                        "marks": line.marks,
                        "absence": line.absence,
                        "change": line.change,
                    }
                    for line in lines.get(on, [])
                ],
            }
            for on in rows.days
        ],
    }


def _names(student_id: int) -> Any:
    """The student's name, their newest class and its school's name."""
    newest = (
        select(m.SchoolClass.id)
        .join(m.ClassStudent, m.ClassStudent.school_class_id == m.SchoolClass.id)
        .join(m.SchoolYear, m.SchoolYear.id == m.SchoolClass.school_year_id)
        .where(m.ClassStudent.student_id == student_id)
        .order_by(m.SchoolYear.starts_on.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(
            m.Person.last_name,
            m.Person.first_name,
            m.Person.middle_name,
            m.SchoolClass.parallel,
            m.SchoolClass.letter,
            m.School.short_name,
            m.School.name,
        )
        .select_from(m.Person)
        .join(m.SchoolClass, m.SchoolClass.id == newest)
        .join(m.School, m.School.id == m.SchoolClass.school_id)
        .where(m.Person.id == student_id)
    )


async def diary_pages_pdf(
    ctx: Context,
    student_id: int,
    week_of: date | Sequence[date],
    rows: Sequence[DiaryRows] | None = None,
) -> bytes:
    """The diary weeks holding `week_of` (a day, or several: a week each, up to
    `MAX_WEEKS`), one landscape page each: the diary screen's eight statements a week (none
    when its `rows` are given), and one for the student's name and class."""
    weeks = [week_of] if isinstance(week_of, date) else list(week_of)[:MAX_WEEKS]
    mondays = sorted({on - timedelta(days=on.weekday()) for on in weeks})
    if rows is None:
        rows = [await diary_week(ctx, student_id, monday) for monday in mondays]
    found: Sequence[AnyRow] = await ctx.db.rows(_names(student_id))
    last, first, middle, parallel, letter, short, school = found[0] if found else [""] * 7
    data = {
        "student": " ".join(part for part in (last, first, middle) if part),
        "class": f"{parallel}{letter}",
        "school": short or school,
        "legend": LEGEND,
        "weeks": [_week(week) for week in rows],
    }
    return await render_pdf("diary_pages.typ", data)
