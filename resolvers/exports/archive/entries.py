"""The bundle's zip, written as a stream and the same bytes for the same files: every entry
dated alike, with the same attributes, deflated at one level; the output is never sought
back (a data descriptor follows each entry), so a pipe, a socket or a file all get the same
bytes. Each file is hashed as it is written; what was written is kept for the manifest."""

import hashlib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import IO, BinaryIO

LEVEL = 6
MODE = 0o100644  # a regular file, rw-r--r--
UNIX = 3
EARLIEST = (1980, 1, 1, 0, 0, 0)  # the first moment a zip entry can be dated


@dataclass(frozen=True)
class Entry:
    name: str
    size: int
    sha256: str
    rows: int | None  # data rows of a table, lines of the audit trail; None for a document


class _Forward:
    """Only `write` and `flush`: zipfile then writes as to an unseekable stream, always."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out

    def write(self, data: bytes) -> int:
        self._out.write(data)
        return len(data)

    def flush(self) -> None:
        self._out.flush()


class EntryWriter:
    """One file of the bundle being written: its bytes go to the zip and to its hash."""

    def __init__(self, target: IO[bytes]) -> None:
        self._target = target
        self._hash = hashlib.sha256()
        self.size = 0
        self.rows: int | None = None

    def write(self, data: bytes) -> None:
        self._target.write(data)
        self._hash.update(data)
        self.size += len(data)

    def flush(self) -> None:
        self._target.flush()

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


class BundleZip:
    def __init__(self, out: BinaryIO, dated: datetime) -> None:
        self._zip = zipfile.ZipFile(_Forward(out), "w")  # type: ignore[call-overload]
        stamp = (dated.year, dated.month, dated.day, dated.hour, dated.minute, dated.second)
        self._date_time = max(stamp, EARLIEST)
        self.entries: list[Entry] = []

    def info(self, name: str) -> zipfile.ZipInfo:
        """An entry dated and marked as every entry of the bundle (and of its workbooks)."""
        info = zipfile.ZipInfo(name, date_time=self._date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info._compresslevel = LEVEL  # type: ignore[attr-defined]  # ZipInfo has no public one
        info.create_system = UNIX
        info.external_attr = MODE << 16
        return info

    @contextmanager
    def file(self, name: str) -> Iterator[EntryWriter]:
        if any(entry.name == name for entry in self.entries):
            raise ValueError(f"the bundle has a {name} already")
        with self._zip.open(self.info(name), "w") as target:
            writer = EntryWriter(target)
            yield writer
        self.entries.append(Entry(name, writer.size, writer.sha256, writer.rows))

    def add(self, name: str, data: bytes, rows: int | None = None) -> None:
        with self.file(name) as writer:
            writer.write(data)
            writer.rows = rows

    def close(self) -> None:
        self._zip.close()
