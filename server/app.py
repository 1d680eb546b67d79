"""The Starlette application: `/graphql`, `/healthz` and `/readyz`."""

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from model.db import make_engine, make_sessionmaker
from policies.engine import PolicyEngine
from resolvers.context import Context
from resolvers.database import Database
from schema.build import build_schema
from schema.errors import public
from server.graphiql import graphiql_html
from server.settings import Settings

logger = logging.getLogger("tabel.server")


def bearer_token(request: Request | WebSocket) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


class TabelGraphQL(GraphQL[Context, None]):
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        policy: PolicyEngine,
        settings: Settings,
        **options: Any,
    ) -> None:
        schema = build_schema(
            introspection=settings.introspection,
            suggestions=settings.field_suggestions,
            max_depth=settings.max_query_depth,
            max_aliases=settings.max_aliases,
            max_tokens=settings.max_tokens,
        )
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.development else None,
            allow_queries_via_get=False,
            **options,
        )
        self.sessions = sessions
        self.policy = policy
        self.token_ttl = timedelta(hours=settings.token_ttl_hours)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
        # No connection is taken here: the session connects on its first statement.
        return Context(
            db=Database(self.sessions()),
            policy=self.policy,
            bearer_token=bearer_token(request),
            token_ttl=self.token_ttl,
            client_address=request.client.host if request.client else "",
        )

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(graphiql_html())

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        # Here, not in a schema extension, so that errors raised before the operation's
        # hooks run (a syntax error, too many tokens) get their code and masking too.
        if result.errors:
            result.errors = [public(error) for error in result.errors]
        return await super().process_result(request, result)

    def encode_json(self, data: object) -> bytes:
        # UTF-8 as is: escaping every Cyrillic letter as \\uXXXX makes answers ~60% larger.
        return orjson.dumps(data)


def settle_garbage_collector() -> None:
    """Once the application has started: everything alive now (modules, the schema, the
    policies) lives as long as the process, so `gc.freeze()` takes it out of the collector's
    sight, and a higher first threshold makes collections rarer. A request builds thousands of
    short-lived objects; with the defaults, full collections walking the whole heap took about
    40% of a grade grid's time."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def create_app(
    settings: Settings, engine: AsyncEngine | None = None, policy: PolicyEngine | None = None
) -> Starlette:
    if engine is None:
        pooled = not settings.database_url.startswith("sqlite")
        options = {"pool_size": settings.pool_size, "pool_pre_ping": True} if pooled else {}
        engine = make_engine(settings.database_url, **options)
    graphql = TabelGraphQL(make_sessionmaker(engine), policy or PolicyEngine(), settings)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (OSError, SQLAlchemyError):
            logger.exception("readiness check failed")
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ready"})

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        settle_garbage_collector()
        yield
        await engine.dispose()

    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
        ],
        lifespan=lifespan,
    )
