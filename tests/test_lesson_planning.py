"""Lessons made from the timetable and its changes (R-TT-1, Г.1 #9): idempotent, days off and
vacations skipped, changes applied, lessons holding journal records protected."""

import asyncio
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from strawberry import relay

import model as m
from model.base import utc_now
from model.db import make_sessionmaker
from resolvers.database import Database
from resolvers.setup import lesson_planning
from resolvers.setup.lesson_planning import Planning, plan_lessons
from resolvers.setup.school_days import days
from server import cli, lesson_scheduler
from server.app import create_app
from server.lesson_scheduler import CATCH_UP, planning_range, school_today
from server.settings import Settings
from tests.client import GraphQLClient
from tests.conftest import StatementCounter
from tests.factories import Factory, build
from tests.lessons import rows
from tests.races import overlap

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
        monday, wednesday, friday = slots
        return Week(school_id, groups[school_class.id], maths.id, teacher.id, colleague.id,
                    monday, wednesday, friday)  # fmt: skip

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


async def lessons(engine: AsyncEngine, school_id: int) -> list[tuple[Any, ...]]:
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


async def test_a_moved_working_day_follows_the_weekday_it_replaces(
    engine: AsyncEngine, week: Week
) -> None:
    # R-SETUP-2, R-TT-1: Monday is given off and its lessons are worked on Saturday
    saturday = MONDAY + timedelta(days=5)
    await add(
        engine,
        m.DayOff(school_id=week.school_id, on_date=MONDAY, name="Выходной (перенос)"),
        m.WorkingDay(school_id=week.school_id, on_date=saturday, follows_weekday=1,
                     name="Рабочая суббота за понедельник"),
    )  # fmt: skip

    await plan(engine, week.school_id, MONDAY, saturday)

    assert [
        (day, bell, entry) for day, bell, *_, entry in await lessons(engine, week.school_id)
    ] == [
        (MONDAY + timedelta(days=2), 2, week.wednesday),
        (FRIDAY, 3, week.friday),
        (saturday, 1, week.monday),
    ]


async def test_an_archived_group_gets_no_new_lessons(engine: AsyncEngine, week: Week) -> None:
    # R-SETUP-2: the class is archived (hidden from new use) while its slots still hold
    await plan(engine, week.school_id, MONDAY, MONDAY)
    async with AsyncSession(engine) as session:
        group = await session.get(m.Group, week.group_id)
        assert group is not None
        group.archived_at = utc_now()
        await session.commit()

    planning = await plan(engine, week.school_id, MONDAY, FRIDAY)

    assert (planning.created, planning.deleted) == (0, 1)
    assert await lessons(engine, week.school_id) == []


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


async def _topic(engine: AsyncEngine, day: date) -> None:
    async with AsyncSession(engine) as session:
        lesson = await session.scalar(select(m.Lesson).where(m.Lesson.held_on == day))
        assert lesson is not None
        lesson.topic = "Дроби"
        session.add(
            m.Homework(school_id=lesson.school_id, lesson_id=lesson.id, text="№ 12",
                       due_on=day + timedelta(days=2), on_time=True)
        )  # fmt: skip
        await session.commit()


async def test_a_lesson_with_entries_is_not_moved_unless_confirmed(
    engine: AsyncEngine, week: Week
) -> None:
    # R-TT-1: the teacher planned Monday's topic and homework; the deputy moves the lesson
    await plan(engine, week.school_id, MONDAY, FRIDAY)
    await _topic(engine, MONDAY)
    await add(
        engine,
        m.TimetableChange(school_id=week.school_id, on_date=MONDAY, group_id=week.group_id,
                          kind=m.TimetableChangeKind.MOVED, timetable_entry_id=week.monday,
                          bell_number=4),
    )  # fmt: skip

    refused = await plan(engine, week.school_id, MONDAY, FRIDAY)

    (broken,) = refused.would_break
    assert (broken.held_on, broken.bell_number, broken.holds) == (
        MONDAY,
        1,
        ("a topic", "homework"),
    )
    assert broken.description == (
        "7А, Математика on 2026-12-07 at bell 1 holds a topic and homework: it would move to bell 4"
    )
    assert (await lessons(engine, week.school_id))[0][:2] == (MONDAY, 1)

    confirmed = await plan(engine, week.school_id, MONDAY, FRIDAY, confirm=True)

    assert (confirmed.changed, confirmed.would_break) == (1, ())
    assert (await lessons(engine, week.school_id))[0][:2] == (MONDAY, 4)
    async with AsyncSession(engine) as session:
        assert await session.scalar(select(m.Lesson.topic).where(m.Lesson.bell_number == 4))


async def test_a_lesson_the_timetable_drops_is_deleted_or_cancelled_with_its_entries(
    engine: AsyncEngine, week: Week
) -> None:
    # R-TT-1: the weekly slots end on Sunday before the week; Monday's lesson holds a topic
    await plan(engine, week.school_id, MONDAY, FRIDAY)
    await _topic(engine, MONDAY)
    async with AsyncSession(engine) as session:
        for entry in (await session.scalars(select(m.TimetableEntry))).all():
            entry.valid_to = MONDAY - timedelta(days=1)
        await session.commit()

    refused = await plan(engine, week.school_id, MONDAY, FRIDAY)

    assert (refused.deleted, [b.would for b in refused.would_break]) == (
        2,
        ["be removed: the timetable no longer has it"],
    )
    confirmed = await plan(engine, week.school_id, MONDAY, FRIDAY, confirm=True)
    assert (confirmed.changed, confirmed.would_break) == (1, ())
    assert await lessons(engine, week.school_id) == [
        (MONDAY, 1, week.teacher_id, None, m.LessonStatus.CANCELLED, week.monday)
    ]
    settled = await plan(engine, week.school_id, MONDAY, FRIDAY)
    assert settled == Planning()


async def test_a_substitute_recorded_by_hand_is_kept(engine: AsyncEngine, week: Week) -> None:
    # R-SUB-1: the teacher recorded who gave Monday's lesson; the timetable has no substitution
    await plan(engine, week.school_id, MONDAY, FRIDAY)
    async with AsyncSession(engine) as session:
        lesson = await session.scalar(select(m.Lesson).where(m.Lesson.held_on == MONDAY))
        assert lesson is not None
        account = m.Account(person_id=week.teacher_id, login="ivanova", password_hash="-")
        session.add(account)
        await session.flush()
        lesson.substitute_id, lesson.updated_by_id = week.colleague_id, account.id
        await session.commit()
    await add(
        engine,
        m.TimetableChange(school_id=week.school_id, on_date=MONDAY, group_id=week.group_id,
                          kind=m.TimetableChangeKind.CANCELLED, timetable_entry_id=week.monday),
    )  # fmt: skip

    planning = await plan(engine, week.school_id, MONDAY, FRIDAY)

    assert [(b.holds, b.would) for b in planning.would_break] == [
        (("changes by hand",), "be cancelled")
    ]
    assert (await lessons(engine, week.school_id))[0][3:5] == (
        week.colleague_id,
        m.LessonStatus.PLANNED,
    )


@pytest.mark.parametrize("chunk", [lesson_planning.CHUNK, 1])
async def test_a_new_timetable_relinks_lessons_and_two_may_swap_bells(
    engine: AsyncEngine, week: Week, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # R-TT-1: the timetable is replaced from Monday (same lessons), and Friday's lessons swap;
    # the same when each statement writes one lesson (as past a thousand lessons)
    monkeypatch.setattr(lesson_planning, "CHUNK", chunk)
    await add(
        engine,
        m.TimetableEntry(school_id=week.school_id, school_year_id=await _year(engine),
                         group_id=week.group_id, subject_id=week.maths,
                         teacher_id=week.colleague_id, weekday=5, bell_number=4,
                         valid_from=date(2026, 9, 1)),
    )  # fmt: skip
    await plan(engine, week.school_id, MONDAY, FRIDAY)
    await _topic(engine, MONDAY)
    async with AsyncSession(engine) as session:
        entries = await session.scalars(select(m.TimetableEntry).order_by(m.TimetableEntry.id))
        old = entries.all()
        for entry in old:
            entry.valid_to = MONDAY - timedelta(days=1)
        swapped = {3: 4, 4: 3}
        session.add_all(
            m.TimetableEntry(school_id=e.school_id, school_year_id=e.school_year_id,
                             group_id=e.group_id, subject_id=e.subject_id,
                             teacher_id=e.teacher_id, weekday=e.weekday,
                             bell_number=swapped.get(e.bell_number, e.bell_number),
                             valid_from=MONDAY)
            for e in old
        )  # fmt: skip
        await session.commit()

    planning = await plan(engine, week.school_id, MONDAY, FRIDAY)

    assert (planning.created, planning.changed, planning.deleted) == (0, 4, 0)
    assert planning.would_break == ()
    friday = [row[1:3] for row in await lessons(engine, week.school_id) if row[0] == FRIDAY]
    assert friday == [(3, week.colleague_id), (4, week.teacher_id)]


async def _year(engine: AsyncEngine) -> int:
    async with AsyncSession(engine) as session:
        year: int | None = await session.scalar(select(m.SchoolYear.id))
        assert year is not None
        return year


async def test_two_planners_at_once_make_each_lesson_once(engine: AsyncEngine, week: Week) -> None:
    # R-TT-1: two workers' schedulers start together
    first, last = MONDAY, MONDAY + timedelta(days=18)
    together = asyncio.Barrier(2)

    async def planner() -> Planning:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            db = Database(session)
            await db.rows(select(m.School.id))  # each holds a connection, then both plan
            await together.wait()
            await db.begin_writing()
            planning = await plan_lessons(db, week.school_id, first, last)
            await db.commit()
            return planning

    with overlap(engine) as seen:
        plans = await asyncio.gather(planner(), planner())

    assert seen.peak >= 2, "the planners never held two connections at once"
    assert sum(p.created for p in plans) == 9
    assert len(await lessons(engine, week.school_id)) == 9
    made = await rows(engine, "SELECT count(*) FROM change WHERE entity = 'lesson'")
    assert made[0][0] == 9


async def test_statements_do_not_grow_with_days(
    engine: AsyncEngine, week: Week, sql: StatementCounter
) -> None:
    # R-TT-1: constant SQL per school and range
    counts = []
    for weeks in (1, 6):
        sql.reset()
        await plan(engine, week.school_id, MONDAY, MONDAY + timedelta(weeks=weeks, days=-3))
        counts.append(sql.count)
    assert counts[0] == counts[1]


async def test_the_demo_weeks_later_has_todays_lessons_and_a_teacher_fills_one(
    engine: AsyncEngine, api: GraphQLClient, demo_school: dict[str, str]
) -> None:
    # given the demo generated on 2026-11-20 (R-TT-1, Г.1 #9)
    sessions = make_sessionmaker(engine)
    # then planning on that day agrees with every lesson the generator made, and adds the
    # coming two weeks' (the next school day's substitutions included)
    (on_the_day,) = await lesson_scheduler.plan_schools(sessions, today=date(2026, 11, 20))
    assert (on_the_day.planning.changed, on_the_day.planning.deleted) == (0, 0)
    assert on_the_day.planning.would_break == ()
    assert on_the_day.planning.created > 0
    substituted = await rows(
        engine,
        "SELECT count(*) FROM lesson WHERE held_on = '2026-11-23' AND substitute_id IS NOT NULL",
    )
    assert substituted[0][0] > 0

    # when the server plans weeks later, on 2026-12-15
    later = date(2026, 12, 15)
    (planned,) = await lesson_scheduler.plan_schools(sessions, today=later)
    # from the day after the last lesson planned before (2026-12-04), the weeks between too
    assert (planned.first, planned.last) == (date(2026, 12, 5), date(2026, 12, 29))
    between = await rows(engine, "SELECT count(*) FROM lesson WHERE held_on = '2026-12-08'")
    assert between[0][0] > 0

    # then the teacher finds that day's lessons and fills one: its topic and homework
    token = await api.login(demo_school["teacher"], "demo")
    me = (await api("{ me { person { id } } }", token=token)).data["me"]["person"]["id"]
    found = await api(
        """query($t: ID!, $d: Date!) { lessons(filter: {teacherId: $t, dateFrom: $d, dateTo: $d})
        { nodes { id version heldOn status topic } } }""",
        {"t": me, "d": later.isoformat()},
        token=token,
    )
    lessons_that_day = found.data["lessons"]["nodes"]
    assert lessons_that_day
    assert {lesson["status"] for lesson in lessons_that_day} <= {"PLANNED", "CANCELLED"}
    lesson = next(lesson for lesson in lessons_that_day if lesson["status"] == "PLANNED")
    updated = await api(
        """mutation($l: ID!, $v: Int!) { lessonUpdate(input: {lessonId: $l, version: $v,
        topic: "Повторение"}) { topic version } }""",
        {"l": lesson["id"], "v": lesson["version"]},
        token=token,
    )
    assert updated.data["lessonUpdate"]["topic"] == "Повторение"
    homework = await api(
        """mutation($l: ID!) { homeworkAssign(input: {lessonId: $l, text: "№ 5–7",
        dueOn: "2026-12-17"}) { text } }""",
        {"l": lesson["id"]},
        token=token,
    )
    assert homework.data["homeworkAssign"]["text"] == "№ 5–7"


async def test_the_server_plans_at_start(engine: AsyncEngine, week: Week) -> None:
    # given a school whose year and timetable hold whatever today is
    today = school_today("Europe/Moscow")
    async with AsyncSession(engine) as session:
        year = await session.scalar(select(m.SchoolYear))
        assert year is not None
        year.starts_on, year.ends_on = today - timedelta(days=60), today + timedelta(days=60)
        for period in (await session.scalars(select(m.Period))).all():
            await session.delete(period)
        for entry in (await session.scalars(select(m.TimetableEntry))).all():
            entry.valid_from = year.starts_on
        await session.commit()
    first, last = planning_range(today)
    expected = sum(1 for day in days(first, last) if day.isoweekday() in (1, 3, 5))

    # when the server starts
    app = create_app(Settings(database_url="sqlite://"), engine=engine)
    async with app.router.lifespan_context(app):
        for _ in range(100):
            if len(await lessons(engine, week.school_id)) == expected:
                break
            await asyncio.sleep(0.05)

    # then this week's lessons and the next two weeks' are there
    planned = await lessons(engine, week.school_id)
    assert len(planned) == expected
    assert {day for day, *_ in planned} <= set(days(first, last))


async def test_the_cli_plans_a_school(
    database_url: str, engine: AsyncEngine, week: Week, capsys: pytest.CaptureFixture[str]
) -> None:
    # when the operator plans the week from the command line, twice
    school = relay.to_base64("School", week.school_id)
    argv = ["--database-url", database_url, "lessons", "plan", "--school", school,
            "--from", MONDAY.isoformat(), "--to", FRIDAY.isoformat()]  # fmt: skip
    await asyncio.to_thread(cli.main, argv)
    await _topic(engine, MONDAY)
    await add(
        engine,
        m.TimetableChange(school_id=week.school_id, on_date=MONDAY, group_id=week.group_id,
                          kind=m.TimetableChangeKind.CANCELLED, timetable_entry_id=week.monday),
    )  # fmt: skip
    await asyncio.to_thread(cli.main, argv)

    # then it says what it made, and what it left as it is
    said = capsys.readouterr().out.splitlines()
    assert said == [
        f"School {school}, 2026-12-07 to 2026-12-11: 3 lessons created, 0 re-planned, 0 deleted.",
        f"School {school}, 2026-12-07 to 2026-12-11: 0 lessons created, 0 re-planned, 0 deleted.",
        "  left as it is (--confirm to apply): 7А, Математика on 2026-12-07 at bell 1 holds a "
        "topic and homework: it would be cancelled",
    ]


async def test_planning_is_in_the_audit_trail(engine: AsyncEngine, week: Week) -> None:
    # R-AUDIT-1, Б.1 #12: the lessons planning made, changed and deleted, by whose write
    async with AsyncSession(engine, expire_on_commit=False) as session:
        deputy = m.Account(person_id=week.colleague_id, login="deputy", password_hash="-")
        session.add(deputy)
        await session.commit()
    async with AsyncSession(engine, expire_on_commit=False) as session:
        db = Database(session)
        db.expect_writes()
        await plan_lessons(db, week.school_id, MONDAY, FRIDAY, actor_id=deputy.id)
        await db.commit()
    await add(
        engine,
        m.TimetableChange(school_id=week.school_id, on_date=MONDAY, group_id=week.group_id,
                          kind=m.TimetableChangeKind.SUBSTITUTION,
                          timetable_entry_id=week.monday, teacher_id=week.colleague_id),
    )  # fmt: skip
    async with AsyncSession(engine) as session:
        friday = await session.scalar(
            select(m.TimetableEntry).where(m.TimetableEntry.id == week.friday)
        )
        assert friday is not None
        friday.valid_to = FRIDAY - timedelta(days=1)
        await session.commit()

    await plan(engine, week.school_id, MONDAY, FRIDAY)

    change = m.Change
    async with AsyncSession(engine) as session:
        trail = (
            await session.execute(
                select(change.action, change.changed_by_id, change.before, change.after)
                .where(change.entity == "lesson")
                .order_by(change.id)
            )
        ).all()
    actions = [(action, by) for action, by, *_ in trail]
    created, deleted, changed = (
        m.ChangeAction.CREATED,
        m.ChangeAction.DELETED,
        m.ChangeAction.CHANGED,
    )
    assert actions == [(created, deputy.id)] * 3 + [(deleted, None), (changed, None)]
    _, _, before, after = trail[4]
    assert before is not None
    assert after is not None
    assert (before["substitute_id"], after["substitute_id"]) == (None, week.colleague_id)
    assert after["held_on"] == "2026-12-07"
    _, _, gone, nothing = trail[3]
    assert gone is not None
    assert (gone["held_on"], gone["bell_number"], nothing) == ("2026-12-11", 3, None)


def test_the_scheduler_plans_this_week_and_catches_up_since_the_last_lesson() -> None:
    # R-TT-1, Г.1 #9: Wednesday 2026-12-09
    today = date(2026, 12, 9)
    ahead = date(2026, 12, 23)
    assert planning_range(today) == (MONDAY, ahead)  # a school without lessons yet
    assert planning_range(today, date(2026, 12, 20)) == (MONDAY, ahead)
    assert planning_range(today, date(2026, 11, 20)) == (date(2026, 11, 21), ahead)
    assert planning_range(today, date(2025, 11, 20)) == (MONDAY - CATCH_UP, ahead)


async def test_two_workers_schedulers_plan_a_school_once(engine: AsyncEngine, week: Week) -> None:
    # R-TT-1: every worker runs the scheduler; they take turns on the school's timetable lock
    sessions = make_sessionmaker(engine)

    done = await asyncio.gather(
        *(lesson_scheduler.plan_schools(sessions, today=MONDAY) for _ in range(2))
    )

    made = sorted(planned.planning.created for (planned,) in done)
    assert made == [0, 7]  # Monday 2026-12-07 to Monday 2026-12-21: three lessons a week
    assert len(await lessons(engine, week.school_id)) == 7


async def test_a_failed_planning_is_logged_and_tried_again(
    engine: AsyncEngine,
    week: Week,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # R-TT-1: the database fails one school's first planning; the other school is planned
    other = await _week(engine)
    tried: list[int] = []
    real = plan_lessons

    async def failing_once(
        db: Database, school_id: int, first: date, last: date, *, confirm: bool
    ) -> Planning:
        tried.append(school_id)
        if tried.count(week.school_id) == 1 and school_id == week.school_id:
            raise OperationalError("SELECT", {}, OSError("the server closed the connection"))
        return await real(db, school_id, first, last, confirm=confirm)

    runs: list[list[int]] = []
    monkeypatch.setattr(lesson_scheduler, "plan_lessons", failing_once)
    monkeypatch.setattr(lesson_scheduler, "school_today", lambda _: MONDAY)
    monkeypatch.setattr(
        lesson_scheduler, "log_planned", lambda done: runs.append([p.school_id for p in done])
    )
    every, retry = timedelta(days=1), timedelta(seconds=0.05)

    scheduler = asyncio.create_task(lesson_scheduler.run(make_sessionmaker(engine), every, retry))
    for _ in range(200):
        if len(runs) == 2:
            break  # the run and its retry are done: the scheduler sleeps for a day
        await asyncio.sleep(0.02)
    scheduler.cancel()
    with suppress(asyncio.CancelledError):
        await scheduler

    assert runs == [[other.school_id], [week.school_id, other.school_id]]
    assert len(await lessons(engine, other.school_id)) == 7
    assert len(await lessons(engine, week.school_id)) == 7
    assert f"lesson planning failed for school {week.school_id}" in caplog.text
