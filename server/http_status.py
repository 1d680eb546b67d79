"""The HTTP status of a GraphQL answer: a client that cannot read GraphQL errors (a proxy, a
load balancer, a retrying HTTP library) still tells "retry later" from "done" or "a bug"."""

import math
from collections.abc import Mapping, Sequence
from typing import Any

from resolvers.errors import ErrorCode

# Codes that mean "not now": the answer carries their status and a Retry-After.
RETRY_STATUS = {ErrorCode.UNAVAILABLE.value: 503, ErrorCode.RATE_LIMITED.value: 429}


def retry_status(errors: Sequence[object]) -> tuple[int, int] | None:
    """(status, seconds to wait) when an error asks the client to come back later.
    UNAVAILABLE wins over RATE_LIMITED: the server's state, not the client's, is the cause."""
    found: dict[int, int] = {}
    for error in errors:
        extensions: Mapping[str, Any] = (
            error.get("extensions") or {} if isinstance(error, Mapping) else {}
        )
        status = RETRY_STATUS.get(extensions.get("code", ""))
        if status is not None:
            wait = _seconds(extensions.get("retryAfter"))
            found[status] = max(found.get(status, 0), wait)
    for status in (503, 429):
        if status in found:
            return status, found[status]
    return None


def _seconds(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 1
    return max(1, math.ceil(value))
