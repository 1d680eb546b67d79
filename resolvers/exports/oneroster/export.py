"""A school's OneRoster 1.2 bulk CSV export, as the caller may read it (issue 13, item 5).

Every statement carries the caller's row filters: an admin exports the school, an inspector's
token what its rules let it read, a teacher the classes they teach; what is not readable is not
in the zip, and a row referring to it is left out with it, so that every reference resolves
inside the files. Personal data (R-PD-1): `users.csv`'s `email` and `phone` are filled only for
the people whose personal data the caller reads (`personal_data` rules), every such read by
staff or an API token noted in `ctx.personal_reads` for the caller to log with its transaction
(`resolvers.people.personal_data_log.write`), as a request does; `username` is the login only
where the caller reads the account. Birth dates and sex (`demographics.csv`) are not exported.

Memory stays bounded: the calendar, classes and people are read whole (the school's size), the
grades and final grades in keyset pages, each file streamed into the zip. On PostgreSQL a
transaction not begun yet begins REPEATABLE READ: all files are of one snapshot (SQLite's read
transaction is one already).
"""

from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable
from typing import BinaryIO

import model as m
from resolvers.context import Context
from resolvers.exports.oneroster import gradebook, ids, mapping, people, reads
from resolvers.exports.oneroster.columns import EXPORTED
from resolvers.exports.oneroster.mapping import Row
from resolvers.exports.oneroster.reads import TaughtClass
from resolvers.exports.oneroster.roster import Export, roster
from resolvers.exports.oneroster.writer import Bundle
from resolvers.people.personal_data_log import is_logged

Progress = Callable[[int, int], None]


async def oneroster_zip(
    ctx: Context,
    school_id: int,
    out: BinaryIO,
    progress: Progress | None = None,
    *,
    school_year_id: int | None = None,
) -> None:
    """Writes the school's OneRoster 1.2 CSV zip (bulk) to `out`: of every school year, or of
    `school_year_id` only. `progress(done, total)` is told after each file."""
    await _one_snapshot(ctx)
    total = len(EXPORTED) + 1
    with Bundle(out) as bundle:
        frame = await reads.frame(ctx, school_id, school_year_id)
        if frame is not None:
            export = Export(
                ctx,
                frame,
                await roster(ctx, school_id, frame),
                {w.id: w for w in await reads.work_types(ctx, school_id)},
                await reads.scales(ctx, school_id),
            )
            await _files(export, bundle, progress, total)
        bundle.manifest()
    if progress is not None:
        progress(total, total)


async def _one_snapshot(ctx: Context) -> None:
    session = ctx.db.session
    if session.get_bind().dialect.name == "postgresql" and not session.in_transaction():
        await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


async def _files(export: Export, bundle: Bundle, progress: Progress | None, total: int) -> None:
    school_id, frame, r = export.school_id, export.frame, export.roster
    scale_keys: set[tuple[int, int, int, bool]] = set()
    final_items = 0

    async def line_items() -> AsyncIterator[Row]:
        nonlocal final_items
        async for item in gradebook.items(export):
            scale_keys.add(item.scale_key)
            final_items += item.final
            yield item.row

    async def categories() -> AsyncIterator[Row]:
        for work_type in export.work_types.values():
            yield mapping.category(work_type)
        if final_items:
            yield mapping.final_category(school_id)

    async def score_scales() -> AsyncIterator[Row]:
        by_key = r.by_key
        for group_id, subject_id, scale_id, final in sorted(scale_keys):
            taught = by_key[(group_id, subject_id)]
            yield mapping.score_scale(school_id, taught, export.scales[scale_id], final)

    async def item_scales() -> AsyncIterator[Row]:
        async for item in gradebook.items(export):
            scale_id = item.scale_key[2]
            yield [ids.joined(item.row[0], ids.sourced("GradeScale", scale_id)), *mapping.BULK,
                   mapping.text(export.scales[scale_id].scale.name), item.row[0],
                   ids.score_scale(*item.scale_key)]  # fmt: skip

    steps: dict[str, Callable[[], Iterable[Row] | AsyncIterable[Row]]] = {
        "orgs": lambda: mapping.orgs(frame),
        "academicSessions": lambda: mapping.academic_sessions(frame),
        "courses": lambda: _courses(export),
        "classes": lambda: [mapping.school_class(frame, c) for c in r.classes],
        "users": lambda: _users(export),
        "roles": lambda: _roles(export),
        "enrollments": lambda: _enrollments(export),
        "lineItems": line_items,
        "categories": categories,
        "scoreScales": score_scales,
        "lineItemScoreScales": item_scales,
        "results": lambda: gradebook.results(export),
    }
    for done, name in enumerate(EXPORTED, start=1):
        await bundle.file(name, steps[name]())
        if progress is not None:
            progress(done, total)


def _courses(export: Export) -> list[Row]:
    seen: dict[tuple[int, int, int], TaughtClass] = {}
    for c in export.roster.classes:
        key = (c.school_class.school_year_id, c.subject.id, c.school_class.parallel)
        seen.setdefault(key, c)
    return [mapping.course(export.school_id, seen[key]) for key in sorted(seen)]


async def _users(export: Export) -> AsyncIterator[Row]:
    r, ctx = export.roster, export.ctx
    principal = ctx.principal
    logged = principal is not None and is_logged(principal)
    async for page in people.people(ctx, r.users):
        for person in page:
            p = person.row
            if person.personal and logged and principal and p.id != principal.person_id:
                for column, name in (("email", "email"), ("phone", "phone")):
                    if getattr(p, column) is not None:
                        ctx.personal_reads.note(p.id, name)
            yield mapping.user(export.school_id, person, sorted(r.agents.get(p.id, ())),
                               sorted(r.parallels.get(p.id, ())))  # fmt: skip


async def _roles(export: Export) -> AsyncIterator[Row]:
    r = export.roster
    for person_id in r.users:
        for index, role in enumerate(r.roles[person_id]):
            oneroster = mapping.ROLE.get(role, f"ext:{role}")
            if role == m.Role.PARENT.value and person_id in r.guardians_only:
                oneroster = "guardian"
            yield mapping.role(export.school_id, person_id, role, oneroster, index == 0)


async def _enrollments(export: Export) -> AsyncIterator[Row]:
    r = export.roster
    for taught in r.classes:
        for index, teacher_id in enumerate(r.teachers[taught.key]):
            primary = "true" if index == 0 else "false"
            yield mapping.enrollment(export.school_id, taught, teacher_id, "teacher", primary,
                                     None, None)  # fmt: skip
        for member in sorted(r.members.get(taught.group.id, []), key=lambda x: x.student_id):
            yield mapping.enrollment(export.school_id, taught, member.student_id, "student", "",
                                     member.starts_on, member.ends_on)  # fmt: skip
