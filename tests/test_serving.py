"""Server hygiene (issue 9, item 7) on a real `tabel serve` (uvicorn, production settings) in a
subprocess: its workers, deadlines for slow and silent clients, SIGTERM, headers, one log line
per client mistake."""

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from tests.served import Served, read_until_closed, serve

QUICK = {
    "header_timeout_seconds": "1",
    "body_timeout_seconds": "1",
    "shutdown_timeout_seconds": "1",
    "workers": "2",
    "pool_size": "2",
}


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    log = tmp_path_factory.mktemp("serve") / "server.log"
    served = serve(database_url, log, **QUICK)
    yield served
    served.stop()


def _headers(answer: bytes) -> dict[str, str]:
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")[1:]
    return {
        name.lower(): value.strip() for name, _, value in (line.partition(":") for line in head)
    }


def _post(body: bytes, *, length: int | None = None) -> bytes:
    size = len(body) if length is None else length
    return (
        b"POST /graphql HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        b"Connection: close\r\nContent-Length: %d\r\n\r\n" % size
    ) + body


def test_production_serves_with_workers_and_no_banner(server: Served, database_url: str) -> None:
    # when a client asks for the schema's name, without signing in
    answer = server.request(_post(b'{"query": "{ __typename }"}'))
    # then it is served, with no server banner and the security headers
    assert answer.startswith(b"HTTP/1.1 200")
    headers = _headers(answer)
    assert "server" not in headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in headers["content-security-policy"]
    # and PostgreSQL is served by two worker processes (the embedded SQLite by one)
    workers = 2 if database_url.startswith("postgresql") else 1
    server.wait_for_log("Application startup complete", count=workers)
    time.sleep(0.5)
    assert server.log_text().count("Started server process") == workers


def test_anonymous_introspection_is_refused_in_production(server: Served) -> None:
    answer = server.request(_post(b'{"query": "{ __schema { types { name } } }"}'))
    body = orjson.loads(answer.split(b"\r\n\r\n", 1)[1])
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert body["data"] is None


def test_a_silent_connection_is_closed(server: Served) -> None:
    # given a client that connects and sends nothing
    with server.connect() as connection:
        started = time.monotonic()
        # then the server closes the connection once the header deadline (1 s) passes
        assert read_until_closed(connection) == b""
        assert time.monotonic() - started < 4


def test_headers_trickling_in_are_cut_off(server: Served) -> None:
    # given a client that sends its request headers a line every 0.3 s, for ever
    with server.connect() as connection:
        connection.sendall(b"POST /graphql HTTP/1.1\r\nHost: t\r\n")
        started = time.monotonic()
        closed = False
        while time.monotonic() - started < 5:
            time.sleep(0.3)
            try:
                connection.sendall(b"X-Slow: 1\r\n")
            except OSError:
                closed = True
                break
        # then the server disconnects it once the header deadline passes
        closed = closed or read_until_closed(connection, limit=2) == b""
        assert closed
        assert time.monotonic() - started < 5


def test_a_body_that_does_not_arrive_is_answered_408_and_logged_in_one_line(
    server: Served,
) -> None:
    # given a request whose body stops after 10 of its 100 bytes
    with server.connect() as connection:
        connection.sendall(_post(b'{"query": ', length=100))
        started = time.monotonic()
        answer = read_until_closed(connection)
    # then it is answered 408 with a typed error once the body deadline passes, and closed
    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert time.monotonic() - started < 4
    body = orjson.loads(answer.split(b"\r\n\r\n", 1)[1])
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    # and the log says so in one line, without a traceback
    server.wait_for_log("request body not received")
    assert "Traceback" not in server.log_text()


def test_a_client_that_leaves_mid_request_is_one_log_line(server: Served) -> None:
    # given a client that sends half its body and goes away
    with server.connect() as connection:
        connection.sendall(_post(b'{"query": "{ __typen', length=200))
        time.sleep(0.2)
        connection.setsockopt(
            socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
        )
    # then the server logs one line for it, and no traceback
    server.wait_for_log("client disconnected")
    log = server.log_text()
    assert "Traceback" not in log
    assert "Exception in ASGI application" not in log


def test_user_input_in_the_log_is_escaped(server: Served) -> None:
    # when a client sends a path and a document with a newline and a NUL byte in them
    server.request(b"GET /graphql%0AINFO%20forged HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
    server.request(_post(b'{"query": "{ me\\n\\u0000forged { id } }"}'))
    time.sleep(0.3)
    # then no log line starts with what the client wrote
    lines = server.log_text().splitlines()
    assert not [line for line in lines if line.startswith(("INFO forged", "\x00", "forged"))]
    assert "\x00" not in server.log_text()


def test_sigterm_stops_the_server_within_seconds(database_url: str, tmp_path: Path) -> None:
    # given a server with a request in flight (its body never completes) and an idle client
    served = serve(database_url, tmp_path / "server.log", **{**QUICK, "body_timeout_seconds": "60"})
    with served.connect() as in_flight, served.connect():
        in_flight.sendall(_post(b'{"query"', length=100))
        time.sleep(0.3)
        # when it is told to stop
        took = served.stop()
    # then it exits within the graceful shutdown (1 s) and a little
    assert took < 5, served.log_text()
    assert served.process.returncode == 0 or served.process.returncode < 0
