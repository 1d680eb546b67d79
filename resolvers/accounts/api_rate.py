"""API tokens' request rates: each token may make so many requests per window, by its kind.

Windows are fixed and aligned (every minute on the minute by default); a token's count lives on
its row and is raised by one atomic UPDATE per request, so every worker sharing the database
counts the same. A request over the limit is refused with `RATE_LIMITED` and `retryAfter`
(the seconds until the next window) before anything of it runs."""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NoReturn

from sqlalchemy import case, or_, update

import model as m
from policies.principal import Principal
from resolvers.database import Database
from resolvers.errors import RateLimited

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
# `last_used_at` is a hint for the admin, not an audit: to the minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class ApiRateLimits:
    window: timedelta = timedelta(minutes=1)
    requests: Mapping[m.TokenKind, int] = field(
        default_factory=lambda: {m.TokenKind.INSPECTOR: 120, m.TokenKind.INTEGRATOR: 300}
    )

    def window_of(self, now: datetime) -> datetime:
        return _EPOCH + (now - _EPOCH) // self.window * self.window


@dataclass(frozen=True)
class RateBudget:
    """What a client sees in `extensions.rateLimit`."""

    limit: int
    used: int
    reset_at: datetime

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    @property
    def exceeded(self) -> bool:
        return self.used > self.limit

    def refuse(self, now: datetime) -> NoReturn:
        seconds = max(1, math.ceil((self.reset_at - now).total_seconds()))
        raise RateLimited(
            f"This token has made its {self.limit} requests of this window; "
            f"try again in {seconds} s.",
            retryAfter=seconds,
        )

    def as_extension(self) -> dict[str, object]:
        return {
            "limit": self.limit,
            "remaining": self.remaining,
            "resetAt": self.reset_at.isoformat(),
        }


async def count_request(
    db: Database, principal: Principal, limits: ApiRateLimits, now: datetime
) -> RateBudget:
    """Count one request of an API token in its window, and note its use. It only writes;
    committing is the caller's (`schema.transaction`). Not in the audit trail: a counter of the
    token's use, not a write to the school's records (the trail keeps the token without it)."""
    start = limits.window_of(now)
    token = m.AuthToken
    result = await db.execute(
        update(token)
        .where(token.id == principal.token_id)
        .values(
            rate_window_requests=case(
                (token.rate_window_start == start, token.rate_window_requests + 1), else_=1
            ),
            rate_window_start=start,
            last_used_at=case(
                (
                    or_(
                        token.last_used_at.is_(None),
                        token.last_used_at < now - LAST_USED_RESOLUTION,
                    ),
                    now,
                ),
                else_=token.last_used_at,
            ),
        )
        .returning(token.rate_window_requests)
    )
    return RateBudget(
        limit=limits.requests.get(principal.kind, 0),
        used=result.scalar_one(),
        reset_at=start + limits.window,
    )
