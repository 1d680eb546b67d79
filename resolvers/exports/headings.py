"""What a screen's file prints beside the screen's own rows: the names in its title and its
columns, read through the request's loaders (the rows the caller may read, one statement per
kind of row, as the screen's own fields follow them), and the journal's words for its marks."""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import model as m
from resolvers.context import Context
from resolvers.database import AnyRow
from resolvers.people.names import day

E = TypeVar("E")

# As the journal writes them in a cell: «н» absent, «у» for a valid reason, «б» ill, «оп» late.
ATTENDANCE = {
    m.AttendanceKind.ABSENT_UNEXCUSED: "н",
    m.AttendanceKind.ABSENT_VALID: "у",
    m.AttendanceKind.ILL: "б",
    m.AttendanceKind.LATE: "оп",
}
STATUS = {
    m.LessonStatus.PLANNED: "запланирован",
    m.LessonStatus.HELD: "проведён",
    m.LessonStatus.CANCELLED: "отменён",
}


async def by_id(ctx: Context, entity: type[E], ids: Iterable[int]) -> dict[int, E]:
    """The readable rows among `ids`; those the caller may not read are missing."""
    wanted = sorted(set(ids))
    found = await ctx.loaders.one(entity).load_many(wanted)
    return {key: row for key, row in zip(wanted, found, strict=True) if row is not None}


async def one(ctx: Context, entity: type[E], row_id: int) -> E | None:
    return await ctx.loaders.one(entity).load(row_id)


def school_name(school: m.School | None) -> str | None:
    return None if school is None else school.short_name or school.name


def joined(*parts: str | None) -> str:
    return ", ".join(part for part in parts if part)


def weight(value: Decimal) -> str:
    """A weight as a text cell writes it: «1», «1,5»."""
    written = f"{value:f}"
    if "." in written:
        written = written.rstrip("0").rstrip(".")
    return written.replace(".", ",")


def days(date_from: date, date_to: date) -> str:
    return f"с {day(date_from)} по {day(date_to)}"


def lesson_column(held_on: date, bell: int, same_day: int) -> str:
    """A lesson's column as the journal heads it: its day, and its bell if the day has two."""
    return f"{held_on:%d.%m}" if same_day < 2 else f"{held_on:%d.%m}, {bell} ур."


def cells(grades: Sequence[AnyRow], attendance: Sequence[AnyRow]) -> dict[tuple[int, int], str]:
    """A (lesson, student) cell's content: the absence or lateness, then the marks in the order
    they were entered, as the journal writes them («н», «5 4», «оп 5»)."""
    parts: dict[tuple[int, int], list[str]] = {}
    for _, lesson_id, student_id, kind, _ in attendance:
        parts.setdefault((lesson_id, student_id), []).append(ATTENDANCE[kind])
    for _, lesson_id, student_id, _, mark, _ in grades:
        parts.setdefault((lesson_id, student_id), []).append(mark)
    return {key: " ".join(values) for key, values in parts.items()}


def counted(values: Iterable[Any]) -> dict[Any, int]:
    counts: dict[Any, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts
