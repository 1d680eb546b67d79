"""The hostile-traffic benchmark (issue 9): hostile clients against the real server, one attack
at a time, while a well-behaved client measures `/healthz` and a small GraphQL query; then a
load run of many writers and readers at once, and a check in the database of every
acknowledged write.

    .venv/bin/python -m bench.attack [--quick] [--tiny] [--only fragments,load] [--workers N]

Prepares the database (bench/run.py's: migrations, the demo school as of 2026-11-28 when it has
none), starts `tabel serve` (uvicorn, production settings, demo sign-ins allowed on purpose) on
a free port of 127.0.0.1, and prints markdown tables. A benchmark: it asserts nothing about
time; it exits 1 only when a write went missing. See bench/README.md.
"""

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from dataclasses import dataclass
from typing import IO

import httpx
import psycopg

from bench import load, tokens
from bench.hostile import ATTACKS, Attack, Target
from bench.outcomes import Tally, p50_p99, percentile
from bench.probe import SMALL_QUERY, Plan, Probed, probing
from bench.run import (
    IN_CI,
    SERVER,
    TINY,
    database_url,
    free_port,
    prepare,
    serving,
    stop_on_sigterm,
    throwaway_database,
)
from bench.shapes import TODAY
from demo import DemoOptions
from server.settings import Settings

TARGET_P99_MS = 100.0


@dataclass
class Row:
    attack: str
    seconds: float
    clients: int
    hostile: Tally
    probed: Probed
    log_errors: int
    tracebacks: int
    settled: float


class ServerLog:
    """The server's output; what it logged since the last look."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.seen = 0

    def since(self) -> tuple[int, int]:
        """(ERROR lines, tracebacks) logged since the last call."""
        self.file.flush()
        self.file.seek(self.seen)
        text = self.file.read().decode(errors="replace")
        self.seen += len(text.encode(errors="replace"))
        self.file.seek(0, os.SEEK_END)
        lines = text.splitlines()
        errors = sum(1 for line in lines if line.startswith(("ERROR", "CRITICAL")))
        return errors, text.count("Traceback (most recent call last)")


def server_output(path: str | None) -> IO[bytes]:
    if path is None:
        return tempfile.NamedTemporaryFile(prefix="tabel-attack-", suffix=".log")
    return open(path, "w+b")


def settle(base: str, limit: float = 60) -> float:
    """Seconds until /healthz answers within 50 ms five times in a row (at most `limit`)."""
    started = time.perf_counter()
    fast = 0
    with httpx.Client(timeout=5) as client:
        while fast < 5 and time.perf_counter() - started < limit:
            asked = time.perf_counter()
            try:
                client.get(f"{base}/healthz")
                fast = fast + 1 if time.perf_counter() - asked < 0.05 else 0
            except httpx.HTTPError:
                fast = 0
            time.sleep(0.05)
    return time.perf_counter() - started


def warm_up(base: str, token: str, team: load.Plan | None) -> None:
    """The first requests of a process pay for caches and prepared statements: not measured."""
    asked: list[tuple[dict[str, object], str]] = [({"query": SMALL_QUERY}, token)] * 5
    if team is not None:
        screens = {case.name: (case, token) for case, token in team.readers}
        for case, reader in screens.values():
            asked += [({"query": case.query, "variables": case.variables}, reader)] * 3
    with httpx.Client(timeout=60) as client:
        for payload, bearer in asked:
            headers = {"Authorization": f"Bearer {bearer}"}
            client.post(f"{base}/graphql", json=payload, headers=headers)


def attack_once(
    attack: Attack | None, target: Target, token: str, seconds: float, clients: int
) -> tuple[Tally, Probed]:
    hostile = Tally()
    with probing(Plan(target.base, token, seconds)) as prober:
        if attack is not None:
            deadline = time.perf_counter() + seconds
            asyncio.run(attack.attacker(target, deadline, hostile, clients))
        return hostile, prober.result()


# ---------------------------------------------------------------------------------------------
# Output


def _met(ok: bool) -> str:
    return "met" if ok else "**NOT met**"


def attack_table(rows: list[Row]) -> str:
    lines = [
        "| attack | s | clients | attack answers | INTERNAL | timeouts | attack p50 / p99 ms"
        " | /healthz p50 / p99 ms | query p50 / p99 ms | well-behaved answers | INTERNAL"
        " | timeouts | server log ERROR / tracebacks | settled s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        polite = Tally()
        polite.merge(row.probed.healthz)
        polite.merge(row.probed.query)
        lines.append(
            f"| {row.attack} | {row.seconds:g} | {row.clients} | {row.hostile.answers()}"
            f" | {row.hostile.internal} | {row.hostile.timeouts} | {row.hostile.percentiles()}"
            f" | {row.probed.healthz.percentiles()} | {row.probed.query.percentiles()}"
            f" | {polite.answers()} | {polite.internal} | {polite.timeouts}"
            f" | {row.log_errors} / {row.tracebacks} | {row.settled:.1f} |"
        )
    return "\n".join(lines)


def attack_targets(rows: list[Row]) -> str:
    lines = []
    for row in rows:
        worst = max(
            percentile(row.probed.healthz.timings, 99), percentile(row.probed.query.timings, 99)
        )
        internal = row.hostile.internal + row.probed.healthz.internal + row.probed.query.internal
        missed = row.probed.healthz.timeouts + row.probed.query.timeouts
        ok = worst <= TARGET_P99_MS and internal == 0 and missed == 0
        lines.append(
            f"- {row.attack}: well-behaved p99 {worst:.1f} ms (≤ {TARGET_P99_MS:g}),"
            f" {internal} internal errors, {missed} well-behaved timeouts — {_met(ok)}"
        )
    return "\n".join(lines)


def load_report(loaded: load.Loaded, verified: load.Verified, clients: int, writers: int) -> str:
    lines = [
        f"{clients} clients ({writers} writing grades, {clients - writers} reading screens)"
        f" for {loaded.seconds:.0f} s.",
        "",
        "| clients | requests | per s | answered ok p50 / p99 ms | UNAVAILABLE | UNAVAILABLE"
        " p50 / p99 ms | INTERNAL | timeouts | answers |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, tally in (("writers", loaded.writes), ("readers", loaded.reads)):
        unavailable = tally.timings_of(" UNAVAILABLE")
        lines.append(
            f"| {name} | {tally.total} | {tally.total / loaded.seconds:.0f}"
            f" | {tally.percentiles(' ok')} | {len(unavailable)} | {p50_p99(unavailable)}"
            f" | {tally.internal} | {tally.timeouts} | {tally.answers()} |"
        )
    internal = loaded.writes.internal + loaded.reads.internal
    timeouts = loaded.writes.timeouts + loaded.reads.timeouts
    complete = (
        verified.audited == verified.acknowledged
        and verified.standing + verified.empty == verified.cells
    )
    lines += [
        "",
        f"- internal errors: {internal} (target 0) — {_met(internal == 0)}",
        f"- client timeouts: {timeouts} (target 0) — {_met(timeouts == 0)}",
        f"- acknowledged writes: {verified.acknowledged}, with their audit row:"
        f" {verified.audited}; cells as last acknowledged: {verified.standing} of"
        f" {verified.cells - verified.empty - verified.leftovers}; cells only refused:"
        f" {verified.empty} empty, {verified.leftovers} with a grade left behind"
        f" — {_met(complete and not verified.leftovers)}",
    ]
    lines += [f"  - {problem}" for problem in verified.problems]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------


def serve_command(port: int, workers: int | None) -> list[str]:
    command = [sys.executable, "-m", "server.cli", "serve", "--port", str(port)]
    if workers is not None:
        helped = subprocess.run(
            [sys.executable, "-m", "server.cli", "serve", "--help"],
            capture_output=True,
            text=True,
            check=False,
        )
        if "--workers" in helped.stdout:
            command += ["--workers", str(workers)]
        else:
            print("note: `tabel serve` has no --workers yet; one worker", file=sys.stderr)
    return command


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few seconds each, fewer clients")
    parser.add_argument("--tiny", action="store_true", help="the tests' small school")
    parser.add_argument(
        "--only",
        type=lambda names: names.split(","),
        default=[],
        help=f"some of: {', '.join(a.name for a in ATTACKS)}, load",
    )
    parser.add_argument("--workers", type=int, default=None, help="server worker processes")
    parser.add_argument("--seconds", type=float, default=None, help="per attack (20; quick 3)")
    parser.add_argument("--load-clients", type=int, default=None, help="200; quick 20")
    parser.add_argument("--load-seconds", type=float, default=None, help="60; quick 5")
    parser.add_argument(
        "--database-url",
        default=None,
        help=f"the database (default: tabel_attack, tabel_attack_ci with --tiny, on {SERVER})",
    )
    parser.add_argument(
        "--throwaway",
        action=argparse.BooleanOptionalAction,
        default=IN_CI,
        help="work in a database of this run's own, named after the one above with the process"
        " id and a random suffix, created at the start and dropped at the end, even on failure"
        " (default: on when CI=true, else off: the database is kept and reused)",
    )
    parser.add_argument(
        "--port", type=int, default=None, help="the server's port (default: a free one)"
    )
    parser.add_argument("--server-log", default=None, help="keep the server's output in this file")
    args = parser.parse_args()
    unknown = set(args.only) - {a.name for a in ATTACKS} - {"load"}
    if unknown:
        parser.error(f"no attack {', '.join(sorted(unknown))}")

    url = args.database_url or database_url("tabel_attack_ci" if args.tiny else "tabel_attack")
    stop_on_sigterm()
    with throwaway_database(url) if args.throwaway else nullcontext(url) as own:
        run_attacks(own, args)


def run_attacks(url: str, args: argparse.Namespace) -> None:
    """Every attack, then the load run, against a server on `url`'s database."""
    seconds = args.seconds or (3.0 if args.quick else 20.0)
    load_clients = args.load_clients or (20 if args.quick else 200)
    load_seconds = args.load_seconds or (5.0 if args.quick else 60.0)
    writers = max(1, load_clients // 4)
    prepare(url, TINY if args.tiny else DemoOptions(today=TODAY))
    with psycopg.connect(url) as connection:
        signed_in = tokens.by_login(connection, ["teacher", "admin"])
    polite, admin = signed_in["teacher"], signed_in["admin"]
    port = args.port or free_port()
    # The demo stays as generated on TODAY: the server plans no lessons of its own.
    env = {
        "TABEL_DATABASE_URL": url,
        "TABEL_ALLOW_DEMO_CREDENTIALS": "true",
        "TABEL_LESSON_PLANNING_HOURS": "0",
    }
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    rows: list[Row] = []
    loaded: tuple[load.Loaded, load.Verified, int, int] | None = None
    with (
        server_output(args.server_log) as output,
        serving(serve_command(port, args.workers), env, port, output) as base,
    ):
        log = ServerLog(output)
        team = None
        if not args.only or "load" in args.only:
            with psycopg.connect(url) as connection:
                team = load.plan(connection, load_clients, writers)
        warm_up(base, polite, team)
        target = Target(base, admin, Settings().max_query_depth)
        plan: list[Attack | None] = [None]
        plan += [a for a in ATTACKS if not args.only or a.name in args.only]
        for attack in plan:
            name = attack.name if attack else "none (quiet)"
            clients = 0
            if attack is not None:
                clients = attack.quick_clients if args.quick else attack.clients
            length = seconds
            if attack and attack.name.startswith("slow") and not args.quick and not args.seconds:
                length = 30.0  # past the server's header and body timeouts
            print(f"{name}: {length:g} s, {clients} clients…", file=sys.stderr)
            hostile, probed = attack_once(attack, target, polite, length, clients)
            settled = settle(base)
            errors, tracebacks = log.since()
            rows.append(Row(name, length, clients, hostile, probed, errors, tracebacks, settled))
        if team is not None:
            print(f"load: {load_clients} clients for {load_seconds:g} s…", file=sys.stderr)
            result = asyncio.run(load.run(base, team, load_seconds, patience=10.0))
            with psycopg.connect(url) as connection:
                verified = load.verify(connection, team.writers)
            loaded = (result, verified, load_clients, writers)
            errors, tracebacks = log.since()
    print()
    print(
        f"{os.cpu_count()} CPUs; load average {load_before:.1f} before,"
        f" {os.getloadavg()[0]:.1f} after {time.perf_counter() - started:.0f} s;"
        f" server workers: {args.workers or 'default'}."
    )
    print()
    print("### Attacks")
    print()
    print(attack_table(rows))
    print()
    print(attack_targets(rows))
    if loaded:
        print()
        print("### Load")
        print()
        print(load_report(*loaded))
        print(f"- server log during the load: {errors} ERROR lines, {tracebacks} tracebacks")
        verified = loaded[1]
        complete = (
            verified.audited == verified.acknowledged
            and verified.standing + verified.empty == verified.cells
        )
        if not complete or verified.leftovers:
            sys.exit(1)


if __name__ == "__main__":
    main()
