"""What the workers that take rows from a queue share (report jobs, `resolvers/reports/
runner.py`; notifications, `resolvers/notifications/claims.py`): a row is free to take when it
is queued (and due), or held by a worker whose lease ran out — it died without settling it."""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_


def takeable(
    status: Any, queued: Any, held: Any, lease_until: Any, now: datetime, due_at: Any = None
) -> ColumnElement[bool]:
    waiting = status == queued if due_at is None else (status == queued) & (due_at <= now)
    return or_(waiting, (status == held) & (lease_until < now))
