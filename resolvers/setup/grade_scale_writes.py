"""The admin keeps the school's grade scales (шкалы оценок) and their marks: a scale's marks are
set as a whole, in the order the journal offers them; a mark a grade was given in stays."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, case, delete, exists, insert, or_, select, union, update

import model as m
from policies.vocabulary import Resource
from resolvers import records
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.setup.reference_checks import distinct, existing, filled, names_free, school
from resolvers.write_checks import require_writes

MAX_VALUE = Decimal("99.99")


@dataclass(frozen=True)
class MarkEntry:
    mark: str
    value: Decimal | None = None


def _marks(marks: Sequence[MarkEntry]) -> list[dict[str, Any]]:
    if not marks:
        raise BadUserInput("A scale has at least one mark.", field="marks")
    rows = []
    for item, entry in enumerate(marks):
        mark = filled(entry.mark, "mark", "A mark", item=item)
        value = entry.value
        if value is not None and (not 0 <= value <= MAX_VALUE or value != round(value, 2)):
            raise BadUserInput(
                f"A mark counts as 0 to {MAX_VALUE}, with two decimals at most.",
                field="value",
                item=item,
            )
        rows.append({"mark": mark, "value": value, "position": item})
    distinct([row["mark"] for row in rows], "mark", "The mark")
    return rows


async def _add_marks(ctx: Context, scale: m.GradeScale, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    result = await ctx.db.execute(
        insert(m.GradeScaleMark)
        .values([{"grade_scale_id": scale.id, **row} for row in rows])
        .returning(m.GradeScaleMark)
    )
    added = result.scalars().all()
    await record(
        ctx, [Changed(scale.school_id, m.GradeScaleMark, r.id, None, snapshot(r)) for r in added]
    )


async def grade_scale_create(
    ctx: Context, school_id: int, name: str, marks: Sequence[MarkEntry]
) -> m.GradeScale:
    found = await school(ctx, school_id)
    name = filled(name, "name", "A scale's name")
    rows = _marks(marks)
    among = m.GradeScale.school_id == found.id
    await names_free(ctx, m.GradeScale, among, [name], "A grade scale")
    (scale,) = await records.create(
        ctx, Resource.CURRICULUM, m.GradeScale, [{"school_id": found.id, "name": name}]
    )
    await _add_marks(ctx, scale, rows)
    return scale


async def _given(ctx: Context, scale_id: int, marks: Sequence[str]) -> set[str]:
    """Which of the scale's `marks` a grade or a final grade was given in."""
    query: Any = union(
        select(m.Grade.mark).where(m.Grade.grade_scale_id == scale_id, m.Grade.mark.in_(marks)),
        select(m.FinalGrade.mark).where(
            m.FinalGrade.grade_scale_id == scale_id, m.FinalGrade.mark.in_(marks)
        ),
    )
    return {row[0] for row in await ctx.db.rows(query)}


async def _set_marks(ctx: Context, scale: m.GradeScale, rows: list[dict[str, Any]]) -> None:
    current = {
        mark.mark: mark
        for mark in await ctx.db.scalars(
            select(m.GradeScaleMark).where(m.GradeScaleMark.grade_scale_id == scale.id)
        )
    }
    wanted = {row["mark"]: row for row in rows}
    gone = [mark for text, mark in current.items() if text not in wanted]
    if gone and (given := await _given(ctx, scale.id, [mark.mark for mark in gone])):
        listed = ", ".join(f"«{mark}»" for mark in sorted(given))
        raise BadUserInput(
            f"Grades were given in {listed}: a mark in the records stays on its scale.",
            field="marks",
        )
    changed = [
        (mark, wanted[text])
        for text, mark in current.items()
        if text in wanted
        and (mark.value, mark.position) != (wanted[text]["value"], wanted[text]["position"])
    ]
    changes = [
        Changed(scale.school_id, m.GradeScaleMark, mark.id, snapshot(mark), None) for mark in gone
    ]
    if gone:
        await ctx.db.write(
            delete(m.GradeScaleMark).where(m.GradeScaleMark.id.in_([g.id for g in gone]))
        )
    if changed:
        ids = [mark.id for mark, _ in changed]
        befores = {mark.id: snapshot(mark) for mark, _ in changed}
        await ctx.db.write(
            update(m.GradeScaleMark)
            .where(m.GradeScaleMark.id.in_(ids))
            .values(
                value=case(
                    {mark.id: row["value"] for mark, row in changed}, value=m.GradeScaleMark.id
                ),
                position=case(
                    {mark.id: row["position"] for mark, row in changed}, value=m.GradeScaleMark.id
                ),
            )
        )
        for mark in await ctx.db.scalars(
            select(m.GradeScaleMark)
            .where(m.GradeScaleMark.id.in_(ids))
            .execution_options(populate_existing=True)
        ):
            changes.append(
                Changed(
                    scale.school_id, m.GradeScaleMark, mark.id, befores[mark.id], snapshot(mark)
                )
            )
    if changes:
        await record(ctx, changes)
    await _add_marks(ctx, scale, [row for text, row in wanted.items() if text not in current])


async def grade_scale_update(
    ctx: Context, scale_id: int, name: str | None, marks: Sequence[MarkEntry] | None
) -> m.GradeScale:
    scale: m.GradeScale = await existing(ctx, m.GradeScale, scale_id, "grade scale")
    if name is None and marks is None:
        raise BadUserInput("Nothing to change.", argument="input")
    if name is not None:
        name = filled(name, "name", "A scale's name")
        among = m.GradeScale.school_id == scale.school_id
        await names_free(ctx, m.GradeScale, among, [name], "A grade scale", except_id=scale.id)
        scale = await records.change(
            ctx, Resource.CURRICULUM, m.GradeScale, scale.id, {"name": name}
        )
    else:
        await require_writes(ctx, Resource.CURRICULUM, m.GradeScale, [scale.id], existing=True)
    if marks is not None:
        await _set_marks(ctx, scale, _marks(marks))
    return scale


def scale_in_use(scale_id: int) -> ColumnElement[bool]:
    """A subject is graded on it, or a grade or final grade was given on it."""
    return or_(
        exists().where(m.Subject.grade_scale_id == scale_id),
        exists().where(m.Grade.grade_scale_id == scale_id),
        exists().where(m.FinalGrade.grade_scale_id == scale_id),
    )


async def grade_scale_remove(ctx: Context, scale_id: int) -> records.Removal:
    """An unused scale goes with its marks (audited); a used one is archived and keeps them."""
    scale: m.GradeScale = await existing(ctx, m.GradeScale, scale_id, "grade scale")
    if not await ctx.db.scalar(select(scale_in_use(scale.id))):
        await require_writes(ctx, Resource.CURRICULUM, m.GradeScale, [scale.id], existing=True)
        marks = await ctx.db.scalars(
            select(m.GradeScaleMark).where(m.GradeScaleMark.grade_scale_id == scale.id)
        )
        if marks:
            await record(
                ctx,
                [
                    Changed(scale.school_id, m.GradeScaleMark, mark.id, snapshot(mark), None)
                    for mark in marks
                ],
            )
            await ctx.db.write(
                delete(m.GradeScaleMark).where(m.GradeScaleMark.grade_scale_id == scale.id)
            )
    return await records.remove(
        ctx, Resource.CURRICULUM, m.GradeScale, scale.id, in_use=scale_in_use(scale.id)
    )
