"""The demo school generator: deterministic, consistent with the model's constraints, usable."""

import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from demo import DemoLogin, DemoOptions, generate_demo
from demo.accounts import DEMO_ROLES
from demo.dates import (
    BELL_SCHEDULES,
    FIRST_GRADE_SCHEDULE,
    MAIN_SCHEDULE,
    days_off_in,
    school_calendar,
)
from model import Base
from model.db import make_engine
from resolvers.accounts.passwords import verify_password

TODAY = date(2026, 11, 20)
SMALL = DemoOptions(
    seed=11,
    parallels=3,
    classes_per_parallel=2,
    students_per_class=10,
    teachers=12,
    today=TODAY,
)
# Up to the 7th grade: subgroups in labour and informatics and subject teachers as class teachers.
MIDDLE = DemoOptions(
    seed=5,
    parallels=7,
    classes_per_parallel=1,
    students_per_class=12,
    teachers=20,
    today=TODAY,
)
# The whole school in small classes, in February: the 10th and 11th grades, graded by halves,
# have had their first half-year grades.
SENIOR = DemoOptions(
    seed=3,
    parallels=11,
    classes_per_parallel=1,
    students_per_class=8,
    teachers=26,
    today=date(2027, 2, 10),
)


@dataclass
class Generated:
    path: Path
    logins: list[DemoLogin]
    today: date = TODAY

    def rows(self, sql: str, *params: Any) -> list[Any]:
        with sqlite3.connect(self.path) as connection:
            return connection.execute(sql, params).fetchall()

    def value(self, sql: str, *params: Any) -> Any:
        return self.rows(sql, *params)[0][0]


async def _generate(path: Path, options: DemoOptions) -> list[DemoLogin]:
    engine = make_engine(f"sqlite:///{path}")
    try:
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        return await generate_demo(engine, options)
    finally:
        await engine.dispose()


@pytest.fixture(scope="module", params=[SMALL, MIDDLE, SENIOR], ids=["primary", "middle", "senior"])
async def school(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    options: DemoOptions = request.param
    assert options.today is not None
    return Generated(path, await _generate(path, options), options.today)


def _table_counts(generated: Generated) -> dict[str, int]:
    return {
        table.name: generated.value(f'SELECT count(*) FROM "{table.name}"')
        for table in Base.metadata.sorted_tables
    }


async def test_the_same_seed_and_day_give_the_same_school(tmp_path: Path) -> None:
    # given two empty databases
    first, second = Generated(tmp_path / "a.sqlite3", []), Generated(tmp_path / "b.sqlite3", [])

    # when the same options generate into both
    first.logins = await _generate(first.path, SMALL)
    second.logins = await _generate(second.path, SMALL)

    # then every table holds the same number of rows and the first grades are identical
    assert _table_counts(first) == _table_counts(second)
    grades = "SELECT * FROM grade ORDER BY id LIMIT 200"
    assert first.rows(grades) == second.rows(grades)
    assert len(first.rows(grades)) == 200
    people = "SELECT last_name, first_name, middle_name, birth_date FROM person ORDER BY id"
    assert first.rows(people) == second.rows(people)
    assert first.logins == second.logins


async def test_another_seed_gives_another_school(tmp_path: Path) -> None:
    # given a school generated with the small options
    first = Generated(tmp_path / "a.sqlite3", await _generate(tmp_path / "a.sqlite3", SMALL))

    # when another seed generates a second one
    other = DemoOptions(**{**SMALL.__dict__, "seed": SMALL.seed + 1})
    second = Generated(tmp_path / "b.sqlite3", await _generate(tmp_path / "b.sqlite3", other))

    # then the people differ
    people = "SELECT last_name, first_name FROM person ORDER BY id LIMIT 20"
    assert first.rows(people) != second.rows(people)


async def test_the_engine_enforces_foreign_keys_and_nothing_breaks_them(school: Generated) -> None:
    # given a generated school, inserted with foreign keys and CHECK constraints enforced
    engine = make_engine(f"sqlite:///{school.path}")
    async with engine.connect() as connection:
        enforced = (await connection.execute(text("PRAGMA foreign_keys"))).scalar()
    await engine.dispose()
    assert enforced == 1

    # when the database is checked as a whole
    broken = school.rows("PRAGMA foreign_key_check")
    integrity = school.value("PRAGMA integrity_check")

    # then no row points nowhere
    assert broken == []
    assert integrity == "ok"


async def test_the_school_is_populated(school: Generated) -> None:
    # given a generated school
    counts = _table_counts(school)

    # then every table the generator owns has rows (query logs, reopenings and failed
    # sign-ins come with use; a municipality's operator and moved working days with set-up;
    # people's codes in the school and import jobs with an import of its people; certificates
    # with the admin's certifying a statement; compromises with a report; reads of personal
    # data with the staff's use; report jobs, their files and key with a report made;
    # notifications with what families choose and the writes made through the API — the
    # demo's messages are there as written, their notifications long delivered)
    empty = sorted(name for name, count in counts.items() if count == 0)
    assert empty == [
        "certificate",
        "compromise",
        "grade_report",
        "import_job",
        "municipality_role",
        "notification",
        "notification_settings",
        "notification_subscription",
        "period_reopening",
        "person_code",
        "personal_data_read",
        "query_log",
        "report_chunk",
        "report_job",
        "report_key",
        "sign_in_failure",
        "sign_in_throttle",
        "working_day",
    ]
    # «Разговоры о важном» and the psychologist's course are not attested
    assert school.value("SELECT count(*) FROM subject WHERE no_attestation") == 2
    periods = {
        (kind, number): (starts_on, ends_on)
        for kind, number, starts_on, ends_on in school.rows(
            "SELECT kind, number, starts_on, ends_on FROM period"
        )
    }
    assert sorted(periods) == [
        ("half", 1), ("half", 2),
        ("quarter", 1), ("quarter", 2), ("quarter", 3), ("quarter", 4),
        ("year", 1),
    ]  # fmt: skip
    # the halves are two quarters each
    assert periods[("half", 1)] == (periods[("quarter", 1)][0], periods[("quarter", 2)][1])
    assert periods[("half", 2)] == (periods[("quarter", 3)][0], periods[("quarter", 4)][1])
    assert school.value("SELECT week_length FROM school") == 5


async def test_there_is_a_demo_login_for_every_role(school: Generated) -> None:
    # given the logins returned by the generator
    by_role = {login.role: login for login in school.logins}

    # then there is one per role, named after it, with the password «demo» and no forced change
    assert list(by_role) == list(DEMO_ROLES)
    for role, login in by_role.items():
        assert login.login == role
        assert login.password == "demo"
        password_hash, must_change = school.rows(
            "SELECT password_hash, must_change_password FROM account WHERE login = ?", role
        )[0]
        assert verify_password(password_hash, "demo")
        assert not must_change
    # R-ACC-1: everybody else has a temporary password to change
    temporary = school.value("SELECT count(*) FROM account WHERE must_change_password")
    assert temporary == school.value("SELECT count(*) FROM account") - len(DEMO_ROLES)
    assert school.value("SELECT count(*) FROM person") == school.value(
        "SELECT count(*) FROM account"
    )


def _person_of(school: Generated, login: str) -> int:
    person: int = school.value("SELECT person_id FROM account WHERE login = ?", login)
    return person


async def test_each_demo_user_holds_the_role_they_are_named_after(school: Generated) -> None:
    # given the people behind the demo logins
    person = {role: _person_of(school, role) for role in DEMO_ROLES}

    def roles(role: str) -> set[str]:
        return {
            r
            for (r,) in school.rows(
                "SELECT role FROM school_role WHERE person_id = ?", person[role]
            )
        }

    # then their roles match, and the parent is the demo student's parent
    for role in ("admin", "head", "deputy", "teacher", "psychologist", "student", "parent"):
        assert role in roles(role)
    assert "teacher" in roles("class_teacher")
    class_teacher_of = school.rows(
        "SELECT id FROM school_class WHERE class_teacher_id = ?", person["class_teacher"]
    )
    assert class_teacher_of
    assert school.rows(
        "SELECT 1 FROM guardianship WHERE parent_id = ? AND child_id = ?",
        person["parent"],
        person["student"],
    )
    # the student is in the class teacher's class, and the teacher teaches that class
    (class_id,) = class_teacher_of[0]
    assert school.rows(
        "SELECT 1 FROM class_student WHERE school_class_id = ? AND student_id = ?",
        class_id,
        person["student"],
    )
    assert school.rows(
        "SELECT 1 FROM timetable_entry e JOIN study_group g ON g.id = e.group_id "
        "WHERE g.school_class_id = ? AND e.teacher_id = ?",
        class_id,
        person["teacher"],
    )


async def test_the_psychologist_keeps_the_journal_of_their_own_course(school: Generated) -> None:
    # given the demo psychologist (Д: they keep a journal of their groups as a teacher does)
    psychologist = _person_of(school, "psychologist")

    # then they give their course to every 1st to 5th grade class, as a whole class
    taught = school.rows(
        "SELECT DISTINCT s.name, c.parallel, c.id, g.kind FROM timetable_entry e "
        "JOIN subject s ON s.id = e.subject_id JOIN study_group g ON g.id = e.group_id "
        "JOIN school_class c ON c.id = g.school_class_id WHERE e.teacher_id = ?",
        psychologist,
    )
    classes = school.rows("SELECT id FROM school_class WHERE parallel <= 5")
    assert {name for name, *_ in taught} == {"Тропинка к своему Я"}
    assert {class_id for _, _, class_id, _ in taught} == {class_id for (class_id,) in classes}
    assert {kind for *_, kind in taught} == {"whole_class"}
    # and their lessons so far are held with a topic of their КТП and attendance taken
    held = school.rows(
        "SELECT l.topic, p.author_id, l.attendance_taken_at FROM lesson l "
        "JOIN plan_item i ON i.id = l.plan_item_id JOIN plan p ON p.id = i.plan_id "
        "WHERE l.teacher_id = ? AND l.status = 'held'",
        psychologist,
    )
    assert len(held) >= 8 * len(classes)
    assert all(topic and author == psychologist and taken for topic, author, taken in held)
    # and nobody else gives their lessons, nor do they stand in for a teacher
    assert not school.rows(
        "SELECT 1 FROM lesson WHERE substitute_id = ? OR (teacher_id = ? AND substitute_id "
        "IS NOT NULL)",
        psychologist,
        psychologist,
    )


async def test_every_student_has_a_parent_and_consent(school: Generated) -> None:
    # given the enrolled students
    orphans = school.rows(
        "SELECT student_id FROM class_student WHERE student_id NOT IN "
        "(SELECT child_id FROM guardianship)"
    )

    # then each has a parent holding the parent role, and consent given by a parent (R-PD-1)
    assert orphans == []
    assert not school.rows(
        "SELECT parent_id FROM guardianship WHERE parent_id NOT IN "
        "(SELECT person_id FROM school_role WHERE role = 'parent')"
    )
    assert not school.rows(
        "SELECT c.person_id FROM consent c JOIN class_student s ON s.student_id = c.person_id "
        "WHERE NOT EXISTS (SELECT 1 FROM guardianship g "
        "WHERE g.child_id = c.person_id AND g.parent_id = c.given_by_id)"
    )
    assert school.value("SELECT count(*) FROM consent") == school.value(
        "SELECT count(*) FROM person"
    )


async def test_no_teacher_room_or_class_is_in_two_places_at_once(school: Generated) -> None:
    # given the weekly timetable and the lessons given from it,
    # then no teacher or room has two entries in one slot
    assert not school.rows(
        "SELECT teacher_id, weekday, bell_number FROM timetable_entry "
        "GROUP BY 1, 2, 3 HAVING count(*) > 1"
    )
    assert not school.rows(
        "SELECT room_id, weekday, bell_number FROM timetable_entry "
        "GROUP BY 1, 2, 3 HAVING count(*) > 1"
    )
    # a class is either together or in its two subgroups of one subject at a time
    assert not school.rows(
        "SELECT g.school_class_id, e.weekday, e.bell_number FROM timetable_entry e "
        "JOIN study_group g ON g.id = e.group_id GROUP BY 1, 2, 3 "
        "HAVING count(DISTINCT e.subject_id) > 1 "
        "OR (count(*) > 1 AND max(g.kind) = 'whole_class')"
    )
    # and substitutes are never double-booked either (R-SUB-1)
    assert not school.rows(
        "SELECT coalesce(substitute_id, teacher_id), held_on, bell_number FROM lesson "
        "WHERE status <> 'cancelled' GROUP BY 1, 2, 3 HAVING count(*) > 1"
    )


async def test_the_timetable_gives_every_class_its_curriculum(school: Generated) -> None:
    # given each class's weekly hours and its timetable
    mismatches = school.rows(
        "SELECT c.id, "
        "(SELECT sum(hours_per_week) FROM subject_class s WHERE s.school_class_id = c.id), "
        "(SELECT count(DISTINCT e.weekday * 100 + e.bell_number) FROM timetable_entry e "
        " JOIN study_group g ON g.id = e.group_id WHERE g.school_class_id = c.id) "
        "FROM school_class c"
    )

    # then every hour is in the week
    assert mismatches
    for class_id, hours, slots in mismatches:
        assert hours == slots, f"class {class_id}"


async def test_lessons_follow_the_calendar_and_the_plan(school: Generated) -> None:
    # given the lessons up to today
    today = school.today
    calendar = school_calendar(today)
    lessons = school.rows("SELECT held_on, status FROM lesson")

    # then they fall on school days only: held before today, planned today
    for held_on, status in lessons:
        day = date.fromisoformat(held_on)
        assert calendar.is_school_day(day)
        assert (status == "planned") == (day == today)
    assert {date.fromisoformat(d) for d, _ in lessons} >= {today - timedelta(days=1)}
    # R-TOPIC-1: topics come from the КТП in its order, per group and subject
    out_of_order = school.rows(
        "SELECT l.group_id, l.subject_id FROM lesson l JOIN plan_item p ON p.id = l.plan_item_id "
        "GROUP BY 1, 2 HAVING count(*) <> max(p.position) OR count(*) <> count(DISTINCT p.id)"
    )
    assert out_of_order == []
    assert not school.rows(
        "SELECT id FROM lesson "
        "WHERE status <> 'cancelled' AND (topic IS NULL OR plan_item_id IS NULL)"
    )


async def test_grades_are_on_their_subjects_scale_and_logged(school: Generated) -> None:
    # given the grades
    off_scale = school.rows(
        "SELECT g.id FROM grade g JOIN lesson l ON l.id = g.lesson_id "
        "JOIN subject s ON s.id = l.subject_id WHERE g.grade_scale_id <> s.grade_scale_id"
    )

    # then they use their subject's scale and each has its «created» change record (R-AUDIT-1)
    assert off_scale == []
    assert not school.rows(
        "SELECT g.id FROM grade g LEFT JOIN change c "
        "ON c.entity_id = g.id AND c.action = 'created' AND c.new_mark = g.mark "
        "AND c.changed_by_id = g.created_by_id WHERE c.id IS NULL"
    )
    # mostly fours and fives
    marks = dict(school.rows("SELECT mark, count(*) FROM grade GROUP BY mark"))
    assert max(marks, key=marks.__getitem__) in ("4", "5")
    assert marks["4"] + marks["5"] >= 1.5 * (marks["2"] + marks["3"])
    # graded by whoever gave the lesson
    assert not school.rows(
        "SELECT g.id FROM grade g JOIN lesson l ON l.id = g.lesson_id "
        "JOIN account a ON a.id = g.created_by_id "
        "WHERE a.person_id <> coalesce(l.substitute_id, l.teacher_id)"
    )


async def test_term_grades_are_the_rounded_weighted_averages(school: Generated) -> None:
    # given the quarters and halves that ended before today (R-FINAL-1)
    periods = school.rows(
        "SELECT id, starts_on, ends_on FROM period "
        "WHERE kind IN ('quarter', 'half') AND ends_on < ?",
        school.today.isoformat(),
    )
    assert periods
    checked = 0
    for period_id, starts_on, ends_on in periods:
        grades = school.rows(
            "SELECT g.student_id, l.subject_id, g.mark, w.weight FROM grade g "
            "JOIN lesson l ON l.id = g.lesson_id JOIN work_type w ON w.id = g.work_type_id "
            "JOIN subject s ON s.id = l.subject_id "
            "WHERE l.held_on BETWEEN ? AND ? AND NOT s.no_attestation",
            starts_on,
            ends_on,
        )
        sums: dict[tuple[int, int], list[Decimal]] = {}
        for student, subject, mark, weight in grades:
            total = sums.setdefault((student, subject), [Decimal(0), Decimal(0)])
            total[0] += Decimal(mark) * Decimal(str(weight))
            total[1] += Decimal(str(weight))

        # when the term grades are compared with the averages of the term
        finals = school.rows(
            "SELECT student_id, subject_id, mark, special FROM final_grade WHERE period_id = ?",
            period_id,
        )

        # then a mark is the average rounded half up, and «не аттестован» means no grades
        for student, subject, mark, special in finals:
            acc = sums.get((student, subject))
            if acc is None:
                assert (mark, special) == (None, "not_attested")
            else:
                expected = (acc[0] / acc[1]).quantize(Decimal(1), rounding=ROUND_HALF_UP)
                assert mark == str(expected), (period_id, student, subject)
        checked += len(finals)
    assert checked
    assert not school.rows(
        "SELECT f.id FROM final_grade f JOIN subject s ON s.id = f.subject_id "
        "WHERE s.no_attestation"
    )


async def test_each_class_has_term_grades_of_its_own_period_kind(school: Generated) -> None:
    # given the classes' period kinds and the periods that ended before today
    kinds = dict(school.rows("SELECT parallel, period_kind FROM school_class"))
    ended: dict[str, set[int]] = defaultdict(set)
    for kind, number in school.rows(
        "SELECT kind, number FROM period WHERE kind <> 'year' AND ends_on < ?",
        school.today.isoformat(),
    ):
        ended[kind].add(number)

    # when the term grades are looked up per parallel
    graded: dict[int, set[tuple[str, int]]] = defaultdict(set)
    for parallel, kind, number in school.rows(
        "SELECT DISTINCT c.parallel, p.kind, p.number FROM final_grade f "
        "JOIN period p ON p.id = f.period_id JOIN study_group g ON g.id = f.group_id "
        "JOIN school_class c ON c.id = g.school_class_id"
    ):
        graded[parallel].add((kind, number))

    # then grades 1–9 go by quarters and 10–11 by halves, each graded for every ended period
    # of its kind and no other; first graders are not graded at all
    for parallel, kind in kinds.items():
        assert kind == ("half" if parallel >= 10 else "quarter")
        expected = set() if parallel == 1 else {(kind, number) for number in ended[kind]}
        assert graded[parallel] == expected, parallel


async def test_no_lesson_falls_on_a_day_off(school: Generated) -> None:
    # given the school's days off and its lessons
    days_off = {
        date.fromisoformat(day): name
        for day, name in school.rows("SELECT on_date, name FROM day_off")
    }
    lesson_days = {date.fromisoformat(day) for (day,) in school.rows("SELECT held_on FROM lesson")}
    quarters = [
        (date.fromisoformat(first), date.fromisoformat(last))
        for first, last in school.rows(
            "SELECT starts_on, ends_on FROM period WHERE kind = 'quarter'"
        )
    ]

    # then the days off are the calendar's: weekdays of the quarters, 4 November among them
    assert days_off == dict(school_calendar(school.today).days_off)
    assert days_off[date(2026, 11, 4)] == "День народного единства"
    for day in days_off:
        assert day.weekday() < 5
        assert any(first <= day <= last for first, last in quarters)
    # and the lessons take every other weekday of the quarters up to today, and no day off
    expected = set()
    day = quarters[0][0]
    while day <= school.today:
        if day.weekday() < 5 and any(first <= day <= last for first, last in quarters):
            expected.add(day)
        day += timedelta(days=1)
    assert lesson_days == expected - days_off.keys()


def test_the_calendar_knows_holidays_and_moved_days_off() -> None:
    # given the days off of years with and without a known government decree
    days_2025 = days_off_in(2025)
    days_2027 = days_off_in(2027)

    # then the decree's moves are kept (23 February 2025, a Sunday, gave 8 May off) …
    assert {date(2025, 5, 2), date(2025, 5, 8), date(2025, 6, 13), date(2025, 11, 3)} <= set(
        days_2025
    )
    assert date(2025, 2, 24) not in days_2025
    # … and without one a holiday on a weekend gives the next weekday off
    assert days_2027[date(2027, 5, 3)] == "Выходной день (перенесён с 1 мая)"
    assert days_2027[date(2027, 5, 10)] == "Выходной день (перенесён с 9 мая)"
    # and a school year keeps those on its school days, holidays between the quarters left out
    assert list(school_calendar(date(2025, 11, 20)).days_off) == [
        date(2025, 11, 3), date(2025, 11, 4), date(2026, 2, 23), date(2026, 3, 9),
        date(2026, 5, 1), date(2026, 5, 11),
    ]  # fmt: skip


def _time(value: str) -> time:
    return time.fromisoformat(value)


def test_a_bell_overlaps_only_the_same_numbered_bell_of_the_other_schedule() -> None:
    # given the main and the first graders' bell schedules
    main, first = BELL_SCHEDULES[MAIN_SCHEDULE], BELL_SCHEDULES[FIRST_GRADE_SCHEDULE]

    # then lessons overlap only if their numbers match, so the timetable, which keeps a teacher
    # to one lesson per bell number, never has anyone in two lessons at once
    for number, starts_at, ends_at in main:
        for other, other_starts_at, other_ends_at in first:
            if starts_at < other_ends_at and other_starts_at < ends_at:
                assert number == other
    # and first graders get their 40-minute dynamic pause after the second lesson
    day = date(2026, 9, 1)
    pause = datetime.combine(day, first[2][1]) - datetime.combine(day, first[1][2])
    assert pause >= timedelta(minutes=40)


async def test_first_graders_ring_by_their_own_bells(school: Generated) -> None:
    # given the classes' bell schedules
    schedule_of = dict(
        school.rows(
            "SELECT c.parallel, s.name FROM school_class c "
            "JOIN bell_schedule s ON s.id = c.bell_schedule_id"
        )
    )
    first_grade_bells = school.rows(
        "SELECT b.starts_at, b.ends_at FROM bell b JOIN bell_schedule s "
        "ON s.id = b.bell_schedule_id WHERE s.name = ?",
        FIRST_GRADE_SCHEDULE,
    )

    # then first graders have 35-minute lessons, everyone else the main schedule
    assert schedule_of[1] == FIRST_GRADE_SCHEDULE
    assert {name for parallel, name in schedule_of.items() if parallel > 1} == {MAIN_SCHEDULE}
    assert school.value("SELECT count(*) FROM school_class WHERE bell_schedule_id IS NULL") == 0
    day = date(2026, 9, 1)
    for starts_at, ends_at in first_grade_bells:
        length = datetime.combine(day, _time(ends_at)) - datetime.combine(day, _time(starts_at))
        assert length == timedelta(minutes=35)
    # every lesson's bell is a bell of its class's schedule
    lessons = school.rows(
        "SELECT coalesce(l.substitute_id, l.teacher_id), l.held_on, b.starts_at, b.ends_at "
        "FROM lesson l JOIN study_group g ON g.id = l.group_id "
        "JOIN school_class c ON c.id = g.school_class_id "
        "LEFT JOIN bell b ON b.bell_schedule_id = c.bell_schedule_id "
        "AND b.number = l.bell_number WHERE l.status <> 'cancelled'"
    )
    assert lessons
    assert all(starts_at is not None for _, _, starts_at, _ in lessons)
    # and no teacher gives two lessons at overlapping times across the two schedules
    by_teacher: dict[tuple[int, str], list[tuple[time, time]]] = defaultdict(list)
    for teacher, held_on, starts_at, ends_at in lessons:
        by_teacher[(teacher, held_on)].append((_time(starts_at), _time(ends_at)))
    for key, times in by_teacher.items():
        times.sort()
        for (_, ends_at), (starts_at, _) in pairwise(times):
            assert ends_at <= starts_at, key


async def test_planned_works_are_the_lessons_work_types(school: Generated) -> None:
    # given the works planned in the КТП
    planned = dict(
        school.rows(
            "SELECT w.name, count(*) FROM plan_item i "
            "JOIN work_type w ON w.id = i.work_type_id GROUP BY 1"
        )
    )
    subjects = {
        name
        for (name,) in school.rows(
            "SELECT s.name FROM plan p JOIN subject s ON s.id = p.subject_id"
        )
    }

    # then units close with tests, Russian has dictations, physics and chemistry lab works
    assert planned["Контрольная работа"] > 0
    assert planned["Диктант"] > 0
    if subjects & {"Физика", "Химия"}:
        assert planned["Лабораторная работа"] > 0
    assert "Чтение наизусть" not in planned
    # first graders are not graded, so nothing is planned for marks
    assert not school.rows(
        "SELECT i.id FROM plan_item i JOIN plan p ON p.id = i.plan_id "
        "WHERE p.parallel = 1 AND i.work_type_id IS NOT NULL"
    )
    # every held lesson on such a topic has the planned work among its work types
    assert not school.rows(
        "SELECT l.id FROM lesson l JOIN plan_item i ON i.id = l.plan_item_id "
        "WHERE l.status = 'held' AND i.work_type_id IS NOT NULL AND NOT EXISTS ("
        "SELECT 1 FROM lesson_work_type t "
        "WHERE t.lesson_id = l.id AND t.work_type_id = i.work_type_id)"
    )
    # and a test or a dictation, once checked, grades nearly everyone who was there
    tests = school.rows(
        "SELECT l.id, "
        "(SELECT count(*) FROM grade m "
        " WHERE m.lesson_id = l.id AND m.work_type_id = i.work_type_id), "
        "CASE WHEN g.kind = 'whole_class' "
        "THEN (SELECT count(*) FROM class_student s WHERE s.school_class_id = g.school_class_id) "
        "ELSE (SELECT count(*) FROM group_student s WHERE s.group_id = g.id) END "
        "- (SELECT count(*) FROM attendance a WHERE a.lesson_id = l.id AND a.kind <> 'late') "
        "FROM lesson l JOIN plan_item i ON i.id = l.plan_item_id "
        "JOIN work_type w ON w.id = i.work_type_id JOIN study_group g ON g.id = l.group_id "
        "WHERE l.status = 'held' AND w.name IN ('Контрольная работа', 'Диктант') "
        "AND l.held_on <= ?",
        (school.today - timedelta(days=7)).isoformat(),
    )
    assert tests
    graded = sum(count for _, count, _ in tests)
    present = sum(count for _, _, count in tests)
    assert graded >= 0.85 * present
    assert all(count >= present / 2 for _, count, present in tests)


async def test_every_login_is_lower_case(school: Generated) -> None:
    # given all the accounts
    logins = [login for (login,) in school.rows("SELECT login FROM account")]

    # then they are lower-case Latin, as the database's check wants, transliterated ones too
    assert logins
    assert [login for login in logins if not re.fullmatch(r"[a-z0-9._]+", login)] == []
    assert school.value("SELECT count(*) FROM account WHERE login LIKE '%.%'") > len(DEMO_ROLES)


async def test_the_migrated_schema_takes_the_school(engine: AsyncEngine) -> None:
    # given a database of either engine, built by the migrations with their CHECK constraints
    # when the small school is generated into it
    logins = await generate_demo(engine, SMALL)

    # then the demo logins are there, every login is lower case and the days off are written
    async with engine.connect() as connection:

        async def value(sql: str) -> Any:
            return (await connection.execute(text(sql))).scalar()

        upper = await value("SELECT count(*) FROM account WHERE login <> lower(login)")
        days_off = await value("SELECT count(*) FROM day_off")
        halves = await value("SELECT count(*) FROM period WHERE kind = 'half'")
        senior = await value("SELECT count(*) FROM school_class WHERE bell_schedule_id IS NULL")
    assert [login.login for login in logins] == list(DEMO_ROLES)
    assert upper == 0
    assert days_off == len(school_calendar(TODAY).days_off) > 0
    assert halves == 2
    assert senior == 0


async def test_attendance_and_homework_are_recorded(school: Generated) -> None:
    # given the held lessons' attendance and homework
    held = school.value("SELECT count(*) FROM lesson WHERE status = 'held'")
    kinds = dict(school.rows("SELECT kind, count(*) FROM attendance GROUP BY kind"))

    # then all kinds of absence occur, and lateness carries its minutes (R-ATT-1)
    assert set(kinds) == {"absent_valid", "absent_unexcused", "ill", "late"}
    assert not school.rows(
        "SELECT id FROM attendance WHERE (kind = 'late') <> (late_minutes IS NOT NULL)"
    )
    # R-HW-1: homework is due at the group's next lesson of the subject
    assert school.value("SELECT count(*) FROM homework") > held // 3
    assert not school.rows(
        "SELECT h.id FROM homework h JOIN lesson l ON l.id = h.lesson_id "
        "WHERE h.due_on <= l.held_on OR l.status <> 'held'"
    )
    assert not school.rows(
        "SELECT h.id FROM homework h WHERE h.is_individual "
        "AND NOT EXISTS (SELECT 1 FROM homework_student s WHERE s.homework_id = h.id)"
    )


async def test_most_entries_are_on_time_and_some_are_late(school: Generated) -> None:
    # given the generated journal (R-CONTROL-1)
    for table in ["grade", "attendance", "homework", "final_grade"]:
        total, late = school.rows(f"SELECT count(*), sum(1 - on_time) FROM {table}")[0]
        # then a few percent of each kind of entry were made after the deadline
        assert total > 0, table
        assert 0 < late < total * 0.2, (table, late, total)
    # and held lessons record when attendance was taken; a few have not been filled in yet
    held = school.value("SELECT count(*) FROM lesson WHERE status = 'held'")
    taken = school.value("SELECT count(*) FROM lesson WHERE attendance_taken_at IS NOT NULL")
    assert held * 0.9 < taken <= held
    assert not school.rows(
        "SELECT id FROM lesson WHERE attendance_taken_at IS NULL AND status = 'held' "
        "AND EXISTS (SELECT 1 FROM attendance a WHERE a.lesson_id = lesson.id)"
    )
    assert not school.rows(
        "SELECT id FROM lesson WHERE attendance_taken_at IS NOT NULL AND status <> 'held'"
    )


async def test_a_second_run_adds_a_school_beside_the_first(tmp_path: Path) -> None:
    # given a database with a demo school
    path = tmp_path / "demo.sqlite3"
    await _generate(path, SMALL)
    generated = Generated(path, [])
    before = _table_counts(generated)

    # when another one is generated into it
    logins = await _generate(path, DemoOptions(**{**SMALL.__dict__, "seed": 99}))

    # then it gets its own demo logins, and every table grew without breaking a reference
    assert [login.login for login in logins] == [f"s2.{role}" for role in DEMO_ROLES]
    after = _table_counts(generated)
    assert after["school"] == 2
    assert after["region"] == before["region"] == 1
    assert all(after[name] >= count for name, count in before.items())
    assert generated.rows("PRAGMA foreign_key_check") == []
    assert generated.value("SELECT count(DISTINCT short_name) FROM school") == 2


async def test_invalid_options_are_refused(tmp_path: Path) -> None:
    # given options asking for more parallels than a school has
    options = DemoOptions(parallels=12)

    # when generating, then nothing is written
    with pytest.raises(ValueError, match="parallels"):
        await _generate(tmp_path / "demo.sqlite3", options)
