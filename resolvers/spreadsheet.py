"""Reading a table a school keeps in a file: a CSV (comma, semicolon or tab separated) or an
Excel workbook (XLSX, its first sheet), as rows of stripped text cells. The КТП import and the
people import read their files here; what the columns mean is theirs."""

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from resolvers.errors import BadUserInput

MAX_UNPACKED = 20_000_000  # bytes a workbook may unpack to: more is not a school's table
# What a school's text file is written in: UTF-8 (with or without its BOM), or Windows-1251,
# which Excel writes a «CSV» in on a Russian Windows.
BOM = b"\xef\xbb\xbf"
MAX_PROBLEMS = 100  # answered in `extensions.problems`; the message counts the rest


@dataclass(frozen=True)
class Problem:
    """A bad cell: its row number as the file shows it (the header is row 1), its column."""

    row: int
    column: str
    message: str


def refuse(problems: Sequence[Problem]) -> None:
    """BAD_USER_INPUT naming the first problem, all of them in `extensions.problems`."""
    if problems:
        first = problems[0]
        raise BadUserInput(
            f"Row {first.row}, {first.column}: {first.message}"
            + (f" ({len(problems) - 1} more problems)" if len(problems) > 1 else ""),
            field=first.column,
            item=first.row,
            problems=[
                {"item": p.row, "field": p.column, "message": p.message}
                for p in problems[:MAX_PROBLEMS]
            ],
        )


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def decoded(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in («UTF-8», «Windows-1251»)."""
    if data.startswith(BOM):
        data = data[len(BOM) :]
    if b"\x00" in data:
        raise BadUserInput(
            "The file is not text in UTF-8 or Windows-1251 (is it UTF-16, or not a CSV?): "
            "save it as «CSV UTF-8» or «CSV (разделители — запятые)».",
            field="content",
        )
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        raise BadUserInput(
            "The file is neither UTF-8 nor Windows-1251 text: save it as «CSV UTF-8».",
            field="content",
        ) from None
    return text, "Windows-1251"


def csv_rows(text: str) -> list[list[str]]:
    text = text.lstrip("\ufeff")
    head = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=head.count)
    return [
        [value.strip() for value in row]
        for row in csv.reader(io.StringIO(text), delimiter=delimiter)
    ]


def xlsx_rows(data: bytes, *, limit: int, what: str) -> list[list[str]]:
    """The first sheet's rows, at most `limit` of them; `what` names the table («a КТП»)."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise BadUserInput(f"The workbook is too large for {what}.", field="content")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError):
        raise BadUserInput("The file is not an Excel workbook (XLSX).", field="content") from None
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[str]] = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([cell(value) for value in row])
            if len(rows) >= limit:
                break
        return rows
    finally:
        workbook.close()


def workbook(rows: Sequence[Sequence[object]]) -> bytes:
    """An XLSX file of one sheet holding `rows` (the files schools send, made for tests and
    benchmarks; the exports of issue 13 will write theirs)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
