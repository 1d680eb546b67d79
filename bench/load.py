"""The busy Monday morning: many clients at once for a bounded time — teachers writing grades
with `gradesSet`, everyone else reading the screens of bench/shapes.py — and afterwards a
check in the database that every acknowledged write is there with its audit row, and that
what was refused left nothing behind.

Each writer has its own (lesson, student) cells of its teacher's recent lessons (several
writers share a lesson, as colleagues grading one lesson do), so no two clients write the same
grade: a CONFLICT here is a race of the server's, not of the bench's.
"""

import asyncio
import base64
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import psycopg

import model as m
from bench import tokens
from bench.client import Request
from bench.outcomes import CLOSED, CONNECT_FAILED, TIMEOUT, Session, Tally, is_internal, label
from bench.shapes import Case, cases, to_gid
from plugins.within_edit_window import earliest_editable

GRADES_SET = (
    "mutation GradesSet($input: GradesSetInput!) { gradesSet(input: $input) "
    "{ grades { id mark version student { id } workType { id } } } }"
)


@dataclass(frozen=True)
class Cell:
    lesson: int
    student: int
    work_type: int


@dataclass
class Standing:
    """What the writer knows of its cell: the grade as last acknowledged (or none yet);
    `certain` is False once a write's answer was lost (timeout, closed, internal error)."""

    grade: int | None = None
    version: int | None = None
    mark: str | None = None
    certain: bool = True


@dataclass
class Writer:
    account: int
    token: str
    lessons: dict[int, list[Cell]]
    marks: dict[int, list[str]]  # lesson → the marks of its subject's scale
    may_change: bool
    cells: dict[Cell, Standing] = field(default_factory=dict)
    acknowledged: list[tuple[int, str]] = field(default_factory=list)  # (grade id, mark)


@dataclass
class Plan:
    readers: list[tuple[Case, str]]  # a screen's request and the token it is asked with
    writers: list[Writer]


# ---------------------------------------------------------------------------------------------
# Who writes what


def _recent_lessons(connection: psycopg.Connection[Any]) -> tuple[list[tuple[Any, ...]], bool]:
    """Held lessons whose grades may still be changed today (the school's edit window); when
    the demo is older than the window, the latest ten days of lessons, for new grades only."""
    window, timezone = connection.execute(
        "SELECT grade_edit_window, timezone FROM school ORDER BY id LIMIT 1"
    ).fetchone() or ("two_weeks", "UTC")
    today = datetime.now(UTC).astimezone(ZoneInfo(timezone)).date()
    earliest = earliest_editable(m.EditWindow(window), today) or date.min
    select = (
        "SELECT l.id, a.id, l.group_id, l.subject_id, l.school_id FROM lesson l"
        " JOIN account a ON a.person_id = l.teacher_id"
        " WHERE l.status = 'held' AND l.substitute_id IS NULL AND l.held_on >= %s"
        " AND l.held_on <= %s ORDER BY l.held_on DESC, l.id"
    )
    rows = connection.execute(select, [earliest + timedelta(days=1), today]).fetchall()
    if rows:
        return rows, True
    latest = connection.execute("SELECT max(held_on) FROM lesson WHERE status = 'held'").fetchone()
    last = latest[0] if latest and latest[0] else today
    return connection.execute(select, [last - timedelta(days=10), last]).fetchall(), False


def plan(connection: psycopg.Connection[Any], clients: int, writers: int) -> Plan:
    lessons, may_change = _recent_lessons(connection)
    groups = sorted({row[2] for row in lessons})
    members: dict[int, list[int]] = defaultdict(list)
    for group, student in connection.execute(
        "SELECT g.id, cs.student_id FROM study_group g JOIN class_student cs"
        " ON cs.school_class_id = g.school_class_id"
        " WHERE g.kind = 'whole_class' AND g.id = ANY(%s)"
        " UNION ALL SELECT group_id, student_id FROM group_student WHERE group_id = ANY(%s)"
        " ORDER BY 1, 2",
        [groups, groups],
    ):
        members[group].append(student)
    marks: dict[int, list[str]] = defaultdict(list)
    for subject, mark in connection.execute(
        "SELECT s.id, gm.mark FROM subject s"
        " JOIN grade_scale_mark gm ON gm.grade_scale_id = s.grade_scale_id ORDER BY 1, 2"
    ):
        marks[subject].append(mark)
    work_types: dict[int, list[int]] = defaultdict(list)
    for school, work_type in connection.execute("SELECT school_id, id FROM work_type ORDER BY id"):
        work_types[school].append(work_type)
    taken = {
        (lesson, student, work_type)
        for lesson, student, work_type in connection.execute(
            "SELECT lesson_id, student_id, work_type_id FROM grade WHERE lesson_id = ANY(%s)",
            [[row[0] for row in lessons]],
        )
    }
    by_teacher: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in lessons:
        if marks[row[3]]:
            by_teacher[row[1]].append(row)
    teachers = sorted(by_teacher, key=lambda account: -len(by_teacher[account]))
    if not teachers:
        raise RuntimeError("no recent held lessons to grade in the bench database")
    accounts = [teachers[n % len(teachers)] for n in range(writers)]
    # Every client signs in on its own, as the people of a school do: a token per client.
    issued = tokens.sessions(connection, accounts)
    team: list[Writer] = []
    for n, account in enumerate(accounts):
        # The n-th of this teacher's writers takes every k-th student of each lesson.
        share, of = accounts[:n].count(account), accounts.count(account)
        writer = Writer(account, issued[n], {}, {}, may_change)
        for lesson, _, group, subject, school in by_teacher[account]:
            cells = [
                Cell(lesson, student, work_type)
                for student in members[group][share::of]
                for work_type in work_types[school]
                if (lesson, student, work_type) not in taken
            ]
            if cells:
                writer.lessons[lesson] = cells
                writer.marks[lesson] = marks[subject]
        team.append(writer)
    screens = cases(connection)
    accounts_of = tokens.account_ids(connection, sorted({case.login for case in screens}))
    asked = [screens[n % len(screens)] for n in range(clients - writers)]
    readers = list(
        zip(asked, tokens.sessions(connection, [accounts_of[c.login] for c in asked]), strict=True)
    )
    return Plan(readers, team)


# ---------------------------------------------------------------------------------------------
# The clients


def _request(base: str, token: str, payload: object) -> bytes:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    return Request(f"{base}/graphql", orjson.dumps(payload), headers).raw()


def _entries(writer: Writer, lesson: int) -> list[tuple[Cell, dict[str, Any]]]:
    """One to three cells of the lesson: new grades, or changes of the writer's own."""
    usable = [
        cell
        for cell in writer.lessons[lesson]
        if (standing := writer.cells.get(cell, Standing())).certain
        and (standing.grade is None or writer.may_change)
    ]
    chosen = random.sample(usable, min(len(usable), random.randint(1, 3)))
    entries = []
    for cell in chosen:
        standing = writer.cells.get(cell, Standing())
        marks = [mark for mark in writer.marks[lesson] if mark != standing.mark]
        entry: dict[str, Any] = {
            "studentId": to_gid("Person", cell.student),
            "workTypeId": to_gid("WorkType", cell.work_type),
            "mark": random.choice(marks),
        }
        if standing.grade is not None:
            entry["version"] = standing.version
        entries.append((cell, entry))
    return entries


def _node_id(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().partition(":")[2])


def _acknowledge(writer: Writer, sent: list[tuple[Cell, dict[str, Any]]], body: bytes) -> None:
    grades = orjson.loads(body)["data"]["gradesSet"]["grades"]
    by_key = {(g["student"]["id"], g["workType"]["id"]): g for g in grades}
    for cell, entry in sent:
        grade = by_key[entry["studentId"], entry["workTypeId"]]
        writer.cells[cell] = Standing(_node_id(grade["id"]), grade["version"], grade["mark"])
        writer.acknowledged.append((_node_id(grade["id"]), grade["mark"]))


async def write(base: str, writer: Writer, deadline: float, patience: float, tally: Tally) -> None:
    session = Session(Request(f"{base}/graphql", b"", {}).address, patience)
    lessons = list(writer.lessons)
    while time.perf_counter() < deadline and lessons:
        lesson = random.choice(lessons)
        sent = _entries(writer, lesson)
        if not sent:
            lessons.remove(lesson)
            continue
        payload = {
            "query": GRADES_SET,
            "variables": {
                "input": {
                    "lessonId": to_gid("Lesson", lesson),
                    "grades": [entry for _, entry in sent],
                }
            },
        }
        started = time.perf_counter()
        reply = await session.ask(_request(base, writer.token, payload))
        if isinstance(reply, str):
            tally.add(reply)
            lost = reply in (TIMEOUT, CLOSED)
        else:
            name = label(reply)
            tally.add(name, (time.perf_counter() - started) * 1000)
            # A typed refusal wrote nothing; an internal error or an untyped answer may have.
            lost = is_internal(name) or name.startswith("HTTP ") or name.endswith("no code")
            if name == "200 ok":
                _acknowledge(writer, sent, reply.body)
            else:  # refused: nothing of it may stand (checked afterwards)
                for cell, _ in sent:
                    writer.cells.setdefault(cell, Standing())
        if lost:  # it may or may not have been written: not checked, not touched again
            for cell, _ in sent:
                writer.cells[cell] = Standing(certain=False)
        if reply == CONNECT_FAILED:
            await asyncio.sleep(0.1)
    await session.close()


async def read(
    base: str, case: Case, token: str, deadline: float, patience: float, tally: Tally
) -> None:
    session = Session(Request(f"{base}/graphql", b"", {}).address, patience)
    raw = _request(base, token, {"query": case.query, "variables": case.variables})
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        reply = await session.ask(raw)
        if isinstance(reply, str):
            tally.add(reply)
            if reply == CONNECT_FAILED:
                await asyncio.sleep(0.1)
        else:
            tally.add(label(reply), (time.perf_counter() - started) * 1000)
    await session.close()


@dataclass
class Loaded:
    writes: Tally
    reads: Tally
    seconds: float


async def run(base: str, plan: Plan, seconds: float, patience: float) -> Loaded:
    writes, reads = Tally(), Tally()
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(write(base, writer, deadline, patience, writes) for writer in plan.writers),
        *(read(base, case, token, deadline, patience, reads) for case, token in plan.readers),
    )
    return Loaded(writes, reads, time.perf_counter() - started)


# ---------------------------------------------------------------------------------------------
# Afterwards, in the database


@dataclass
class Verified:
    acknowledged: int = 0  # acknowledged writes (a grade created or changed)
    audited: int = 0  # of them, with their grade_change row
    standing: int = 0  # cells whose grade is as last acknowledged
    cells: int = 0  # cells checked (every cell a writer touched and knows the state of)
    leftovers: int = 0  # cells never acknowledged that have a grade anyway
    empty: int = 0  # cells never acknowledged (every write refused) that are empty, as they must
    problems: list[str] = field(default_factory=list)


def verify(connection: psycopg.Connection[Any], writers: list[Writer]) -> Verified:
    result = Verified()
    grade_ids = sorted({grade for w in writers for grade, _ in w.acknowledged})
    audit: dict[int, list[str | None]] = defaultdict(list)
    for grade, mark in connection.execute(
        "SELECT entity_id, new_mark FROM change WHERE kind = 'grade' AND entity_id = ANY(%s)",
        [grade_ids],
    ):
        audit[grade].append(mark)
    for writer in writers:
        for grade, mark in writer.acknowledged:
            result.acknowledged += 1
            if mark in audit[grade]:
                audit[grade].remove(mark)
                result.audited += 1
            elif len(result.problems) < 10:
                result.problems.append(f"grade {grade} → {mark}: no audit row")
    keys = [(c.lesson, c.student, c.work_type) for w in writers for c in w.cells]
    rows = connection.execute(
        "SELECT lesson_id, student_id, work_type_id, id, mark, version FROM grade"
        " WHERE lesson_id = ANY(%s)",
        [sorted({key[0] for key in keys})],
    ).fetchall()
    found = {(row[0], row[1], row[2]): row[3:] for row in rows}
    for writer in writers:
        for cell, standing in writer.cells.items():
            if not standing.certain:
                continue
            result.cells += 1
            now = found.get((cell.lesson, cell.student, cell.work_type))
            expected = (standing.grade, standing.mark, standing.version)
            if standing.grade is None and now is None:
                result.empty += 1
            elif standing.grade is None and now is not None:
                result.leftovers += 1
                result.problems.append(f"{cell}: a grade {now} though none was acknowledged")
            elif standing.grade is not None and tuple(now or ()) == expected:
                result.standing += 1
            elif standing.grade is not None and len(result.problems) < 10:
                result.problems.append(f"{cell}: {now} in the database, {expected} acknowledged")
    return result
