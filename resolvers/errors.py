"""The closed set of error codes a client can see, and the exception that carries one."""

import enum
from typing import Any


class ErrorCode(enum.StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    PERIOD_LOCKED = "PERIOD_LOCKED"
    EDIT_WINDOW_CLOSED = "EDIT_WINDOW_CLOSED"
    CONFLICT = "CONFLICT"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    RATE_LIMITED = "RATE_LIMITED"
    # Overload or the database down: HTTP 503 with `Retry-After`, answered at once.
    UNAVAILABLE = "UNAVAILABLE"


class TabelError(Exception):
    """A refusal the client may see: graphql-core copies `extensions` into the error."""

    code: ErrorCode = ErrorCode.BAD_USER_INPUT

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions: dict[str, Any] = {"code": self.code.value, **details}


class Unauthenticated(TabelError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(TabelError):
    code = ErrorCode.FORBIDDEN


class NotFound(TabelError):
    code = ErrorCode.NOT_FOUND


class BadUserInput(TabelError):
    code = ErrorCode.BAD_USER_INPUT


class Conflict(TabelError):
    code = ErrorCode.CONFLICT


class QueryTooComplex(TabelError):
    code = ErrorCode.QUERY_TOO_COMPLEX


class RateLimited(TabelError):
    """Too many attempts or requests; `extensions.retryAfter` says in how many seconds."""

    code = ErrorCode.RATE_LIMITED


class Unavailable(TabelError):
    """The server cannot take the request now; the client retries after `retryAfter` s."""

    code = ErrorCode.UNAVAILABLE


class PeriodLocked(TabelError):
    code = ErrorCode.PERIOD_LOCKED


class EditWindowClosed(TabelError):
    code = ErrorCode.EDIT_WINDOW_CLOSED


REFUSALS: dict[str, type[TabelError]] = {
    ErrorCode.FORBIDDEN: Forbidden,
    ErrorCode.PERIOD_LOCKED: PeriodLocked,
    ErrorCode.EDIT_WINDOW_CLOSED: EditWindowClosed,
}
