"""An XLSX made elsewhere (openpyxl, `exports.sheets`) made reproducible: openpyxl dates its
zip's entries and the workbook's «modified» by the clock; repacked, every entry is dated and
marked as the bundle's are and «modified» is the workbook's «created» (fixed by `sheets`)."""

import io
import re
import zipfile
from collections.abc import Callable

_MODIFIED = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")
_CREATED = re.compile(rb"<dcterms:created[^>]*>([^<]*)</dcterms:created>")


def repacked(document: bytes, info: Callable[[str], zipfile.ZipInfo]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(document)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "docProps/core.xml":
                created = _CREATED.search(data)
                stamp = created.group(1) if created else b"2026-01-01T00:00:00Z"
                modified = (
                    rb"<dcterms:modified\1>" + stamp.replace(b"\\", b"") + b"</dcterms:modified>"
                )
                data = _MODIFIED.sub(modified, data)
            target.writestr(info(member.filename), data)
    return out.getvalue()
