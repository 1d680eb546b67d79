"""PDFs typeset by Typst (PyPI `typst`): the wheel ships its compiler and fonts, so Cyrillic
renders on a bare machine. Only the fonts it embeds are used (Libertinus Serif, DejaVu Sans
Mono), never the server's: a document looks the same on every server and every day.

A template is a `.typ` file beside this module; it reads its data as JSON from
`sys.inputs.data`, so what people typed is set as text and never read as Typst markup. Typst
takes a few milliseconds a page of CPU: it runs in a thread, off the event loop."""

import asyncio
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import typst

TEMPLATES = Path(__file__).parent
# Fixed, so the same data gives the same bytes (the PDF's creation date is not the server's).
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


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
    [pdf] = await asyncio.to_thread(render, template, data)
    return pdf
