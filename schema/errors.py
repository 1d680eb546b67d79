"""Every error leaves with an `extensions.code`; anything not ours is masked and logged."""

import logging
import re

import psycopg
from graphql import GraphQLError, VariableDefinitionNode
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from resolvers.errors import ErrorCode, TabelError, Unavailable
from schema.conflicts import unique_key_taken

logger = logging.getLogger("tabel.errors")

INTERNAL = "INTERNAL_SERVER_ERROR"
_TOO_MANY_TOKENS = "Document contains more than"  # the parser's "… 4000 tokens."


def public(error: GraphQLError) -> GraphQLError:
    """What the client sees of an error: ours as raised, validation with a code, the rest masked."""
    original = error.original_error
    if isinstance(original, TabelError):
        return error
    if (unavailable := database_unavailable(original)) is not None:
        return GraphQLError(
            unavailable.message,
            nodes=error.nodes,
            path=error.path,
            original_error=unavailable,
            extensions=unavailable.extensions,
        )
    if (taken := unique_key_taken(original)) is not None or _concurrent_write(original):
        return GraphQLError(
            taken or "The journal changed meanwhile; reload and try again.",
            nodes=error.nodes,
            path=error.path,
            extensions={"code": ErrorCode.CONFLICT.value},
        )
    if invalid_value(error):
        variables = [
            node.variable.name.value
            for node in error.nodes or []
            if isinstance(node, VariableDefinitionNode)
        ]
        where = {"variable": variables[0]} if variables else {}
        error.extensions = {
            **(error.extensions or {}),
            "code": ErrorCode.BAD_USER_INPUT.value,
            **where,
        }
        return error
    if original is not None:
        return GraphQLError(
            "Internal server error.",
            nodes=error.nodes,
            path=error.path,
            extensions={"code": INTERNAL},
        )
    error.extensions = {**(error.extensions or {}), "code": _code(error).value}
    return error


def _code(error: GraphQLError) -> ErrorCode:
    """A refusal of graphql-core's own: the parser's token limit, or any other invalid document."""
    too_complex = _TOO_MANY_TOKENS in error.message
    return ErrorCode.QUERY_TOO_COMPLEX if too_complex else ErrorCode.BAD_USER_INPUT


def invalid_value(error: GraphQLError) -> bool:
    """A variable whose value does not fit its type (a bad `Date`, `Int`, enum, `ID`, a text
    where an object belongs): graphql-core refuses it before execution, with the scalar's own
    error as the cause. The client's mistake, not ours."""
    return error.path is None and isinstance(error.original_error, GraphQLError)


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


# SQLSTATEs of a database that cannot serve now: connection exceptions (08…), insufficient
# resources (53…: too many connections, out of memory or disk), shutting down or starting up.
_UNREACHABLE_STATES = ("08", "53", "57P01", "57P02", "57P03")
QUERY_CANCELED = "57014"  # statement_timeout (model/db.postgres_timeouts)


def database_unavailable(original: BaseException | None) -> Unavailable | None:
    """The database cannot answer now (no free connection in time, down, restarting, or a
    statement past its timeout): nothing was written, the client retries later. A cancelled
    statement is UNAVAILABLE rather than QUERY_TOO_COMPLEX: a document that passed its cost
    budget and still ran out of time met a busy database (load, lock waits), which a retry
    later can get past; QUERY_TOO_COMPLEX is the refusal of a document before it runs."""
    if isinstance(original, PoolTimeout):
        return Unavailable("The journal is busy right now; try again in a moment.", reason="busy")
    if not isinstance(original, DBAPIError):
        return None
    state = getattr(original.orig, "sqlstate", None) or ""
    if state == QUERY_CANCELED:
        return Unavailable("The request took too long; try again in a moment.", reason="timeout")
    failed_to_connect = not state and isinstance(original.orig, psycopg.OperationalError)
    if (
        original.connection_invalidated
        or failed_to_connect
        or state.startswith(_UNREACHABLE_STATES)
    ):
        return Unavailable(
            "The journal is unavailable right now; try again shortly.", reason="down"
        )
    return None


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: object) -> str:
    """User input made safe for one log line: control characters (NUL, newlines, escape
    sequences, Unicode line separators) written as escapes, so nobody can forge a line."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", str(text))


def log_error(error: GraphQLError) -> None:
    original = error.original_error
    message, path = printable(error.message), printable(error.path)
    if (unavailable := database_unavailable(original)) is not None:
        reason = printable(str(original).split("\n", 1)[0])[:200]
        logger.warning("unavailable at %s: %s (%s)", path, unavailable.message, reason)
    elif original is None or isinstance(original, TabelError) or invalid_value(error):
        code = original.code.value if isinstance(original, TabelError) else _code(error).value
        logger.warning("refused %s at %s: %s", code, path, message)
    elif unique_key_taken(original) is not None or _concurrent_write(original):
        # A race lost, not a fault: one line, what the database said.
        reason = printable(str(original).split("\n", 1)[0])[:200]
        logger.warning("refused CONFLICT at %s: %s", path, reason)
    else:
        logger.error("failed at %s: %s", path, message, exc_info=original)
