"""A journal table written into the bundle as `tables/<name>.csv` (UTF-8, comma-separated, a
header of plain column names) and `tables/<name>.xlsx` (the school's headers, frozen), in one
pass over its pages: the CSV straight into the zip, the workbook spooled to a temporary file
beside it (a zip takes one entry at a time) and copied in after."""

import csv
import io
import shutil
import tempfile

from resolvers.exports.archive.names import Names
from resolvers.exports.archive.scope import Scope
from resolvers.exports.archive.tables import Table
from resolvers.exports.archive.workbook import StreamedWorkbook

SPOOL = 1 << 20  # a workbook past a megabyte waits on disk, not in memory
CHUNK = 1 << 16


def _csv_line(values: list[object]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerow(["" if v is None else v for v in values])
    return text.getvalue().encode()


async def write_table(scope: Scope, table: Table, names: Names) -> None:
    bundle = scope.bundle
    with tempfile.SpooledTemporaryFile(max_size=SPOOL) as spooled:
        heading = (
            f"{table.title}: {scope.school.short_name or scope.school.name}, {scope.period.name}"
        )
        book = StreamedWorkbook(
            spooled, bundle.info, table.title, heading,
            [column.title for column in table.columns],
            [column.width for column in table.columns],
        )  # fmt: skip
        rows = 0
        with bundle.file(f"tables/{table.name}.csv") as out:
            out.write(_csv_line([column.key for column in table.columns]))
            async for page in table.pages(scope, names):
                out.write(b"".join(_csv_line(list(row)) for row in page))
                for row in page:
                    book.row(row)
                rows += len(page)
            out.rows = rows
        book.close()
        spooled.seek(0)
        with bundle.file(f"tables/{table.name}.xlsx") as out:
            shutil.copyfileobj(spooled, out, CHUNK)
            out.rows = rows
    scope.step()
