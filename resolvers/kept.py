"""Statements kept once built (issue 15): a screen asked again with the same arguments by a
caller holding the same roles runs the very statement objects it ran before.

Building a statement costs Python: SQLAlchemy's constructs, the row filters put in, the
column collections of the subqueries, and the cache key by which SQLAlchemy finds its compiled
form — a few milliseconds for a screen, more than its SQL takes PostgreSQL. A dashboard asks the
same shapes all day (a teacher's grid after each entry, a parent's week on each visit), so each
process keeps the statements it built last, by what they were built from: the screen, its
arguments and values read for it (a period's dates), and everything the caller's row filters
depend on (the policies, `PolicyEngine.caller_key`). What is kept is the question, never an
answer: every request still runs its statements and reads the rows as they are now."""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from resolvers.context import Context

T = TypeVar("T")
# Statement sets per process; the least recently used are forgotten. A diary week's set with
# its compiled forms is about 150 KB: some 75 MB at most, as SQLAlchemy's own cache of compiled
# statements holds 500.
KEPT = 512


class Kept:
    def __init__(self, size: int = KEPT) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, object] = OrderedDict()

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        found = self._kept.get(key)
        if found is None:
            found = self._kept[key] = build()
            if len(self._kept) > self.size:
                self._kept.popitem(last=False)
        else:
            self._kept.move_to_end(key)
        return found  # type: ignore[return-value]

    def clear(self) -> None:
        self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)


KEPT_STATEMENTS = Kept()


def kept(ctx: Context, key: Hashable, build: Callable[[], T]) -> T:
    """What `build` makes for this caller and `key`: built once, then the same objects."""
    principal = ctx.principal
    caller = None if principal is None else ctx.policy.caller_key(principal)
    return KEPT_STATEMENTS.get((key, ctx.policy, caller), build)
