"""A screen's own answer as files (issue 13): the `xlsx` and `csv` fields its type ends with,
base64, built by `resolvers.exports` from the rows the screen read (`export`, private to it)."""

import asyncio
import base64
import enum
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry

from policies.vocabulary import Resource
from resolvers.context import Context
from resolvers.exports import sheets
from resolvers.exports.sheets import Sheet
from schema.base import Info, reads

Sheets = Callable[[Context, Any], Awaitable[list[Sheet]]]


@strawberry.enum(description="How a CSV file is written.")
class CsvDialect(enum.Enum):
    EXCEL = strawberry.enum_value(
        "excel",
        description="As Excel in a Russian locale opens it by a double click: UTF-8 with a "
        "BOM, `;` between fields, decimal commas, dates as ДД.ММ.ГГГГ.",
    )
    PLAIN = strawberry.enum_value(
        "plain",
        description="For programs: RFC 4180 (`,`, quoted as needed), UTF-8 without a BOM, "
        "decimal points, ISO dates (YYYY-MM-DD).",
    )


DIALECTS = {CsvDialect.EXCEL: sheets.EXCEL, CsvDialect.PLAIN: sheets.PLAIN}
SheetNumber = Annotated[
    int,
    strawberry.argument(description="Which sheet of the XLSX, from 1; past the last is "
                        "BAD_USER_INPUT."),
]  # fmt: skip
DialectArgument = Annotated[
    CsvDialect, strawberry.argument(description="How to write it; by default for Excel.")
]


def _encoded(data: bytes) -> str:
    return base64.b64encode(data).decode()


def xlsx_field(build: Sheets, resource: Resource, sheets_named: str, answer: str = "export") -> Any:
    """`xlsx`: the screen's sheets (`sheets_named` lists them) as an XLSX workbook, built from
    the type's private `answer`."""

    async def resolve(root: strawberry.Parent[Any], info: Info) -> str:
        built = await build(info.context, getattr(root, answer))
        # Packing a workbook takes a while for a school: other requests go on meanwhile.
        return _encoded(await asyncio.to_thread(sheets.xlsx, built))

    return strawberry.field(
        resolver=resolve,
        description=f"This answer as an XLSX workbook (base64), the school's formatting: a "
        f"title row, a bold header kept in view (frozen), columns as wide as their contents, "
        f"numbers as numbers, dates as dates, marks as the journal writes them. Sheets: "
        f"{sheets_named}.",
        metadata=reads(resource),
    )


def csv_field(build: Sheets, resource: Resource, answer: str = "export") -> Any:
    """`csv`: one sheet of the XLSX as CSV, the first by default."""

    async def resolve(
        root: strawberry.Parent[Any],
        info: Info,
        sheet: SheetNumber = 1,
        dialect: DialectArgument = CsvDialect.EXCEL,
    ) -> str:
        found = await build(info.context, getattr(root, answer))
        return _encoded(sheets.csv_of(found, sheet, DIALECTS[dialect]))

    return strawberry.field(
        resolver=resolve,
        description="One sheet of `xlsx` (the first by default) as CSV (base64): its header "
        "row and rows, without the title row.",
        metadata=reads(resource),
    )
