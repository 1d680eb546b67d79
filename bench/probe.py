"""The well-behaved client: `/healthz` and a small GraphQL query with a real token, each on its
own keep-alive connection at a steady pace, timed from when each request was due (so a stalled
server is not hidden by the requests it kept from being sent). It runs in a process of its own:
the attackers' CPU (building a 50 MB body, parsing answers) must not count as the server's."""

import asyncio
import multiprocessing
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from urllib.parse import urlsplit

import orjson

from bench.client import Connection, Request
from bench.outcomes import Tally, close_quietly, label, timed

SMALL_QUERY = "query Me { me { login person { shortName } } }"


@dataclass(frozen=True)
class Plan:
    base: str
    token: str
    seconds: float
    period: float = 0.05  # s between requests, per kind
    timeout: float = 5.0


@dataclass
class Probed:
    healthz: Tally
    query: Tally


def healthz_request(base: str) -> bytes:
    parts = urlsplit(base)
    return f"GET /healthz HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode()


def query_request(base: str, token: str) -> Request:
    body = orjson.dumps({"query": SMALL_QUERY})
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    return Request(f"{base}/graphql", body, headers)


async def paced(address: tuple[str, int], raw: bytes, plan: Plan) -> Tally:
    tally = Tally()
    connection: Connection | None = None
    started = time.perf_counter()
    due, end = started, started + plan.seconds
    while due < end and time.perf_counter() < end:
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        if connection is None:
            try:
                connection = await asyncio.wait_for(Connection.open(address), plan.timeout)
            except (TimeoutError, OSError):
                tally.add("connect failed")
                due += plan.period
                continue
        reply = await timed(connection.exchange(raw), plan.timeout)
        ms = (time.perf_counter() - due) * 1000
        if isinstance(reply, str):
            tally.add(reply)
            await close_quietly(connection)
            connection = None
        else:
            tally.add(label(reply), ms)
            if reply.headers.get("connection", "").lower() == "close":
                await close_quietly(connection)
                connection = None
        due += plan.period
    await close_quietly(connection)
    return tally


async def probe(plan: Plan) -> Probed:
    request = query_request(plan.base, plan.token)
    healthz, query = await asyncio.gather(
        paced(request.address, healthz_request(plan.base), plan),
        paced(request.address, request.raw(), plan),
    )
    return Probed(healthz, query)


def _child(plan: Plan, ready: Event, go: Event, results: "Queue[Probed]") -> None:
    ready.set()
    go.wait(60)
    results.put(asyncio.run(probe(plan)))


class Prober:
    """`start()` returns once the child is running; `result()` waits for its figures."""

    def __init__(self, plan: Plan) -> None:
        context = multiprocessing.get_context("spawn")
        self.ready, self.go = context.Event(), context.Event()
        self.results: Queue[Probed] = context.Queue()
        self.process = context.Process(
            target=_child, args=(plan, self.ready, self.go, self.results), daemon=True
        )
        self.seconds = plan.seconds

    def start(self) -> None:
        self.process.start()
        if not self.ready.wait(60):
            raise RuntimeError("the well-behaved client did not start")
        self.go.set()

    def result(self) -> Probed:
        figures = self.results.get(timeout=self.seconds + 60)
        self.process.join(10)
        return figures


@contextmanager
def probing(plan: Plan) -> Iterator[Prober]:
    prober = Prober(plan)
    prober.start()
    try:
        yield prober
    finally:
        if prober.process.is_alive():
            prober.process.join(plan.seconds + 30)
        if prober.process.is_alive():
            prober.process.terminate()
