"""`GET /files/{token}`: a finished report's file, streamed from its chunks.

Served to the account that started the job only, while the URL has not expired, the account is
active, and it still may read what the report holds: its kind's checks run again as the
account (a parent no longer their child's guardian is refused). A request that sends a bearer
token must send that account's. Anything else is 404 with no detail, whatever the reason."""

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

import model as m
from model.db import expect_writes
from policies.engine import PolicyEngine
from resolvers.accounts.sign_in import principal_for_token
from resolvers.context import Context
from resolvers.database import Database
from resolvers.errors import TabelError
from resolvers.reports import downloads
from resolvers.reports.jobs import kind_of, may_read
from resolvers.reports.principals import principal_of
from resolvers.reports.runner import Sessions, chunks

HEADERS = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


def _not_found() -> Response:
    return Response(status_code=404, headers=HEADERS)


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


async def _allowed(
    sessions: Sessions, policy: PolicyEngine, token: str, bearer: str | None
) -> m.ReportJob | None:
    async with sessions() as session:
        expect_writes(session, False)
        db = Database(session)
        job = await downloads.job_of(db, token)
        if job is None or job.status is not m.ReportJobStatus.SUCCEEDED:
            return None
        try:
            principal = await principal_of(db, job.requested_by_id)
            if bearer is not None:
                caller = await principal_for_token(db, bearer)
                if caller.account_id != principal.account_id:
                    return None
            ctx = Context(db=db, policy=policy, principal=principal)
            yours = await db.scalar(
                select(func.count())
                .select_from(m.ReportJob)
                .where(m.ReportJob.id == job.id, ctx.loaders.readable(m.ReportJob))
            )
            if not yours:
                return None
            kind = kind_of(job.kind)
            may_read(ctx, kind)
            await kind.check(ctx, kind.load(job.arguments))
        except TabelError:
            return None
    return job  # closing the session rolled back its reads and kept the row's values


def file_route(
    sessions: Sessions, policy: PolicyEngine
) -> Callable[[Request], Awaitable[Response]]:
    async def serve(request: Request) -> Response:
        token = request.path_params["token"]
        job = await _allowed(sessions, policy, token, _bearer(request))
        if job is None:
            return _not_found()
        name = job.file_name or "report"
        fallback = "".join(c if (c.isascii() and c.isalnum()) or c in ".-_" else "_" for c in name)
        headers = {
            **HEADERS,
            "Content-Disposition": f'attachment; filename="{fallback}"; '
            f"filename*=UTF-8''{quote(name, safe='')}",
            "Content-Length": str(job.size or 0),
        }
        return StreamingResponse(
            chunks(sessions, job.id), media_type=job.media_type, headers=headers
        )

    return serve
