"""The paper side's benchmark (issue 13): a class's summary statements PDF (the largest class,
its first quarter), the school's attestation summary XLSX (the year's quarters) and the school
year's archive (`resolvers/exports/archive`), each timed in a child process of its own whose
own peak RSS Linux reports (VmHWM) — and apart, the peak of the processes that typeset its
PDFs (the largest, per template: `resolvers.printing.pdf.PEAK_KB`), on the demo school as of
2026-11-28 — at two sizes, 11 and 33 classes of 30 students, to show that the archive's memory
does not grow with the data — on SQLite and PostgreSQL. One run; prints a markdown table;
asserts nothing.

    .venv/bin/python -m bench.archive [--engines sqlite postgresql] [--classes 1 3] [--tiny]

`--tiny`: the tests' small school (3 parallels of 2 classes of 10), SQLite only — proves it
runs. PostgreSQL at 127.0.0.1:5432, in a database of the run's own, dropped at the end.
"""

import argparse
import asyncio
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import psycopg

SERVER = "postgresql://postgres@127.0.0.1:5432"
TODAY = date(2026, 11, 28)
CASES = {
    "baseline": "nothing (the child's imports, a connection, the admin's principal)",
    "statements": "a class's summary statements PDF, its 1st quarter",
    "attestation": "the school's attestation summary XLSX, the year's quarters",
    "archive": "the school year's archive",
    "archive-tables": "the year's archive, its tables and audit trail only",
}


class Discard:
    """An unseekable output that keeps nothing: the archive's bytes counted, not held."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        return None


async def _case(case: str, url: str) -> dict[str, Any]:
    """One case, in the child. The parent imports none of this: a child forked from a large
    parent would count the parent's pages in its own peak."""
    from sqlalchemy import func, select
    from sqlalchemy.ext.asyncio import AsyncSession

    import model as m
    from model.db import make_engine
    from policies.engine import PolicyEngine
    from resolvers.accounts.sign_in import principal_for_login
    from resolvers.context import Context
    from resolvers.database import Database
    from resolvers.exports import attestation_files
    from resolvers.exports.archive import bundle
    from resolvers.printing import pdf
    from resolvers.printing.summary_statements import summary_statements_pdf
    from resolvers.screens.attestation import attestation_summary
    from resolvers.screens.summary_statement import summary_statements

    engine = make_engine(url)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            db = Database(session)
            ctx = Context(
                db=db, policy=PolicyEngine(), principal=await principal_for_login(db, "admin")
            )
            school = await db.scalar(select(m.School.id).order_by(m.School.id).limit(1))
            year = await db.scalar(
                select(m.Period).where(
                    m.Period.school_id == school,
                    m.Period.kind == m.PeriodKind.YEAR,
                    m.Period.starts_on <= TODAY,
                    m.Period.ends_on >= TODAY,
                )
            )
            assert school is not None
            assert year is not None
            quarters = list(
                await db.scalars(
                    select(m.Period)
                    .where(m.Period.school_year_id == year.school_year_id,
                           m.Period.kind == m.PeriodKind.QUARTER)
                    .order_by(m.Period.number)
                )
            )  # fmt: skip
            started = time.perf_counter()
            detail, size = "", 0
            if case == "statements":
                count = func.count(m.ClassStudent.id)
                largest, students = (await db.rows(
                    select(m.ClassStudent.school_class_id, count)
                    .where(m.ClassStudent.school_year_id == year.school_year_id)
                    .group_by(m.ClassStudent.school_class_id)
                    .order_by(count.desc(), m.ClassStudent.school_class_id).limit(1)
                ))[0]  # fmt: skip
                first = quarters[0]
                answer = await summary_statements(
                    ctx, class_id=largest, date_from=first.starts_on, date_to=first.ends_on
                )
                size = len(await summary_statements_pdf(ctx, answer))
                detail = f"{students} students"
            elif case == "attestation":
                summary = await attestation_summary(ctx, school, [q.id for q in quarters])
                size = len(attestation_files.workbook(summary))
                detail = f"{sum(len(s.students) for s in summary.classes)} students"
            elif case.startswith("archive"):
                if case == "archive-tables":
                    bundle.PARTS[:] = bundle.PARTS[:2]
                out = Discard()
                await bundle.archive_zip(ctx, school, year.id, out)  # type: ignore[arg-type]
                size = out.size
                detail = year.name
            seconds = time.perf_counter() - started
            await session.rollback()
    finally:
        await engine.dispose()
    typesetting = max(pdf.PEAK_KB.values(), default=0) / 1024
    if pdf.PEAK_KB:
        detail += "; typesetting, MB: " + ", ".join(
            f"{name.removesuffix('.typ')} {kb / 1024:.0f}"
            for name, kb in sorted(pdf.PEAK_KB.items())
        )
    return {"seconds": seconds, "bytes": size, "detail": detail, "typeset_mb": typesetting}


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_mb: float
    typeset_mb: float
    size: int
    detail: str


def measure(case: str, url: str, *extra: str) -> Measured:
    """The case in a child process: its own time, and its peak RSS as the kernel counted it."""
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.archive", "--child", case, "--url", url, *extra],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).parent.parent,
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{case} failed ({child.returncode})")
    result = json.loads(output.decode().strip().splitlines()[-1])
    return Measured(
        result["seconds"], result.get("own_mb", usage.ru_maxrss / 1024),
        result.get("typeset_mb", 0.0),
        result["bytes"], result["detail"],
    )  # fmt: skip


def fill(url: str, size: list[int]) -> dict[str, Any]:
    """In the child: the newest schema, and the demo school of `size` as of TODAY."""
    from bench.run import generate
    from demo import DemoOptions
    from server.migrate import upgrade

    upgrade(url)
    started = time.perf_counter()
    parallels, per_parallel, students = size
    options = DemoOptions(
        today=TODAY,
        seed=7 if students < 30 else 2026,
        parallels=parallels,
        classes_per_parallel=per_parallel,
        students_per_class=students,
    )
    asyncio.run(generate(url, options))
    return {"seconds": time.perf_counter() - started, "bytes": 0, "detail": ""}


@contextmanager
def throwaway(url: str) -> Iterator[str]:
    """A database of the run's own (as bench.run's `--throwaway`), dropped at the end."""
    base, _, name = url.rpartition("/")
    own = f"{name}_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{own}"')
    try:
        yield f"{base}/{own}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')


def run_at(engine_name: str, url: str, size: list[int], rows: list[str]) -> None:
    parallels, per_parallel, students = size
    took = measure("fill", url, "--size", *map(str, size)).seconds
    school = f"{parallels * per_parallel} × {students}"
    print(f"  {engine_name}, {school}: generated in {took:.0f} s", file=sys.stderr)
    for case in CASES:
        result = measure(case, url)
        rows.append(
            f"| {engine_name} | {school} | {case} | {result.seconds:.2f} | {result.peak_mb:.0f} "
            f"| {result.typeset_mb:.0f} | {result.size / 1e6:.2f} | {result.detail} |"
        )
        print(rows[-1], file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument(
        "--classes", nargs="+", type=int, default=[1, 3],
        help="classes per parallel, one school size each (default: 1 3)",
    )  # fmt: skip
    parser.add_argument("--tiny", action="store_true", help="the tests' small school, SQLite")
    parser.add_argument("--child", choices=[*CASES, "fill"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--size", nargs=3, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "fill":
        print(json.dumps(fill(args.url, args.size)))
        return
    if args.child:
        result = asyncio.run(_case(args.child, args.url))
        # Its own peak, not its typesetting children's (which wait4 would add).
        status = Path("/proc/self/status").read_text().splitlines()
        own = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
        print(json.dumps({**result, "own_mb": own / 1024}))
        return
    signal.signal(signal.SIGTERM, _stop)
    sizes = [[11, n, 30] for n in args.classes]
    engines = args.engines
    if args.tiny:
        sizes, engines = [[3, 2, 10]], ["sqlite"]
    load = os.getloadavg()
    rows = ["| engine | school (classes × students) | case | seconds | peak RSS MB "
            "| typesetting peak MB | output MB | of |",
            "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for engine_name in engines:
        for options in sizes:
            if engine_name == "sqlite":
                with tempfile.TemporaryDirectory() as folder:
                    run_at(engine_name, f"sqlite:///{folder}/bench.sqlite3", options, rows)
            else:
                with throwaway(f"{SERVER}/tabel_bench_archive") as url:
                    run_at(engine_name, url, options, rows)
    after = os.getloadavg()
    print(f"load average {load[0]:.2f} before, {after[0]:.2f} after")
    print("\n".join(rows))
    for case, what in CASES.items():
        print(f"- {case}: {what}")


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # the databases' cleanups run


if __name__ == "__main__":
    main()
