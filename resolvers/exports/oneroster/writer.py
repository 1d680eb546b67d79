"""The zip of CSV files, written as the rows come: each file streamed into its entry, opened
only once its first row is there (the binding permits no file without data rows: one with
none is `absent` in the manifest). The same rows give the same bytes: every entry is dated
1980-01-01, made on one "system" with one mode, compressed alike; the manifest comes last."""

import csv
import io
import zipfile
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from types import TracebackType
from typing import BinaryIO

from resolvers.exports.oneroster.columns import HEADERS, MANIFEST_FILES, MANIFEST_HEADER

Row = list[str]
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
SYSTEM_NAME = "tabel"
SYSTEM_CODE = "tabel"


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, wherever the export runs
    info.external_attr = 0o100644 << 16
    return info


async def _rows(rows: Iterable[Row] | AsyncIterable[Row]) -> AsyncIterator[Row]:
    if isinstance(rows, AsyncIterable):
        async for row in rows:
            yield row
    else:
        for row in rows:
            yield row


class Bundle:
    def __init__(self, out: BinaryIO) -> None:
        self.zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED)
        self.present: set[str] = set()

    def __enter__(self) -> "Bundle":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.zip.close()

    async def file(self, name: str, rows: Iterable[Row] | AsyncIterable[Row]) -> int:
        """Writes `name.csv` with its header and the rows; nothing if there are none. The
        number of rows written."""
        stream = _rows(rows)
        first = await anext(stream, None)
        if first is None:
            return 0
        header = HEADERS[name]
        count = 0
        with (
            self.zip.open(_entry(f"{name}.csv"), "w", force_zip64=True) as raw,
            io.TextIOWrapper(raw, encoding="utf-8", newline="") as out,
        ):
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(header)
            row: Row | None = first
            while row is not None:
                assert len(row) == len(header), (name, row)
                writer.writerow(row)
                count += 1
                row = await anext(stream, None)
        self.present.add(name)
        return count

    def manifest(self) -> None:
        rows = [
            ["manifest.version", "1.0"],
            ["oneroster.version", "1.2"],
            *(
                [f"file.{name}", "bulk" if name in self.present else "absent"]
                for name in MANIFEST_FILES
            ),
            ["source.systemName", SYSTEM_NAME],
            ["source.systemCode", SYSTEM_CODE],
        ]
        with (
            self.zip.open(_entry("manifest.csv"), "w") as raw,
            io.TextIOWrapper(raw, encoding="utf-8", newline="") as out,
        ):
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(MANIFEST_HEADER)
            writer.writerows(rows)
