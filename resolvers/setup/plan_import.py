"""A КТП imported from a spreadsheet, as teachers keep them: a CSV file (comma, semicolon or
tab separated; UTF-8) or an Excel workbook (XLSX, its first sheet). The first row names the
columns: the topic (required), its hours and the kind of work planned for it; other columns
are ignored. Every row after it is a topic, in teaching order; empty rows are skipped. All or
nothing: every bad cell is answered with its row number as the file shows it (`item`) and its
column's name (`field`), and nothing is written."""

import base64
import binascii
import enum
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select

import model as m
from resolvers import spreadsheet
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.setup.plan_writes import MAX_HOURS, ItemEntry, PlanEntry, plan_create
from resolvers.spreadsheet import Problem, refuse

MAX_TOPICS = 250  # a plan's topics (schema/list_sizes.PLAN_ITEMS)
TOPIC, HOURS, WORK_TYPE = "topic", "hours", "work type"
COLUMNS = {
    TOPIC: {"topic", "тема", "тема урока", "темы", "наименование темы"},
    HOURS: {"hours", "часы", "часов", "кол-во часов", "количество часов"},
    WORK_TYPE: {"work type", "work_type", "вид работы", "контроль", "вид контроля"},
}


class PlanFileFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


def xlsx_rows(content: str) -> list[list[str]]:
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise BadUserInput("An XLSX file is sent as base64.", field="content") from None
    return spreadsheet.xlsx_rows(data, limit=MAX_TOPICS + 2, what="a КТП")


def _columns(header: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        for column, names in COLUMNS.items():
            if name.strip().lower() in names and column not in found:
                found[column] = index
    if TOPIC not in found:
        raise BadUserInput(
            "The first row names the columns: «Тема» (or topic) is needed, «Часы» (hours) and "
            "«Вид работы» (work type) may follow.",
            field=TOPIC,
            item=1,
        )
    return found


def items_of(rows: Sequence[Sequence[str]], work_types: dict[str, int]) -> list[ItemEntry]:
    """The topics of the file's rows; `work_types` by lower-cased name and short name."""
    if not rows:
        raise BadUserInput("The file is empty.", field="content")
    columns = _columns(rows[0])
    problems: list[Problem] = []
    items: list[ItemEntry] = []

    def cell(row: Sequence[str], column: str) -> str:
        index = columns.get(column)
        return row[index].strip() if index is not None and index < len(row) else ""

    for number, row in enumerate(rows[1:], start=2):
        if not any(value.strip() for value in row):
            continue
        topic = cell(row, TOPIC)
        if not topic:
            problems.append(Problem(number, TOPIC, "the topic is empty."))
        elif len(topic) > m.PlanItem.topic.type.length:
            problems.append(
                Problem(number, TOPIC, f"longer than {m.PlanItem.topic.type.length} characters.")
            )
        hours_text = cell(row, HOURS) or "1"
        hours = int(hours_text) if hours_text.isdigit() else 0
        if not 1 <= hours <= MAX_HOURS:
            problems.append(
                Problem(number, HOURS, f"{hours_text!r} is not a number of lessons, 1 to 100.")
            )
        named = cell(row, WORK_TYPE)
        work_type = work_types.get(named.lower()) if named else None
        if named and work_type is None:
            problems.append(
                Problem(number, WORK_TYPE, f"the school has no kind of work «{named}».")
            )
        items.append(ItemEntry(topic=topic, hours=hours, work_type_id=work_type))
    if not problems and not items:
        raise BadUserInput("The file has no topics under its first row.", field="content")
    if len(items) > MAX_TOPICS:
        raise BadUserInput(f"A КТП has at most {MAX_TOPICS} topics.", field="content")
    refuse(problems)
    return items


async def _work_types(ctx: Context, subject_id: int) -> dict[str, int]:
    school = select(m.Subject.school_id).where(m.Subject.id == subject_id).scalar_subquery()
    rows = await ctx.db.rows(
        select(m.WorkType.id, func.lower(m.WorkType.name), func.lower(m.WorkType.short_name))
        .where(m.WorkType.school_id == school, ctx.loaders.readable(m.WorkType))
        .order_by(m.WorkType.id)
    )
    named: dict[str, int] = {}
    for work_type, *names in rows:
        for name in names:
            named.setdefault(name, work_type)
    return named


async def plan_import(
    ctx: Context,
    school_year_id: int,
    subject_id: int,
    parallel: int,
    name: str,
    file_format: PlanFileFormat,
    content: str,
) -> m.Plan:
    rows = (
        spreadsheet.csv_rows(content) if file_format is PlanFileFormat.CSV else xlsx_rows(content)
    )
    items = items_of(_trimmed(rows), await _work_types(ctx, subject_id))
    entry = PlanEntry(school_year_id, subject_id, parallel, name, items)
    return await plan_create(ctx, entry)


def _trimmed(rows: Iterable[Sequence[str]]) -> list[list[str]]:
    return [list(row) for row in rows][: MAX_TOPICS + 2]
