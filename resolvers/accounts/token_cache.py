"""The callers behind bearer tokens, kept in each server process (issue 15): a request whose
token resolved lately costs no statement to sign in.

A kept caller is only as good as the process's knowledge of changes, so one is kept only while
the process hears of every change: on PostgreSQL a trigger on each table a caller is read from
notifies `tabel_tokens` at the commit of whatever changed it (a logout, a revocation, a
password change, an account blocked, a role given or taken, a class's teacher, a school's
settings; migration c3e9a1f7d052), and this process's listener (`server/live_listener.py`)
forgets every kept caller when it hears one — within milliseconds of the commit, on every
process. Each application has its own (`server/app.py`), heard by its own listener. While the
listener is not connected, nothing is kept and every token is read from the
database, as it is on SQLite (one process, no listener).

A token looked up before a change and answered after it must not be kept: each look-up notes the
cache's generation first, and its answer is kept only if no change was heard meanwhile. An
entry also ends with its token's expiry, with the day (roles count by the day: a leaver's last
day, «teaches now»), and after `SECONDS` in any case."""

import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import date, datetime

from policies.principal import Principal

SECONDS = 60.0  # the longest a caller is kept, whatever is heard
MOST = 10_000  # callers kept per process; the least recently used are forgotten


@dataclass(frozen=True, slots=True)
class _Kept:
    principal: Principal
    expires_at: datetime
    day: date
    until: float  # time.monotonic()


class TokenCache:
    def __init__(self, seconds: float = SECONDS, most: int = MOST) -> None:
        self.seconds = seconds
        self.most = most
        self.generation = 0
        self.hearing = False
        self._kept: OrderedDict[bytes, _Kept] = OrderedDict()

    def get(self, digest: bytes, now: datetime) -> Principal | None:
        """The caller kept for the token, as of `now`; None when none is."""
        if not self.hearing:
            return None
        kept = self._kept.get(digest)
        if kept is None:
            return None
        if kept.expires_at <= now or kept.day != now.date() or kept.until < time.monotonic():
            del self._kept[digest]
            return None
        self._kept.move_to_end(digest)
        return replace(kept.principal, now=now)

    def put(
        self, digest: bytes, principal: Principal, expires_at: datetime, generation: int
    ) -> None:
        """Keeps a caller read from the database, unless a change was heard since `generation`
        (the cache's generation when the read began)."""
        if not self.hearing or generation != self.generation or principal.now is None:
            return
        until = time.monotonic() + self.seconds
        self._kept[digest] = _Kept(principal, expires_at, principal.now.date(), until)
        self._kept.move_to_end(digest)
        if len(self._kept) > self.most:
            self._kept.popitem(last=False)

    def forget_all(self) -> None:
        """Who may do what changed somewhere: every kept caller is read again."""
        self.generation += 1
        self._kept.clear()

    def heard(self, hearing: bool) -> None:
        """The listener connected (it hears every change from now on) or lost its connection
        (what changes meanwhile goes unheard): in both cases nothing kept so far is trusted."""
        self.hearing = hearing
        self.forget_all()

    def __len__(self) -> int:
        return len(self._kept)
