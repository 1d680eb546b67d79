"""The school afternoon (issue 14): teachers enter grades for an afternoon while every parent
is subscribed to their children's grades by e-mail; the notifications go out through the
real SMTP channel to a local SMTP sink. Prints how long each e-mail took from the grade's
commit to its arrival (p50/p99), checks that each arrived exactly once, and measures what
notifying adds to `gradesSet`: the same request, alternated in one run, against a server of
the revision before the notifications (`--before`, a git worktree of it), one of this
revision whose outbox another process delivers (as with `tabel worker`), and the afternoon's
server, which delivers in its own process.

    .venv/bin/python -m bench.notifications [--tiny] [--grades 1000] [--teachers 60]
        [--minutes 10] [--before REV] [--database-url URL]

The database (default `tabel_notify`; `--throwaway`, on in CI, makes one of the run's own)
is prepared as bench/run.py prepares its own (the demo school as of 2026-11-28). The server is
`tabel serve` with production settings and its in-process delivery worker, the settling time
of grades set to 0 (production waits `TABEL_NOTIFICATION_SETTLE_SECONDS`, 180 s, so that a
correction is told once: that wait is policy, not cost, and is left out of the delay here).
A benchmark: nothing fails on a slow figure; it exits 1 when an e-mail is lost or doubled."""

import argparse
import asyncio
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from pathlib import Path
from typing import Any

import orjson
import psycopg
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from bench import load
from bench.client import Request
from bench.outcomes import Session as Client
from bench.outcomes import label, percentile
from bench.run import (
    IN_CI,
    TINY,
    database_url,
    free_port,
    prepare,
    serving,
    stop_on_sigterm,
    throwaway_database,
)
from bench.shapes import TODAY, to_gid
from demo import DemoOptions

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "f6c2443"  # the last revision before issue 14's notifications
KEY = re.compile(r"[0-9a-f]{32}")


# ---------------------------------------------------------------------------------------------
# The SMTP sink


@dataclass
class Arrival:
    at: float  # wall clock, seconds
    key: str
    to: tuple[str, ...]
    subject: str


@dataclass
class Sink:
    """Every message the SMTP server accepted, with its time and idempotency key."""

    arrivals: list[Arrival] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        content = envelope.original_content or b""
        parsed = message_from_bytes(content)
        found = KEY.search(str(parsed.get("Message-ID", "")))
        arrival = Arrival(
            time.time(),
            found.group(0) if found else "",
            tuple(envelope.rcpt_tos),
            str(parsed.get("Subject", "")),
        )
        with self.lock:
            self.arrivals.append(arrival)
        return "250 OK"


@contextmanager
def smtp_sink() -> Iterator[tuple[Sink, int]]:
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


# ---------------------------------------------------------------------------------------------
# The school's parents, subscribed


def subscribe_parents(connection: psycopg.Connection[Any]) -> int:
    """Every parent told of each child's grades by e-mail (and in the app), with an address;
    the parents' accounts active. The number of (parent, child) subscriptions."""
    connection.execute(
        "UPDATE person SET email = 'parent' || id || '@example.test' WHERE email IS NULL"
        " AND id IN (SELECT parent_id FROM guardianship)"
    )
    connection.execute("DELETE FROM notification_subscription")
    connection.execute(
        "INSERT INTO notification_subscription (school_id, person_id, student_id, topic, channels)"
        " SELECT DISTINCT cs.school_id, g.parent_id, g.child_id, 'grade', 'email in_app'"
        " FROM guardianship g JOIN (SELECT c.school_id, s.student_id FROM class_student s"
        " JOIN school_class c ON c.id = s.school_class_id) cs ON cs.student_id = g.child_id"
    )
    count = connection.execute("SELECT count(*) FROM notification_subscription").fetchone()
    connection.commit()
    return int(count[0]) if count else 0


def notifications_of(connection: psycopg.Connection[Any], since: datetime) -> dict[str, Any]:
    rows = connection.execute(
        "SELECT key, channel, status, created_at, sent_at FROM notification WHERE created_at >= %s",
        [since],
    ).fetchall()
    return {row[0]: row[1:] for row in rows}


# ---------------------------------------------------------------------------------------------
# The afternoon


def _one_grade(writer: load.Writer) -> tuple[int, dict[str, Any]] | None:
    """A new grade in one of the writer's free cells (each cell once)."""
    for lesson, cells in writer.lessons.items():
        while cells:
            cell = cells.pop()
            if cell in writer.cells:
                continue
            writer.cells[cell] = load.Standing()
            entry = {
                "studentId": to_gid("Person", cell.student),
                "workTypeId": to_gid("WorkType", cell.work_type),
                "mark": random.choice(writer.marks[lesson]),
            }
            return lesson, entry
    return None


def _payload(lesson: int, entry: dict[str, Any]) -> bytes:
    variables = {"input": {"lessonId": to_gid("Lesson", lesson), "grades": [entry]}}
    return orjson.dumps({"query": load.GRADES_SET, "variables": variables})


def _raw(base: str, token: str, body: bytes) -> bytes:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    return Request(f"{base}/graphql", body, headers).raw()


@dataclass
class Afternoon:
    sent: int = 0
    answers: Counter[str] = field(default_factory=Counter)
    ms: list[float] = field(default_factory=list)
    seconds: float = 0.0


# Past this, uvicorn has closed a keep-alive connection (after 5 s): a teacher's next grade
# comes on a new one, as from a browser.
IDLE_SECONDS = 2.0


async def afternoon(
    base: str, writers: list[load.Writer], grades: int, seconds: float
) -> Afternoon:
    """`grades` gradesSet requests of one grade each, at times spread evenly over `seconds`
    (with jitter), dealt to the writers in turn; each writer sends its own in order."""
    result = Afternoon()
    start = time.perf_counter()
    times = sorted(random.uniform(0, seconds) for _ in range(grades))
    plans: list[list[float]] = [[] for _ in writers]
    for n, at in enumerate(times):
        plans[n % len(writers)].append(at)

    async def teacher(writer: load.Writer, plan: list[float]) -> None:
        client = Client(Request(f"{base}/graphql", b"", {}).address, 30.0)
        for at in plan:
            chosen = _one_grade(writer)
            if chosen is None:
                result.answers["no free cell"] += 1
                continue
            idle = start + at - time.perf_counter()
            await asyncio.sleep(max(0.0, idle))
            if idle > IDLE_SECONDS:  # as a browser would: the server closed the idle connection
                await client.close()
            asked = time.perf_counter()
            reply = await client.ask(_raw(base, writer.token, _payload(*chosen)))
            result.sent += 1
            if isinstance(reply, str):
                result.answers[reply] += 1
            else:
                result.answers[label(reply)] += 1
                result.ms.append((time.perf_counter() - asked) * 1000)
        await client.close()

    await asyncio.gather(*(teacher(w, p) for w, p in zip(writers, plans, strict=True)))
    result.seconds = time.perf_counter() - start
    return result


def wait_delivered(url: str, since: datetime, limit: float) -> float:
    """Seconds until no e-mail notification of the run is queued or sending (at most `limit`)."""
    started = time.perf_counter()
    with psycopg.connect(url) as connection:
        while time.perf_counter() - started < limit:
            left = connection.execute(
                "SELECT count(*) FROM notification WHERE created_at >= %s AND channel = 'email'"
                " AND status IN ('queued', 'sending')",
                [since],
            ).fetchone()
            connection.commit()
            if left and left[0] == 0:
                break
            time.sleep(0.2)
    return time.perf_counter() - started


# ---------------------------------------------------------------------------------------------
# gradesSet before and after


@contextmanager
def revision_tree(revision: str) -> Iterator[Path]:
    """A checkout of `revision` beside this one, sharing its .venv, removed afterwards."""
    where = Path(tempfile.mkdtemp(prefix="tabel-before-"))
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), revision],
        check=True,
        capture_output=True,
    )
    (where / ".venv").symlink_to(ROOT / ".venv")
    try:
        yield where
    finally:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(where)],
            check=False,
            capture_output=True,
        )


async def alternate(
    bases: dict[str, str], writers: dict[str, load.Writer], requests: int
) -> dict[str, list[float]]:
    """`requests` one-grade gradesSet requests to each server, alternated, one at a time."""
    clients = {
        name: Client(Request(f"{base}/graphql", b"", {}).address, 30.0)
        for name, base in bases.items()
    }
    timings: dict[str, list[float]] = {name: [] for name in bases}
    for n in range(requests * len(bases)):
        name = list(bases)[n % len(bases)]
        chosen = _one_grade(writers[name])
        if chosen is None:
            break
        asked = time.perf_counter()
        reply = await clients[name].ask(_raw(bases[name], writers[name].token, _payload(*chosen)))
        if not isinstance(reply, str) and label(reply) == "200 ok":
            timings[name].append((time.perf_counter() - asked) * 1000)
    for client in clients.values():
        await client.close()
    return timings


# ---------------------------------------------------------------------------------------------


def serve_env(url: str, smtp_port: int | None) -> dict[str, str]:
    env = {
        "TABEL_DATABASE_URL": url,
        "TABEL_ALLOW_DEMO_CREDENTIALS": "true",
        "TABEL_LESSON_PLANNING_HOURS": "0",
        "TABEL_WORKERS": "1",
        "TABEL_CALLER_RATE_PER_SECOND": "0",
        "TABEL_CALLER_BYTES_PER_SECOND": "0",
        "TABEL_NOTIFICATION_SETTLE_SECONDS": "0",
    }
    if smtp_port is not None:
        env |= {
            "TABEL_SMTP_HOST": "127.0.0.1",
            "TABEL_SMTP_PORT": str(smtp_port),
            "TABEL_SMTP_SECURITY": "none",  # the local sink speaks plain SMTP
            "TABEL_SMTP_FROM": "journal@school.example.test",
        }
    return env


def ms(values: list[float], p: int) -> str:
    return f"{percentile(values, p):.1f}" if values else "—"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tiny", action="store_true", help="the tests' small school, 30 s")
    parser.add_argument("--grades", type=int, default=None, help="1000; tiny 60")
    parser.add_argument("--teachers", type=int, default=None, help="60; tiny 6")
    parser.add_argument("--minutes", type=float, default=None, help="10; tiny 0.5")
    parser.add_argument("--requests", type=int, default=None, help="before/after, each: 200; 10")
    parser.add_argument("--before", default=BEFORE, help=f"the revision before ({BEFORE})")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--throwaway", action=argparse.BooleanOptionalAction, default=IN_CI)
    args = parser.parse_args()
    grades = args.grades or (60 if args.tiny else 1000)
    teachers = args.teachers or (6 if args.tiny else 60)
    seconds = 60 * (args.minutes or (0.5 if args.tiny else 10.0))
    requests = args.requests or (10 if args.tiny else 200)
    url = args.database_url or database_url("tabel_notify_ci" if args.tiny else "tabel_notify")
    stop_on_sigterm()
    with throwaway_database(url) if args.throwaway else nullcontext(url) as own:
        sys.exit(run(own, args, grades, teachers, seconds, requests))


def run(
    url: str, args: argparse.Namespace, grades: int, teachers: int, seconds: float, requests: int
) -> int:
    prepare(url, TINY if args.tiny else DemoOptions(today=TODAY))
    with psycopg.connect(url) as connection:
        subscriptions = subscribe_parents(connection)
        team = load.plan(connection, teachers + 1, teachers + 1).writers
    # One teacher for the three servers compared: the same lessons, the same class sizes.
    afternoon_team, comparing = team[:teachers], team[-1]
    load_before = os.getloadavg()
    since = datetime.now(UTC)
    command = [sys.executable, "-m", "server.cli", "serve"]
    with smtp_sink() as (sink, smtp_port), tempfile.TemporaryFile() as log:
        port = free_port()
        with serving([*command, "--port", str(port)], serve_env(url, smtp_port), port, log) as base:
            day = asyncio.run(afternoon(base, afternoon_team, grades, seconds))
            drained = wait_delivered(url, since, 120.0)
            with psycopg.connect(url) as connection:
                rows = notifications_of(connection, since)
            with revision_tree(args.before) as before_tree:
                before_port, after_port = free_port(), free_port()
                os.chdir(before_tree)
                try:
                    with (
                        serving(
                            [*command, "--port", str(before_port)],
                            serve_env(url, None),
                            before_port,
                        ) as before_base,
                        serving(
                            [*command, "--port", str(after_port)],
                            serve_env(url, None) | {"TABEL_NOTIFICATION_WORKER": "false"},
                            after_port,
                        ) as after_base,
                    ):
                        compared = asyncio.run(
                            alternate(
                                {"before": before_base, "after": after_base, "delivering": base},
                                dict.fromkeys(("before", "after", "delivering"), comparing),
                                requests,
                            )
                        )
                finally:
                    os.chdir(ROOT)
    load_after = os.getloadavg()
    emails = {key: row for key, row in rows.items() if row[0] == "email"}
    sent = {key: row for key, row in emails.items() if row[1] == "sent"}
    arrived = Counter(a.key for a in sink.arrivals if a.key in emails)
    others = sum(1 for a in sink.arrivals if a.key not in emails)
    delays = sorted(
        (a.at - emails[a.key][2].timestamp()) * 1000 for a in sink.arrivals if a.key in emails
    )
    lost = sorted(set(sent) - set(arrived))
    doubled = sorted(key for key, n in arrived.items() if n > 1)
    statuses = Counter(row[1] for row in emails.values())
    print(f"\n## School afternoon: {grades} grades from {len(afternoon_team)} teachers")
    print(f"\nload average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min)")
    print(f"subscriptions (parent × child, grades by e-mail): {subscriptions}")
    print(
        f"gradesSet sent {day.sent} in {day.seconds:.0f} s: "
        + ", ".join(f"{k} {v}" for k, v in sorted(day.answers.items()))
        + f"; p50 {ms(day.ms, 50)} ms, p99 {ms(day.ms, 99)} ms"
    )
    print(
        f"e-mail notifications: {len(emails)} ("
        + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        + f"); arrived at the SMTP sink {arrived.total()}, distinct keys {len(arrived)}"
        f" (and {others} the demo had queued before);"
        f" lost {len(lost)}, doubled {len(doubled)}; drained {drained:.1f} s after the last grade"
    )
    print("\n| commit → e-mail arrival | p50 ms | p99 ms | max ms |")
    print("|---|---|---|---|")
    print(
        f"| {len(delays)} e-mails | {ms(delays, 50)} | {ms(delays, 99)} | "
        f"{(max(delays) if delays else float('nan')):.1f} |"
    )
    print(f"\n| gradesSet, one grade, {requests} each, alternated | p50 ms | p99 ms |")
    print("|---|---|---|")
    servers = {
        "before": f"{args.before}, before the notifications",
        "after": "this revision, its outbox written; delivered elsewhere (`tabel worker`)",
        "delivering": "this revision, delivering in the same process (`tabel serve` alone)",
    }
    for name, values in compared.items():
        print(f"| {servers[name]} | {ms(values, 50)} | {ms(values, 99)} |")
    before, after = compared["before"], compared["after"]
    if before and after:
        print(
            f"\nadded to gradesSet's p50: {percentile(after, 50) - percentile(before, 50):+.1f} ms"
            f" (×{percentile(after, 50) / percentile(before, 50):.2f})"
        )
    return 1 if lost or doubled else 0


if __name__ == "__main__":
    main()
