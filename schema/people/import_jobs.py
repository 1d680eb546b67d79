"""Importing a school's people as a job: started at once, followed by its progress."""

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.permission import BasePermission

import model as m
from policies.vocabulary import Action, Resource
from resolvers.errors import NotFound
from resolvers.people import import_jobs
from resolvers.people.people_file import MAX_PEOPLE, PeopleFileFormat, file_bytes
from resolvers.spreadsheet import MAX_PROBLEMS
from schema.base import Info, ModelNode, decode_id, decode_optional, reads
from schema.bounds import text_field
from schema.enums import described
from schema.list_sizes import at_most
from schema.people.people_import import (
    MAX_FILE,
    SYNC_PEOPLE,
    ImportProblem,
    PeopleImportPayload,
)
from schema.permissions import PersonalAccount, can
from schema.setup.calendar import SchoolYear
from schema.setup.school import School

described(
    m.ImportJobStatus,
    "Where an import job is.",
    QUEUED="Recorded; it starts in a moment.",
    RUNNING="Reading, checking or writing the file.",
    SUCCEEDED="Done: `report` says what it did (or, for a dry run, would do).",
    FAILED="Nothing was written: `message` says why, `problems` lists the bad cells.",
)
described(
    m.ImportPhase,
    "A step of an import, in order.",
    READ="Reading the file's rows.",
    VALIDATE="Checking them against the school (its classes, who is in it already).",
    WRITE="Writing them, all or nothing (six bulk steps, a sixth of the rows each).",
)


@strawberry.input(
    description=f"A file of people to import as a job (up to {MAX_PEOPLE} people; the "
    "columns are `PeopleImportInput`'s)."
)
class PeopleImportStartInput:
    school_id: strawberry.ID = strawberry.field(description="The school (a `School` ID).")
    school_year_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The school year whose classes «Класс» names; null: the current one.",
    )
    file_name: str = text_field(255, description="The file's name, as the admin chose it")
    format: PeopleFileFormat | None = strawberry.field(
        default=None, description="How the file is written; null: by its name (.xlsx or not)."
    )
    content: str = text_field(
        MAX_FILE,
        multiline=True,
        description="The file's bytes in base64, or its gzip-compressed bytes in base64 (a "
        "long CSV then fits the request)",
    )
    commit: bool = strawberry.field(
        default=False, description="Import it; false: a dry run, its report without writing."
    )


@strawberry.type(description="An import of a school's people, run by the server.")
class PeopleImportJob(ModelNode):
    __model__ = m.ImportJob
    id: relay.NodeID[int]
    file_name: str = strawberry.field(description="The file's name as it was sent.")
    file_bytes: int = strawberry.field(description="Its size, unpacked, in bytes.")
    commit: bool = strawberry.field(description="False: a dry run, which writes nothing.")
    queued_at: datetime = strawberry.field(description="When it was started (UTC).")
    started_at: datetime | None = strawberry.field(description="When it began to run (UTC).")
    finished_at: datetime | None = strawberry.field(description="When it ended (UTC).")

    @strawberry.field(description="Where it is; a job its server stopped running is failed.")
    def status(self, root: strawberry.Parent[m.ImportJob]) -> m.ImportJobStatus:
        return import_jobs.status(root)

    @strawberry.field(description="The step it is at (or ended at); null while queued.")
    def phase(self, root: strawberry.Parent[m.ImportJob]) -> m.ImportPhase | None:
        return import_jobs.progress_of(root)[0]

    @strawberry.field(description="Rows of the phase done.")
    def rows_done(self, root: strawberry.Parent[m.ImportJob]) -> int:
        return import_jobs.progress_of(root)[1]

    @strawberry.field(description="Rows in the phase: the file's rows, then its people.")
    def rows_total(self, root: strawberry.Parent[m.ImportJob]) -> int:
        return import_jobs.progress_of(root)[2]

    @strawberry.field(description="Why it failed, in the school's words; null otherwise.")
    def message(self, root: strawberry.Parent[m.ImportJob]) -> str | None:
        return import_jobs.message(root)

    @strawberry.field(
        description="What it did (a dry run: would do) once it succeeded; null before, or "
        "when it failed.",
        metadata=reads(Resource.IMPORT_JOB),
    )
    def report(self, root: strawberry.Parent[m.ImportJob]) -> PeopleImportPayload | None:
        said: dict[str, Any] | None = root.report
        if root.status is not m.ImportJobStatus.SUCCEEDED or said is None:
            return None
        counts = {key: value for key, value in said.items() if key not in {"problems", "seconds"}}
        return PeopleImportPayload(**counts, problems=_problems(said))

    @strawberry.field(
        description=f"The bad cells that failed it (the first {MAX_PROBLEMS}), by row and "
        "column; empty otherwise.",
        metadata=reads(Resource.IMPORT_JOB) | at_most(MAX_PROBLEMS),
    )
    def problems(self, root: strawberry.Parent[m.ImportJob]) -> list[ImportProblem]:
        said: dict[str, Any] = root.report or {}
        return _problems(said) if root.status is m.ImportJobStatus.FAILED else []


def _problems(report: dict[str, Any]) -> list[ImportProblem]:
    return [
        ImportProblem(row=p["row"] or 0, column=p["column"] or "", message=p["message"])
        for p in report.get("problems", [])[:MAX_PROBLEMS]
    ]


async def people_import_start(
    info: Info,
    input: Annotated[PeopleImportStartInput, strawberry.argument(description="The file.")],
) -> m.ImportJob:
    name = input.file_name.strip() or "people"
    file_format = input.format or (
        PeopleFileFormat.XLSX if name.lower().endswith((".xlsx", ".xlsm")) else PeopleFileFormat.CSV
    )
    file = import_jobs.JobFile(name, file_format, file_bytes(input.content))
    return await import_jobs.start(
        info.context,
        decode_id(input.school_id, School),
        decode_optional(input.school_year_id, SchoolYear),
        file,
        commit=input.commit,
    )


async def people_import_job(
    info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="The job's ID.")]
) -> m.ImportJob:
    job = await info.context.loaders.one(m.ImportJob).load(decode_id(id, PeopleImportJob))
    if job is None:
        raise NotFound("No such import, or it is not visible to you.", argument="id")
    return job


_WRITES: list[type[BasePermission]] = [can(Resource.PERSON, Action.WRITE), PersonalAccount]
people_import_start_field = strawberry.mutation(
    resolver=people_import_start,
    graphql_type=PeopleImportJob,
    permission_classes=_WRITES,
    description=f"Start importing a school's people from a file of up to {MAX_PEOPLE} (the "
    f"synchronous `peopleImport` takes {SYNC_PEOPLE}): answers the job at once, queued; the "
    "server then reads, checks and writes the file in a transaction of its own, all or "
    "nothing, audited as you, and `peopleImportJob` follows it. One import a school at a "
    "time: CONFLICT while one is under way. The school's admin (А #13, #19, #20).",
)
people_import_job_field = strawberry.field(
    resolver=people_import_job,
    graphql_type=PeopleImportJob,
    permission_classes=[can(Resource.IMPORT_JOB, Action.READ), PersonalAccount],
    description="An import job: its status, its progress (rows done of the phase's rows), "
    "its report when done, the bad cells when it failed. The school's admins; NOT_FOUND "
    "for anyone else.",
)
