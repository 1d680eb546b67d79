"""Writing the КТП (calendar-thematic plan): a teacher for what they teach (Д.1 #3), the admin
for every subject (А #18). A plan is created with its topics in teaching order, corrected
(its name, and its topics replaced as a whole list: kept ones corrected and moved, new ones
added, left-out ones removed), and removed: archived when lessons took up its topics, else
deleted. Each write is one transaction, in a fixed number of statements however many topics,
and audited topic by topic."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, cast, delete, exists, func, select, update

import model as m
from policies.vocabulary import Resource
from resolvers import records
from resolvers.audit import Changed, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.write_checks import require_writes

MAX_HOURS = 100  # a topic's lessons: a whole year of one subject is ~170
REFUSED = "You may write the КТП only of what you teach."


@dataclass(frozen=True)
class ItemEntry:
    topic: str
    hours: int = 1
    work_type_id: int | None = None
    id: int | None = None  # an item of the plan, kept; None: a new one


@dataclass(frozen=True)
class PlanEntry:
    school_year_id: int
    subject_id: int
    parallel: int
    name: str
    items: Sequence[ItemEntry]


def check_items(items: Sequence[ItemEntry], *, field: str = "items") -> None:
    """Each topic named, with 1 to MAX_HOURS lessons; `item` is its index in the list."""
    seen: set[int] = set()
    for index, item in enumerate(items):
        if not item.topic.strip():
            raise BadUserInput("A topic needs its name (тема).", field="topic", item=index)
        if not 1 <= item.hours <= MAX_HOURS:
            raise BadUserInput(
                f"A topic takes 1 to {MAX_HOURS} lessons, not {item.hours}.",
                field="hours",
                item=index,
            )
        if item.id is not None:
            if item.id in seen:
                raise BadUserInput("The topic is listed twice.", field="id", item=index)
            seen.add(item.id)
    del field


async def _school_of(ctx: Context, entry: PlanEntry) -> int:
    """The school of the year and the subject, which must be one; both usable."""
    await records.require_usable(
        ctx, m.SchoolYear, [entry.school_year_id], field="schoolYearId", what="school year"
    )
    await records.require_usable(
        ctx, m.Subject, [entry.subject_id], field="subjectId", what="subject"
    )
    year = select(m.SchoolYear.school_id).where(m.SchoolYear.id == entry.school_year_id)
    subject = select(m.Subject.school_id).where(m.Subject.id == entry.subject_id)
    [(year_school, subject_school)] = await ctx.db.rows(
        select(year.scalar_subquery(), subject.scalar_subquery())
    )
    if year_school != subject_school:
        raise BadUserInput("The subject is another school's.", field="subjectId")
    return int(year_school)


async def _check_work_types(ctx: Context, items: Sequence[ItemEntry], school_id: int) -> None:
    ids = [item.work_type_id for item in items]
    await records.require_usable(ctx, m.WorkType, ids, field="workTypeId", what="kind of work")
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return
    elsewhere = set(
        await ctx.db.scalars(
            select(m.WorkType.id).where(
                m.WorkType.id.in_(wanted), m.WorkType.school_id != school_id
            )
        )
    )
    for index, work_type in enumerate(ids):
        if work_type in elsewhere:
            raise BadUserInput(
                "The kind of work is another school's.", field="workTypeId", item=index
            )


def _item_rows(plan: m.Plan, items: Sequence[ItemEntry], first: int = 1) -> list[dict[str, Any]]:
    return [
        {
            "school_id": plan.school_id,
            "plan_id": plan.id,
            "position": first + index,
            "topic": item.topic.strip(),
            "hours": item.hours,
            "work_type_id": item.work_type_id,
        }
        for index, item in enumerate(items)
    ]


async def plan_create(ctx: Context, entry: PlanEntry) -> m.Plan:
    if not 1 <= entry.parallel <= 11:
        raise BadUserInput("A parallel is 1 to 11.", field="parallel")
    if not entry.name.strip():
        raise BadUserInput("The plan needs a name.", field="name")
    check_items(entry.items)
    school_id = await _school_of(ctx, entry)
    await _check_work_types(ctx, entry.items, school_id)
    row = {
        "school_id": school_id,
        "school_year_id": entry.school_year_id,
        "subject_id": entry.subject_id,
        "parallel": entry.parallel,
        "author_id": ctx.require_principal().person_id,
        "name": entry.name.strip(),
    }
    [plan] = await records.create(ctx, Resource.PLAN, m.Plan, [row], message=REFUSED)
    await records.create(
        ctx, Resource.PLAN, m.PlanItem, _item_rows(plan, entry.items), message=REFUSED
    )
    return plan


async def plan_update(
    ctx: Context, plan_id: int, name: str | None, items: Sequence[ItemEntry] | None
) -> m.Plan:
    """The name changed, and when `items` is given the topics replaced by it, in its order."""
    if name is not None and not name.strip():
        raise BadUserInput("The plan needs a name.", field="name")
    if name is not None:
        plan = await records.change(
            ctx, Resource.PLAN, m.Plan, plan_id, {"name": name.strip()}, what="The КТП",
            message=REFUSED,
        )  # fmt: skip
    else:
        plan = await _writable_plan(ctx, plan_id)
    if items is not None:
        check_items(items)
        await _check_work_types(ctx, items, plan.school_id)
        await _replace_items(ctx, plan, items)
    return plan


async def _writable_plan(ctx: Context, plan_id: int) -> m.Plan:
    plan = await ctx.db.scalar(
        select(m.Plan).where(m.Plan.id == plan_id, ctx.loaders.readable(m.Plan))
    )
    if plan is None:
        raise NotFound("The КТП is not there, or it is not visible to you.")
    await require_writes(ctx, Resource.PLAN, m.Plan, [plan.id], existing=True, message=REFUSED)
    return plan


async def _replace_items(ctx: Context, plan: m.Plan, items: Sequence[ItemEntry]) -> None:
    before = {
        item.id: item
        for item in await ctx.db.scalars(select(m.PlanItem).where(m.PlanItem.plan_id == plan.id))
    }
    for index, item in enumerate(items):
        if item.id is not None and item.id not in before:
            raise BadUserInput("The topic is not one of this КТП's.", field="id", item=index)
    kept = {item.id for item in items if item.id is not None}
    dropped = [item_id for item_id in before if item_id not in kept]
    await _refuse_dropping_taught(ctx, [before[i] for i in dropped])
    snapshots = {item_id: snapshot(row) for item_id, row in before.items()}
    changes: list[Changed] = []
    if dropped:
        await ctx.db.write(delete(m.PlanItem).where(m.PlanItem.id.in_(dropped)))
        changes += [Changed(plan.school_id, m.PlanItem, i, snapshots[i], None) for i in dropped]
    positions = {item.id: index + 1 for index, item in enumerate(items) if item.id is not None}
    if positions:
        # Every kept topic moves out of the way first: positions are unique within the plan.
        await ctx.db.write(
            update(m.PlanItem)
            .where(m.PlanItem.id.in_(positions))
            .values(position=-m.PlanItem.position)
        )
        wanted = {item.id: item for item in items if item.id is not None}
        by_id = m.PlanItem.id
        await ctx.db.write(
            update(m.PlanItem)
            .where(by_id.in_(positions))
            .values(
                position=case(positions, value=by_id),
                topic=case({i: e.topic.strip() for i, e in wanted.items()}, value=by_id),
                hours=case({i: e.hours for i, e in wanted.items()}, value=by_id),
                work_type_id=cast(
                    case({i: e.work_type_id for i, e in wanted.items()}, value=by_id),
                    m.PlanItem.__table__.c.work_type_id.type,
                ),
            )
        )
        after = {
            row.id: snapshot(row)
            for row in await ctx.db.scalars(
                select(m.PlanItem)
                .where(m.PlanItem.id.in_(positions))
                .execution_options(populate_existing=True)
            )
        }
        changes += [
            Changed(plan.school_id, m.PlanItem, i, snapshots[i], after[i])
            for i in positions
            if snapshots[i] != after[i]
        ]
    await record(ctx, changes)
    new = [(index, item) for index, item in enumerate(items) if item.id is None]
    if new:
        rows = _item_rows(plan, [item for _, item in new])
        for row, (index, _) in zip(rows, new, strict=True):
            row["position"] = index + 1
        await records.create(ctx, Resource.PLAN, m.PlanItem, rows, message=REFUSED)


async def _refuse_dropping_taught(ctx: Context, dropped: Sequence[m.PlanItem]) -> None:
    """A topic lessons took up stays: the journal refers to it."""
    if not dropped:
        return
    used = await ctx.db.rows(
        select(m.Lesson.plan_item_id, func.count())
        .where(m.Lesson.plan_item_id.in_([item.id for item in dropped]))
        .group_by(m.Lesson.plan_item_id)
    )
    if used:
        counts: dict[int | None, int] = {row[0]: row[1] for row in used}
        first = next(item for item in dropped if item.id in counts)
        raise BadUserInput(
            f"«{first.topic}» was taken up by {counts[first.id]} lesson(s): keep it in the КТП.",
            field="items",
            topics=[item.topic for item in dropped if item.id in counts],
        )


async def plan_remove(ctx: Context, plan_id: int) -> records.Removal:
    """Archived when lessons took up its topics, else deleted with its topics."""
    plan = await _writable_plan(ctx, plan_id)
    taken_up = exists().where(
        m.Lesson.plan_item_id.in_(select(m.PlanItem.id).where(m.PlanItem.plan_id == plan.id))
    )
    if not await ctx.db.scalar(select(taken_up)):
        items = list(await ctx.db.scalars(select(m.PlanItem).where(m.PlanItem.plan_id == plan.id)))
        if items:
            await ctx.db.write(delete(m.PlanItem).where(m.PlanItem.plan_id == plan.id))
            await record(
                ctx,
                [Changed(plan.school_id, m.PlanItem, i.id, snapshot(i), None) for i in items],
            )
    return await records.remove(
        ctx, Resource.PLAN, m.Plan, plan.id, in_use=taken_up, what="The КТП", message=REFUSED
    )
