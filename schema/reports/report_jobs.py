"""Reports and exports made as jobs: started at once, followed, downloaded when done."""

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.permission import BasePermission

import model as m
from model.base import utc_now
from policies.vocabulary import Action, Resource
from resolvers.errors import BadUserInput
from resolvers.listing import listing
from resolvers.reports import downloads, jobs
from resolvers.reports.kinds import KINDS
from schema.base import Connection, Info, ModelNode, decode_id
from schema.bounds import After, First
from schema.enums import described
from schema.permissions import PersonalAccount, can
from schema.reports.inputs import ReportStartInput

described(
    m.ReportJobStatus,
    "Where a report job is.",
    QUEUED="Recorded; a worker takes it in a moment.",
    RUNNING="Being made: `done` of `total` steps.",
    SUCCEEDED="Made: `downloadUrl` gives its file.",
    FAILED="Not made: `message` says why.",
    EXPIRED="Made, and its file deleted since, as every file is after a few days: start it again.",
)


@strawberry.type(
    description="A report or export made as a job by tabel's workers, from one consistent "
    "snapshot of the data, as you: it holds what you may read, as the screen does."
)
class ReportJob(ModelNode):
    __model__ = m.ReportJob
    id: relay.NodeID[int]
    kind: str = strawberry.field(
        description="The report, as `ReportStartInput` names it (`summary_statements_pdf`…)."
    )
    status: m.ReportJobStatus = strawberry.field(description="Where it is.")
    done: int = strawberry.field(description="Steps made (written as it runs).")
    total: int = strawberry.field(description="Steps in all; 0 until it is known.")
    message: str | None = strawberry.field(
        description="Why it failed, in the school's words; null otherwise."
    )
    file_name: str | None = strawberry.field(description="The file's name, once made.")
    media_type: str | None = strawberry.field(
        description="The file's media type (`application/pdf`…), once made."
    )
    size: int | None = strawberry.field(description="The file's size in bytes, once made.")
    sha256: str | None = strawberry.field(
        description="The SHA-256 of the file's bytes (hex), once made."
    )
    queued_at: datetime = strawberry.field(description="When it was started (UTC).")
    started_at: datetime | None = strawberry.field(
        description="When a worker last began to make it (UTC)."
    )
    finished_at: datetime | None = strawberry.field(description="When it ended (UTC).")
    expires_at: datetime | None = strawberry.field(
        description="When its file is deleted (UTC); null until it is made."
    )

    @strawberry.field(
        description=f"Where to download the file (a path on this server, `GET` it): valid "
        f"{int(downloads.URL_TTL.total_seconds() // 60)} minutes, for you only (with a bearer "
        "token, yours), while your account may still read what it holds; a new one each time "
        "it is asked. Null unless made and not expired. Past that, or for anyone else, 404."
    )
    async def download_url(self, root: strawberry.Parent[m.ReportJob], info: Info) -> str | None:
        now = utc_now()
        if root.status is not m.ReportJobStatus.SUCCEEDED:
            return None
        if root.expires_at is not None and root.expires_at <= now:
            return None
        minted = await downloads.mint(info.context.db, root, now)
        return None if minted is None else minted.url


async def report_start(
    info: Info,
    input: Annotated[ReportStartInput, strawberry.argument(description="The report.")],
) -> m.ReportJob:
    given: list[tuple[str, Any]] = [
        (name, getattr(input, name))
        for name in KINDS
        if getattr(input, name, None) not in (None, strawberry.UNSET)
    ]
    if len(given) != 1:
        raise BadUserInput("Name exactly one report.", argument="input")
    [(name, member)] = given
    return await jobs.start(info.context, name, member.arguments())


async def report_job(
    info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="The job's ID.")]
) -> m.ReportJob:
    return await jobs.one(info.context, decode_id(id, ReportJob))


async def report_jobs(
    info: Info, first: First = None, after: After = None
) -> Connection[ReportJob]:
    page = await listing(
        info.context, m.ReportJob, [], (m.ReportJob.queued_at,), first=first, after=after
    )
    return Connection(page=page)


def _declared(action: Action) -> list[type[BasePermission]]:
    return [can(Resource.REPORT, action), PersonalAccount]


report_start_field = strawberry.mutation(
    resolver=report_start,
    graphql_type=ReportJob,
    permission_classes=_declared(Action.WRITE),
    description="Start making a report or export as a job: checked at once as its screen "
    "checks (what you may not read is refused as the screen refuses it), audited, and "
    f"answered queued; a worker makes it, and `reportJob` follows it to its `downloadUrl`. "
    f"At most {jobs.MAX_WAITING} of yours under way at once (CONFLICT past them). A person "
    "signed in with their own login.",
)
report_job_field = strawberry.field(
    resolver=report_job,
    graphql_type=ReportJob,
    permission_classes=_declared(Action.READ),
    description="One of your report jobs: its status, progress and file. NOT_FOUND for "
    "anyone else's.",
)
report_jobs_field = strawberry.field(
    resolver=report_jobs,
    permission_classes=_declared(Action.READ),
    description="The report jobs you started, oldest first.",
)
