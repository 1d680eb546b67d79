"""The head's school overview as files: per class and subject in a period the averages, the
marks and the lessons held without a topic or homework, then the averages as a table of
classes × subjects. Built from the screen's own answer (`resolvers.screens.school_overview`)."""

from dataclasses import dataclass

import model as m
from resolvers.context import Context
from resolvers.exports import headings
from resolvers.exports.sheets import Cell, Sheet
from resolvers.screens import school_overview
from resolvers.screens.school_overview import OverviewRow

HEADER = (
    "Класс", "Предмет", "Средний\nбалл", "Средневзвешенный\nбалл", "Оценок",
    "Уроков\nпроведено", "Без темы", "Без домашнего\nзадания",
)  # fmt: skip


@dataclass(frozen=True)
class SchoolOverviewAnswer:
    rows: list[OverviewRow]
    school_id: int
    period_id: int


async def read(ctx: Context, school_id: int, period_id: int) -> SchoolOverviewAnswer:
    rows = await school_overview.school_overview(ctx, school_id, period_id)
    return SchoolOverviewAnswer(rows, school_id, period_id)


def _averages(rows: list[OverviewRow]) -> tuple[list[str], list[list[Cell]]]:
    subjects = sorted({row.subject_name or "" for row in rows})
    by_class: dict[int, dict[str, Cell]] = {}
    names: dict[int, str | None] = {}
    for row in rows:
        names[row.class_id] = row.class_name
        by_class.setdefault(row.class_id, {})[row.subject_name or ""] = row.average
    table = [
        [names[class_id], *(averages.get(subject) for subject in subjects)]
        for class_id, averages in by_class.items()
    ]
    return subjects, table


async def school_overview_sheets(ctx: Context, answer: SchoolOverviewAnswer) -> list[Sheet]:
    school = await headings.one(ctx, m.School, answer.school_id)
    period = await headings.one(ctx, m.Period, answer.period_id)
    heading = "Сводная ведомость: " + headings.joined(
        headings.school_name(school), None if period is None else period.name
    )
    rows: list[list[Cell]] = [
        [
            row.class_name,
            row.subject_name,
            row.average,
            row.weighted_average,
            row.grade_count,
            row.lessons_held,
            row.lessons_without_topic,
            row.lessons_without_homework,
        ]
        for row in answer.rows
    ]
    subjects, averages = _averages(answer.rows)
    return [
        Sheet(
            title="Сводка",
            heading=heading,
            header=HEADER,
            rows=rows,
            frozen_columns=2,
        ),
        Sheet(
            title="Средние баллы",
            heading=f"{heading}: средние баллы",
            header=["Класс", *subjects],
            rows=averages,
        ),
    ]
