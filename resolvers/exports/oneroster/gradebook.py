"""The gradebook files: a line item per lesson × work type with grades and per class ×
reporting period with final grades, and a result per grade and per final grade. Both are read
from the grades as they come, in the order of their keys: a line item is the run of grades
sharing its key, so no line item and no grade is held beyond its own."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date

import model as m
from resolvers.database import AnyRow
from resolvers.exports.oneroster import ids, journal, mapping
from resolvers.exports.oneroster.journal import Lesson
from resolvers.exports.oneroster.mapping import Row
from resolvers.exports.oneroster.reads import Frame, TaughtClass
from resolvers.exports.oneroster.roster import Export


@dataclass(frozen=True)
class Item:
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


async def items(export: Export) -> AsyncIterator[Item]:
    """A line item per lesson × work type with exported grades, then per class × period with
    exported final grades; in that order, each keyed as the grades are read."""
    by_key, users, frame = export.roster.by_key, set(export.roster.users), export.frame
    current: tuple[int, int] | None = None
    scale_id: int | None = None
    first: AnyRow | None = None
    lesson: Lesson | None = None

    def lesson_item() -> Item:
        assert first is not None
        assert lesson is not None
        assert scale_id is not None
        taught = by_key[(lesson.group_id, lesson.subject_id)]
        work_type = export.work_types[first.work_type_id]
        low, high = mapping.value_range(export.scales.get(scale_id))
        title = f"{work_type.name}, {lesson.held_on.strftime('%d.%m.%Y')}"
        return Item(
            [ids.lesson_item(first.lesson_id, first.work_type_id), *mapping.BULK,
             mapping.text(title), mapping.text(lesson.topic), mapping.day(lesson.held_on),
             mapping.day(lesson.held_on), ids.school_class(*taught.key),
             ids.work_type(work_type.id), _session_of(frame, taught, lesson.held_on), low, high,
             ids.school(export.school_id)],
            (*taught.key, scale_id, False),
            False,
        )  # fmt: skip

    async for grade, of in journal.grades(export.ctx, export.school_id):
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

    def final_item() -> Item:
        assert for_final is not None
        taught = by_key[(for_final.group_id, for_final.subject_id)]
        period = periods[for_final.period_id]
        low, high = mapping.value_range(export.scales.get(final_scale))
        return Item(
            [ids.final_item(*taught.key, period.id), *mapping.BULK,
             mapping.text(f"{mapping.FINAL_TITLE}, {period.name}"),
             mapping.text(mapping.class_title(taught)), mapping.day(period.starts_on),
             mapping.day(period.ends_on), ids.school_class(*taught.key),
             ids.final_category(export.school_id), ids.period(period.id), low, high,
             ids.school(export.school_id)],
            (*taught.key, final_scale, True),
            True,
        )  # fmt: skip

    async for grade in journal.final_grades(export.ctx, export.school_id):
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


def _grade_exported(export: Export, grade: AnyRow, lesson: Lesson, users: set[int]) -> bool:
    return (
        (lesson.group_id, lesson.subject_id) in export.roster.by_key
        and grade.student_id in users
        and grade.work_type_id in export.work_types
        and grade.grade_scale_id in export.scales
    )


def _final_exported(
    export: Export, grade: AnyRow, users: set[int], periods: dict[int, m.Period]
) -> bool:
    return (
        (grade.group_id, grade.subject_id) in export.roster.by_key
        and grade.student_id in users
        and grade.period_id in periods
        and grade.grade_scale_id in export.scales
    )


async def results(export: Export) -> AsyncIterator[Row]:
    by_key, users, zone = export.roster.by_key, set(export.roster.users), export.zone
    async for g, lesson in journal.grades(export.ctx, export.school_id):
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
    async for f in journal.final_grades(export.ctx, export.school_id):
        if not _final_exported(export, f, users, periods):
            continue
        status, text_score = mapping.final_text(f.mark, f.special)
        yield [ids.sourced("FinalGrade", f.id), *mapping.BULK,
               ids.final_item(f.group_id, f.subject_id, f.period_id), ids.person(f.student_id),
               status, mapping.score(f.mark, export.scales.get(f.grade_scale_id)),
               mapping.scored_on(f.created_at, f.updated_at, zone), "", text_score,
               ids.school_class(f.group_id, f.subject_id), "", "", "", ""]  # fmt: skip
