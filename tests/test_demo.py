"""The demo school generator: deterministic, consistent with the model's constraints, usable."""

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from demo import DemoLogin, DemoOptions, generate_demo
from demo.accounts import DEMO_ROLES
from demo.dates import school_calendar
from model import Base
from model.db import make_engine
from resolvers.passwords import verify_password

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


@dataclass
class Generated:
    path: Path
    logins: list[DemoLogin]

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


@pytest.fixture(scope="module", params=[SMALL, MIDDLE], ids=["primary", "middle"])
async def school(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    return Generated(path, await _generate(path, request.param))


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

    # then every table the generator owns has rows (tokens are issued at login only)
    empty = sorted(name for name, count in counts.items() if count == 0)
    assert empty == ["auth_token"]
    assert school.value("SELECT count(*) FROM subject WHERE no_attestation") == 1
    assert school.value("SELECT count(*) FROM period WHERE kind = 'quarter'") == 4


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
    calendar = school_calendar(TODAY)
    lessons = school.rows("SELECT held_on, status FROM lesson")

    # then they fall on school days only: held before today, planned today
    for held_on, status in lessons:
        day = date.fromisoformat(held_on)
        assert calendar.is_school_day(day)
        assert (status == "planned") == (day == TODAY)
    assert {date.fromisoformat(d) for d, _ in lessons} >= {TODAY - timedelta(days=1)}
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
        "SELECT g.id FROM grade g LEFT JOIN grade_change c "
        "ON c.grade_id = g.id AND c.action = 'created' AND c.new_mark = g.mark "
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
    # given the first quarter, which ended before today (R-FINAL-1)
    period_id, starts_on, ends_on = school.rows(
        "SELECT id, starts_on, ends_on FROM period WHERE kind = 'quarter' AND number = 1"
    )[0]
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

    # when the term grades are compared with the averages
    finals = school.rows(
        "SELECT student_id, subject_id, mark, special FROM final_grade WHERE period_id = ?",
        period_id,
    )

    # then a mark is the average rounded half up, and «не аттестован» means no grades
    assert finals
    for student, subject, mark, special in finals:
        acc = sums.get((student, subject))
        if acc is None:
            assert (mark, special) == (None, "not_attested")
        else:
            expected = (acc[0] / acc[1]).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            assert mark == str(expected), (student, subject)
    assert not school.rows(
        "SELECT f.id FROM final_grade f JOIN subject s ON s.id = f.subject_id "
        "WHERE s.no_attestation"
    )


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
