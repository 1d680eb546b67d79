"""Starting a report as a job, and the caller's jobs. Starting one is a write of the school's
records, audited as the import job's start is not (there the import's own writes are): the
trail shows who asked for which report of which school, with its arguments. The workers'
bookkeeping (taking a job, its progress, its outcome, deleting an expired file) is not audited:
it changes no record of the school, as the import job's bookkeeping does not."""

import asyncio
from typing import Any

from sqlalchemy import func, select

import model as m
from model.base import utc_now
from policies.vocabulary import Action, Resource
from policies.wording import not_allowed
from resolvers import records
from resolvers.context import Context
from resolvers.errors import Conflict, Forbidden, NotFound
from resolvers.reports.downloads import ensure_key
from resolvers.reports.kinds import KINDS, ReportKind

MAX_WAITING = 5  # one account's jobs queued or running at once
WAITING = (m.ReportJobStatus.QUEUED, m.ReportJobStatus.RUNNING)
# Set once a start has committed: the worker of this process looks at once, not at its next
# poll (the workers of other processes find it at theirs).
WAKE = asyncio.Event()


def kind_of(name: str) -> ReportKind[Any]:
    kind = KINDS.get(name)
    if kind is None:
        raise NotFound(f"There is no report «{name}».", argument="kind")
    return kind


def may_read(ctx: Context, kind: ReportKind[Any]) -> None:
    """FORBIDDEN unless the caller holds a rule to read everything the kind reads."""
    principal = ctx.require_principal()
    for resource in kind.reads:
        if not ctx.policy.allows(principal, resource, Action.READ):
            raise Forbidden(
                not_allowed(resource, Action.READ), resource=resource.value, action="read"
            )


async def start(ctx: Context, name: str, arguments: Any) -> m.ReportJob:
    kind = kind_of(name)
    may_read(ctx, kind)
    principal = ctx.require_principal()
    assert principal.account_id is not None  # `PersonalAccount` lets only a person start one
    school_id, arguments = await kind.check(ctx, arguments)
    waiting = await ctx.db.scalar(
        select(func.count())
        .select_from(m.ReportJob)
        .where(m.ReportJob.requested_by_id == principal.account_id, m.ReportJob.status.in_(WAITING))
    )
    if (waiting or 0) >= MAX_WAITING:
        raise Conflict(
            f"You have {MAX_WAITING} reports being made already: start this one once one ends."
        )
    row = {
        "kind": kind.name,
        "arguments": kind.dump(arguments),
        "requested_by_id": principal.account_id,
        "token_id": principal.token_id or None,
        "school_id": school_id,
        "status": m.ReportJobStatus.QUEUED,
        "done": 0,
        "total": 0,
        "attempts": 0,
        "queued_at": utc_now(),
    }
    await ensure_key(ctx.db)
    [job] = await records.create(ctx, Resource.REPORT, m.ReportJob, [row])
    ctx.db.after_commit(WAKE.set)
    return job


async def one(ctx: Context, job_id: int) -> m.ReportJob:
    """The caller's own job (NOT_FOUND for anyone else's, as if there were none)."""
    job = await ctx.loaders.one(m.ReportJob).load(job_id)
    if job is None:
        raise NotFound("No such report, or it is not yours.", argument="id")
    return job
