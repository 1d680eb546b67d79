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
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO
from zoneinfo import ZoneInfo

import model as m
from resolvers.context import Context
from resolvers.database import AnyRow
from resolvers.exports.oneroster import ids, mapping, reads
from resolvers.exports.oneroster.columns import EXPORTED
from resolvers.exports.oneroster.mapping import Row
from resolvers.exports.oneroster.reads import Frame, Scale, TaughtClass
from resolvers.exports.oneroster.roster import Roster, roster
from resolvers.exports.oneroster.writer import Bundle
from resolvers.people.personal_data_log import is_logged

Progress = Callable[[int, int], None]


@dataclass
class _Export:
    ctx: Context
    frame: Frame
    roster: Roster
    work_types: dict[int, m.WorkType]
    scales: dict[int, Scale]

    @property
    def school_id(self) -> int:
        return self.frame.school.id

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.frame.school.timezone)


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
            export = _Export(
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


async def _files(export: _Export, bundle: Bundle, progress: Progress | None, total: int) -> None:
    school_id, frame, r = export.school_id, export.frame, export.roster
    scale_keys: set[tuple[int, int, int, bool]] = set()
    final_items = 0

    async def line_items() -> AsyncIterator[Row]:
        nonlocal final_items
        async for item in _items(export):
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
        async for item in _items(export):
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
        "results": lambda: _results(export),
    }
    for done, name in enumerate(EXPORTED, start=1):
        await bundle.file(name, steps[name]())
        if progress is not None:
            progress(done, total)


def _courses(export: _Export) -> list[Row]:
    seen: dict[tuple[int, int, int], TaughtClass] = {}
    for c in export.roster.classes:
        key = (c.school_class.school_year_id, c.subject.id, c.school_class.parallel)
        seen.setdefault(key, c)
    return [mapping.course(export.school_id, seen[key]) for key in sorted(seen)]


async def _users(export: _Export) -> AsyncIterator[Row]:
    r, ctx = export.roster, export.ctx
    principal = ctx.principal
    logged = principal is not None and is_logged(principal)
    async for page in reads.people(ctx, r.users):
        for person in page:
            p = person.row
            if person.personal and logged and principal and p.id != principal.person_id:
                for column, name in (("email", "email"), ("phone", "phone")):
                    if getattr(p, column) is not None:
                        ctx.personal_reads.note(p.id, name)
            yield mapping.user(export.school_id, person, sorted(r.agents.get(p.id, ())),
                               sorted(r.parallels.get(p.id, ())))  # fmt: skip


async def _roles(export: _Export) -> AsyncIterator[Row]:
    r = export.roster
    for person_id in r.users:
        for index, role in enumerate(r.roles[person_id]):
            oneroster = mapping.ROLE.get(role, f"ext:{role}")
            if role == m.Role.PARENT.value and person_id in r.guardians_only:
                oneroster = "guardian"
            yield mapping.role(export.school_id, person_id, role, oneroster, index == 0)


async def _enrollments(export: _Export) -> AsyncIterator[Row]:
    r = export.roster
    for taught in r.classes:
        for index, teacher_id in enumerate(r.teachers[taught.key]):
            primary = "true" if index == 0 else "false"
            yield mapping.enrollment(export.school_id, taught, teacher_id, "teacher", primary,
                                     None, None)  # fmt: skip
        for member in sorted(r.members.get(taught.group.id, []), key=lambda x: x.student_id):
            yield mapping.enrollment(export.school_id, taught, member.student_id, "student", "",
                                     member.starts_on, member.ends_on)  # fmt: skip


@dataclass(frozen=True)
class _Item:
    row: Row
    scale_key: tuple[int, int, int, bool]
    final: bool


def _session_of(frame: Frame, taught: TaughtClass, on: date) -> str:
    """The class's reporting period the day is in (another kind's, or the year, if none)."""
    c = taught.school_class
    periods = [
        p for p in frame.periods if p.school_year_id == c.school_year_id and p.starts_on <= on
        and on <= p.ends_on
    ]  # fmt: skip
    own = [p for p in periods if p.kind is c.period_kind]
    for found in own or periods:
        return ids.period(found.id)
    return ids.school_year(c.school_year_id)


async def _items(export: _Export) -> AsyncIterator[_Item]:
    """A line item per lesson × work type with exported grades, then per class × period with
    exported final grades; in that order, each keyed as the grades are read."""
    by_key, users, frame = export.roster.by_key, set(export.roster.users), export.frame
    current: tuple[int, int] | None = None
    scale_id: int | None = None
    first: AnyRow | None = None
    lesson: reads.Lesson | None = None

    def lesson_item() -> _Item:
        assert first is not None
        assert lesson is not None
        assert scale_id is not None
        taught = by_key[(lesson.group_id, lesson.subject_id)]
        work_type = export.work_types[first.work_type_id]
        low, high = mapping.value_range(export.scales.get(scale_id))
        title = f"{work_type.name}, {lesson.held_on.strftime('%d.%m.%Y')}"
        return _Item(
            [ids.lesson_item(first.lesson_id, first.work_type_id), *mapping.BULK,
             mapping.text(title), mapping.text(lesson.topic), mapping.day(lesson.held_on),
             mapping.day(lesson.held_on), ids.school_class(*taught.key),
             ids.work_type(work_type.id), _session_of(frame, taught, lesson.held_on), low, high,
             ids.school(export.school_id)],
            (*taught.key, scale_id, False),
            False,
        )  # fmt: skip

    async for grade, of in reads.grades(export.ctx, export.school_id):
        if not _grade_exported(export, grade, of, users):
            continue
        key = (grade.lesson_id, grade.work_type_id)
        if key != current:
            if first is not None:
                yield lesson_item()
            current, first, lesson, scale_id = key, grade, of, grade.grade_scale_id
        scale_id = max(scale_id or 0, grade.grade_scale_id)
    if first is not None:
        yield lesson_item()

    periods = {p.id: p for p in frame.periods}
    final_key: tuple[int, int, int] | None = None
    final_scale = 0
    for_final: AnyRow | None = None

    def final_item() -> _Item:
        assert for_final is not None
        taught = by_key[(for_final.group_id, for_final.subject_id)]
        period = periods[for_final.period_id]
        low, high = mapping.value_range(export.scales.get(final_scale))
        return _Item(
            [ids.final_item(*taught.key, period.id), *mapping.BULK,
             mapping.text(f"{mapping.FINAL_TITLE}, {period.name}"),
             mapping.text(class_title_of(taught)), mapping.day(period.starts_on),
             mapping.day(period.ends_on), ids.school_class(*taught.key),
             ids.final_category(export.school_id), ids.period(period.id), low, high,
             ids.school(export.school_id)],
            (*taught.key, final_scale, True),
            True,
        )  # fmt: skip

    async for grade in reads.final_grades(export.ctx, export.school_id):
        if not _final_exported(export, grade, users, periods):
            continue
        fkey = (grade.group_id, grade.subject_id, grade.period_id)
        if fkey != final_key:
            if for_final is not None:
                yield final_item()
            final_key, for_final, final_scale = fkey, grade, grade.grade_scale_id
        final_scale = max(final_scale, grade.grade_scale_id)
    if for_final is not None:
        yield final_item()


def class_title_of(taught: TaughtClass) -> str:
    return mapping.class_title(taught)


def _grade_exported(export: _Export, grade: AnyRow, lesson: reads.Lesson, users: set[int]) -> bool:
    return (
        (lesson.group_id, lesson.subject_id) in export.roster.by_key
        and grade.student_id in users
        and grade.work_type_id in export.work_types
        and grade.grade_scale_id in export.scales
    )


def _final_exported(
    export: _Export, grade: AnyRow, users: set[int], periods: dict[int, m.Period]
) -> bool:
    return (
        (grade.group_id, grade.subject_id) in export.roster.by_key
        and grade.student_id in users
        and grade.period_id in periods
        and grade.grade_scale_id in export.scales
    )


async def _results(export: _Export) -> AsyncIterator[Row]:
    by_key, users, zone = export.roster.by_key, set(export.roster.users), export.zone
    async for g, lesson in reads.grades(export.ctx, export.school_id):
        if not _grade_exported(export, g, lesson, users):
            continue
        class_id = ids.school_class(*by_key[(lesson.group_id, lesson.subject_id)].key)
        yield [ids.sourced("Grade", g.id), *mapping.BULK,
               ids.lesson_item(g.lesson_id, g.work_type_id), ids.person(g.student_id),
               "fully graded",
               mapping.score(g.mark, export.scales.get(g.grade_scale_id)),
               mapping.scored_on(g.created_at, g.updated_at, zone), mapping.text(g.comment),
               g.mark, class_id, "", "", "", ""]  # fmt: skip
    periods = {p.id: p for p in export.frame.periods}
    async for f in reads.final_grades(export.ctx, export.school_id):
        if not _final_exported(export, f, users, periods):
            continue
        status, text_score = mapping.final_text(f.mark, f.special)
        yield [ids.sourced("FinalGrade", f.id), *mapping.BULK,
               ids.final_item(f.group_id, f.subject_id, f.period_id), ids.person(f.student_id),
               status, mapping.score(f.mark, export.scales.get(f.grade_scale_id)),
               mapping.scored_on(f.created_at, f.updated_at, zone), "", text_score,
               ids.school_class(f.group_id, f.subject_id), "", "", "", ""]  # fmt: skip
