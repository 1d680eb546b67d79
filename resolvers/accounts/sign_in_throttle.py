"""Failed sign-ins slow down whoever repeats them, and are recorded for the admin.

Failures are counted in the database (so every worker sharing it counts the same) per login,
per client address, and per (login, address) pair. After the free attempts of a counter, each
further failure makes the next attempt wait twice as long as the one before (1 s, 2 s, 4 s …),
up to the counter's cap. While an attempt must wait, it is refused at once with
`RATE_LIMITED` and `retryAfter`, before the account is even read: no password is checked, and
the refused attempt is not counted. A counter forgets after `MEMORY` without failures.

| counter | free failures | longest wait | stops |
|---|---|---|---|
| pair (login, address) | 5 | 15 min | one client guessing one login |
| address | 30 | 5 min | one client trying many logins |
| login | 10 | 1 min | many addresses guessing one login |

A stranger cannot lock the owner out of their account: the per-login wait holds back only
addresses that have themselves failed on that login lately, and never more than a minute at a
time. The owner signing in from an address with no recent failure on their login is not held
back by anyone else's failures on it; only by their own address's counter (a shared network
whose clients fail on more than 30 logins an hour waits at most 5 minutes). A right password
clears the pair's counter.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, delete, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite

import model as m
from model.sign_in import ADDRESS_LENGTH, LOGIN_LENGTH
from resolvers.database import Database
from resolvers.errors import RateLimited

MEMORY = timedelta(hours=1)
# Failed sign-ins stay listed for the admin this long.
FAILURE_RETENTION = timedelta(days=90)
UNKNOWN_ADDRESS = "unknown"


@dataclass(frozen=True)
class Rule:
    free: int
    longest: timedelta

    def wait(self, failures: int) -> timedelta:
        """How long the next attempt waits after `failures` failures."""
        if failures < self.free:
            return timedelta(0)
        doublings = failures - self.free
        if doublings >= math.log2(self.longest.total_seconds()):
            return self.longest
        return timedelta(seconds=2**doublings)


RULES: dict[m.ThrottleKind, Rule] = {
    m.ThrottleKind.PAIR: Rule(free=5, longest=timedelta(minutes=15)),
    m.ThrottleKind.ADDRESS: Rule(free=30, longest=timedelta(minutes=5)),
    m.ThrottleKind.LOGIN: Rule(free=10, longest=timedelta(minutes=1)),
}


@dataclass(frozen=True)
class Attempt:
    """A sign-in attempt: the login as typed (normalised) and the client's address."""

    login: str
    client_address: str
    at: datetime

    @classmethod
    def of(cls, login: str, client_address: str, at: datetime) -> "Attempt":
        return cls(
            login=login.strip().lower()[:LOGIN_LENGTH],
            client_address=client_address[:ADDRESS_LENGTH] or UNKNOWN_ADDRESS,
            at=at,
        )

    def keys(self) -> dict[m.ThrottleKind, tuple[str, str]]:
        return {
            m.ThrottleKind.PAIR: (self.login, self.client_address),
            m.ThrottleKind.ADDRESS: ("", self.client_address),
            m.ThrottleKind.LOGIN: (self.login, ""),
        }


def _counter(kind: m.ThrottleKind, key: tuple[str, str]) -> ColumnElement[bool]:
    t = m.SignInThrottle
    return and_(t.kind == kind, t.login == key[0], t.client_address == key[1])


async def admit(db: Database, attempt: Attempt) -> bool:
    """`RATE_LIMITED` if the attempt must still wait (one statement, no password checked);
    else whether this address has failed on this login lately."""
    keys = attempt.keys()
    t = m.SignInThrottle
    rows = await db.rows(
        select(t.kind, t.failures, t.last_failure_at).where(
            or_(*(_counter(kind, key) for kind, key in keys.items())),
            t.last_failure_at >= attempt.at - MEMORY,
        )
    )
    counted = {row[0]: (row[1], row[2]) for row in rows}
    failed_here = m.ThrottleKind.PAIR in counted
    if not failed_here:
        # This address has not failed on this login lately: the owner, not the guesser.
        counted.pop(m.ThrottleKind.LOGIN, None)
    until = max(
        (last + RULES[kind].wait(failures) for kind, (failures, last) in counted.items()),
        default=attempt.at,
    )
    if until > attempt.at:
        seconds = math.ceil((until - attempt.at).total_seconds())
        raise RateLimited(
            f"Too many failed sign-ins; try again in {seconds} s.", retryAfter=seconds
        )
    return failed_here


async def record_failure(db: Database, attempt: Attempt, account_id: int | None) -> None:
    """Count a failed sign-in on its three counters and list it for the admin, in a transaction
    of its own: the request's, which the refusal rolls back, is ended first. Not in the audit
    trail: the counters and the failures' list are a log of their own, not the school's records."""
    await db.session.rollback()
    db.wrote = False
    await db.begin_writing()
    t = m.SignInThrottle
    postgres = db.session.get_bind().dialect.name == "postgresql"
    upsert = postgresql.insert if postgres else sqlite.insert
    rows = [
        {"kind": kind, "login": key[0], "client_address": key[1], "failures": 1}
        for kind, key in attempt.keys().items()
    ]
    statement = upsert(t).values([{**row, "last_failure_at": attempt.at} for row in rows])
    forgotten = t.last_failure_at < attempt.at - MEMORY
    await db.execute(
        statement.on_conflict_do_update(
            index_elements=[t.kind, t.login, t.client_address],
            set_={
                "failures": case((forgotten, 1), else_=t.failures + 1),
                "last_failure_at": statement.excluded.last_failure_at,
            },
        )
    )
    await db.execute(
        insert(m.SignInFailure).values(
            attempted_at=attempt.at,
            login=attempt.login,
            account_id=account_id,
            client_address=attempt.client_address,
        )
    )
    await db.execute(delete(t).where(forgotten))
    cutoff = attempt.at - FAILURE_RETENTION
    await db.execute(delete(m.SignInFailure).where(m.SignInFailure.attempted_at < cutoff))
    await db.commit()


async def forget_pair(db: Database, attempt: Attempt) -> None:
    """The right password: this address knows it, its pair counter starts again."""
    t = m.SignInThrottle
    pair = attempt.keys()[m.ThrottleKind.PAIR]
    await db.execute(delete(t).where(_counter(m.ThrottleKind.PAIR, pair)))
