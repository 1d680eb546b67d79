"""When a notification outside the in-app feed may go: not in the person's quiet hours (it
waits for their end), and at their daily digest's time when they chose one — both in the
school's time zone (design.md invariant 8), quiet hours across midnight too."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Timing:
    """A person's quiet hours and digest time (`NotificationSettings`), wall-clock times."""

    quiet_from: time | None = None
    quiet_until: time | None = None
    digest_at: time | None = None

    @property
    def digest(self) -> bool:
        return self.digest_at is not None


def _at(day: datetime, moment: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day.date(), moment, tzinfo=zone)


def next_digest(due: datetime, digest_at: time, zone: str) -> datetime:
    """The first digest time at or after `due`, in UTC."""
    here = ZoneInfo(zone)
    local = due.astimezone(here)
    at = _at(local, digest_at, here)
    if at < local:
        at = _at(local + timedelta(days=1), digest_at, here)
    return at.astimezone(UTC)


def after_quiet(due: datetime, quiet_from: time, quiet_until: time, zone: str) -> datetime:
    """`due`, or the end of the quiet hours it falls in, in UTC."""
    if quiet_from == quiet_until:
        return due
    here = ZoneInfo(zone)
    local = due.astimezone(here)
    now = local.time().replace(tzinfo=None)
    if quiet_from < quiet_until:  # within one day: 13:00–15:00
        inside, next_day = quiet_from <= now < quiet_until, False
    else:  # across midnight: 22:00–07:00
        inside, next_day = now >= quiet_from or now < quiet_until, now >= quiet_from
    if not inside:
        return due
    day = local + timedelta(days=1) if next_day else local
    return _at(day, quiet_until, here).astimezone(UTC)


def when(due: datetime, timing: Timing, zone: str) -> datetime:
    """When a notification due at `due` goes out on a channel other than the in-app feed."""
    if timing.digest_at is not None:
        due = next_digest(due, timing.digest_at, zone)
    if timing.quiet_from is not None and timing.quiet_until is not None:
        due = after_quiet(due, timing.quiet_from, timing.quiet_until, zone)
    return due
