"""CPU time of processes on this machine, read from /proc: a server's process group (its
uvicorn workers with it) and PostgreSQL's processes, so that a bench can say how many
milliseconds of each one request cost. Linux only; elsewhere every figure is 0."""

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
SERVED: dict[str, int] = {}  # a server's base URL → its process group (bench.run.serving)


def _stats() -> list[tuple[str, int, float]]:
    """(command name, process group, user + system CPU seconds) of every process."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # gone meanwhile
            continue
        name, rest = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :]
        fields = rest.split()
        found.append((name, int(fields[2]), (int(fields[11]) + int(fields[12])) / TICK))
    return found


def seconds(base: str) -> tuple[float, float]:
    """CPU seconds used so far by the server at `base` (its whole process group) and by all of
    PostgreSQL's processes."""
    group = SERVED.get(base)
    stats = _stats()
    server = sum(cpu for _, pgrp, cpu in stats if pgrp == group) if group else 0.0
    postgres = sum(cpu for name, _, cpu in stats if name.startswith("postgres"))
    return server, postgres
