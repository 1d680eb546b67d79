"""Password hashing with Argon2id; hashes are re-computed when the parameters are raised.

A check takes tens of milliseconds of CPU on purpose. The server's own code awaits
`check_password` and `new_password_hash`, which run it in a small pool of threads of their
own: the event loop keeps answering everyone else while a login is checked. The pool's waiting
line is bounded too: when it is full, a sign-in is refused at once (`UNAVAILABLE`) rather than
queued without limit behind a flood of them. The plain functions are for scripts and tests.
"""

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from resolvers.errors import Unavailable

# OWASP's Argon2id baseline (19 MiB, 2 passes, one lane): ~20 ms on one core. argon2-cffi's
# default (64 MiB, 3 passes, 4 lanes) took ~130 ms on both cores of a 2-core host, so every
# check starved the event loops of all workers; hashes made with it are redone at the next
# sign-in (`needs_rehash`).
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
R = TypeVar("R")

# argon2-cffi releases the GIL while it hashes, so two threads use both cores of a small host.
CHECK_THREADS = 2
# Checks that may wait for a thread; one more sign-in than that is refused at once.
MAX_WAITING_CHECKS = 16


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


class PasswordPool:
    """A bounded pool for Argon2 work: `threads` at once, at most `waiting` more in line."""

    def __init__(self, threads: int = CHECK_THREADS, waiting: int = MAX_WAITING_CHECKS) -> None:
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="argon2")
        self._capacity = threads + waiting
        self._taken = 0
        self._guard = threading.Lock()
        # How many checks and hashes ran, for the operator's figures and the tests' evidence.
        self.runs = 0

    async def check(self, password_hash: str, password: str) -> bool:
        return await self._run(verify_password, password_hash, password)

    async def hash(self, password: str) -> str:
        return await self._run(hash_password, password)

    async def _run(self, work: Callable[..., R], *args: str) -> R:
        with self._guard:
            if self._taken >= self._capacity:
                raise Unavailable(
                    "Too many sign-ins at this moment; try again in a second.", retryAfter=1
                )
            self._taken += 1
            self.runs += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, work, *args)
        finally:
            with self._guard:
                self._taken -= 1


pool = PasswordPool()


async def check_password(password_hash: str, password: str) -> bool:
    return await pool.check(password_hash, password)


async def new_password_hash(password: str) -> str:
    return await pool.hash(password)
