"""XLSX exports (issue 13): sheets laid out as a school formats its own — a title above a bold
header row that stays in view when scrolled (frozen panes), columns as wide as their contents,
Cyrillic intact (XLSX is Unicode throughout). The workbook's own creation and change dates are
fixed, as the PDFs' are; the zip it is packed in still dates its entries by the clock."""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

_EPOCH = datetime(2026, 1, 1)
MAX_WIDTH = 60
Cell = str | int | float | None


@dataclass(frozen=True)
class Sheet:
    title: str  # the tab's name: at most 31 characters, as Excel allows
    heading: str  # the first row: what the sheet is
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def xlsx(sheets: Sequence[Sheet]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        page = book.create_sheet(sheet.title[:31])
        page.append([sheet.heading])
        page["A1"].font = Font(bold=True, size=12)
        page.append(list(sheet.header))
        for cell in page[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in sheet.rows:
            page.append(list(row))
        page.freeze_panes = "B3"  # the header row and the first column stay in view
        for index, name in enumerate(sheet.header, start=1):
            longest = max(
                [len(str(name))] + [len(str(row[index - 1] or "")) for row in sheet.rows],
            )
            page.column_dimensions[get_column_letter(index)].width = min(longest + 2, MAX_WIDTH)
    book.properties.created = _EPOCH
    book.properties.modified = _EPOCH
    book.properties.creator = "tabel"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
