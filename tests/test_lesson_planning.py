"""Lessons made from the timetable and its changes (R-TT-1, Г.1 #9): idempotent, days off and
vacations skipped, changes applied, lessons holding journal records protected."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

import model as m
from resolvers.database import Database
from resolvers.setup.lesson_planning import Planning, plan_lessons
from tests.factories import Factory, build

MONDAY = date(2026, 12, 7)
FRIDAY = MONDAY + timedelta(days=4)


@dataclass
class Week:
    school_id: int
    group_id: int
    maths: int
    teacher_id: int
    colleague_id: int
    monday: int  # the weekly slots: Monday bell 1, Wednesday bell 2, Friday bell 3
    wednesday: int
    friday: int
    other_group_id: int


async def _week(engine: AsyncEngine) -> Week:
    async def recipe(f: Factory) -> Week:
        setup = await f.school()
        school_id = setup.school.id
        await f.add(
            m.Period(school_id=school_id, school_year_id=setup.year.id, kind=m.PeriodKind.QUARTER,
                     number=2, name="2 четверть", starts_on=date(2026, 11, 9),
                     ends_on=date(2026, 12, 28))
        )  # fmt: skip
        await f.add(
            m.Period(school_id=school_id, school_year_id=setup.year.id, kind=m.PeriodKind.QUARTER,
                     number=3, name="3 четверть", starts_on=date(2027, 1, 12),
                     ends_on=date(2027, 3, 20))
        )  # fmt: skip
        await f.add(
            m.Period(school_id=school_id, school_year_id=setup.year.id, kind=m.PeriodKind.YEAR,
                     number=1, name="Год", starts_on=date(2026, 9, 1), ends_on=date(2027, 5, 31))
        )  # fmt: skip
        school_class = await f.school_class(setup, 7, "А", students=2, parents_each=0)
        other = await f.school_class(setup, 8, "Б", students=1, parents_each=0)
        groups = {g.school_class_id: g.id for g in (await f.session.scalars(select(m.Group))).all()}
        maths = await f.add(
            m.Subject(school_id=school_id, name="Математика", short_name="Мат",
                      grade_scale_id=setup.scale.id)
        )  # fmt: skip
        teacher = await f.person(setup, "Иванова", m.Role.TEACHER)
        colleague = await f.person(setup, "Петрова", m.Role.TEACHER)
        slots = []
        for weekday, bell in ((1, 1), (3, 2), (5, 3)):
            entry = await f.add(
                m.TimetableEntry(school_id=school_id, school_year_id=setup.year.id,
                                 group_id=groups[school_class.id], subject_id=maths.id,
                                 teacher_id=teacher.id, weekday=weekday, bell_number=bell,
                                 valid_from=date(2026, 9, 1))
            )  # fmt: skip
            slots.append(entry.id)
        return Week(school_id, groups[school_class.id], maths.id, teacher.id, colleague.id,
                    *slots, other_group_id=groups[other.id])  # fmt: skip

    return await build(engine, recipe)


@pytest.fixture
async def week(engine: AsyncEngine) -> Week:
    return await _week(engine)


async def plan(
    engine: AsyncEngine, school_id: int, first: date, last: date, *, confirm: bool = False
) -> Planning:
    async with AsyncSession(engine, expire_on_commit=False) as session:
        db = Database(session)
        db.expect_writes()
        planning = await plan_lessons(db, school_id, first, last, confirm=confirm)
        await db.commit()
        return planning


async def lessons(engine: AsyncEngine, school_id: int) -> list[tuple[object, ...]]:
    lesson = m.Lesson
    async with AsyncSession(engine) as session:
        rows = await session.execute(
            select(lesson.held_on, lesson.bell_number, lesson.teacher_id, lesson.substitute_id,
                   lesson.status, lesson.timetable_entry_id)
            .where(lesson.school_id == school_id)
            .order_by(lesson.held_on, lesson.bell_number)
        )  # fmt: skip
        return [tuple(row) for row in rows]


async def add(engine: AsyncEngine, *rows: object) -> None:
    async with AsyncSession(engine) as session:
        session.add_all(rows)
        await session.commit()


async def test_a_week_is_planned_once(engine: AsyncEngine, week: Week) -> None:
    # R-TT-1: given a timetable, when planned twice, then each slot's lesson exists once
    first = await plan(engine, week.school_id, MONDAY, FRIDAY)
    again = await plan(engine, week.school_id, MONDAY, FRIDAY)

    assert (first.created, again.created, again.changed, again.deleted) == (3, 0, 0, 0)
    assert await lessons(engine, week.school_id) == [
        (MONDAY, 1, week.teacher_id, None, m.LessonStatus.PLANNED, week.monday),
        (MONDAY + timedelta(days=2), 2, week.teacher_id, None, m.LessonStatus.PLANNED,
         week.wednesday),
        (FRIDAY, 3, week.teacher_id, None, m.LessonStatus.PLANNED, week.friday),
    ]  # fmt: skip


async def test_days_off_weekends_and_vacations_have_no_lessons(
    engine: AsyncEngine, week: Week
) -> None:
    # R-TT-1, R-SETUP-1: a day off, the weekend and the winter vacation have no lessons
    await add(engine, m.DayOff(school_id=week.school_id, on_date=MONDAY, name="Карантин"))

    await plan(engine, week.school_id, MONDAY, date(2027, 1, 15))

    planned = {day for day, *_ in await lessons(engine, week.school_id)}
    assert MONDAY not in planned
    assert all(day.isoweekday() <= 5 for day in planned)
    assert not {day for day in planned if date(2026, 12, 28) < day < date(2027, 1, 12)}
    assert date(2027, 1, 13) in planned
    assert date(2027, 1, 15) in planned


async def test_the_days_changes_make_its_lessons(engine: AsyncEngine, week: Week) -> None:
    # R-TT-1: substitution, cancellation, a moved lesson and an extra one, on the day
    await plan(engine, week.school_id, MONDAY, FRIDAY)
    wednesday = MONDAY + timedelta(days=2)
    change = m.TimetableChangeKind

    def changed(kind: m.TimetableChangeKind, day: date, **values: object) -> m.TimetableChange:
        return m.TimetableChange(school_id=week.school_id, on_date=day, kind=kind,
                                 group_id=week.group_id, **values)  # fmt: skip

    await add(
        engine,
        changed(change.SUBSTITUTION, MONDAY, timetable_entry_id=week.monday,
                teacher_id=week.colleague_id),
        changed(change.CANCELLED, wednesday, timetable_entry_id=week.wednesday),
        changed(change.MOVED, FRIDAY, timetable_entry_id=week.friday, bell_number=5),
        changed(change.EXTRA, FRIDAY, subject_id=week.maths, teacher_id=week.colleague_id,
                bell_number=6),
    )  # fmt: skip

    planning = await plan(engine, week.school_id, MONDAY, FRIDAY)

    assert (planning.created, planning.changed, planning.deleted) == (1, 3, 0)
    assert await lessons(engine, week.school_id) == [
        (MONDAY, 1, week.teacher_id, week.colleague_id, m.LessonStatus.PLANNED, week.monday),
        (wednesday, 2, week.teacher_id, None, m.LessonStatus.CANCELLED, week.wednesday),
        (FRIDAY, 5, week.teacher_id, None, m.LessonStatus.PLANNED, week.friday),
        (FRIDAY, 6, week.colleague_id, None, m.LessonStatus.PLANNED, None),
    ]  # fmt: skip
