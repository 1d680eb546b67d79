"""A screen's tables as files people's tools read: XLSX laid out as a school formats its own, and
CSV (issue 13).

XLSX: a title above a bold header row that stays in view when scrolled (frozen panes), with the
first column(s) beside it; columns as wide as their contents; Cyrillic intact (XLSX is Unicode
throughout); numbers as numbers — a `Decimal` is a numeric cell shown to its own decimals (an
average's 2), a `date` a date cell (ДД.ММ.ГГГГ); marks stay text, as the journal writes them.
The same data gives the same bytes: the workbook's dates and its zip entries' dates are fixed.

CSV: one table per file, the sheet's header and rows without its title line (a CSV is a table
that tools read; the title is the XLSX's). `EXCEL`, the default, is what Excel in a Russian
locale opens by a double click: UTF-8 with a BOM (without one it reads the bytes as cp1251),
`;` between fields (its list separator there, since `,` is the decimal point), decimal commas
and dates as ДД.ММ.ГГГГ. `PLAIN` is for integrators' programs: RFC 4180 (`,`, quoted as
needed), UTF-8 without a BOM, decimal points and ISO dates. Both end lines with CRLF. A screen
of several sheets gives one CSV per sheet (`csv_of` picks it by number, the first by default):
one call, one table, never a zip to unpack.
"""

import csv as csv_module
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from resolvers.errors import BadUserInput

_EPOCH = datetime(2026, 1, 1)
_ZIP_DATE = (2026, 1, 1, 0, 0, 0)
MAX_WIDTH = 60
DATE_WIDTH = 10  # 20.11.2026
DATE_FORMAT = "DD.MM.YYYY"
_NOT_IN_A_TAB = re.compile(r"[\[\]:*?/\\]")  # what Excel forbids in a sheet's name
Cell = str | int | float | Decimal | date | None


@dataclass(frozen=True)
class Sheet:
    title: str  # the tab's name: at most 31 characters, as Excel allows
    heading: str  # the first row: what the sheet is
    header: Sequence[str]  # a line break inside a name wraps it in the XLSX
    rows: Sequence[Sequence[Cell]]
    frozen_columns: int = 1  # the row headers that stay in view beside the table


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    decimal_point: str
    date_format: str
    bom: bool


EXCEL = Dialect(delimiter=";", decimal_point=",", date_format="%d.%m.%Y", bom=True)
PLAIN = Dialect(delimiter=",", decimal_point=".", date_format="%Y-%m-%d", bom=False)


def _decimals(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "0." + "0" * places if places else "0"


def _text_width(value: Cell) -> int:
    if isinstance(value, date):
        return DATE_WIDTH
    return max((len(line) for line in str("" if value is None else value).split("\n")), default=0)


def _widths(sheet: Sheet) -> list[int]:
    widths = [_text_width(name) for name in sheet.header]
    for row in sheet.rows:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _text_width(value))
    return [min(width + 2, MAX_WIDTH) for width in widths]


def _write(book: Workbook, sheet: Sheet) -> None:
    page = book.create_sheet(_NOT_IN_A_TAB.sub("-", sheet.title)[:31])
    page.append([sheet.heading])
    page["A1"].font = Font(bold=True, size=12)
    page.append(list(sheet.header))
    for cell in page[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    wrapped = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(sheet.rows, start=3):
        page.append(list(row))
        for column, value in enumerate(row, start=1):
            if isinstance(value, Decimal):
                page.cell(number, column).number_format = _decimals(value)
            elif isinstance(value, date):
                page.cell(number, column).number_format = DATE_FORMAT
            elif isinstance(value, str) and ("\n" in value or len(value) > MAX_WIDTH - 2):
                page.cell(number, column).alignment = wrapped
    page.freeze_panes = f"{get_column_letter(sheet.frozen_columns + 1)}3"
    for index, width in enumerate(_widths(sheet), start=1):
        page.column_dimensions[get_column_letter(index)].width = width


class _PinnedZip(zipfile.ZipFile):
    """A zip whose entries are dated `_ZIP_DATE`, not by the clock, whatever openpyxl adds."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            name = zinfo_or_arcname.filename
        else:
            name = zinfo_or_arcname
        entry = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.create_system = 3
        entry.external_attr = 0o600 << 16
        super().writestr(entry, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        with open(filename, "rb") as source:  # a worksheet openpyxl wrote to a temporary file
            self.writestr(arcname or str(filename), source.read())


def xlsx(sheets: Sequence[Sheet]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        _write(book, sheet)
    book.properties.created = _EPOCH
    book.properties.modified = _EPOCH
    book.properties.creator = "tabel"
    out = io.BytesIO()
    # openpyxl's own `save` dates the workbook by the clock; its writer, given the zip, does not.
    with _PinnedZip(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).save()
    return out.getvalue()


def _field(value: Cell, dialect: Dialect) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime(dialect.date_format)
    if isinstance(value, Decimal | float):
        return str(value).replace(".", dialect.decimal_point)
    return str(value)


def csv(sheet: Sheet, dialect: Dialect = EXCEL) -> bytes:
    out = io.StringIO()
    writer = csv_module.writer(out, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([name.replace("\n", " ") for name in sheet.header])
    for row in sheet.rows:
        writer.writerow([_field(value, dialect) for value in row])
    return out.getvalue().encode("utf-8-sig" if dialect.bom else "utf-8")


def csv_of(sheets: Sequence[Sheet], number: int, dialect: Dialect = EXCEL) -> bytes:
    """Sheet `number` (from 1, as the XLSX's tabs) as CSV; BAD_USER_INPUT past the last."""
    if not 1 <= number <= len(sheets):
        raise BadUserInput(
            f"The file has {len(sheets)} sheet(s): `sheet` is 1 to {len(sheets)}.",
            argument="sheet",
        )
    return csv(sheets[number - 1], dialect)
