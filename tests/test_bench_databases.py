"""The benches' throwaway databases (bench/run.py): each run its own, dropped at its end even when
it fails or is stopped, so that two CI runs on one PostgreSQL never meet."""

import os
import signal
import subprocess
import sys

import psycopg
import pytest

from bench.run import throwaway_database
from tests.conftest import POSTGRES_REQUIRED, POSTGRES_URL
from tests.served import ROOT

BASE = POSTGRES_URL.rpartition("/")[0]
NAMED = f"{BASE}/tabel_bench_ci"
SCRIPT = """
import sys, time
from bench.run import stop_on_sigterm, throwaway_database
stop_on_sigterm()
with throwaway_database(sys.argv[1]) as own:
    print(own, flush=True)
    time.sleep(60)
"""


def _databases() -> set[str]:
    try:
        with psycopg.connect(f"{BASE}/postgres", connect_timeout=5) as connection:
            rows = connection.execute("SELECT datname FROM pg_database").fetchall()
    except psycopg.OperationalError as error:
        if POSTGRES_REQUIRED:
            pytest.fail(f"PostgreSQL at {BASE} is unreachable ({error}); CI requires it")
        pytest.skip(f"PostgreSQL at {BASE} is unreachable ({error})")
    return {name for (name,) in rows}


def test_two_runs_get_databases_of_their_own_dropped_even_on_failure() -> None:
    # given two runs of the bench at once, on one PostgreSQL, both asking for tabel_bench_ci
    before = _databases()
    with pytest.raises(RuntimeError), throwaway_database(NAMED) as first:  # noqa: PT012
        with throwaway_database(NAMED) as second:
            # then each works in a database of its own, named after the run
            ours = {first.rpartition("/")[2], second.rpartition("/")[2]}
            assert len(ours) == 2
            assert all(name.startswith(f"tabel_bench_ci_{os.getpid()}_") for name in ours)
            assert ours <= _databases() - before
            with psycopg.connect(second) as connection:
                connection.execute("CREATE TABLE left_behind (id int)")  # something in it
        # when a run fails
        raise RuntimeError("the bench failed")
    # then both databases are gone
    assert not ours & _databases()


def test_a_run_stopped_by_sigterm_drops_its_database() -> None:
    # given a bench run working in its own database
    _databases()
    run = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, NAMED], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert run.stdout is not None
        own = run.stdout.readline().strip().rpartition("/")[2]
        assert own in _databases()
        # when CI's timeout stops it
        run.send_signal(signal.SIGTERM)
        assert run.wait(30) == 128 + signal.SIGTERM
    finally:
        run.kill()
        run.wait()
    # then its database is dropped
    assert own not in _databases()
