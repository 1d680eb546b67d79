"""GraphQL subscriptions over WebSocket at `/graphql`, the graphql-transport-ws protocol only
(issue 14, item 5).

A connection signs in once, with `connection_init`'s payload `{"authorization": "Bearer …"}`
(or the upgrade request's `Authorization` header): a token that signs nobody in, an API token,
or an account that must change its password first is closed with 4403. From then on the
connection checks its token again whenever access was taken away anywhere (`live.HUB`'s token
channel, PostgreSQL's `tabel_tokens` on every process) and every `live_check_seconds` besides
(expiry, a missed notification); a token that no longer signs in closes it with 4403, ending its
subscriptions.

Each subscription runs with a context of its own (its own session, never one transaction held
open while it waits), under the schema's limits as any operation is (tokens, depth, aliases,
cost), its errors masked as the HTTP answers' are. Only subscriptions run here: a query or a
mutation is told to come by POST. At most `live_subscriptions_per_connection` at once per
connection, and `live_subscriptions_per_caller` per account in the process."""

import asyncio
import logging
from collections import Counter
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from graphql import GraphQLError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
    _OperationStreamClosed,
)
from strawberry.types.execution import ExecutionResult, PreExecutionError
from strawberry.utils.aio import aclosing

import model as m
from policies.principal import Principal
from resolvers.accounts.sign_in import principal_for_token
from resolvers.context import Context
from resolvers.database import Database
from resolvers.errors import ErrorCode, TabelError
from resolvers.notifications import live
from schema.errors import public

if TYPE_CHECKING:
    from server.app import TabelGraphQL

logger = logging.getLogger("tabel.live")

CLOSED_ACCESS = 4403
ONLY_SUBSCRIPTIONS = "Only subscriptions go over the WebSocket; send queries and mutations by POST."


def bearer(value: object) -> str | None:
    """The token of an `Authorization` value, `Bearer <token>`."""
    if not isinstance(value, str):
        return None
    scheme, _, token = value.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


async def signed_in(sessions: async_sessionmaker[AsyncSession], token: str) -> Principal | None:
    """Who the token signs in now, in a short transaction of its own (None: nobody, or an API
    token, or an account that must change its password first)."""
    db = Database(sessions())
    try:
        principal = await principal_for_token(db, token)
        await db.commit()
    except TabelError:
        return None
    finally:
        await db.session.close()
    if principal.kind is not m.TokenKind.LOGIN or principal.must_change_password:
        return None
    return principal


class Callers:
    """Subscriptions running in this process, per account."""

    def __init__(self, most: int) -> None:
        self.most = most
        self.running: Counter[int] = Counter()

    def admit(self, account_id: int) -> bool:
        if self.most and self.running[account_id] >= self.most:
            return False
        self.running[account_id] += 1
        return True

    def release(self, account_id: int) -> None:
        self.running[account_id] -= 1
        if self.running[account_id] <= 0:
            del self.running[account_id]


class LiveSocket(BaseGraphQLTransportWSHandler[Context, None]):
    view: "TabelGraphQL"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.watcher: asyncio.Task[None] | None = None

    async def handle(self) -> None:
        try:
            await super().handle()
        finally:
            if self.watcher is not None:
                self.watcher.cancel()
                with suppress(asyncio.CancelledError):
                    await self.watcher

    async def handle_connection_init(self, message: Any) -> None:
        await super().handle_connection_init(message)
        if self.connection_acknowledged and self.watcher is None:
            self.watcher = asyncio.create_task(self.watch())

    async def watch(self) -> None:
        """Ends the connection once its token no longer signs anyone in."""
        token = self.context.bearer_token
        assert token is not None
        changed = asyncio.Event()
        live.HUB.add_tokens(changed.set)
        try:
            while True:
                with suppress(TimeoutError):
                    async with asyncio.timeout(self.view.live_check_seconds):
                        await changed.wait()
                changed.clear()
                if await signed_in(self.view.sessions, token) is None:
                    reason = "The token no longer signs you in; sign in again."
                    await self.websocket.close(code=CLOSED_ACCESS, reason=reason)
                    return
        except Exception:  # a database away: the periodic check tries again on the next connection
            logger.exception("the live connection's token check failed")
            await self.websocket.close(code=1011, reason="Try again in a moment.")
        finally:
            live.HUB.discard_tokens(changed.set)

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        principal = self.context.principal
        assert principal is not None
        assert principal.account_id is not None
        account = principal.account_id
        if not self.view.live_callers.admit(account):
            error = GraphQLError(
                "Too many subscriptions at once for your account; end some first.",
                extensions={"code": ErrorCode.RATE_LIMITED.value},
            )
            await operation.send_initial_errors([error])
            return
        try:
            context = self.view.operation_context(self.context)
            result_source = await self.schema.subscribe(
                operation.query,
                variable_values=operation.variables,
                context_value=context,
                root_value=self.root_value,
                operation_name=operation.operation_name,
            )
            async with aclosing(result_source):
                first = True
                async for result in result_source:
                    if result.errors:
                        result.errors = [_masked(error) for error in result.errors]
                    if first and isinstance(result, PreExecutionError):
                        await self._handle_pre_execution_error(operation, result)
                        return
                    assert isinstance(result, ExecutionResult)
                    await operation.send_next(result)
                    first = False
            await operation.send_operation_message({"id": operation.id, "type": "complete"})
        except _OperationStreamClosed:
            return
        except Exception as error:
            await self.handle_task_exception(error)
            with suppress(Exception):
                await operation.send_operation_message({"id": operation.id, "type": "complete"})
            self.operations.pop(operation.id, None)
        finally:
            self.view.live_callers.release(account)


def _masked(error: GraphQLError) -> GraphQLError:
    if isinstance(error.original_error, InvalidOperationTypeError):
        return GraphQLError(ONLY_SUBSCRIPTIONS, extensions={"code": ErrorCode.BAD_USER_INPUT.value})
    return public(error)
