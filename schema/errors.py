"""Every error leaves with an `extensions.code`; anything not ours is masked and logged."""

import logging

from graphql import GraphQLError
from sqlalchemy.exc import DBAPIError

from resolvers.errors import ErrorCode, TabelError

logger = logging.getLogger("tabel.errors")

INTERNAL = "INTERNAL_SERVER_ERROR"
_TOO_COMPLEX = ("exceeds maximum operation depth", "aliases found", "tokens")


def public(error: GraphQLError) -> GraphQLError:
    """What the client sees of an error: ours as raised, validation with a code, the rest masked."""
    original = error.original_error
    if isinstance(original, TabelError):
        return error
    if _concurrent_write(original):
        return GraphQLError(
            "The journal changed meanwhile; reload and try again.",
            nodes=error.nodes,
            path=error.path,
            extensions={"code": ErrorCode.CONFLICT.value},
        )
    if original is not None:
        return GraphQLError(
            "Internal server error.",
            nodes=error.nodes,
            path=error.path,
            extensions={"code": INTERNAL},
        )
    too_complex = any(marker in error.message for marker in _TOO_COMPLEX)
    code = ErrorCode.QUERY_TOO_COMPLEX if too_complex else ErrorCode.BAD_USER_INPUT
    error.extensions = {**(error.extensions or {}), "code": code.value}
    return error


def _concurrent_write(original: BaseException | None) -> bool:
    """A write that lost to a concurrent one: SQLite's busy or stale snapshot, PostgreSQL's
    serialization failure or deadlock. Nothing was written; the client may retry."""
    if not isinstance(original, DBAPIError):
        return False
    code = getattr(original.orig, "sqlstate", None)
    if code in {"40001", "40P01"}:
        return True
    message = str(original.orig).lower()
    return "database is locked" in message or "busy" in message


def log_error(error: GraphQLError) -> None:
    original = error.original_error
    if original is None or isinstance(original, TabelError):
        code = original.code.value if isinstance(original, TabelError) else "BAD_USER_INPUT"
        logger.warning("refused %s at %s: %s", code, error.path, error.message)
    else:
        logger.error("failed at %s: %s", error.path, error.message, exc_info=original)
