"""The class grade grid as a teacher (row-filtered by `taught`) and as an admin, over HTTP.

    .venv/bin/python -m bench.grid [--database-url URL] [--requests N]

Generates the demo school into the database if it has none, starts the real server (uvicorn,
production settings) on a free local port, and prints p50/p95 latency of the same grid for
both roles and their ratio (issue 3's goal: teacher ≤ 1.10 × admin).
"""

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from datetime import date

import httpx
from sqlalchemy import text

from model.db import make_engine
from server.migrate import upgrade

GRID = """
query Grid($group: ID!, $subject: ID!) {
  lessons(filter: {groupId: $group, subjectId: $subject}, status: HELD, first: 100) {
    totalCount
    nodes {
      heldOn topic
      workTypes { shortName weight }
      grades { mark student { id } workType { weight } }
      attendance { kind lateMinutes student { id } }
    }
  }
  node(id: $group) { ... on Group { students { id shortName } } }
}
"""

LOGIN = 'mutation($login: String!) { login(login: $login, password: "demo") { token } }'

PAIR = """
SELECT t.group_id, g.school_class_id, t.subject_id FROM timetable_entry t
JOIN account a ON a.person_id = t.teacher_id JOIN study_group g ON g.id = t.group_id
WHERE a.login = 'teacher' ORDER BY g.kind, t.id LIMIT 1
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def _count_schools(url: str) -> int:
    engine = make_engine(url)
    async with engine.connect() as connection:
        schools: int = (await connection.execute(text("SELECT count(*) FROM school"))).scalar_one()
    await engine.dispose()
    return schools


def prepare(url: str) -> None:
    """The newest schema, and the demo school (generated as of a fixed date) if there is none."""
    upgrade(url)
    if not asyncio.run(_count_schools(url)):
        subprocess.run(
            [sys.executable, "-m", "server.cli", "--database-url", url, "demo",
             "--today", date(2026, 11, 28).isoformat()],
            check=True,
        )  # fmt: skip


async def _prepare(url: str) -> tuple[int, int]:
    """A (group, subject) the demo's `teacher` teaches."""
    engine = make_engine(url)
    async with engine.connect() as connection:
        row = (await connection.execute(text(PAIR))).one()
    await engine.dispose()
    return row[0], row[2]


def _measure(
    client: httpx.Client, tokens: dict[str, str], variables: dict[str, str], n: int
) -> dict[str, list[float]]:
    """Alternates the roles request by request, so that drift in the machine hits both alike."""
    timings: dict[str, list[float]] = {role: [] for role in tokens}
    payload = {"query": GRID, "variables": variables}
    for _ in range(n):
        for role, token in tokens.items():
            headers = {"Authorization": f"Bearer {token}"}
            started = time.perf_counter()
            reply = client.post("/graphql", json=payload, headers=headers)
            timings[role].append((time.perf_counter() - started) * 1000)
            body = reply.json()
            assert "errors" not in body, body["errors"]
    return {role: sorted(values) for role, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/tabel_bench"
    )
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    from strawberry import relay

    prepare(args.database_url)
    group_id, subject_id = asyncio.run(_prepare(args.database_url))
    port = _free_port()
    env = {**os.environ, "TABEL_DATABASE_URL": args.database_url}
    server = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
        for _ in range(100):
            try:
                client.get("/healthz")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        variables = {
            "group": relay.to_base64("Group", group_id),
            "subject": relay.to_base64("Subject", subject_id),
        }
        tokens = {}
        for role in ["admin", "teacher"]:
            login = {"query": LOGIN, "variables": {"login": role}}
            tokens[role] = client.post("/graphql", json=login).json()["data"]["login"]["token"]
        _measure(client, tokens, variables, 5)  # warm up
        results = _measure(client, tokens, variables, args.requests)
        print(f"class grade grid, {args.requests} sequential requests each, {args.database_url}")
        print(f"{'role':<10}{'p50 ms':>10}{'p95 ms':>10}")
        for role, timings in results.items():
            p95 = timings[int(len(timings) * 0.95) - 1]
            print(f"{role:<10}{statistics.median(timings):>10.1f}{p95:>10.1f}")
        ratio = statistics.median(results["teacher"]) / statistics.median(results["admin"])
        print(f"teacher / admin p50 ratio: {ratio:.2f}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
