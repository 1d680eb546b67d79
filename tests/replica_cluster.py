"""A PostgreSQL primary and its streaming replica of the tests' own, made on this machine with
PostgreSQL's own tools (initdb, pg_basebackup, pg_ctl) in a temporary folder, on free ports.

The machine's server is left alone (its pg_hba allows no replication); the binaries are the
machine's. As root, the servers run as the `postgres` user (PostgreSQL refuses to run as root)."""

import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.served import free_port

# Fast and unsafe on a crash, as a test's throwaway servers may be.
SETTINGS = ("-c fsync=off", "-c full_page_writes=off", "-c listen_addresses=127.0.0.1")


def binaries() -> Path | None:
    """The folder of PostgreSQL's server programs, or None if the machine has none."""
    found = shutil.which("pg_ctl")
    if found is not None:
        return Path(os.path.realpath(found)).parent
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    return Path(folders[-1]) if folders else None


@dataclass
class Server:
    folder: Path
    port: int
    run_as: list[str]
    programs: Path

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, program: str, *arguments: str) -> None:
        command = [*self.run_as, str(self.programs / program), *arguments]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = " ".join((*SETTINGS, f"-p {self.port}", f"-k {self.folder.parent}"))
        log = str(self.folder.parent / f"{self.folder.name}.log")
        self.run("pg_ctl", "-D", str(self.folder), "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.folder), "-m", "fast", "-w", "stop")

    def execute(self, statement: str) -> object:
        with psycopg.connect(self.url, autocommit=True) as connection:
            row = connection.execute(statement).fetchone()
            return None if row is None else row[0]


@dataclass
class Cluster:
    primary: Server
    replica: Server

    def caught_up(self, within: float = 20) -> None:
        """Waits until the replica has replayed all the primary wrote so far."""
        position = self.primary.execute("SELECT pg_current_wal_lsn()::text")
        deadline = time.monotonic() + within
        while not self.replica.execute(f"SELECT pg_last_wal_replay_lsn() >= '{position}'::pg_lsn"):
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.05)

    def pause_replay(self) -> None:
        self.replica.execute("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self.replica.execute("SELECT pg_wal_replay_resume()")


@contextmanager
def primary_and_replica(programs: Path) -> Iterator[Cluster]:
    root = Path(tempfile.mkdtemp(prefix="tabel-replica-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    primary = Server(root / "primary", free_port(), run_as, programs)
    replica = Server(root / "replica", free_port(), run_as, programs)
    started: list[Server] = []
    try:
        primary.run("initdb", "-D", str(primary.folder), "-A", "trust", "-U", "postgres", "-N")
        primary.start()
        started.append(primary)
        primary.run(
            *("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"),
            *("-D", str(replica.folder), "-R", "-X", "stream"),
        )
        replica.start()
        started.append(replica)
        yield Cluster(primary, replica)
    finally:
        for server in reversed(started):
            with suppress(subprocess.CalledProcessError):  # stopped by the test already
                server.stop()
        shutil.rmtree(root, ignore_errors=True)
