"""A real `tabel serve` in a subprocess on a free loopback port, and raw sockets to talk to it
as slow, silent or impatient clients do."""

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)

    def request(self, raw: bytes) -> bytes:
        """Send raw bytes, read until the server closes or 10 s pass."""
        with self.connect() as connection:
            connection.sendall(raw)
            return read_until_closed(connection)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_log(self, text: str, count: int = 1, within: float = 20) -> None:
        deadline = time.monotonic() + within
        while self.log_text().count(text) < count:
            assert time.monotonic() < deadline, self.log_text()
            time.sleep(0.1)

    def stop(self) -> float:
        """SIGTERM; the seconds it took the server to exit."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        return time.monotonic() - started


def read_until_closed(connection: socket.socket, limit: float = 10) -> bytes:
    """Everything the server sends until it closes the connection (b"" if it sent nothing)."""
    connection.settimeout(limit)
    chunks = []
    while chunk := connection.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


# One worker, the demo's sign-ins served and the door's per-caller rates off: a test's client
# sends many requests a second with one token from one address.
OPEN_DOOR = {
    "workers": "1",
    "pool_size": "4",
    "allow_demo_credentials": "true",
    "caller_rate_per_second": "0",
    "address_rate_per_second": "0",
    "caller_bytes_per_second": "0",
}


def serve(database_url: str, log: Path, *args: str, **settings: str) -> Served:
    port = free_port()
    environment = {
        **os.environ,
        "TABEL_DATABASE_URL": database_url,
        # The data stays as the test made it: no lessons planned at start (unless asked).
        "TABEL_LESSON_PLANNING_HOURS": "0",
        **{f"TABEL_{name.upper()}": value for name, value in settings.items()},
    }
    command = [sys.executable, "-m", "server.cli", "serve", "--port", str(port), *args]
    output = log.open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=output)
    served = Served(process, port, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"tabel serve exited: {served.log_text()}")
        try:
            if b" 200 " in served.request(
                b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
            ):
                return served
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"tabel serve did not start: {served.log_text()}")
