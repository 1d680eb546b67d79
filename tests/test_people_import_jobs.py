"""Importing a school's people as a job (issue 12), through the endpoint with real tokens: the
job answers at once and runs in the server, its progress rises phase by phase to the file's
people, and it ends with the import's report, or failed with the bad cells and nothing
written; one import a school at a time; only the school's admins see it. And the command line
imports as an account named on the server (`--as LOGIN`), audited as theirs."""

import asyncio
import base64
import gzip
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry import relay

import model as m
from server import cli
from tests.client import GraphQLClient
from tests.factories import PASSWORD, Factory, build
from tests.test_people_import import FAMILY, HEADER, counts, csv, school

START = (
    "mutation($i: PeopleImportStartInput!) { peopleImportStart(input: $i) { id status "
    "fileName queuedAt } }"
)
JOB = (
    "query($id: ID!) { peopleImportJob(id: $id) { status phase rowsDone rowsTotal message "
    "startedAt finishedAt report { created placements links consents committed } "
    "problems { row column message } } }"
)
SYNC = "mutation($i: PeopleImportInput!) { peopleImport(input: $i) { created } }"
PHASES = ["READ", "VALIDATE", "WRITE"]
DONE = {"SUCCEEDED", "FAILED"}


def started(ids: tuple[str, str], content: str, *, commit: bool = True) -> dict[str, Any]:
    return {"i": {"schoolId": ids[0], "schoolYearId": ids[1], "fileName": "люди.csv",
                  "content": content, "commit": commit}}  # fmt: skip


async def follow(api: GraphQLClient, job: str, token: str) -> tuple[dict[str, Any], list[Any]]:
    """The job polled until it ends; every progress it showed on the way."""
    seen = []
    for _ in range(500):
        now = (await api(JOB, {"id": job}, token=token)).data["peopleImportJob"]
        if now["phase"] is not None:
            seen.append((PHASES.index(now["phase"]), now["rowsDone"], now["rowsTotal"]))
        if now["status"] in DONE:
            return now, seen
        await asyncio.sleep(0.01)
    raise AssertionError(f"the job did not end: {now}")


def family(n: int) -> list[str]:
    return [row.replace("s1", f"s{n}").replace("p1", f"p{n}").replace("t1", f"t{n}")
            .replace("Пётр", f"Пётр{n}") for row in FAMILY]  # fmt: skip


async def test_a_job_imports_the_file_in_the_background_with_its_progress(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    ids = await school(engine)
    token = await api.login("admin", PASSWORD)
    before = await counts(engine)
    rows = [row for n in range(1, 301) for row in family(n)]  # 900 people
    # when the admin starts a job with a gzip-compressed file
    packed = base64.b64encode(gzip.compress(base64.b64decode(csv(*rows)))).decode()
    job = (await api(START, started(ids, packed), token=token)).data["peopleImportStart"]
    # then it is answered at once, queued
    assert (job["status"], job["fileName"]) == ("QUEUED", "люди.csv")
    # and it ends imported, its progress never going back, ending with every person written
    done, seen = await follow(api, job["id"], token)
    assert done["status"] == "SUCCEEDED", done
    assert done["report"] == {
        "created": 900, "placements": 300, "links": 300, "consents": 300, "committed": True,
    }  # fmt: skip
    assert seen == sorted(seen)
    assert seen[-1] == (2, 900, 900)
    assert done["startedAt"] <= done["finishedAt"]
    after = await counts(engine)
    assert after[0] == before[0] + 900
    # and it is audited as the admin who started it
    async with engine.connect() as connection:
        by = await connection.scalar(
            select(func.count(func.distinct(m.Change.changed_by_id))).where(
                m.Change.entity == "person"
            )
        )
        admin = await connection.scalar(select(m.Account.id).where(m.Account.login == "admin"))
        who = await connection.scalar(select(m.Change.changed_by_id).limit(1))
    assert (by, who) == (1, admin)


async def test_a_bad_file_fails_the_job_with_its_report_and_writes_nothing(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    ids = await school(engine)
    token = await api.login("admin", PASSWORD)
    before = await counts(engine)
    bad = csv(FAMILY[0].replace("5А", "9Я"), *FAMILY[1:])
    job = (await api(START, started(ids, bad), token=token)).data["peopleImportStart"]
    done, _ = await follow(api, job["id"], token)
    assert done["status"] == "FAILED"
    assert done["message"].startswith("Row 2, класс:")
    assert done["problems"][0]["row"] == 2
    assert done["problems"][0]["column"] == "класс"
    assert done["report"] is None
    assert await counts(engine) == before
    # and a dry run of a good file succeeds with its report, writing nothing
    dry = started(ids, csv(*FAMILY), commit=False)
    job = (await api(START, dry, token=token)).data["peopleImportStart"]
    done, _ = await follow(api, job["id"], token)
    assert (done["status"], done["report"]["created"], done["report"]["committed"]) == (
        "SUCCEEDED", 3, False,
    )  # fmt: skip
    assert await counts(engine) == before


async def _under_way(engine: AsyncEngine, school_id: int, queued_at: datetime) -> None:
    """A job of the school another worker runs (or ran: `queued_at` long ago)."""
    async with engine.begin() as connection:
        admin = await connection.scalar(select(m.Account.id).where(m.Account.login == "admin"))
        await connection.execute(
            insert(m.ImportJob).values(
                school_id=school_id, started_by_id=admin, file_name="a.csv", file_bytes=10,
                commit=True, status=m.ImportJobStatus.RUNNING, done=0, total=0,
                queued_at=queued_at,
            )
        )  # fmt: skip


async def test_one_import_a_school_at_a_time(engine: AsyncEngine, api: GraphQLClient) -> None:
    ids = await school(engine)
    token = await api.login("admin", PASSWORD)
    school_id = int(relay.from_base64(ids[0])[1])
    # given an import of the school under way
    await _under_way(engine, school_id, datetime.now(UTC))
    before = await counts(engine)
    # when a second is started, or the file imported at once, then both are refused
    second = await api(START, started(ids, csv(*FAMILY)), token=token)
    assert second.error_code == "CONFLICT"
    assert "under way" in second.body["errors"][0]["message"]
    variables = {"i": {"schoolId": ids[0], "format": "CSV", "content": csv(*FAMILY)}}
    assert (await api(SYNC, variables, token=token)).error_code == "CONFLICT"
    assert await counts(engine) == before


async def test_a_job_no_server_runs_any_more_is_failed_and_frees_the_school(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    ids = await school(engine)
    token = await api.login("admin", PASSWORD)
    school_id = int(relay.from_base64(ids[0])[1])
    # given a job left running by a server that died an hour ago
    await _under_way(engine, school_id, datetime.now(UTC) - timedelta(hours=1))
    async with engine.connect() as connection:
        stale = await connection.scalar(select(func.max(m.ImportJob.id)))
    stale_id = relay.to_base64("PeopleImportJob", stale)
    # then it is reported failed
    reply = (await api(JOB, {"id": stale_id}, token=token)).data["peopleImportJob"]
    assert reply["status"] == "FAILED"
    assert reply["message"].startswith("The server stopped")
    # and a new import of the school starts, recording the old one failed
    job = (await api(START, started(ids, csv(*FAMILY)), token=token)).data["peopleImportStart"]
    done, _ = await follow(api, job["id"], token)
    assert done["status"] == "SUCCEEDED"
    async with engine.connect() as connection:
        status = await connection.scalar(select(m.ImportJob.status).where(m.ImportJob.id == stale))
    assert status is m.ImportJobStatus.FAILED


async def test_only_the_schools_admins_see_a_job(engine: AsyncEngine, api: GraphQLClient) -> None:
    ids = await school(engine)

    async def other(f: Factory) -> None:
        setup = await f.school("Школа № 2")
        await f.account(await f.person(setup, "Чужая", m.Role.ADMIN), "other_admin")
        first = int(relay.from_base64(ids[0])[1])
        admin = await f.person(setup, "Вторая", m.Role.ADMIN)
        await f.add(m.SchoolRole(person_id=admin.id, school_id=first, role="admin"))
        await f.account(admin, "second_admin")

    await build(engine, other)
    token = await api.login("admin", PASSWORD)
    job = (await api(START, started(ids, csv(*FAMILY)), token=token)).data["peopleImportStart"]
    await follow(api, job["id"], token)
    # the school's other admin sees it
    second = await api.login("second_admin", PASSWORD)
    seen = await api(JOB, {"id": job["id"]}, token=second)
    assert seen.data["peopleImportJob"]["status"] == "SUCCEEDED"
    # another school's admin does not; a teacher of the school may not ask
    for login, code in (("other_admin", "NOT_FOUND"), ("teacher", "FORBIDDEN")):
        reply = await api(JOB, {"id": job["id"]}, token=await api.login(login, PASSWORD))
        assert reply.error_code == code, (login, reply.body)
        assert reply.body["data"] is None
    # nor can they start one in the school
    for login in ("other_admin", "teacher"):
        reply = await api(START, started(ids, csv(*FAMILY)), token=await api.login(login, PASSWORD))
        assert reply.error_code in {"FORBIDDEN", "NOT_FOUND"}, (login, reply.body)


async def test_a_long_file_is_sent_to_the_job(engine: AsyncEngine, api: GraphQLClient) -> None:
    ids = await school(engine)
    token = await api.login("admin", PASSWORD)
    many = [f"x{n};Орлов{n};Илья;;м;;учитель;;;;;;" for n in range(2001)]
    variables = {"i": {"schoolId": ids[0], "format": "CSV", "content": csv(*many)}}
    refused = await api(SYNC, variables, token=token)
    assert refused.error_code == "BAD_USER_INPUT"
    assert "peopleImportStart" in refused.body["errors"][0]["message"]
    job = (await api(START, started(ids, csv(*many)), token=token)).data["peopleImportStart"]
    done, _ = await follow(api, job["id"], token)
    assert (done["status"], done["rowsTotal"]) == ("SUCCEEDED", 2001)


async def test_the_command_line_imports_as_an_account_named_on_the_server(
    engine: AsyncEngine, database_url: str, tmp_path: Path
) -> None:
    ids = await school(engine)
    school_id = str(relay.from_base64(ids[0])[1])
    path = tmp_path / "people.csv"
    path.write_bytes(("\n".join([HEADER, *FAMILY]) + "\n").encode())
    command = ["--database-url", database_url, "import", "people", str(path), "--school",
               school_id, "--as", "admin", "--commit"]  # fmt: skip
    before = await counts(engine)
    await asyncio.to_thread(cli.main, command)
    assert (await counts(engine))[0] == before[0] + 3
    async with engine.connect() as connection:
        admin = await connection.scalar(select(m.Account.id).where(m.Account.login == "admin"))
        by = set(await connection.scalars(select(m.Change.changed_by_id)))
    assert by == {admin}
    # and a teacher named so is refused, nothing written
    teacher = [*command[:-3], "--as", "teacher", "--commit"]
    with pytest.raises(SystemExit, match="admin"):
        await asyncio.to_thread(cli.main, teacher)
    assert (await counts(engine))[0] == before[0] + 3


async def test_a_file_over_the_request_limit_is_told_to_travel_compressed(
    engine: AsyncEngine, api: GraphQLClient
) -> None:
    ids = await school(engine)
    token = await api.login("admin", PASSWORD)
    surname = "Римская-Корсакова-Преображенская-Оболенская"
    rows = [f"x{n};{surname}{n};Александра;Константиновна;ж;;учитель;;;;;;" for n in range(5000)]
    plain = csv(*rows)
    assert len(plain) > 1_048_576
    # when a 5,000-person CSV is sent as it is, then the request is refused unread, saying how
    reply = await api(START, started(ids, plain), token=token)
    assert reply.status == 413
    assert "gzip" in reply.body["errors"][0]["message"]
    # and compressed, the job takes it
    packed = base64.b64encode(gzip.compress(base64.b64decode(plain))).decode()
    job = (await api(START, started(ids, packed), token=token)).data["peopleImportStart"]
    done, _ = await follow(api, job["id"], token)
    assert (done["status"], done["rowsTotal"]) == ("SUCCEEDED", 5000)
