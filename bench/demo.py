"""The demo as a newcomer meets it: `tabel serve --demo` on embedded SQLite, every GraphiQL
example as its role and every screen, timed over HTTP from the real server (issue 10).

    .venv/bin/python -m bench.demo [--runs 30] [--database PATH] [--only overview,login]

Generates the demo school into a temporary SQLite file as `serve --demo` does (migrations,
then `generate_demo`, as of 2026-11-28), or uses `--database PATH` (generated there when
missing, brought to the newest schema when present), starts `python -m server.cli serve
--demo` on a free port, signs in once per role, and sends every document `--runs` times
round-robin over one keep-alive connection after a warm-up. Prints a markdown table: p50 and
p99 per document and for `login`, the bytes of each answer, the load average before and
after, and whether the targets are met (≤ 300 ms p50 per document, ≤ 150 ms p50 for
`login`). It asserts nothing about time; it fails only when a document answers an error.
See bench/README.md, "The demo on SQLite".
"""

import argparse
import asyncio
import math
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench.client import Connection, Request
from bench.run import free_port, generate, serving
from bench.shapes import DIARY_QUERY, GRID_QUERY, JOURNAL_QUERY, TODAY, to_gid
from demo import DemoOptions
from server.graphiql_examples import EXAMPLES
from server.migrate import upgrade

SCREEN_MS = 300.0  # every GraphiQL example and every screen, p50 (issue 10)
LOGIN_MS = 150.0
ROLES = ("admin", "head", "deputy", "teacher", "class_teacher", "psychologist", "student", "parent")
LOGIN = 'mutation($login: String!) { login(login: $login, password: "demo") { token } }'


@dataclass(frozen=True)
class Document:
    """One measured request: a GraphQL document with its variables, sent as `role`."""

    name: str
    role: str  # a demo login, or "" for nobody (the sign-in itself)
    query: str
    variables: dict[str, Any] = field(default_factory=dict)
    target_ms: float = SCREEN_MS
    kind: str = "screen"  # or "example", "login"


@dataclass
class Timings:
    ms: list[float] = field(default_factory=list)
    payload: int = 0
    error: str | None = None

    @property
    def p50(self) -> float:
        return statistics.median(self.ms)

    @property
    def p99(self) -> float:
        ordered = sorted(self.ms)
        return ordered[max(0, math.ceil(len(ordered) * 0.99) - 1)]


# ---------------------------------------------------------------------------------------------
# The database


def prepare(path: Path, today: date) -> None:
    """The newest schema (as `serve --demo` brings it), and the demo school if there is none."""
    url = f"sqlite:///{path}"
    upgrade(url)
    with sqlite3.connect(path) as connection:
        (schools,) = connection.execute("SELECT count(*) FROM school").fetchone()
    if schools:
        return
    print(f"generating the demo school into {path} as of {today}…", file=sys.stderr)
    started = time.perf_counter()
    asyncio.run(generate(url, DemoOptions(today=today)))
    print(f"  generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)


@contextmanager
def database(path: str | None) -> Iterator[Path]:
    if path is not None:
        yield Path(path)
        return
    with tempfile.TemporaryDirectory(prefix="tabel-demo-") as folder:
        yield Path(folder) / "demo.sqlite3"


# ---------------------------------------------------------------------------------------------
# What is measured: every screen, with variables picked from the demo school


def _one(connection: sqlite3.Connection, sql: str, **params: Any) -> tuple[Any, ...]:
    row = connection.execute(sql, params).fetchone()
    if row is None:
        raise LookupError(f"the demo school has nothing for {' '.join(sql.split())[:200]}")
    return tuple(row)


HEADS_SCHOOL = """SELECT r.school_id FROM school_role r JOIN account a ON a.person_id = r.person_id
  WHERE a.login = 'head' AND r.role = 'head' ORDER BY r.school_id LIMIT 1"""
# The school's shortest period holding «today» (a quarter), and a class's of its own kind.
SCHOOL_PERIOD = """SELECT id FROM period WHERE school_id = :school
  AND :today BETWEEN starts_on AND ends_on ORDER BY julianday(ends_on) - julianday(starts_on), id
  LIMIT 1"""
CLASS_PERIOD = """SELECT p.id FROM period p JOIN school_class c ON c.id = :class
  WHERE p.school_year_id = c.school_year_id AND p.kind = c.period_kind
    AND :today BETWEEN p.starts_on AND p.ends_on"""
# The school's group × subject with most grades in its class's current period: a senior class.
LARGEST_GRID = """SELECT l.group_id, l.subject_id, p.id FROM lesson l
  JOIN study_group sg ON sg.id = l.group_id JOIN school_class c ON c.id = sg.school_class_id
  JOIN period p ON p.school_year_id = c.school_year_id AND p.kind = c.period_kind
   AND :today BETWEEN p.starts_on AND p.ends_on
  JOIN grade g ON g.lesson_id = l.id
  WHERE l.school_id = :school AND l.held_on BETWEEN p.starts_on AND p.ends_on
  GROUP BY 1, 2, 3 ORDER BY count(*) DESC, 1, 2 LIMIT 1"""
TEACHERS_GRID = """SELECT t.group_id, g.school_class_id, t.subject_id FROM timetable_entry t
  JOIN account a ON a.person_id = t.teacher_id JOIN study_group g ON g.id = t.group_id
  WHERE a.login = 'teacher' ORDER BY g.kind, t.id LIMIT 1"""
CLASS_TEACHERS_CLASS = """SELECT c.id FROM school_class c
  JOIN account a ON a.person_id = c.class_teacher_id WHERE a.login = 'class_teacher'
  ORDER BY c.id LIMIT 1"""

OVERVIEW = """query Overview($school: ID!, $period: ID!) {
  schoolOverview(schoolId: $school, periodId: $period) {
    rows(first: 100) {
      totalCount
      nodes { schoolClass { id name } subject { id name } average weightedAverage gradeCount
              lessonsHeld lessonsWithoutTopic lessonsWithoutHomework }
      pageInfo { hasNextPage endCursor }
    }
  }
}"""
CONTROL = """query Control($school: ID!) {
  journalControl(schoolId: $school, first: 50) {
    totalCount
    nodes { teacher { fullName } schoolClass { name } subject { name }
      lessonsHeld lessonsWithoutTopic lessonsWithoutAttendance lessonsWithoutGrades
      lessonsWithoutHomework lateGrades lateAttendance lateHomework missingFinalGrades }
    pageInfo { hasNextPage endCursor }
  }
}"""
RATING = """query Rating {
  activityRating { totalCount nodes { rank score filledPercent onTimePercent school { name } } }
}"""
AVERAGES = """query Averages($class: ID!) {
  gradeAverages(filter: {classId: $class}, first: 100) {
    totalCount
    nodes { student { shortName } subject { name } average weightedAverage gradeCount }
  }
}"""
TEACHERS_GRADES = """query RecentGrades {
  grades(first: 20) { totalCount edges { node { mark student { shortName } } } }
}"""


def screens(path: Path, today: date) -> list[Document]:
    with sqlite3.connect(path) as c:
        (school,) = _one(c, HEADS_SCHOOL)
        (period,) = _one(c, SCHOOL_PERIOD, school=school, today=today.isoformat())
        group, subject, grid_period = _one(c, LARGEST_GRID, school=school, today=today.isoformat())
        t_group, t_class, t_subject = _one(c, TEACHERS_GRID)
        (t_period,) = _one(c, CLASS_PERIOD, **{"class": t_class, "today": today.isoformat()})
        (journal_class,) = _one(c, CLASS_TEACHERS_CLASS)
        (student,) = _one(c, "SELECT person_id FROM account WHERE login = 'student'")
    monday = today - timedelta(days=today.weekday() + 14)

    def grid(group: int, subject: int, period: int) -> dict[str, Any]:
        return {
            "group": to_gid("Group", group),
            "subject": to_gid("Subject", subject),
            "period": to_gid("Period", period),
        }

    journal = {
        "class": to_gid("SchoolClass", journal_class),
        "from": monday.isoformat(),
        "to": (monday + timedelta(days=13)).isoformat(),
    }
    diary = {"student": to_gid("Person", student), "week": (today - timedelta(7)).isoformat()}
    overview = {"school": to_gid("School", school), "period": to_gid("Period", period)}
    return [
        Document("sign in", "", LOGIN, {"login": "head"}, LOGIN_MS, "login"),
        Document("grade grid, largest", "head", GRID_QUERY, grid(group, subject, grid_period)),
        Document(
            "grade grid, own group", "teacher", GRID_QUERY, grid(t_group, t_subject, t_period)
        ),
        Document("class journal, 2 weeks", "class_teacher", JOURNAL_QUERY, journal),
        Document("diary week", "student", DIARY_QUERY, diary),
        Document("school overview", "head", OVERVIEW, overview),
        Document("journal control", "head", CONTROL, {"school": overview["school"]}),
        Document("activity rating", "head", RATING),
        Document("grade averages, a class", "class_teacher", AVERAGES, {"class": journal["class"]}),
        Document("grades, first 20 with totalCount", "teacher", TEACHERS_GRADES),
    ]


def examples(base: str, tokens: dict[str, str], today: date) -> list[Document]:
    """GraphiQL's example documents (server/graphiql_examples.py), each as its role (one for
    anyone signed in: as the head), its variables looked up as GraphiQL's page does."""
    documents = []
    with httpx.Client(timeout=60) as client:
        for example in EXAMPLES:
            role = example.role or "head"
            looked_up: Any = {}
            if example.lookup:
                reply = client.post(
                    f"{base}/graphql",
                    json={"query": example.lookup},
                    headers={"Authorization": f"Bearer {tokens[role]}"},
                ).json()
                looked_up = reply.get("data") or {}
            try:
                variables = example.variables(looked_up, today)
            except (KeyError, IndexError, TypeError) as error:
                print(f"example {example.title!r}: no variables ({error!r})", file=sys.stderr)
                variables = {}
            documents.append(
                Document(
                    f"example: {example.title}", role, example.document, variables, kind="example"
                )
            )
    return documents


# ---------------------------------------------------------------------------------------------
# Measuring


def sign_in(base: str) -> dict[str, str]:
    tokens = {}
    with httpx.Client(timeout=60) as client:
        for role in ROLES:
            reply = client.post(
                f"{base}/graphql", json={"query": LOGIN, "variables": {"login": role}}
            ).json()
            if reply.get("data") and reply["data"].get("login"):
                tokens[role] = reply["data"]["login"]["token"]
    return tokens


def request(base: str, document: Document, tokens: dict[str, str]) -> Request:
    headers = {"Content-Type": "application/json"}
    if document.role:
        headers["Authorization"] = f"Bearer {tokens[document.role]}"
    body = orjson.dumps({"query": document.query, "variables": document.variables})
    return Request(f"{base}/graphql", body, headers)


def _error(body: bytes) -> str | None:
    try:
        answer = orjson.loads(body)
    except orjson.JSONDecodeError:
        return "no JSON answer"
    errors = answer.get("errors") if isinstance(answer, dict) else None
    if not errors:
        return None
    first = errors[0]
    return f"{first.get('extensions', {}).get('code')}: {first.get('message', '')[:120]}"


async def measure(requests: list[Request], runs: int, warm_up: int) -> list[Timings]:
    """Round-robin over every document, `runs` times after `warm_up` rounds, over one
    keep-alive connection: drift in the machine's load hits all of them alike."""
    timings = [Timings() for _ in requests]
    raw = [r.raw() for r in requests]
    connection = await Connection.open(requests[0].address)
    try:
        for round_number in range(warm_up + runs):
            for index, payload in enumerate(raw):
                if timings[index].error:
                    continue
                started = time.perf_counter()
                reply = await connection.exchange(payload)
                elapsed = (time.perf_counter() - started) * 1000
                if round_number == 0:
                    timings[index].error = _error(reply.body)
                    timings[index].payload = len(reply.body)
                if round_number >= warm_up:
                    timings[index].ms.append(elapsed)
    finally:
        await connection.close()
    return timings


# ---------------------------------------------------------------------------------------------
# Output


def table(documents: list[Document], timings: list[Timings], runs: int) -> str:
    lines = [
        f"{runs} requests per document, round-robin, after a warm-up; p99 of {runs} is the"
        " slowest but one or two.",
        "",
        "| document | as | p50 ms | p99 ms | bytes | target p50 | |",
        "|---|---|---|---|---|---|---|",
    ]
    for document, t in zip(documents, timings, strict=True):
        role = document.role or "—"
        if t.error:
            lines.append(
                f"| {document.name} | {role} | — | — | — | {document.target_ms:.0f} ms"
                f" | **error** {t.error} |"
            )
            continue
        verdict = "met" if t.p50 <= document.target_ms else "**NOT met**"
        lines.append(
            f"| {document.name} | {role} | {t.p50:.1f} | {t.p99:.1f} | {t.payload} |"
            f" ≤ {document.target_ms:.0f} ms | {verdict} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed requests per document")
    parser.add_argument("--warm-up", type=int, default=3, help="untimed rounds first")
    parser.add_argument(
        "--database",
        default=None,
        metavar="PATH",
        help="a demo SQLite file to use (generated there when missing; default: a temporary one)",
    )
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=TODAY,
        help="the demo's «today» when generating (default 2026-11-28)",
    )
    parser.add_argument(
        "--only",
        type=lambda names: names.split(","),
        default=[],
        help="documents whose name starts with one of these",
    )
    args = parser.parse_args()
    with database(args.database) as path:
        prepare(path, args.today)
        port = free_port()
        command = [sys.executable, "-m", "server.cli", "--database-url", f"sqlite:///{path}"]
        command += ["serve", "--demo", "--port", str(port)]
        # The door's per-caller rate is off: one token sends these as fast as they answer; the
        # demo stays as generated on its «today» (the server plans no lessons of its own).
        env = {
            "TABEL_CALLER_RATE_PER_SECOND": "0",
            "TABEL_CALLER_BYTES_PER_SECOND": "0",
            "TABEL_LESSON_PLANNING_HOURS": "0",
        }
        with serving(command, env, port) as base:
            tokens = sign_in(base)
            documents = [*screens(path, args.today), *examples(base, tokens, args.today)]
            if args.only:
                documents = [d for d in documents if d.name.startswith(tuple(args.only))]
            requests = [request(base, d, tokens) for d in documents]
            load_before = os.getloadavg()
            started = time.perf_counter()
            timings = asyncio.run(measure(requests, args.runs, args.warm_up))
            load_after = os.getloadavg()
    print(f"### The demo on SQLite ({path.name}, one worker)")
    print()
    print(
        f"{os.cpu_count()} CPUs; load average (1 min) {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after {time.perf_counter() - started:.0f} s."
    )
    print()
    print(table(documents, timings, args.runs))
    failed = [d.name for d, t in zip(documents, timings, strict=True) if t.error]
    slow = [
        d.name
        for d, t in zip(documents, timings, strict=True)
        if not t.error and t.p50 > d.target_ms
    ]
    print()
    print(
        f"Targets: {'met' if not slow and not failed else '**NOT met**'}"
        + (f" — over: {', '.join(slow)}" if slow else "")
    )
    if failed:
        sys.exit(f"answered with errors: {', '.join(failed)}")


if __name__ == "__main__":
    main()
