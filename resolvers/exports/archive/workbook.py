"""A table's XLSX, written row by row straight into the bundle: the smallest workbook Excel,
LibreOffice and openpyxl open — a title row, a bold header row kept in view (frozen), then the
rows, text as inline strings. openpyxl's own writer keeps every distinct text of a workbook in
memory (the shared strings) and dates its zip's entries by the clock; this one keeps one row,
and its entries are dated as the bundle's are. A sheet holds at most `SHEET_ROWS` rows: more
go on to the next sheet, so a year's grades of a large school still open in Excel."""

import zipfile
from collections.abc import Sequence
from typing import IO, Protocol
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

Cell = str | int | None
SHEET_ROWS = 1_000_000  # Excel's limit is 1,048,576, titles included
MAX_WIDTH = 60
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}"><fonts count="3"><font><sz val="11"/><name val="Calibri"/>'
    '</font><font><b/><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="12"/>'
    '<name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/>'
    '</fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border>'
    '<left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf '
    'numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf '
    'numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" '
    'fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="2" fillId="0" '
    'borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle '
    'name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
HEADER_STYLE, TITLE_STYLE = 1, 2


class Sink(Protocol):
    def write(self, data: bytes) -> object: ...

    def flush(self) -> None: ...


def _cell(column: int, row: int, value: Cell, style: int = 0) -> str:
    ref = f"{get_column_letter(column)}{row}"
    styled = f' s="{style}"' if style else ""
    if value is None or value == "":
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return f'<c r="{ref}"{styled}><v>{value}</v></c>'
    text = escape(_printable(str(value)))
    return f'<c r="{ref}"{styled} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _printable(text: str) -> str:
    """XML 1.0 has no place for most control characters: they are left out."""
    return "".join(c for c in text if c >= " " or c in "\t\n\r")


class StreamedWorkbook:
    """Sheets of one table: `row` appends; `close` ends the workbook."""

    def __init__(self, out: Sink, info: "ZipInfoMaker", title: str, heading: str,
                 header: Sequence[str], widths: Sequence[int]) -> None:  # fmt: skip
        self._zip = zipfile.ZipFile(out, "w")  # type: ignore[call-overload]
        self._info = info
        self._title, self._heading = title[:28], heading
        self._header, self._widths = list(header), list(widths)
        self._sheets = 0
        self._sheet: IO[bytes] | None = None
        self._rows = 0

    def _open_sheet(self) -> None:
        self._sheets += 1
        self._sheet = self._zip.open(self._info(f"xl/worksheets/sheet{self._sheets}.xml"), "w")
        columns = "".join(
            f'<col min="{i}" max="{i}" width="{min(width, MAX_WIDTH)}" customWidth="1"/>'
            for i, width in enumerate(self._widths, start=1)
        )
        self._write(
            f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews><sheetView '
            'workbookViewId="0"><pane xSplit="1" ySplit="2" topLeftCell="B3" activePane='
            '"bottomRight" state="frozen"/></sheetView></sheetViews>'
            f"<cols>{columns}</cols><sheetData>"
        )
        self._rows = 0
        self._append([self._heading], TITLE_STYLE)
        self._append(self._header, HEADER_STYLE)

    def _write(self, text: str) -> None:
        assert self._sheet is not None
        self._sheet.write(text.encode())

    def _append(self, values: Sequence[Cell], style: int = 0) -> None:
        self._rows += 1
        n = self._rows
        cells = "".join(_cell(i, n, value, style) for i, value in enumerate(values, start=1))
        self._write(f'<row r="{n}">{cells}</row>')

    def _close_sheet(self) -> None:
        self._write("</sheetData></worksheet>")
        assert self._sheet is not None
        self._sheet.close()
        self._sheet = None

    def row(self, values: Sequence[Cell]) -> None:
        if self._sheet is None or self._rows >= SHEET_ROWS:
            if self._sheet is not None:
                self._close_sheet()
            self._open_sheet()
        self._append(values)

    def close(self) -> None:
        if self._sheet is None and self._sheets == 0:
            self._open_sheet()  # a table without rows: its title and header
        if self._sheet is not None:
            self._close_sheet()
        self._package()
        self._zip.close()

    def _package(self) -> None:
        names = [
            self._title if n == 1 else f"{self._title} {n}" for n in range(1, self._sheets + 1)
        ]
        sheets = "".join(
            f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
            for n, name in enumerate(names, start=1)
        )
        links = "".join(
            f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, self._sheets + 1)
        )
        styles = self._sheets + 1
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
            f'ContentType="{_TYPES}.worksheet+xml"/>'
            for n in range(1, self._sheets + 1)
        )
        parts = {
            "xl/workbook.xml": f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            f"{sheets}</sheets></workbook>",
            "xl/_rels/workbook.xml.rels": f'{_XML}<Relationships xmlns="{_PKG}">{links}'
            f'<Relationship Id="rId{styles}" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>",
            "xl/styles.xml": _STYLES,
            "_rels/.rels": f'{_XML}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
            "[Content_Types].xml": f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            f'ContentType="{_TYPES}.sheet.main+xml"/><Override PartName="/xl/styles.xml" '
            f'ContentType="{_TYPES}.styles+xml"/>{overrides}</Types>',
        }
        for name, text in parts.items():
            with self._zip.open(self._info(name), "w") as part:
                part.write(text.encode())


class ZipInfoMaker(Protocol):
    def __call__(self, name: str) -> zipfile.ZipInfo: ...
