"""Typesets one document in a process of its own: `python -I typeset.py` reads the job as JSON
on its standard input (the template, the folder it may read, its data, the fixed creation
time), writes the PDF to its standard output and, on its standard error, the most memory it
held (`peak_kb=…`, Linux's VmHWM; the benchmark reports it).

It imports nothing of tabel's, only Typst: the child starts in about 60 ms. Typst keeps what it
has laid out in caches that only grow in the process that runs it (a school's attestation
summary took a gigabyte); in a child the memory goes back when the document is done, and the
CPU it takes is not the server's event loop's."""

import json
import sys
from datetime import datetime

import typst


def main() -> None:
    job = json.load(sys.stdin)
    compiler = typst.Compiler(
        job["template"],
        root=job["root"],
        font_paths=typst.Fonts(include_system_fonts=False),
        ignore_system_fonts=True,
        sys_inputs={"data": job["data"]},
    )
    pdf = compiler.compile(format="pdf", timestamp=datetime.fromisoformat(job["timestamp"]))
    assert isinstance(pdf, bytes)
    sys.stdout.buffer.write(pdf)
    try:
        with open("/proc/self/status") as status:
            peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
        print(f"peak_kb={peak}", file=sys.stderr)
    except (OSError, StopIteration):  # not Linux
        pass


if __name__ == "__main__":
    main()
