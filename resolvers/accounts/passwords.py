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
# A temporary password is a random secret of 59 bits (`logins.temporary_password`): guessing it
# offline is out of reach however fast the hash, so it is hashed ~12 times faster (4 MiB, one
# pass) and a class's worth does not keep the write lock for seconds. `needs_rehash` redoes it
# by the parameters above at its first sign-in.
_temporary_hasher = PasswordHasher(time_cost=1, memory_cost=4_096, parallelism=1)
R = TypeVar("R")

# argon2-cffi releases the GIL while it hashes, so two threads use both cores of a small host.
CHECK_THREADS = 2
# Checks that may wait for a thread; one more sign-in than that is refused at once.
MAX_WAITING_CHECKS = 16


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def hash_temporary_passwords(*passwords: str) -> list[str]:
    return [_temporary_hasher.hash(password) for password in passwords]


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

    async def hash_temporary(self, passwords: list[str]) -> list[str]:
        """Machine-made temporary passwords, in one thread's turn."""
        return await self._run(hash_temporary_passwords, *passwords)

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


async def temporary_password_hashes(passwords: list[str]) -> list[str]:
    return await pool.hash_temporary(passwords)
