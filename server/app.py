"""The Starlette application: `/graphql`, `/healthz`, `/readyz` and the reports' files at
`/files/{token}`."""

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import timedelta
from functools import partial
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from model.accounts import TokenKind
from model.db import make_engine, make_sessionmaker, ping_when_idle, postgres_timeouts
from policies.engine import PolicyEngine
from resolvers.accounts.api_rate import ApiRateLimits
from resolvers.accounts.token_cache import TokenCache
from resolvers.context import Context
from resolvers.database import Database
from resolvers.errors import ErrorCode, Unavailable
from resolvers.people import import_jobs
from schema.build import build_schema
from schema.cost_limit import Budgets
from schema.errors import public
from schema.input_checks import most_items
from server import graphiql, lesson_scheduler, live_listener
from server.admission import Admission, Door, authorization
from server.http_status import retry_status
from server.hygiene import Hygiene
from server.live_socket import Callers, LiveSocket, bearer, signed_in
from server.notification_worker import NotificationWorker
from server.replica import Replica
from server.report_files import file_route
from server.request_limits import BodyLimit, Refused, check_list_sizes, decode_body
from server.settings import Settings
from server.worker import ReportWorker

logger = logging.getLogger("tabel.server")


def bearer_token(request: Request | WebSocket) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


class TabelGraphQL(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = LiveSocket

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        policy: PolicyEngine,
        settings: Settings,
        door: Door | None = None,
        tokens: TokenCache | None = None,
        replica: Replica | None = None,
        **options: Any,
    ) -> None:
        schema = build_schema(
            introspection=settings.introspection,
            anonymous_introspection=settings.anonymous_introspection or settings.development,
            suggestions=settings.field_suggestions,
            max_depth=settings.max_query_depth,
            max_aliases=settings.max_aliases,
            max_tokens=settings.max_tokens,
            budgets=Budgets(
                anonymous=settings.cost_anonymous,
                personal=settings.cost_personal,
                inspector=settings.cost_inspector,
                integrator=settings.cost_integrator,
            ),
        )
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.development else None,
            allow_queries_via_get=False,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(seconds=settings.live_connection_init_seconds),
            max_subscriptions_per_connection=settings.live_subscriptions_per_connection or None,
            **options,
        )
        self.sessions = sessions
        self.policy = policy
        self.most_items = most_items(schema._schema)
        self.token_ttl = timedelta(hours=settings.token_ttl_hours)
        self.notification_settle = timedelta(seconds=settings.notification_settle_seconds)
        self.deadline = settings.request_deadline_seconds
        self.retry_after = settings.retry_after_seconds
        self.api_rate = api_rate_limits(settings)
        self.door = door or Door(0, 0)
        self.live_callers = Callers(settings.live_subscriptions_per_caller)
        self.live_check_seconds = settings.live_check_seconds
        self.tokens = tokens
        self.replica = replica

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
        # No connection is taken here: the session connects on its first statement.
        header = authorization(request.scope)
        return Context(
            db=Database(self.sessions(), self.replica),
            policy=self.policy,
            bearer_token=bearer_token(request),
            token_ttl=self.token_ttl,
            notification_settle=self.notification_settle,
            client_address=request.client.host if request.client else "",
            api_rate=self.api_rate,
            signed_in=partial(self.door.signed_in, header or b""),
            verify_first=self.door.verifies_first(header),
            charge_address=partial(self.door.charge_address, request.scope),
            tokens=self.tokens,
        )

    async def on_ws_connect(self, context: Context) -> UnsetType:
        """A WebSocket signs in with its `connection_init` (or its upgrade request's header):
        refused with 4403 unless a person's login token signs someone in."""
        params = context.connection_params or {}
        token = bearer(params.get("authorization") or params.get("Authorization"))
        token = token or context.bearer_token
        principal = None if token is None else await signed_in(self.sessions, token)
        if principal is None:
            raise ConnectionRejectionError({"message": "Sign in: a valid login token."})
        context.bearer_token, context.principal = token, principal
        unset: UnsetType = UNSET
        return unset

    def operation_context(self, connection: Context) -> Context:
        """A subscription's own context: its own session, the connection's token."""
        return Context(
            db=Database(self.sessions()),
            policy=self.policy,
            bearer_token=connection.bearer_token,
            token_ttl=self.token_ttl,
            client_address=connection.client_address,
            api_rate=self.api_rate,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except Refused as refusal:  # a body that is no GraphQL request, as a GraphQL error
            await refusal.answer(send)

    async def run(
        self, request: Request | WebSocket, context: Any = UNSET, root_value: Any = UNSET
    ) -> Any:
        try:
            return await super().run(request, context, root_value)
        except HTTPException as refusal:  # no query, an unknown operation, a query over GET…
            raise Refused(refusal.status_code, refusal.reason) from refusal

    def decode_json(self, data: str | bytes) -> object:
        return decode_body(data)

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        try:
            parsed = await super().parse_http_body(request)
        except HTTPException as refusal:  # no JSON, or `variables` not an object
            raise Refused(refusal.status_code, refusal.reason) from refusal
        if isinstance(parsed, GraphQLRequestData):
            check_list_sizes(parsed.variables, self.most_items)
        return parsed

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return await graphiql.page_response(self.sessions)

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        # Here, not in a schema extension, so that errors raised before the operation's
        # hooks run (a syntax error, too many tokens) get their code and masking too.
        if result.errors:
            result.errors = [self._retry_later(public(error)) for error in result.errors]
        return await super().process_result(request, result)

    def _retry_later(self, error: GraphQLError) -> GraphQLError:
        extensions = error.extensions or {}
        if extensions.get("code") == ErrorCode.UNAVAILABLE and "retryAfter" not in extensions:
            error.extensions = {**extensions, "retryAfter": self.retry_after}
        return error

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        """The operation within its wall-clock deadline: past it, its statements are
        cancelled, its transaction rolls back (schema/transaction.py), and the client is
        told UNAVAILABLE, to retry later (see `schema.errors.database_unavailable`)."""
        try:
            async with asyncio.timeout(self.deadline):
                return await super().execute_single(*args, **kwargs)
        except TimeoutError:
            logger.warning("deadline of %.1f s passed: cancelled and rolled back", self.deadline)
            late = Unavailable(
                "The request took too long; try again in a moment.", reason="deadline"
            )
            error = GraphQLError(late.message, original_error=late, extensions=late.extensions)
            return ExecutionResult(data=None, errors=[error])

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        answers = response_data if isinstance(response_data, list) else [response_data]
        errors = [error for answer in answers for error in answer.get("errors") or []]
        if (retry := retry_status(errors)) is not None:
            response.status_code, seconds = retry
            response.headers["Retry-After"] = str(seconds)
        return response

    def encode_json(self, data: object) -> bytes:
        # UTF-8 as is: escaping every Cyrillic letter as \\uXXXX makes answers ~60% larger.
        return orjson.dumps(data)


def api_rate_limits(settings: Settings) -> ApiRateLimits:
    return ApiRateLimits(
        window=timedelta(seconds=settings.api_rate_window_seconds),
        requests={
            TokenKind.INSPECTOR: settings.api_rate_inspector,
            TokenKind.INTEGRATOR: settings.api_rate_integrator,
        },
    )


def settle_garbage_collector() -> None:
    """Once the application has started: everything alive now (modules, the schema, the
    policies) lives as long as the process, so `gc.freeze()` takes it out of the collector's
    sight; full collections then walk only what was made since.

    A request leaves a few hundred objects in reference cycles (SQLAlchemy's statements, the
    session, exceptions' tracebacks), which only the collector frees, and a collection takes
    as long as the garbage it frees: with a first threshold of 50,000 every young collection
    stopped the worker for 40–100 ms, so the well-behaved client's p99 under attack was about
    70 ms, and about 28 ms on a quiet server. At 5,000 each stops it for a few milliseconds
    (`python -m bench.attack`: quiet p99 11.6 ms, fan-out 21.4 ms). Full collections stay
    short because the caches keep only documents sent again (`schema/documents.py`)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(5_000, 10, 10)


def create_app(
    settings: Settings, engine: AsyncEngine | None = None, policy: PolicyEngine | None = None
) -> Starlette:
    if engine is None:
        engine = served_engine(settings, settings.database_url)
    door = Door(
        settings.caller_rate_per_second,
        settings.caller_burst,
        settings.caller_bytes_per_second,
        settings.caller_bytes_burst,
        settings.address_rate_per_second,
        settings.address_burst,
    )
    sessions = make_sessionmaker(engine)
    policy = policy or PolicyEngine()
    # Callers kept by token while this process's listener hears every change (PostgreSQL).
    tokens = TokenCache()
    replica = read_replica(settings, engine)
    graphql = TabelGraphQL(sessions, policy, settings, door, tokens, replica)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (OSError, SQLAlchemyError) as error:
            logger.warning("not ready: %s", str(error).split("\n", 1)[0])
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ready"})

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        settle_garbage_collector()
        planner = None
        if settings.lesson_planning_hours > 0:
            every = timedelta(hours=settings.lesson_planning_hours)
            planner = asyncio.create_task(lesson_scheduler.run(sessions, every))
        reports = None
        if settings.report_worker:  # queued reports are made here too (`tabel worker` alone)
            reports = asyncio.create_task(ReportWorker(sessions, policy, settings).run())
        # On PostgreSQL, this process's one LISTEN connection for the subscriptions and the
        # kept callers: always, so that a subscription's first events are never lost while it
        # would connect.
        listener = watcher = None
        if engine.dialect.name == "postgresql":
            listener = asyncio.create_task(
                live_listener.run(settings.database_url, tokens=tokens, replica=replica)
            )
        if replica is not None and settings.replica_url is not None:
            watcher = asyncio.create_task(
                replica.watch(
                    live_listener.libpq_url(settings.database_url),
                    live_listener.libpq_url(settings.replica_url),
                )
            )
        notifications = None
        if settings.notification_worker:  # the outbox is sent from here too (`tabel worker`)
            notifications = asyncio.create_task(NotificationWorker(sessions, settings).run())
        yield
        if notifications is not None:
            notifications.cancel()  # what it held is sent again once its lease runs out
            with suppress(asyncio.CancelledError):
                await notifications
        for watching in (listener, watcher):
            if watching is not None:
                watching.cancel()
                with suppress(asyncio.CancelledError):
                    await watching
        if reports is not None:
            reports.cancel()  # its jobs are queued again for the next worker
            with suppress(asyncio.CancelledError):
                await reports
        if planner is not None:
            planner.cancel()
            with suppress(asyncio.CancelledError):
                await planner
        await import_jobs.stop_all()  # each records itself failed: the server stopped it
        await engine.dispose()
        if replica is not None:
            await replica.engine.dispose()

    routes = [
        Route("/graphql", graphql),  # every method: the refusals answer as GraphQL errors
        WebSocketRoute("/graphql", graphql),  # subscriptions (server/live_socket.py)
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/files/{token}", file_route(sessions, policy)),
    ]
    if settings.development:  # GraphiQL's scripts and styles, for its page at /graphql
        routes.append(Route("/graphiql/{digest}/{name}", graphiql.asset_response))
    application = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(Hygiene, body_timeout=settings.body_timeout_seconds),
            Middleware(
                Admission,
                door=door,
                limit=settings.max_in_flight,
                per_client=settings.max_in_flight_per_client,
                retry_after=settings.retry_after_seconds,
            ),
            Middleware(BodyLimit, max_bytes=settings.max_body_bytes),
        ],
    )
    application.state.tokens = tokens
    application.state.replica = replica
    return application


def read_replica(settings: Settings, engine: AsyncEngine) -> Replica | None:
    """The streaming replica that read-only requests may read (`TABEL_REPLICA_URL`), with a
    pool of its own as large as the primary's."""
    if settings.replica_url is None:
        return None
    if engine.dialect.name != "postgresql":
        raise ValueError("TABEL_REPLICA_URL needs PostgreSQL: a replica of what?")
    replica_engine = served_engine(settings, settings.replica_url)
    return Replica(replica_engine, settings.replica_max_lag_seconds)


def served_engine(settings: Settings, url: str) -> AsyncEngine:
    """The engine of a database `url` (the primary, or a replica) as the server uses it."""
    engine = make_engine(url, **pool_options(settings, url))
    if engine.dialect.name == "postgresql":
        ping_when_idle(engine)
    return engine


def pool_options(settings: Settings, url: str | None = None) -> dict[str, Any]:
    """Each worker's own pool: at most `pool_size` connections, and a request that finds none
    free within `pool_timeout_seconds` is answered UNAVAILABLE rather than queued. On SQLite a
    connection is tested before use; on PostgreSQL one that was idle (`ping_when_idle`), so the
    pool heals by itself after a database restart."""
    url = url or settings.database_url
    if url in {"sqlite://", "sqlite:///:memory:"}:
        return {}  # one in-memory database: one connection
    options: dict[str, Any] = {
        "pool_size": settings.pool_size,
        "max_overflow": 0,
        "pool_timeout": settings.pool_timeout_seconds,
        "pool_pre_ping": url.startswith("sqlite"),
    }
    if not url.startswith("sqlite"):
        timeouts = postgres_timeouts(
            settings.statement_timeout_seconds, settings.pool_timeout_seconds
        )
        options["connect_args"] = timeouts
    return options
