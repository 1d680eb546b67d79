"""The admin sets up the school years and their reporting periods (А #14, R-SETUP-1): quarters,
trimesters, halves and the year itself, each inside its year; no two years of a school overlap,
nor two periods of one kind in a year. PostgreSQL's exclusion constraints decide that even
against a concurrent write (lost: CONFLICT); these checks name the clash first, and are all
SQLite has (its write lock is held from the transaction's start, so nothing slips between).

A year or a period the journal refers to (classes, the timetable, КТП, final grades) is kept:
removing it is refused, since hiding it would hide what was graded in it.

Periods make the vacations (the gaps between them): a write of a year's dates or its periods
re-plans the coming two weeks' lessons in its transaction (`resolvers/setup/replanning`)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import exists, false, or_, select

import model as m
from policies.vocabulary import Resource
from resolvers import records
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.setup.reference_checks import at, existing, filled, names_free, school
from resolvers.setup.replanning import replan
from resolvers.setup.year_closing import require_open

DATES = frozenset({"starts_on", "ends_on"})  # what changes which days have lessons
NAMES = {
    m.PeriodKind.QUARTER: "{} четверть",
    m.PeriodKind.TRIMESTER: "{} триместр",
    m.PeriodKind.HALF: "{} полугодие",
    m.PeriodKind.YEAR: "Учебный год",
}


def dates(starts_on: date, ends_on: date) -> str:
    return f"{starts_on:%d.%m.%Y}–{ends_on:%d.%m.%Y}"


def _ordered(starts_on: date, ends_on: date, item: int | None = None) -> None:
    if not starts_on < ends_on:
        raise BadUserInput("It ends after it starts.", field="endsOn", **at(item))


async def _years_clear(
    ctx: Context, school_id: int, name: str, starts_on: date, ends_on: date, except_id: int | None
) -> None:
    query = select(m.SchoolYear).where(
        m.SchoolYear.school_id == school_id,
        m.SchoolYear.starts_on <= ends_on,
        m.SchoolYear.ends_on >= starts_on,
    )
    if except_id is not None:
        query = query.where(m.SchoolYear.id != except_id)
    clash = await ctx.db.scalar(query.order_by(m.SchoolYear.starts_on).limit(1))
    if clash is not None:
        raise BadUserInput(
            f"«{name}» overlaps «{clash.name}» ({dates(clash.starts_on, clash.ends_on)}).",
            field="startsOn",
        )


async def school_year_create(
    ctx: Context, school_id: int, name: str, starts_on: date, ends_on: date
) -> m.SchoolYear:
    found = await school(ctx, school_id)
    name = filled(name, "name", "A school year's name")
    _ordered(starts_on, ends_on)
    await names_free(ctx, m.SchoolYear, m.SchoolYear.school_id == found.id, [name], "A school year")
    await _years_clear(ctx, found.id, name, starts_on, ends_on, None)
    row = {"school_id": found.id, "name": name, "starts_on": starts_on, "ends_on": ends_on}
    (year,) = await records.create(ctx, Resource.CALENDAR, m.SchoolYear, [row])
    return year


async def school_year_update(
    ctx: Context, year_id: int, values: dict[str, Any], *, confirm: bool = False
) -> m.SchoolYear:
    year: m.SchoolYear = await existing(ctx, m.SchoolYear, year_id, "school year")
    require_open(year, field="id")
    if not values:
        raise BadUserInput("Nothing to change.", argument="input")
    if "name" in values:
        values["name"] = filled(values["name"], "name", "A school year's name")
        among = m.SchoolYear.school_id == year.school_id
        await names_free(
            ctx, m.SchoolYear, among, [values["name"]], "A school year", except_id=year.id
        )
    name = values.get("name", year.name)
    starts_on = values.get("starts_on", year.starts_on)
    ends_on = values.get("ends_on", year.ends_on)
    _ordered(starts_on, ends_on)
    await _years_clear(ctx, year.school_id, name, starts_on, ends_on, year.id)
    outside = await ctx.db.scalar(
        select(m.Period)
        .where(
            m.Period.school_year_id == year.id,
            or_(m.Period.starts_on < starts_on, m.Period.ends_on > ends_on),
        )
        .order_by(m.Period.starts_on)
        .limit(1)
    )
    if outside is not None:
        raise BadUserInput(
            f"«{outside.name}» ({dates(outside.starts_on, outside.ends_on)}) would fall outside "
            f"the year ({dates(starts_on, ends_on)}): change it first.",
            field="startsOn" if outside.starts_on < starts_on else "endsOn",
        )
    changed = await records.change(ctx, Resource.CALENDAR, m.SchoolYear, year.id, values)
    if DATES & values.keys():
        await replan(ctx, year.school_id, confirm=confirm)
    return changed


async def school_year_remove(ctx: Context, year_id: int) -> records.Removal:
    year: m.SchoolYear = await existing(ctx, m.SchoolYear, year_id, "school year")
    require_open(year, field="id")
    holders = {
        "classes": exists().where(m.SchoolClass.school_year_id == year.id),
        "a timetable": exists().where(m.TimetableEntry.school_year_id == year.id),
        "calendar-thematic plans (КТП)": exists().where(m.Plan.school_year_id == year.id),
        "reporting periods": exists().where(m.Period.school_year_id == year.id),
    }
    held = await ctx.db.rows(
        select(*(holder.label(f"h{i}") for i, holder in enumerate(holders.values())))
    )
    found = [what for what, flag in zip(holders, held[0], strict=True) if flag]
    if found:
        raise BadUserInput(
            f"«{year.name}» has {', '.join(found)}: a school year in use stays (remove its "
            "reporting periods first if it has nothing else).",
            field="id",
        )
    return await records.remove(ctx, Resource.CALENDAR, m.SchoolYear, year.id, in_use=false())


@dataclass(frozen=True)
class PeriodEntry:
    kind: m.PeriodKind
    number: int
    starts_on: date
    ends_on: date
    name: str | None = None


def _named(entry: PeriodEntry, item: int | None) -> dict[str, Any]:
    name = NAMES[entry.kind].format(entry.number) if entry.name is None else entry.name
    return {
        "kind": entry.kind,
        "number": entry.number,
        "name": filled(name, "name", "A period's name", item=item),
        "starts_on": entry.starts_on,
        "ends_on": entry.ends_on,
    }


def _check_periods(
    year: m.SchoolYear, new: Sequence[dict[str, Any]], others: Sequence[Any], single: bool
) -> None:
    """Each new period inside the year, numbered 1 and on (the year: 1), its number free and
    its dates clear of its kind's other periods, those already there and those before it."""
    seen: list[Any] = list(others)
    for index, period in enumerate(new):
        item = None if single else index
        _ordered(period["starts_on"], period["ends_on"], item)
        if not (
            period["number"] >= 1
            and (period["kind"] is not m.PeriodKind.YEAR or period["number"] == 1)
        ):
            raise BadUserInput(
                "Periods are numbered from 1 in their year; the year itself is 1.",
                field="number",
                **at(item),
            )
        if period["starts_on"] < year.starts_on or period["ends_on"] > year.ends_on:
            raise BadUserInput(
                f"«{period['name']}» ({dates(period['starts_on'], period['ends_on'])}) is not "
                f"inside the school year «{year.name}» ({dates(year.starts_on, year.ends_on)}).",
                field="startsOn" if period["starts_on"] < year.starts_on else "endsOn",
                **at(item),
            )
        for other in seen:
            if _get(other, "kind") != period["kind"]:
                continue
            if _get(other, "number") == period["number"]:
                raise BadUserInput(
                    f"«{_get(other, 'name')}» is number {period['number']} already.",
                    field="number",
                    **at(item),
                )
            if (
                _get(other, "starts_on") <= period["ends_on"]
                and _get(other, "ends_on") >= period["starts_on"]
            ):
                raise BadUserInput(
                    f"«{period['name']}» overlaps «{_get(other, 'name')}» "
                    f"({dates(_get(other, 'starts_on'), _get(other, 'ends_on'))}).",
                    field="startsOn",
                    **at(item),
                )
        seen.append(period)


def _get(row: Any, key: str) -> Any:
    return row[key] if isinstance(row, dict) else getattr(row, key)


async def periods_create(
    ctx: Context, year_id: int, entries: Sequence[PeriodEntry], *, confirm: bool = False
) -> list[m.Period]:
    """A year's periods in one call: all of them written, or none."""
    year: m.SchoolYear = await existing(ctx, m.SchoolYear, year_id, "school year")
    if not entries:
        raise BadUserInput("List at least one period.", field="periods")
    new = [_named(entry, item) for item, entry in enumerate(entries)]
    others = await ctx.db.scalars(select(m.Period).where(m.Period.school_year_id == year.id))
    _check_periods(year, new, others, single=False)
    rows = [{"school_id": year.school_id, "school_year_id": year.id, **period} for period in new]
    created = await records.create(ctx, Resource.CALENDAR, m.Period, rows)
    await replan(ctx, year.school_id, confirm=confirm)
    return created


async def period_update(
    ctx: Context, period_id: int, values: dict[str, Any], *, confirm: bool = False
) -> m.Period:
    period: m.Period = await existing(ctx, m.Period, period_id, "period")
    if not values:
        raise BadUserInput("Nothing to change.", argument="input")
    year: m.SchoolYear = await existing(ctx, m.SchoolYear, period.school_year_id, "school year")
    merged = {
        "kind": period.kind,
        "number": values.get("number", period.number),
        "name": filled(values.get("name", period.name), "name", "A period's name"),
        "starts_on": values.get("starts_on", period.starts_on),
        "ends_on": values.get("ends_on", period.ends_on),
    }
    others = await ctx.db.scalars(
        select(m.Period).where(m.Period.school_year_id == year.id, m.Period.id != period.id)
    )
    _check_periods(year, [merged], others, single=True)
    changed = {key: merged[key] for key in values}
    saved = await records.change(ctx, Resource.CALENDAR, m.Period, period.id, changed)
    if DATES & changed.keys():
        await replan(ctx, period.school_id, confirm=confirm)
    return saved


async def period_remove(ctx: Context, period_id: int, *, confirm: bool = False) -> records.Removal:
    period: m.Period = await existing(ctx, m.Period, period_id, "period")
    graded = or_(
        exists().where(m.FinalGrade.period_id == period.id),
        exists().where(m.PeriodReopening.period_id == period.id),
    )
    if await ctx.db.scalar(select(graded)):
        raise BadUserInput(
            f"Final grades were given for «{period.name}»: a graded period stays (correct its "
            "dates instead).",
            field="id",
        )
    removal = await records.remove(ctx, Resource.CALENDAR, m.Period, period.id, in_use=false())
    await replan(ctx, period.school_id, confirm=confirm)
    return removal
