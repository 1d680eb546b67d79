"""The schools' activity rating (R-RATING-1) as files: the schools best first with their score
and the figures it comes from — every school rated, not a page of them. Built from the
screen's own answer (`resolvers.screens.activity_rating`)."""

from dataclasses import dataclass
from datetime import date

import model as m
from resolvers.context import Context
from resolvers.exports import headings
from resolvers.exports.sheets import Cell, Sheet
from resolvers.screens import activity_rating
from resolvers.screens.activity_rating import SchoolRating
from resolvers.screens.journal_facts import span

HEADER = (
    "Место", "Школа", "Балл", "Уроков\nк сроку", "Из них\nзаполнено", "Заполнено, %",
    "Записей", "Из них\nв срок", "В срок, %",
)  # fmt: skip


@dataclass(frozen=True)
class ActivityRatingAnswer:
    rows: list[SchoolRating]
    date_from: date | None  # as asked: the rating's own defaults fill them in
    date_to: date | None


async def read(
    ctx: Context,
    school_id: int | None,
    municipality_id: int | None,
    date_from: date | None,
    date_to: date | None,
) -> ActivityRatingAnswer:
    rows = await activity_rating.activity_rating(
        ctx, school_id, municipality_id, date_from, date_to
    )
    return ActivityRatingAnswer(rows, date_from, date_to)


async def activity_rating_sheets(ctx: Context, answer: ActivityRatingAnswer) -> list[Sheet]:
    rows = answer.rows
    ids = frozenset(row.school_id for row in rows)
    heading = "Рейтинг активности школ"
    if ids:
        s = span(ctx.require_principal(), ids, answer.date_from, answer.date_to)
        heading = f"{heading} {headings.days(s.date_from, s.date_to)}"
    schools = await headings.by_id(ctx, m.School, ids)
    lines: list[list[Cell]] = []
    for row in rows:
        lines.append([
            row.rank, headings.school_name(schools.get(row.school_id)), row.score, row.lessons_due,
            row.lessons_filled, row.filled_percent, row.entries, row.entries_on_time,
            row.on_time_percent,
        ])  # fmt: skip
    return [Sheet(title="Рейтинг", heading=heading, header=HEADER, rows=lines, frozen_columns=2)]
