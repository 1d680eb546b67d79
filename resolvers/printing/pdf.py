"""PDFs typeset by Typst (PyPI `typst`): the wheel ships its compiler and fonts, so Cyrillic
renders on a bare machine. Only the fonts it embeds are used (Libertinus Serif, DejaVu Sans
Mono), never the server's: a document looks the same on every server and every day.

A template is a `.typ` file beside this module; it reads its data as JSON from
`sys.inputs.data`, so what people typed is set as text and never read as Typst markup.

A server's PDF is typeset in a child process (`typeset.py`), `AT_ONCE` at a time per process:
Typst takes a few milliseconds of CPU a page and keeps its layouts in memory for as long as
its process lives, so a year's archive typeset in the server would leave it a gigabyte larger;
the child gives it all back. `render` typesets in this process (PNG pages to look at)."""

import asyncio
import json
import re
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from weakref import WeakKeyDictionary

import typst

TEMPLATES = Path(__file__).parent
# Fixed, so the same data gives the same bytes (the PDF's creation date is not the server's).
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
AT_ONCE = 2  # documents typeset at the same time by one server process
# The most memory a typesetting child of this process held, by template (bench/archive.py).
PEAK_KB: dict[str, int] = {}
_TYPESETTING: "WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]" = (
    WeakKeyDictionary()
)


def render(
    template: str, data: Mapping[str, Any], *, format: Literal["pdf", "png"] = "pdf"
) -> list[bytes]:
    """The document's bytes: one PDF, or one PNG per page."""
    compiler = typst.Compiler(
        TEMPLATES / template,
        root=TEMPLATES,
        font_paths=typst.Fonts(include_system_fonts=False),
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
    )
    output = compiler.compile(format=format, ppi=110 if format == "png" else None, timestamp=_EPOCH)
    if isinstance(output, bytes):
        return [output]
    assert output is not None
    return list(output)


async def render_pdf(template: str, data: Mapping[str, Any]) -> bytes:
    job = {
        "template": str(TEMPLATES / template),
        "root": str(TEMPLATES),
        "data": json.dumps(data, ensure_ascii=False),
        "timestamp": _EPOCH.isoformat(),
    }
    loop = asyncio.get_running_loop()
    async with _TYPESETTING.setdefault(loop, asyncio.Semaphore(AT_ONCE)):
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-I", str(TEMPLATES / "typeset.py"),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        pdf, error = await child.communicate(json.dumps(job).encode())
    if child.returncode != 0:
        raise RuntimeError(f"typesetting {template} failed: {error.decode(errors='replace')}")
    if peak := re.search(rb"peak_kb=(\d+)", error):
        PEAK_KB[template] = max(PEAK_KB.get(template, 0), int(peak.group(1)))
    return pdf
