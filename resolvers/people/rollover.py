"""The school-year rollover (перевод в следующий учебный год, А #20, R-PEOPLE-1, R-YEAR-1): every
class of the year ending is promoted into the next year's class of the next parallel and the
same letter (5А → 6А), made if the new year has none by that name; the 11th grade, and any
class or student the admin says, leave (graduates); repeaters stay in their parallel; newcomers
are placed in the classes named. Subject links (предмет-класс) and subgroups go over where the
admin asks, per class.

A preview first (`commit=False`: nothing is written, and the answer is what the commit would
do), then the same call committed: all or nothing, in one transaction, every row made audited.
Students are enrolled from the new year's first day; their placements in the year ending are
left as they are: a placement without an end lasts to its year's last day, and the closed
year's history stays untouched. The statements are the same few for any school size: a
1,000-student school is one request (tests/test_rollover.py counts them).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

import model as m
from policies.vocabulary import Resource
from resolvers import records
from resolvers.audit import Changed, differences, record, snapshot
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict
from resolvers.people.names import class_name, short_name
from resolvers.people.placements import EXCLUSION_VIOLATION
from resolvers.people.promotion import at_year_end
from resolvers.setup.class_writes import MAX_LETTER, WHOLE_CLASS
from resolvers.setup.year_closing import require_rollover, year_of
from resolvers.write_checks import require_writes

LAST_PARALLEL = 11
ROLLOVER_WORDS = "Only the school's admin rolls a school year over; its head previews it."
MAX_STUDENTS = 5000  # a school of 5,000 in one request; larger ones have never been seen


@dataclass(frozen=True)
class ClassPlan:
    """What the admin asks for one class of the year ending."""

    class_id: int
    leaves: bool = False  # the whole class leaves the school (a 9th grade that does not go on)
    carry_subjects: bool = False
    carry_groups: bool = False


@dataclass(frozen=True)
class Newcomer:
    student_id: int
    parallel: int
    letter: str


@dataclass(frozen=True)
class RolloverPlan:
    classes: Sequence[ClassPlan] = ()
    repeaters: Sequence[int] = ()
    graduates: Sequence[int] = ()
    newcomers: Sequence[Newcomer] = ()


@dataclass
class RolledClass:
    """A class of the new year and who comes into it."""

    parallel: int
    letter: str
    school_class: m.SchoolClass | None  # None: the preview of a class the commit makes
    created: bool
    from_class: m.SchoolClass | None = None
    promoted: list[m.Person] = field(default_factory=list)
    repeaters: list[m.Person] = field(default_factory=list)
    newcomers: list[m.Person] = field(default_factory=list)
    subjects_carried: int = 0
    groups_carried: int = 0

    @property
    def name(self) -> str:
        return f"{self.parallel}{self.letter}"


@dataclass
class Rollover:
    from_year: m.SchoolYear
    to_year: m.SchoolYear
    committed: bool
    classes: list[RolledClass]
    graduates: list[m.Person]
    warnings: list[str]


@dataclass
class _Facts:
    from_year: m.SchoolYear
    to_year: m.SchoolYear
    old_classes: dict[int, m.SchoolClass]
    new_classes: dict[tuple[int, str], m.SchoolClass]
    members: dict[int, list[int]]  # old class → its students at the year's end, by name
    people: dict[int, m.Person]


async def _years(ctx: Context, from_id: int, to_id: int) -> tuple[m.SchoolYear, m.SchoolYear]:
    old = await year_of(ctx, from_id, "fromYearId")
    new = await year_of(ctx, to_id, "toYearId")
    if new.school_id != old.school_id:
        raise BadUserInput("The two school years are of different schools.", argument="toYearId")
    if new.starts_on <= old.ends_on:
        raise BadUserInput(
            f"«{new.name}» does not start after «{old.name}» ends: a year is rolled over into "
            "a later one.",
            argument="toYearId",
        )
    return old, new


async def _facts(ctx: Context, old: m.SchoolYear, new: m.SchoolYear, plan: RolloverPlan) -> _Facts:
    classes = list(
        await ctx.db.scalars(
            select(m.SchoolClass)
            .where(m.SchoolClass.school_year_id.in_([old.id, new.id]))
            .order_by(m.SchoolClass.parallel, m.SchoolClass.letter)
        )
    )
    old_classes = {c.id: c for c in classes if c.school_year_id == old.id and c.archived_at is None}
    new_classes = {
        (c.parallel, c.letter): c
        for c in classes
        if c.school_year_id == new.id and c.archived_at is None
    }
    if not old_classes:
        raise BadUserInput(f"«{old.name}» has no classes to roll over.", argument="fromYearId")
    at_end = at_year_end(old.ends_on)
    members: dict[int, list[int]] = {}
    people: dict[int, m.Person] = {}
    for placement, person in await ctx.db.rows(
        select(m.ClassStudent, m.Person)
        .join(m.Person, m.Person.id == m.ClassStudent.student_id)
        .where(m.ClassStudent.school_class_id.in_(list(old_classes)), at_end)
        .order_by(m.Person.last_name, m.Person.first_name, m.Person.id)
    ):
        members.setdefault(placement.school_class_id, []).append(person.id)
        people[person.id] = person
    newcomer_ids = [n.student_id for n in plan.newcomers if n.student_id not in people]
    if newcomer_ids:
        students = select(m.SchoolRole.person_id).where(
            m.SchoolRole.school_id == old.school_id, m.SchoolRole.role == m.Role.STUDENT.value
        )
        for person in await ctx.db.scalars(
            select(m.Person).where(m.Person.id.in_(newcomer_ids), m.Person.id.in_(students))
        ):
            people[person.id] = person
    return _Facts(old, new, old_classes, new_classes, members, people)


def _check_plan(facts: _Facts, plan: RolloverPlan) -> dict[int, ClassPlan]:
    plans: dict[int, ClassPlan] = {}
    for item, class_plan in enumerate(plan.classes):
        if class_plan.class_id not in facts.old_classes:
            raise BadUserInput(
                f"Not a class of «{facts.from_year.name}».", field="classId", item=item
            )
        if class_plan.class_id in plans:
            raise BadUserInput("The class is listed twice.", field="classId", item=item)
        plans[class_plan.class_id] = class_plan
    in_a_class = {s for students in facts.members.values() for s in students}
    for argument, ids in (("repeaters", plan.repeaters), ("graduates", plan.graduates)):
        seen: set[int] = set()
        for item, student_id in enumerate(ids):
            if student_id in seen:
                raise BadUserInput("The student is listed twice.", argument=argument, item=item)
            seen.add(student_id)
            if student_id not in in_a_class:
                raise BadUserInput(
                    f"Not a student of a class of «{facts.from_year.name}» at its end.",
                    argument=argument,
                    item=item,
                )
    both = set(plan.repeaters) & set(plan.graduates)
    if both:
        item = next(i for i, s in enumerate(plan.graduates) if s in both)
        raise BadUserInput(
            f"{short_name(facts.people[plan.graduates[item]])} is listed both as repeating "
            "the year and as leaving.",
            argument="graduates",
            item=item,
        )
    seen = set()
    for item, newcomer in enumerate(plan.newcomers):
        where: dict[str, Any] = {"argument": "newcomers", "item": item}
        if newcomer.student_id in seen:
            raise BadUserInput("The student is listed twice.", field="studentId", **where)
        seen.add(newcomer.student_id)
        if newcomer.student_id in in_a_class:
            raise BadUserInput(
                f"{short_name(facts.people[newcomer.student_id])} is in a class of "
                f"«{facts.from_year.name}»: they are promoted, not placed anew.",
                field="studentId",
                **where,
            )
        if newcomer.student_id not in facts.people:
            raise BadUserInput(
                "Not a student of this school (a `Person` holding its student role).",
                field="studentId",
                **where,
            )
        if not 1 <= newcomer.parallel <= LAST_PARALLEL:
            raise BadUserInput("A parallel is a year of study, 1 to 11.", field="parallel", **where)
        if not newcomer.letter.strip():
            raise BadUserInput("Name the class's letter, e.g. «А».", field="letter", **where)
        if len(newcomer.letter.strip()) > MAX_LETTER:
            raise BadUserInput(
                f"A class's letter has at most {MAX_LETTER} characters, e.g. «А».",
                field="letter",
                **where,
            )
    return plans


def _rolled(
    facts: _Facts, parallel: int, letter: str, out: dict[tuple[int, str], RolledClass]
) -> RolledClass:
    key = (parallel, letter)
    if key not in out:
        existing = facts.new_classes.get(key)
        out[key] = RolledClass(parallel, letter, existing, created=existing is None)
    return out[key]


def _distribute(
    facts: _Facts, plan: RolloverPlan, plans: dict[int, ClassPlan]
) -> tuple[dict[tuple[int, str], RolledClass], list[m.Person]]:
    repeaters, graduates = set(plan.repeaters), set(plan.graduates)
    out: dict[tuple[int, str], RolledClass] = {}
    leaving: list[m.Person] = []
    for old in facts.old_classes.values():
        class_plan = plans.get(old.id, ClassPlan(old.id))
        students = facts.members.get(old.id, [])
        for student_id in students:
            person = facts.people[student_id]
            if student_id in repeaters:
                _rolled(facts, old.parallel, old.letter, out).repeaters.append(person)
            elif student_id in graduates or class_plan.leaves or old.parallel == LAST_PARALLEL:
                leaving.append(person)
        if class_plan.leaves or old.parallel == LAST_PARALLEL:
            continue
        promoted = [s for s in students if s not in repeaters and s not in graduates]
        target = _rolled(facts, old.parallel + 1, old.letter, out)
        if target.from_class is None:
            target.from_class = old
        target.promoted += [facts.people[s] for s in promoted]
    for newcomer in plan.newcomers:
        letter = newcomer.letter.strip().upper()
        target = _rolled(facts, newcomer.parallel, letter, out)
        target.newcomers.append(facts.people[newcomer.student_id])
    return out, leaving


async def _already_placed(ctx: Context, facts: _Facts, rolled: list[RolledClass]) -> None:
    coming = [p.id for c in rolled for p in (*c.promoted, *c.repeaters, *c.newcomers)]
    found = (
        await ctx.db.rows(
            select(m.ClassStudent.student_id, m.SchoolClass)
            .join(m.SchoolClass, m.SchoolClass.id == m.ClassStudent.school_class_id)
            .where(
                m.ClassStudent.school_year_id == facts.to_year.id,
                m.ClassStudent.student_id.in_(coming),
            )
            .limit(1)
        )
    ) or None
    if found is not None:
        student_id, school_class = found[0]
        raise BadUserInput(
            f"{short_name(facts.people[student_id])} is in {class_name(school_class)} of "
            f"«{facts.to_year.name}» already: the year was rolled over, or they were placed "
            "by hand (take them out of the plan, or out of that class).",
            argument="toYearId",
        )


async def _carried(
    ctx: Context, facts: _Facts, rolled: list[RolledClass], plans: dict[int, ClassPlan]
) -> tuple[list[tuple[RolledClass, m.SubjectClass]], list[tuple[RolledClass, m.Group, list[int]]]]:
    """The subject links and subgroups of the old classes that go over, as asked."""
    subjects_of = {c.from_class.id: c for c in rolled if c.from_class is not None
                   and plans.get(c.from_class.id, ClassPlan(0)).carry_subjects}  # fmt: skip
    groups_of = {c.from_class.id: c for c in rolled if c.from_class is not None
                 and plans.get(c.from_class.id, ClassPlan(0)).carry_groups}  # fmt: skip
    links: list[tuple[RolledClass, m.SubjectClass]] = []
    if subjects_of:
        have: set[tuple[int, int]] = set()
        new_ids = [c.school_class.id for c in subjects_of.values() if c.school_class is not None]
        if new_ids:
            have = {
                (row[0], row[1])
                for row in await ctx.db.rows(
                    select(m.SubjectClass.school_class_id, m.SubjectClass.subject_id).where(
                        m.SubjectClass.school_class_id.in_(new_ids)
                    )
                )
            }
        for link in await ctx.db.scalars(
            select(m.SubjectClass)
            .where(m.SubjectClass.school_class_id.in_(list(subjects_of)))
            .order_by(m.SubjectClass.id)
        ):
            target = subjects_of[link.school_class_id]
            if target.school_class is None or (target.school_class.id, link.subject_id) not in have:
                links.append((target, link))
                target.subjects_carried += 1
    groups: list[tuple[RolledClass, m.Group, list[int]]] = []
    if groups_of:
        named = {
            (group.school_class_id, group.name)
            for group in await ctx.db.scalars(
                select(m.Group).where(
                    m.Group.school_class_id.in_(
                        [c.school_class.id for c in groups_of.values() if c.school_class]
                    )
                )
            )
        }
        old_groups = list(
            await ctx.db.scalars(
                select(m.Group)
                .where(
                    m.Group.school_class_id.in_(list(groups_of)),
                    m.Group.kind == m.GroupKind.SUBGROUP,
                    m.Group.archived_at.is_(None),
                )
                .order_by(m.Group.id)
            )
        )
        members: dict[int, list[int]] = {}
        for group_id, student_id in await ctx.db.rows(
            select(m.GroupStudent.group_id, m.GroupStudent.student_id)
            .where(m.GroupStudent.group_id.in_([g.id for g in old_groups]))
            .order_by(m.GroupStudent.id)
        ):
            members.setdefault(group_id, []).append(student_id)
        for group in old_groups:
            target = groups_of[group.school_class_id]
            if target.school_class is not None and (target.school_class.id, group.name) in named:
                continue
            moving = {p.id for p in target.promoted}
            groups.append((target, group, [s for s in members.get(group.id, []) if s in moving]))
            target.groups_carried += 1
    return links, groups


async def _warnings(ctx: Context, facts: _Facts) -> list[str]:
    """Students of the year ending without a year grade in a subject of their class's
    curriculum (the year's final grades are set before it closes, Д.2)."""
    year_periods = select(m.Period.id).where(
        m.Period.school_year_id == facts.from_year.id, m.Period.kind == m.PeriodKind.YEAR
    )
    at_end = at_year_end(facts.from_year.ends_on)
    graded = exists().where(
        m.FinalGrade.student_id == m.ClassStudent.student_id,
        m.FinalGrade.subject_id == m.SubjectClass.subject_id,
        m.FinalGrade.period_id.in_(year_periods),
    )
    missing = await ctx.db.rows(
        select(m.ClassStudent.school_class_id, func.count())
        .join(m.SubjectClass, m.SubjectClass.school_class_id == m.ClassStudent.school_class_id)
        .where(m.ClassStudent.school_class_id.in_(list(facts.old_classes)), at_end, ~graded)
        .group_by(m.ClassStudent.school_class_id)
    )
    return [
        f"{class_name(facts.old_classes[class_id])}: {count} year grades are not set "
        "(a student and a subject of the class's curriculum each)."
        for class_id, count in sorted(
            missing, key=lambda row: class_name(facts.old_classes[row[0]])
        )
    ]


async def school_year_rollover(
    ctx: Context, from_year_id: int, to_year_id: int, plan: RolloverPlan, *, commit: bool
) -> Rollover:
    old, new = await _years(ctx, from_year_id, to_year_id)
    require_rollover(ctx, old.school_id, commit=commit, words=ROLLOVER_WORDS)
    if new.closed_at is not None:
        raise BadUserInput(f"«{new.name}» is closed: it takes no new classes.", argument="toYearId")
    facts = await _facts(ctx, old, new, plan)
    if sum(len(s) for s in facts.members.values()) + len(plan.newcomers) > MAX_STUDENTS:
        raise BadUserInput(f"At most {MAX_STUDENTS} students in one rollover.", argument="plan")
    plans = _check_plan(facts, plan)
    by_key, leaving = _distribute(facts, plan, plans)
    rolled = [by_key[key] for key in sorted(by_key)]
    await _already_placed(ctx, facts, rolled)
    links, groups = await _carried(ctx, facts, rolled, plans)
    warnings = await _warnings(ctx, facts)
    if old.closed_at is None:
        warnings.append(f"«{old.name}» is not closed yet: close it once its journal is complete.")
    if commit:
        await _commit(ctx, facts, rolled, links, groups)
        await _leave(ctx, facts, leaving)
    return Rollover(old, new, commit, rolled, leaving, warnings)


async def _commit(
    ctx: Context,
    facts: _Facts,
    rolled: list[RolledClass],
    links: list[tuple[RolledClass, m.SubjectClass]],
    groups: list[tuple[RolledClass, m.Group, list[int]]],
) -> None:
    school_id, year = facts.to_year.school_id, facts.to_year
    making = [c for c in rolled if c.school_class is None]
    rows = []
    for c in making:
        old = c.from_class
        rows.append({
            "school_id": school_id, "school_year_id": year.id, "parallel": c.parallel,
            "letter": c.letter,
            "class_teacher_id": old.class_teacher_id if old else None,
            "room_id": old.room_id if old else None,
            "bell_schedule_id": old.bell_schedule_id if old else None,
            "period_kind": old.period_kind if old else m.PeriodKind.QUARTER,
        })  # fmt: skip
    made = await records.create(
        ctx, Resource.SCHOOL_CLASS, m.SchoolClass, rows, message=ROLLOVER_WORDS
    )
    for c, school_class in zip(making, made, strict=True):
        c.school_class = school_class
    wholes = [{"school_id": school_id, "school_class_id": s.id, "kind": m.GroupKind.WHOLE_CLASS,
               "name": WHOLE_CLASS} for s in made]  # fmt: skip
    await records.create(ctx, Resource.GROUP, m.Group, wholes, message=ROLLOVER_WORDS)
    targets = [c.school_class.id for c in rolled if c.school_class is not None]
    await require_writes(
        ctx, Resource.SCHOOL_CLASS, m.SchoolClass, targets, existing=True, message=ROLLOVER_WORDS
    )
    await _enrol(ctx, facts, rolled)
    link_rows = [{"school_id": school_id, "subject_id": link.subject_id,
                  "school_class_id": c.school_class.id, "hours_per_week": link.hours_per_week}
                 for c, link in links if c.school_class is not None]  # fmt: skip
    await records.create(
        ctx, Resource.CURRICULUM, m.SubjectClass, link_rows, message=ROLLOVER_WORDS
    )
    group_rows = [{"school_id": school_id, "school_class_id": c.school_class.id,
                   "kind": m.GroupKind.SUBGROUP, "name": group.name, "subject_id": group.subject_id}
                  for c, group, _ in groups if c.school_class is not None]  # fmt: skip
    new_groups = await records.create(
        ctx, Resource.GROUP, m.Group, group_rows, message=ROLLOVER_WORDS
    )
    member_rows = [{"group_id": new.id, "student_id": s}
                   for new, (_, _, students) in zip(new_groups, groups, strict=True)
                   for s in students]  # fmt: skip
    if member_rows:
        written = list(
            (
                await ctx.db.execute(insert(m.GroupStudent).returning(m.GroupStudent), member_rows)
            ).scalars()
        )
        await record(
            ctx, [Changed(school_id, m.GroupStudent, r.id, None, snapshot(r)) for r in written]
        )


async def _leave(ctx: Context, facts: _Facts, leaving: list[m.Person]) -> None:
    """The graduates' and leavers' placements end on the year's last day, said outright (an open
    end would run to it anyway): from the day after, they hold the school's student role no
    longer (`accounts.departures`), nor their parents theirs. In one statement, audited."""
    old = facts.from_year
    ids = [person.id for person in leaving]
    if not ids:
        return
    open_ended = list(
        await ctx.db.scalars(
            select(m.ClassStudent).where(
                m.ClassStudent.school_year_id == old.id,
                m.ClassStudent.student_id.in_(ids),
                m.ClassStudent.ends_on.is_(None),
            )
        )
    )
    before = {row.id: snapshot(row) for row in open_ended}
    await ctx.db.execute(
        update(m.ClassStudent)
        .where(m.ClassStudent.id.in_(list(before)))
        .values(ends_on=old.ends_on)
    )
    after = {id_: {**state, "ends_on": old.ends_on.isoformat()} for id_, state in before.items()}
    await record(ctx, differences(m.ClassStudent, old.school_id, before, after))


async def _enrol(ctx: Context, facts: _Facts, rolled: list[RolledClass]) -> None:
    """Every student of the plan enrolled in their class from the new year's first day, in one
    statement; then the year's one-class-at-a-time rule checked for all of them at once."""
    year = facts.to_year
    rows = [
        {"school_class_id": c.school_class.id, "school_year_id": year.id, "student_id": p.id,
         "starts_on": year.starts_on, "ends_on": None}
        for c in rolled if c.school_class is not None
        for p in (*c.promoted, *c.repeaters, *c.newcomers)
    ]  # fmt: skip
    if not rows:
        return
    try:
        written = list(
            (
                await ctx.db.execute(
                    insert(m.ClassStudent)
                    .returning(m.ClassStudent)
                    .execution_options(render_nulls=True),
                    rows,
                )
            ).scalars()
        )
    except IntegrityError as error:
        if getattr(error.orig, "sqlstate", None) == EXCLUSION_VIOLATION:
            raise Conflict(
                "A student was placed in a class of the new year meanwhile; reload and try again."
            ) from None
        raise
    one, two = aliased(m.ClassStudent), aliased(m.ClassStudent)
    clash = await ctx.db.scalar(
        select(one.student_id)
        .join(two, and_(two.student_id == one.student_id, two.school_year_id == one.school_year_id,
                        two.id > one.id))
        .where(one.school_year_id == year.id, one.student_id.in_([r["student_id"] for r in rows]))
        .limit(1)
    )  # fmt: skip
    if clash is not None:
        raise Conflict(
            f"{short_name(facts.people[clash])} was placed in a class of «{year.name}» "
            "meanwhile; reload and try again."
        )
    await record(
        ctx,
        [Changed(year.school_id, m.ClassStudent, r.id, None, snapshot(r)) for r in written],
    )
