"""The read-shape benchmark: each read shape of issue 5 (grade grid, class journal, diary week,
school overview: the README's «Screens», their queries in bench/shapes.py) over HTTP from the
real server, next to one hand-written SQL query producing the same JSON behind a bare ASGI
endpoint.

    .venv/bin/python -m bench.run [--schools N] [--district N] [--requests N] [--clients 8] [--tiny]
        [--database-url URL] [--throwaway] [--port P]

Prepares the database (migrations; the demo school as of 2026-11-28 if it has no school),
starts the real server (`tabel serve`, uvicorn, production settings) and the baseline
(bench/baseline.py, uvicorn) on free ports, checks that both answer the same JSON for every
shape (and stops with a diff if not), then measures and prints a markdown table per scale. See
bench/README.md.
"""

import argparse
import asyncio
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from typing import IO, Any

import httpx
import orjson
import psycopg
from sqlalchemy import event, func, select

import model as m
from bench import cpu
from bench.client import Connection, Request
from bench.shapes import TODAY, Case, cases, sweep
from demo import DemoOptions, generate_demo
from model.db import make_engine
from server.migrate import upgrade

SERVER = "postgresql://postgres@127.0.0.1:5432"
# In CI (CI=true, as .ci/run sets) every run works in a database of its own by default.
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
LOGIN = 'mutation($login: String!) { login(login: $login, password: "demo") { token } }'
# The small school of the tests (tests/conftest.py SMALL_DEMO): three parallels of two classes.
TINY = DemoOptions(
    seed=7, parallels=3, classes_per_parallel=2, students_per_class=10, teachers=14, today=TODAY
)


def database_url(name: str) -> str:
    return f"{SERVER}/{name}"


# ---------------------------------------------------------------------------------------------
# The database


def ensure_database(url: str) -> None:
    """CREATE DATABASE if it does not exist yet (through the `postgres` database)."""
    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            print(f"creating database {name}", file=sys.stderr)
            connection.execute(f'CREATE DATABASE "{name}"')


@contextmanager
def throwaway_database(url: str) -> Iterator[str]:
    """A database of this run's own beside `url`'s (its name, the process id and a random
    suffix), created now and dropped at the end, even when the run fails or is interrupted:
    two runs on one PostgreSQL never share one."""
    base, _, name = url.rpartition("/")
    own = f"{name[:40]}_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{own}"')
    print(f"created database {own} for this run", file=sys.stderr)
    try:
        yield f"{base}/{own}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')
        print(f"dropped database {own}", file=sys.stderr)


def stop_on_sigterm() -> None:
    """SIGTERM (CI's timeout, a supervisor) ends the run as Ctrl-C does: cleanups run, servers
    are stopped and a throwaway database is dropped."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


async def _schools(url: str) -> int:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            count = await connection.scalar(select(func.count()).select_from(m.School))
            return int(count or 0)
    finally:
        await engine.dispose()


async def generate(url: str, options: DemoOptions) -> None:
    """The demo schools of `options` into the database at `url`."""
    engine = make_engine(url)
    try:
        await generate_demo(engine, options)
    finally:
        await engine.dispose()


def prepare(url: str, options: DemoOptions) -> None:
    """The newest schema, and the demo schools (generated as of TODAY) if there are none."""
    ensure_database(url)
    upgrade(url)
    schools = asyncio.run(_schools(url))
    if not schools:
        print(
            f"generating {options.schools} demo school(s) into {url} (about 15 s a school)…",
            file=sys.stderr,
        )
        started = time.perf_counter()
        asyncio.run(generate(url, options))
        print(f"  generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    elif schools != options.schools:
        print(f"note: {url} holds {schools} schools, not {options.schools}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# The two servers


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(
    command: list[str], env: dict[str, str], port: int, output_to: IO[bytes] | None = None
) -> Iterator[str]:
    """Start a server process, wait for its /healthz, stop it afterwards. Its output (the
    access log too) goes to `output_to` or a temporary file, shown if it fails to start."""
    with nullcontext(output_to) if output_to else tempfile.TemporaryFile() as log:
        # Its own process group: worker processes are stopped with it, never left behind.
        process = subprocess.Popen(
            command,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"

        def output() -> str:
            log.seek(0)
            return log.read().decode(errors="replace")[-3000:]

        try:
            for _ in range(300):
                if process.poll() is not None:
                    raise RuntimeError(f"{' '.join(command)} exited:\n{output()}")
                try:
                    httpx.get(f"{base}/healthz", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                raise RuntimeError(f"{' '.join(command)} did not answer on {base}:\n{output()}")
            cpu.SERVED[base] = process.pid
            yield base
        finally:
            cpu.SERVED.pop(base, None)
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                print(f"{' '.join(command)} ignored SIGTERM for 10 s; killed", file=sys.stderr)
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # whatever of the group is left
            process.wait(10)


@contextmanager
def both_servers(url: str, ports: tuple[int, int] | None = None) -> Iterator[tuple[str, str]]:
    """The real server and the SQL baseline on `ports` (GraphQL, SQL), else on free ones."""
    graphql_port, sql_port = ports or (free_port(), free_port())
    server = [sys.executable, "-m", "server.cli", "serve", "--port", str(graphql_port)]
    baseline = [sys.executable, "-m", "bench.baseline", "--database-url", url]
    baseline += ["--port", str(sql_port)]
    # Production settings on the demo school: its published sign-ins are served on purpose,
    # and the door's per-caller rates are off — the throughput rows send hundreds of requests
    # a second with one token, which the door would (rightly) refuse a real client.
    env = {
        "TABEL_DATABASE_URL": url,
        "TABEL_ALLOW_DEMO_CREDENTIALS": "true",
        "TABEL_CALLER_RATE_PER_SECOND": "0",
        "TABEL_CALLER_BYTES_PER_SECOND": "0",
        # The demo stays as generated on TODAY: the server plans no lessons of its own.
        "TABEL_LESSON_PLANNING_HOURS": "0",
    }
    with (
        serving(server, env, graphql_port) as graphql,
        serving(baseline, {}, sql_port) as sql,
    ):
        yield graphql, sql


# ---------------------------------------------------------------------------------------------
# Requests


JSON = {"Content-Type": "application/json"}


def graphql_request(base: str, case: Case, token: str) -> Request:
    body = orjson.dumps({"query": case.query, "variables": case.variables})
    return Request(f"{base}/graphql", body, {**JSON, "Authorization": f"Bearer {token}"})


def sql_request(base: str, case: Case) -> Request:
    return Request(f"{base}/{case.shape}", orjson.dumps(case.params), JSON)


def login(client: httpx.Client, base: str, name: str) -> str:
    reply = client.post(f"{base}/graphql", json={"query": LOGIN, "variables": {"login": name}})
    token: str = reply.json()["data"]["login"]["token"]
    return token


# ---------------------------------------------------------------------------------------------
# Equality


def differences(graphql: Any, sql: Any, path: str = "$") -> Iterator[str]:
    """Where two parsed JSON values differ, as `path: graphql != sql`."""
    if isinstance(graphql, dict) and isinstance(sql, dict):
        if list(graphql) != list(sql):
            yield f"{path}: keys {list(graphql)} != {list(sql)}"
        for key in [key for key in graphql if key in sql]:
            yield from differences(graphql[key], sql[key], f"{path}.{key}")
    elif isinstance(graphql, list) and isinstance(sql, list):
        if len(graphql) != len(sql):
            yield f"{path}: {len(graphql)} items != {len(sql)} items"
        for index, (left, right) in enumerate(zip(graphql, sql, strict=False)):
            yield from differences(left, right, f"{path}[{index}]")
    elif graphql != sql or type(graphql) is not type(sql):
        yield f"{path}: {graphql!r} != {sql!r}"


def missing_field(answer: Any, case: Case) -> bool:
    errors = answer.get("errors") or []
    return any(f"Cannot query field '{case.field}'" in e.get("message", "") for e in errors)


# ---------------------------------------------------------------------------------------------
# Counting statements in-process


@dataclass(frozen=True)
class Statement:
    sql: str
    ms: float


async def count_statements(url: str, case: Case) -> list[Statement]:
    """The SQL statements the server runs for one request of the case: the same GraphQL
    request in-process (httpx.ASGITransport) against the same database, caught by
    `before/after_cursor_execute` listeners (as tests/conftest.py counts them); the fifth
    request, so that nothing first-time is counted or timed."""
    from server.app import create_app
    from server.settings import Settings

    engine = make_engine(url, pool_size=2)
    statements: list[Statement] = []
    started = [0.0]

    def before(*args: Any) -> None:
        started[0] = time.perf_counter()

    def after(*args: Any) -> None:
        elapsed = (time.perf_counter() - started[0]) * 1000
        statements.append(Statement(" ".join(str(args[2]).split()), elapsed))

    event.listen(engine.sync_engine, "before_cursor_execute", before)
    event.listen(engine.sync_engine, "after_cursor_execute", after)
    # As served: the application's listener runs, so a signed-in caller is kept by its token
    # (resolvers/accounts/token_cache.py); nothing else of the lifespan's background work.
    settings = Settings(
        database_url=url, lesson_planning_hours=0, report_worker=False, notification_worker=False
    )
    app = create_app(settings, engine=engine)
    transport = httpx.ASGITransport(app=app)
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://bench") as client,
        ):
            for _ in range(100):  # the listener has connected (PostgreSQL)
                if app.state.tokens.hearing:
                    break
                await asyncio.sleep(0.05)
            reply = await client.post(
                "/graphql", json={"query": LOGIN, "variables": {"login": case.login}}
            )
            token = reply.json()["data"]["login"]["token"]
            headers = {"Authorization": f"Bearer {token}"}
            payload = {"query": case.query, "variables": case.variables}
            for _ in range(5):
                statements.clear()
                reply = await client.post("/graphql", json=payload, headers=headers)
            assert "errors" not in reply.json(), reply.json()
            return list(statements)
    finally:
        await engine.dispose()


def print_statements(label: str, case: Case, statements: list[Statement], width: int) -> None:
    total = sum(statement.ms for statement in statements)
    print(f"\n{label}, {case.name} ({case.login}): {len(statements)} statements, {total:.1f} ms")
    for statement in statements:
        print(f"  {statement.ms:6.1f} ms  {statement.sql[:width]}")


# ---------------------------------------------------------------------------------------------
# Measuring


@dataclass
class Figures:
    timings: list[float] = field(default_factory=list)  # ms, sequential
    per_second: float = 0.0  # with N concurrent clients
    # CPU milliseconds a request cost, while the clients ran: the server's, PostgreSQL's
    cpu_ms: tuple[float, float] = (0.0, 0.0)
    statements: int = 1
    payload: int = 0

    @property
    def p50(self) -> float:
        return statistics.median(self.timings)

    @property
    def p95(self) -> float:
        ordered = sorted(self.timings)
        return ordered[max(0, round(len(ordered) * 0.95) - 1)]


Key = tuple[str, str]  # (scale, case name or sql_key)


async def sequential(requests: dict[Key, Request], n: int) -> dict[Key, Figures]:
    """Round-robin over every request, n times: drift in the machine hits them all alike.
    One keep-alive connection per server."""
    figures = {key: Figures() for key in requests}
    connections = {r.address: await Connection.open(r.address) for r in requests.values()}
    raw = {key: request.raw() for key, request in requests.items()}
    try:
        for _ in range(n):
            for key, request in requests.items():
                connection = connections[request.address]
                started = time.perf_counter()
                body = await connection.send(raw[key])
                figures[key].timings.append((time.perf_counter() - started) * 1000)
                figures[key].payload = len(body)
    finally:
        for connection in connections.values():
            await connection.close()
    return figures


async def concurrent(request: Request, clients: int, seconds: float) -> tuple[float, float, float]:
    """Requests per second with `clients` clients each sending one request after another,
    each on its own keep-alive connection; and the CPU milliseconds a request cost the server
    and PostgreSQL meanwhile (`bench/cpu.py`)."""
    raw = request.raw()
    connections = [await Connection.open(request.address) for _ in range(clients)]
    for connection in connections:
        await connection.send(raw)  # each connection's first request, outside the clock
    done = 0
    deadline = time.perf_counter() + seconds

    async def client_loop(connection: Connection) -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            await connection.send(raw)
            done += 1

    base = "/".join(request.url.split("/", 3)[:3])  # http://host:port
    server_before, postgres_before = cpu.seconds(base)
    started = time.perf_counter()
    try:
        await asyncio.gather(*(client_loop(connection) for connection in connections))
    finally:
        for connection in connections:
            await connection.close()
    elapsed = time.perf_counter() - started
    server_after, postgres_after = cpu.seconds(base)
    per = 1000 / max(done, 1)
    return (
        done / elapsed,
        (server_after - server_before) * per,
        (postgres_after - postgres_before) * per,
    )


# ---------------------------------------------------------------------------------------------
# One scale


@dataclass
class Scale:
    label: str
    url: str
    cases: list[Case]
    all_cases: list[Case]
    skipped: dict[str, str]
    graphql: dict[str, Figures]
    sql: dict[str, Figures]


def sql_key(case: Case) -> str:
    return "sql:" + case.shape + ":" + orjson.dumps(case.params).decode()


@dataclass
class Checked:
    """A scale's requests, after the equality check."""

    label: str
    url: str
    all_cases: list[Case]
    measured: list[Case]
    skipped: dict[str, str]
    requests: dict[str, Request]  # by case name (GraphQL) and sql_key (baseline)


def selected(case: Case, only: list[str]) -> bool:
    return not only or any(case.name.startswith(name) for name in only)


def check(
    label: str, url: str, graphql_base: str, sql_base: str, only: list[str], sweeping: bool
) -> tuple[Checked, list[str]]:
    """Every case asked of both servers; their answers compared. Returns the mismatches too."""
    with psycopg.connect(url) as connection:
        all_cases = [case for case in cases(connection) if selected(case, only)]
    skipped: dict[str, str] = {}
    mismatched: list[str] = []
    requests: dict[str, Request] = {}
    with httpx.Client(timeout=120) as client:
        tokens = {name: login(client, graphql_base, name) for name in ("admin", "teacher")}
        for case in all_cases:
            gql = graphql_request(graphql_base, case, tokens[case.login])
            sql = sql_request(sql_base, case)
            answer = client.post(gql.url, content=gql.body, headers=gql.headers).json()
            requests[sql_key(case)] = sql
            if missing_field(answer, case):
                skipped[case.name] = f"`{case.field}` is not in the server's schema yet"
                print(f"SKIP {label}, {case.name}: {skipped[case.name]}", file=sys.stderr)
                continue
            expected = client.post(sql.url, content=sql.body, headers=sql.headers).json()
            found = list(differences(answer, expected))
            if found:
                mismatched.append(f"{label}, {case.name}")
                print(f"MISMATCH {label}, {case.name} ({case.login}, {case.variables}):")
                for line in found[:20]:
                    print(f"  {line[:400]}")
                if len(found) > 20:
                    print(f"  … {len(found) - 20} more")
            else:
                print(f"EQUAL {label}, {case.name}: the GraphQL and SQL answers", file=sys.stderr)
            requests[case.name] = gql
        if sweeping:
            with psycopg.connect(url) as connection:
                more = [case for case in sweep(connection) if selected(case, only)]
            equal = 0
            for case in more:
                if case.name in skipped:
                    continue
                gql = graphql_request(graphql_base, case, tokens[case.login])
                sql = sql_request(sql_base, case)
                answer = client.post(gql.url, content=gql.body, headers=gql.headers).json()
                expected = client.post(sql.url, content=sql.body, headers=sql.headers).json()
                found = list(differences(answer, expected))
                if found:
                    mismatched.append(f"{label}, {case.title}")
                    print(f"MISMATCH {label}, {case.title} ({case.variables}):")
                    for line in found[:10]:
                        print(f"  {line[:400]}")
                else:
                    equal += 1
            print(f"SWEEP {label}: {equal} of {len(more)} more requests equal", file=sys.stderr)
    measured = [case for case in all_cases if case.name not in skipped]
    return Checked(label, url, all_cases, measured, skipped, requests), mismatched


def run(plan: list[tuple[str, str]], args: argparse.Namespace) -> list[Scale]:
    """All scales' servers run side by side, and their sequential requests are interleaved, so
    that the scales are compared under the same conditions."""
    checked: list[Checked] = []
    mismatched: list[str] = []
    with ExitStack() as stack:
        for index, (label, url) in enumerate(plan):
            ports = (args.port + 2 * index, args.port + 2 * index + 1) if args.port else None
            graphql_base, sql_base = stack.enter_context(both_servers(url, ports))
            scale, wrong = check(label, url, graphql_base, sql_base, args.only, args.sweep)
            checked.append(scale)
            mismatched += wrong
        if mismatched and not args.keep_going:
            sys.exit(f"GraphQL and SQL answers differ for: {'; '.join(mismatched)}")
        everything = {
            (scale.label, key): request
            for scale in checked
            for key, request in scale.requests.items()
        }
        asyncio.run(sequential(everything, max(1, args.requests // 4)))  # warm up
        figures = asyncio.run(sequential(everything, args.requests))
        for key, request in everything.items():
            rate, server_ms, postgres_ms = asyncio.run(
                concurrent(request, args.clients, args.seconds)
            )
            figures[key].per_second = rate
            figures[key].cpu_ms = (server_ms, postgres_ms)
    scales = []
    for scale in checked:
        for case in scale.measured:
            statements = asyncio.run(count_statements(scale.url, case))
            figures[scale.label, case.name].statements = len(statements)
            if args.statements:
                print_statements(scale.label, case, statements, args.statements)
        scales.append(
            Scale(
                label=scale.label,
                url=scale.url,
                cases=scale.measured,
                all_cases=scale.all_cases,
                skipped=scale.skipped,
                graphql={c.name: figures[scale.label, c.name] for c in scale.measured},
                sql={sql_key(c): figures[scale.label, sql_key(c)] for c in scale.all_cases},
            )
        )
    return scales


# ---------------------------------------------------------------------------------------------
# Output


def table(scale: Scale, args: argparse.Namespace) -> str:
    c = args.clients
    lines = [
        f"### {scale.label}",
        "",
        f"{args.requests} sequential requests per row (round-robin), then {args.seconds:g} s"
        f" with {c} concurrent clients per row. GraphQL | SQL baseline.",
        "",
        f"| shape | as | p50 ms | p95 ms | req/s ({c} clients) | CPU ms/request: server ·"
        " PostgreSQL | SQL statements | bytes | p50 / SQL | req/s / SQL |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for case in scale.cases:
        g, s = scale.graphql[case.name], scale.sql[sql_key(case)]
        lines.append(
            f"| {case.title} | {case.login} | {g.p50:.1f} \\| {s.p50:.1f} | {g.p95:.1f} \\|"
            f" {s.p95:.1f} | {g.per_second:.0f} \\| {s.per_second:.0f} | {_cpu(g)} \\| {_cpu(s)}"
            f" | {g.statements} \\|"
            f" {s.statements} | {g.payload} \\| {s.payload} | {g.p50 / s.p50:.2f}×"
            f" | {g.per_second / s.per_second:.2f}× |"
        )
    for case in scale.all_cases:
        if case.name in scale.skipped:
            s = scale.sql[sql_key(case)]
            lines.append(
                f"| {case.title} | {case.login} | — \\| {s.p50:.1f} | — \\| {s.p95:.1f} | — \\|"
                f" {s.per_second:.0f} | — \\| {_cpu(s)} | — \\| 1 | — \\| {s.payload} | skipped:"
                f" {scale.skipped[case.name]} | |"
            )
    return "\n".join(lines)


def _cpu(figures: Figures) -> str:
    server, postgres = figures.cpu_ms
    return f"{server:.1f} · {postgres:.1f}"


# Issue 15's targets: p50 at most this many times the SQL baseline's; requests a second with
# the clients at least this share of the baseline's; the server's CPU per request at most this.
P50_TIMES_SQL = {"grid": 1.5, "grid_teacher": 2.0, "diary": 2.0, "journal": 1.5}
P50_TIMES_SQL["overview"] = 1.2
RATE_SHARE_OF_SQL = {"grid": 0.5, "grid_teacher": 0.4}
SERVER_CPU_MS = {"grid": 8.0, "grid_teacher": 3.0}
TEACHER_TIMES_ADMIN = 1.05
# Every screen at 20 schools within 1.1× of the single school, and within 1.2× in a region.
SCALE_TIMES_SINGLE = {20: 1.1}
REGION_TIMES_SINGLE = 1.2


def targets(scales: list[Scale]) -> str:
    def check(ok: bool) -> str:
        return "met" if ok else "**NOT met**"

    single = scales[0]
    g, s = single.graphql, single.sql
    lines = ["### Targets (issue 15)", ""]
    by_name = {case.name: case for case in single.cases}
    for name, most in P50_TIMES_SQL.items():
        if name in g:
            ratio = g[name].p50 / s[sql_key(by_name[name])].p50
            title = by_name[name].title
            lines.append(f"- {title}: p50 ≤ {most}× SQL: {ratio:.2f}× — {check(ratio <= most)}")
    for name, least in RATE_SHARE_OF_SQL.items():
        if name in g:
            share = g[name].per_second / s[sql_key(by_name[name])].per_second
            lines.append(
                f"- {by_name[name].title}: req/s ≥ {least}× SQL: {share:.2f}× —"
                f" {check(share >= least)}"
            )
    for name, most_ms in SERVER_CPU_MS.items():
        if name in g:
            server = g[name].cpu_ms[0]
            lines.append(
                f"- {by_name[name].title}: server CPU ≤ {most_ms:g} ms a request:"
                f" {server:.1f} — {check(server <= most_ms)}"
            )
    if "grid_teacher" in g and "grid_teacher_admin" in g:
        ratio = g["grid_teacher"].p50 / g["grid_teacher_admin"].p50
        lines.append(
            f"- teacher's grid ≤ {TEACHER_TIMES_ADMIN}× the admin's (same grid, p50):"
            f" {ratio:.2f}× — {check(ratio <= TEACHER_TIMES_ADMIN)}"
        )
    for larger in scales[1:]:
        schools = int(larger.label.split()[0])
        most = SCALE_TIMES_SINGLE.get(schools, REGION_TIMES_SINGLE)
        ratios = {
            by_name[name].title: larger.graphql[name].p50 / g[name].p50
            for name in g
            if name in larger.graphql
        }
        worst = max(ratios.values(), default=0.0)
        each = ", ".join(f"{title} {ratio:.2f}×" for title, ratio in ratios.items())
        lines.append(
            f"- every screen at {larger.label} within {most}× of {single.label}: {each} —"
            f" {check(worst <= most)}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=1, help="demo schools of the one scale")
    parser.add_argument(
        "--district", type=int, default=0, help="also run at this many schools and compare"
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="the database of --schools (default: tabel_bench, tabel_bench_district for 20"
        f" schools, tabel_bench_<N>_schools; tabel_bench_ci… with --tiny; on {SERVER})",
    )
    parser.add_argument(
        "--throwaway",
        action=argparse.BooleanOptionalAction,
        default=IN_CI,
        help="work in a database of this run's own, named after the one above with the process"
        " id and a random suffix, created at the start and dropped at the end, even on failure"
        " (default: on when CI=true, else off: the databases are kept and reused)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=None,
        help="the real server's port, P+1 the SQL baseline's, P+2 and P+3 for --district"
        " (default: free ones)",
    )
    parser.add_argument("--requests", type=int, default=None, help="sequential, per row")
    parser.add_argument("--seconds", type=float, default=None, help="of concurrent load, per row")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--tiny", action="store_true", help="CI: a tiny school, few requests")
    parser.add_argument("--keep-going", action="store_true", help="measure despite mismatches")
    parser.add_argument(
        "--only",
        type=lambda names: names.split(","),
        default=[],
        help="rows whose name starts with one of these, e.g. grid,diary (grid, grid_teacher,"
        " grid_teacher_admin, journal, diary, overview)",
    )
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="check the equality on ~60 more requests of every shape before measuring",
    )
    parser.add_argument(
        "--statements",
        type=int,
        nargs="?",
        const=160,
        default=0,
        metavar="WIDTH",
        help="also print each row's SQL statements with their times (cut at WIDTH characters)",
    )
    args = parser.parse_args()
    if args.requests is None:
        args.requests = 5 if args.tiny else 200
    if args.seconds is None:
        args.seconds = 0.3 if args.tiny else 5.0

    def options(schools: int) -> DemoOptions:
        if args.tiny:
            return DemoOptions(**{**TINY.__dict__, "schools": schools})
        return DemoOptions(schools=schools, today=TODAY)

    def url(schools: int) -> str:
        if args.database_url and schools == args.schools:
            return str(args.database_url)
        name = "tabel_bench_ci" if args.tiny else "tabel_bench"
        if schools == 1:
            return database_url(name)
        return database_url(f"{name}_district" if schools == 20 else f"{name}_{schools}_schools")

    stop_on_sigterm()
    with ExitStack() as databases:
        plan = []
        for schools in [args.schools] + ([args.district] if args.district else []):
            target = url(schools)
            if args.throwaway:
                target = databases.enter_context(throwaway_database(target))
            prepare(target, options(schools))
            plan.append(("single school" if schools == 1 else f"{schools} schools", target))
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        scales = run(plan, args)
    print()
    print(
        f"{os.cpu_count()} CPUs; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after {time.perf_counter() - started:.0f} s"
        " (other processes on the machine make the figures noisier)."
    )
    print()
    for scale in scales:
        print(table(scale, args))
        print()
    print(targets(scales))


if __name__ == "__main__":
    main()
