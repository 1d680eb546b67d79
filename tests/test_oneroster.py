"""The OneRoster 1.2 CSV export (issue 13, item 5): every file the school has data for, headers
exactly as the 1EdTech CSV binding 1.2 lists them, every reference resolving inside the zip, the
journal mapped whole (grades → results, work types → categories with their weights, final grades
→ line items of their own), the same bytes from the same data, and only what the caller reads."""

import csv
import io
import zipfile
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

import model as m
from demo.accounts import demo_api_token
from model.db import make_sessionmaker
from policies.engine import PolicyEngine
from resolvers.accounts.sign_in import principal_for_login, principal_for_token
from resolvers.context import Context
from resolvers.database import Database
from resolvers.exports.oneroster import oneroster_zip, reads
from resolvers.exports.oneroster.ids import api_id

# The headers as the binding's tables list them (OneRoster CSV Binding 1.2, section 3), typed
# here from the standard, not from the code under test.
STANDARD = {
    "manifest.csv": "propertyName,value",
    "academicSessions.csv": "sourcedId,status,dateLastModified,title,type,startDate,endDate,"
    "parentSourcedId,schoolYear",
    "categories.csv": "sourcedId,status,dateLastModified,title,weight",
    "classes.csv": "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,"
    "classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods",
    "courses.csv": "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,"
    "grades,orgSourcedId,subjects,subjectCodes",
    "enrollments.csv": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,"
    "userSourcedId,role,primary,beginDate,endDate",
    "lineItems.csv": "sourcedId,status,dateLastModified,title,description,assignDate,dueDate,"
    "classSourcedId,categorySourcedId,academicSessionSourcedId,resultValueMin,resultValueMax,"
    "schoolSourcedId",
    "lineItemScoreScales.csv": "sourcedId,status,dateLastModified,title,lineItemSourcedId,"
    "scoreScaleSourcedId",
    "orgs.csv": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
    "results.csv": "sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,"
    "scoreStatus,score,scoreDate,comment,textScore,classSourcedId,inProgress,incomplete,late,"
    "missing",
    "roles.csv": "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,"
    "endDate,orgSourcedId,userProfileSourcedId",
    "scoreScales.csv": "sourcedId,status,dateLastModified,title,type,orgSourcedId,"
    "courseSourcedId,classSourcedId,scoreScaleValue",
    "users.csv": "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,"
    "familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,"
    "userMasterIdentifier,resourceSourcedIds,preferredGivenName,preferredMiddleName,"
    "preferredFamilyName,primaryOrgSourcedId,pronouns",
}
MANIFEST_FILES = [
    "academicSessions",
    "classes",
    "classResources",
    "courses",
    "courseResources",
    "demographics",
    "enrollments",
    "lineItemLearningObjectiveIds",
    "lineItems",
    "lineItemScoreScales",
    "orgs",
    "resources",
    "resultLearningObjectiveIds",
    "results",
    "resultScoreScales",
    "roles",
    "scoreScales",
    "userProfiles",
    "userResources",
    "users",
    "categories",
]

# (file, column) → the file its values (one, or a comma-separated list) must name.
REFERENCES = [
    ("orgs", "parentSourcedId", "orgs"),
    ("academicSessions", "parentSourcedId", "academicSessions"),
    ("courses", "schoolYearSourcedId", "academicSessions"),
    ("courses", "orgSourcedId", "orgs"),
    ("classes", "courseSourcedId", "courses"),
    ("classes", "schoolSourcedId", "orgs"),
    ("classes", "termSourcedIds", "academicSessions"),
    ("users", "agentSourcedIds", "users"),
    ("users", "primaryOrgSourcedId", "orgs"),
    ("roles", "userSourcedId", "users"),
    ("roles", "orgSourcedId", "orgs"),
    ("enrollments", "classSourcedId", "classes"),
    ("enrollments", "schoolSourcedId", "orgs"),
    ("enrollments", "userSourcedId", "users"),
    ("lineItems", "classSourcedId", "classes"),
    ("lineItems", "categorySourcedId", "categories"),
    ("lineItems", "academicSessionSourcedId", "academicSessions"),
    ("lineItems", "schoolSourcedId", "orgs"),
    ("scoreScales", "orgSourcedId", "orgs"),
    ("scoreScales", "courseSourcedId", "courses"),
    ("scoreScales", "classSourcedId", "classes"),
    ("lineItemScoreScales", "lineItemSourcedId", "lineItems"),
    ("lineItemScoreScales", "scoreScaleSourcedId", "scoreScales"),
    ("results", "lineItemSourcedId", "lineItems"),
    ("results", "studentSourcedId", "users"),
    ("results", "classSourcedId", "classes"),
]
GUID = set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_/@")

Tables = dict[str, list[dict[str, str]]]


async def _export(
    engine: AsyncEngine, who: Callable[[Database], object], school_id: int | None = None
) -> tuple[bytes, Context, int]:
    async with make_sessionmaker(engine)() as session:
        db = Database(session)
        principal = await who(db)  # type: ignore[misc]
        ctx = Context(db=db, policy=PolicyEngine(), principal=principal)
        if school_id is None:
            school_id = next(iter(principal.school_ids))
        out = io.BytesIO()
        steps: list[tuple[int, int]] = []
        await oneroster_zip(ctx, school_id, out, lambda d, t: steps.append((d, t)))
        await session.rollback()
    assert steps[-1][0] == steps[-1][1]
    return out.getvalue(), ctx, school_id


def _by_login(login: str) -> Callable[[Database], object]:
    return lambda db: principal_for_login(db, login)


def _by_token(token: str) -> Callable[[Database], object]:
    return lambda db: principal_for_token(db, token)


def _tables(data: bytes) -> tuple[Tables, dict[str, str], dict[str, str]]:
    """The files as rows, the manifest as a dict, and each file's header line."""
    tables: Tables = {}
    headers: dict[str, str] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        for name in bundle.namelist():
            raw = bundle.read(name).decode("utf-8")
            assert not raw.startswith("\ufeff")
            headers[name] = raw.split("\r\n", 1)[0]
            tables[name.removesuffix(".csv")] = list(csv.DictReader(io.StringIO(raw)))
    manifest = {row["propertyName"]: row["value"] for row in tables.pop("manifest")}
    return tables, manifest, headers


def _check_integrity(tables: Tables, manifest: dict[str, str]) -> None:
    assert manifest["manifest.version"] == "1.0"
    assert manifest["oneroster.version"] == "1.2"
    assert manifest["source.systemName"] == "tabel"
    assert {key.removeprefix("file.") for key in manifest if key.startswith("file.")} == set(
        MANIFEST_FILES
    )
    for name in MANIFEST_FILES:
        assert manifest[f"file.{name}"] == ("bulk" if name in tables else "absent"), name
    ids: dict[str, set[str]] = {}
    for name, rows in tables.items():
        assert rows, f"{name}.csv has no data rows"  # the binding forbids empty files
        found = [row["sourcedId"] for row in rows]
        assert len(found) == len(set(found)), f"{name}.csv repeats a sourcedId"
        for sourced_id in found:
            assert sourced_id
            assert set(sourced_id) <= GUID, sourced_id
        for row in rows:  # bulk: no status, no dateLastModified
            assert row["status"] == ""
            assert row["dateLastModified"] == ""
        ids[name] = set(found)
    for name, column, target in REFERENCES:
        for row in tables.get(name, []):
            for value in filter(None, row[column].split(",")):
                assert value in ids[target], f"{name}.{column} = {value} not in {target}.csv"


@pytest.mark.parametrize("_", [None])
async def test_the_admin_exports_the_whole_school_as_the_standard_lists_it(
    engine: AsyncEngine, demo_school: dict[str, str], _: None
) -> None:
    # given the demo school, exported by its admin
    data, ctx, school_id = await _export(engine, _by_login(demo_school["admin"]))

    # then every file is there, with the standard's headers exactly
    tables, manifest, headers = _tables(data)
    assert set(headers) == set(STANDARD)
    for name, header in STANDARD.items():
        assert headers[name] == header, name
    _check_integrity(tables, manifest)
    async with make_sessionmaker(engine)() as session:
        grades = await session.scalar(select(func.count()).select_from(m.Grade))
        finals = await session.scalar(select(func.count()).select_from(m.FinalGrade))
        final_items = await session.scalar(
            select(func.count()).select_from(
                select(m.FinalGrade.group_id, m.FinalGrade.subject_id, m.FinalGrade.period_id)
                .distinct()
                .subquery()
            )
        )
        items = await session.scalar(
            select(func.count()).select_from(
                select(m.Grade.lesson_id, m.Grade.work_type_id).distinct().subquery()
            )
        )
        work_types = list(await session.scalars(select(m.WorkType).order_by(m.WorkType.id)))
        school = await session.get(m.School, school_id)
        students = await session.scalar(select(func.count(distinct(m.ClassStudent.student_id))))
    assert school is not None
    assert grades
    assert finals

    # grades → results, final grades → results of line items of their own
    assert len(tables["results"]) == grades + finals
    final_rows = [r for r in tables["lineItems"] if r["title"].startswith("Итоговая отметка")]
    assert len(final_rows) == final_items
    assert len(tables["lineItems"]) == (items or 0) + final_items
    assert len(tables["lineItemScoreScales"]) == len(tables["lineItems"])
    # work types → categories with their weights (a percentage of the weight 1), and the
    # category of the final grades
    categories = {row["sourcedId"]: row for row in tables["categories"]}
    for work_type in work_types:
        row = categories[api_id("WorkType", work_type.id).rstrip("=")]
        assert row["title"] == work_type.name
        assert Decimal(row["weight"]) == work_type.weight * 100
    assert len(categories) == len(work_types) + 1
    assert {r["categorySourcedId"] for r in final_rows} == {
        r["sourcedId"] for r in tables["categories"] if r["title"] == "Итоговая отметка"
    }
    # Cyrillic intact; the school, its municipality and region as orgs
    orgs = {row["type"]: row for row in tables["orgs"]}
    assert orgs["school"]["name"] == school.name
    assert set(orgs) == {"school", "district", "state"}
    # the people: students, teachers and parents with their roles, parents linked to children
    roles = {row["role"] for row in tables["roles"]}
    assert {"student", "teacher", "parent", "siteAdministrator", "principal"} <= roles
    student_ids = {r["userSourcedId"] for r in tables["roles"] if r["role"] == "student"}
    assert len(student_ids) == students
    users = {row["sourcedId"]: row for row in tables["users"]}
    linked = [users[s] for s in student_ids if users[s]["agentSourcedIds"]]
    assert linked
    for student in linked:
        for parent in student["agentSourcedIds"].split(","):
            assert student["sourcedId"] in users[parent]["agentSourcedIds"].split(",")
    assert all(row["username"] for row in tables["users"])
    primaries = [r for r in tables["roles"] if r["roleType"] == "primary"]
    assert len(primaries) == len(users)
    # every class has one primary teacher; the marks are scores and text scores on the scale
    primary = [r for r in tables["enrollments"] if r["primary"] == "true"]
    assert len({r["classSourcedId"] for r in primary}) == len(primary)
    lesson_results = [r for r in tables["results"] if r["score"]]
    assert all(r["textScore"] for r in tables["results"])
    assert {r["scoreStatus"] for r in tables["results"]} <= {"fully graded", "exempt"}
    assert lesson_results
    assert all(Decimal(r["score"]) <= 5 for r in lesson_results)
    for scale in tables["scoreScales"]:
        assert scale["scoreScaleValue"].startswith("{")
    # the admin reads everyone's personal data: the contacts are there, and the reads noted
    assert any(row["phone"] for row in tables["users"])
    assert ctx.personal_reads.fields


async def test_the_same_data_gives_the_same_bytes(
    engine: AsyncEngine, demo_school: dict[str, str]
) -> None:
    first, _, _ = await _export(engine, _by_login(demo_school["admin"]))
    second, _, _ = await _export(engine, _by_login(demo_school["admin"]))
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as bundle:
        assert {info.date_time for info in bundle.infolist()} == {(1980, 1, 1, 0, 0, 0)}


async def test_an_inspector_exports_what_its_token_reads(
    engine: AsyncEngine, demo_school: dict[str, str]
) -> None:
    # given the demo inspector's token: the journal and the people, not the school's roles
    data, _, _ = await _export(engine, _by_token(demo_api_token("", "inspector")))
    tables, manifest, _ = await _as_tables(data)
    _check_integrity(tables, manifest)
    roles = {row["role"] for row in tables["roles"]}
    assert roles == {"student", "teacher", "parent"}  # from the classes, not from roles held
    assert tables["results"]


async def test_a_teacher_gets_only_what_they_teach_and_no_ones_contacts(
    engine: AsyncEngine, demo_school: dict[str, str]
) -> None:
    admin, _, _ = await _export(engine, _by_login(demo_school["admin"]))
    data, ctx, _ = await _export(engine, _by_login(demo_school["teacher"]))
    everything, _, _ = _tables(admin)
    tables, manifest, _ = _tables(data)
    _check_integrity(tables, manifest)
    assert ctx.principal is not None
    assert ctx.principal.person_id is not None
    me = api_id("Person", ctx.principal.person_id).rstrip("=")
    # the teacher's classes only, each with them as a teacher
    taught = {r["classSourcedId"] for r in tables["enrollments"] if r["userSourcedId"] == me}
    assert taught
    assert {r["sourcedId"] for r in tables["classes"]} <= {
        r["sourcedId"] for r in everything["classes"]
    }
    assert 0 < len(tables["results"]) < len(everything["results"])
    assert {r["classSourcedId"] for r in tables["results"]} <= taught
    # no one's personal data but their own; no roles beyond what teaching shows
    for row in tables["users"]:
        if row["sourcedId"] != me:
            assert row["email"] == ""
            assert row["phone"] == ""
    assert not ctx.personal_reads.fields
    assert "siteAdministrator" not in {r["role"] for r in tables["roles"]}


async def test_a_parent_gets_their_childs_grades_only(
    engine: AsyncEngine, demo_school: dict[str, str]
) -> None:
    data, ctx, _ = await _export(engine, _by_login(demo_school["parent"]))
    tables, manifest, _ = _tables(data)
    _check_integrity(tables, manifest)
    assert ctx.principal is not None
    assert ctx.principal.person_id is not None
    me = api_id("Person", ctx.principal.person_id).rstrip("=")
    children = {row["sourcedId"] for row in tables["users"] if me in row["agentSourcedIds"]}
    assert children
    assert {r["studentSourcedId"] for r in tables["results"]} <= children


async def test_nobody_gets_nothing_but_the_manifest(
    engine: AsyncEngine, demo_school: dict[str, str]
) -> None:
    # given a school the caller holds no role in
    data, _, _ = await _export(engine, _by_login(demo_school["admin"]), school_id=10**9)
    tables, manifest, _ = _tables(data)
    assert tables == {}
    assert all(v == "absent" for k, v in manifest.items() if k.startswith("file."))


async def _as_tables(data: bytes) -> tuple[Tables, dict[str, str], dict[str, str]]:
    return _tables(data)


async def test_pages_of_a_few_rows_give_the_same_zip(
    engine: AsyncEngine, demo_school: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the export read in the usual pages
    whole, _, _ = await _export(engine, _by_login(demo_school["admin"]))
    # when the grades are read seven at a time (a line item's grades spanning pages)
    monkeypatch.setattr(reads, "PAGE", 7)
    paged, _, _ = await _export(engine, _by_login(demo_school["admin"]))
    # then nothing is lost, repeated or reordered at the pages' seams
    assert paged == whole
