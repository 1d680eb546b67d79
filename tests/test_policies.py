"""The policies as a truth table, their validation, their documentation, and plugins."""

from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

import model as m
from plugins.base import Condition
from plugins.registry import ENTRY_POINT_GROUP, Plugin, discover
from policies.engine import PolicyEngine, PolicyError
from policies.matrix import DOCS, render
from policies.vocabulary import Action, Resource
from server.app import create_app
from server.settings import Settings
from tests.client import GraphQLClient
from tests.factories import PASSWORD, Factory, build
from tests.plugins import install

ENGINE = PolicyEngine()
R, A = Resource, Action

# (role, resource, action) → the conditions that allow it, "" for never; from the roles table.
TRUTH = [
    ("admin", R.TIMETABLE, A.WRITE, "same_school"),
    ("admin", R.GRADE, A.READ, "same_school"),
    ("admin", R.GRADE, A.WRITE, ""),
    ("admin", R.GRADE_CHANGE, A.READ, "same_school"),
    ("admin", R.GRADE_REPORT, A.WRITE, "same_school&answering"),
    ("head", R.GRADE_REPORT, A.WRITE, ""),
    ("head", R.GRADE, A.READ, "same_school"),
    ("head", R.GRADE, A.WRITE, ""),
    ("head", R.LESSON, A.WRITE, ""),
    ("deputy", R.TIMETABLE, A.WRITE, "same_school"),
    ("deputy", R.ATTENDANCE, A.WRITE, ""),
    ("class_teacher", R.GRADE, A.READ, "own_class"),
    ("class_teacher", R.ATTENDANCE, A.WRITE, "own_class&unlocked_period"),
    ("class_teacher", R.FINAL_GRADE, A.WRITE, "own_class&unlocked_period"),  # Д.2
    ("class_teacher", R.GRADE_REPORT, A.WRITE, ""),
    ("class_teacher", R.GROUP, A.WRITE, "own_class"),
    ("class_teacher", R.CLASS_SETTINGS, A.WRITE, "own_class"),  # Г.1 #6
    ("class_teacher", R.SCHOOL_CLASS, A.WRITE, ""),  # its class teacher: the admin's (А #17)
    ("admin", R.CLASS_SETTINGS, A.WRITE, "same_school"),
    ("teacher", R.GRADE, A.READ, "taught"),
    ("teacher", R.GRADE, A.WRITE, "taught&unlocked_period&within_edit_window"),
    ("teacher", R.LESSON, A.WRITE, "taught&unlocked_period"),
    ("teacher", R.FINAL_GRADE, A.WRITE, "taught&unlocked_period"),  # Д.2, R-LOCK-1
    ("teacher", R.GRADE_REPORT, A.WRITE, "taught&answering"),  # Е.1
    ("teacher", R.TIMETABLE, A.WRITE, ""),
    ("psychologist", R.HOMEWORK, A.WRITE, "taught&unlocked_period"),
    ("student", R.GRADE, A.READ, "self"),
    ("student", R.GRADE, A.WRITE, ""),
    ("student", R.GRADE_CHANGE, A.READ, ""),
    ("student", R.GRADE_REPORT, A.WRITE, "self&reporting"),  # Е.1
    ("parent", R.GRADE_REPORT, A.WRITE, "own_child&reporting"),
    ("parent", R.GRADE, A.READ, "own_child"),
    ("parent", R.PERSON, A.READ, "own_child|self|staff"),
    ("operator", R.SCHOOL, A.READ, "same_municipality"),
    ("operator", R.MUNICIPALITY, A.WRITE, "same_municipality"),  # it opens schools
    ("operator", R.SCHOOL, A.WRITE, ""),  # a school's parameters are its admin's (А #12, #30)
    ("admin", R.MUNICIPALITY, A.WRITE, ""),
    ("inspector", R.GRADE, A.READ, "same_school"),
    ("inspector", R.GRADE, A.WRITE, ""),
    ("inspector", R.API_TOKEN, A.READ, ""),
    ("integrator_roster", R.PERSON, A.READ, "same_school"),
    ("integrator_roster", R.GRADE, A.READ, ""),
    ("integrator_journal", R.GRADE, A.READ, "same_school"),
    ("integrator_journal", R.PERSON, A.READ, "same_school"),
]


@pytest.mark.parametrize(("role", "resource", "action", "expected"), TRUTH)
def test_truth_table(role: str, resource: Resource, action: Action, expected: str) -> None:
    alternatives = ENGINE.alternatives(role, 1, resource, action)
    found = "|".join(sorted("&".join(c.name for c in conditions) for conditions in alternatives))
    assert found == expected


def test_every_policy_line_names_known_things() -> None:
    assert ENGINE.problems() == []
    assert {role.value for role in m.Role} <= ENGINE.roles


def test_a_bad_line_is_refused_with_where_it_is() -> None:
    bad = Plugin(name="bad", policy="p, teacher, school:*, grades, read, taugth\n")
    with pytest.raises(PolicyError) as refused:
        PolicyEngine(discover(extra=[bad]))
    assert "plugin bad:1: unknown resource 'grades'" in str(refused.value)
    assert "plugin bad:1: unknown condition 'taugth'" in str(refused.value)


def test_a_resource_only_written_has_no_read_rules() -> None:
    reading = Plugin(
        name="reading", policy="p, x, school:*, municipality, read, same_municipality\n"
    )
    with pytest.raises(PolicyError, match="reading:1: 'municipality' is only written"):
        PolicyEngine(discover(extra=[reading]))


def test_a_condition_that_cannot_filter_its_resource_is_refused() -> None:
    narrow = Condition(
        name="only_lessons",
        description="",
        renderers={m.Lesson: lambda scope: m.Lesson.school_id == scope.school_id},
    )
    plugin = Plugin(
        name="narrow", conditions=[narrow], policy="p, x, school:*, grade, read, only_lessons"
    )
    with pytest.raises(PolicyError, match="cannot filter 'grade'"):
        PolicyEngine(discover(extra=[plugin]))


def test_permissions_document_is_current() -> None:
    assert DOCS.read_text() == render(ENGINE), "run `tabel policy docs`"


@pytest.fixture
def nurse_plugin_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Installs tests/nurse_plugin the way pip would: a dist-info with an entry point."""
    install(tmp_path, monkeypatch, "nurse", ENTRY_POINT_GROUP, "tests.nurse_plugin:plugin")


async def test_a_third_party_plugin_adds_a_role_and_a_condition(
    engine: AsyncEngine, nurse_plugin_installed: None
) -> None:
    # given a school with an ill student and a late one, and a nurse
    async def recipe(f: Factory) -> None:
        setup = await f.school()
        school_class = await f.school_class(setup, 2, "А", students=2, parents_each=0)
        teacher = await f.person(setup, "Учитель", m.Role.TEACHER)
        subject = await f.add(
            m.Subject(
                school_id=setup.school.id,
                name="Чтение",
                short_name="Чт",
                grade_scale_id=setup.scale.id,
            )
        )
        group = (
            await f.session.scalars(
                select(m.Group).where(m.Group.school_class_id == school_class.id)
            )
        ).one()
        lesson = await f.add(
            m.Lesson(
                school_id=setup.school.id,
                group_id=group.id,
                subject_id=subject.id,
                teacher_id=teacher.id,
                held_on=date(2026, 11, 20),
                bell_number=1,
            )
        )
        students = (
            await f.session.scalars(
                select(m.ClassStudent.student_id).where(
                    m.ClassStudent.school_class_id == school_class.id
                )
            )
        ).all()
        for student_id, kind, late in zip(
            students, [m.AttendanceKind.ILL, m.AttendanceKind.LATE], [None, 5], strict=True
        ):
            await f.add(
                m.Attendance(
                    school_id=setup.school.id,
                    lesson_id=lesson.id,
                    student_id=student_id,
                    kind=kind,
                    late_minutes=late,
                    on_time=True,
                )
            )
        nurse = await f.person(setup, "Медсестра", "nurse")  # type: ignore[arg-type]
        await f.account(nurse, "nurse")

    await build(engine, recipe)
    policy = PolicyEngine(discover())
    app = create_app(Settings(), engine=engine, policy=policy)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://tabel.test"
    ) as http:
        api = GraphQLClient(http)
        token = await api.login("nurse", PASSWORD)
        # when the nurse reads attendance, grades and lessons
        attendance = await api(
            "{ attendance { nodes { kind student { lastName } } } }", token=token
        )
        grades = await api("{ grades { totalCount } }", token=token)
        lessons = await api("{ lessons { totalCount } }", token=token)
    # then only illness shows, and the journal itself is closed to her
    assert attendance.data["attendance"]["nodes"] == [
        {"kind": "ILL", "student": {"lastName": "Ученик00"}}
    ]
    assert grades.error_code == "FORBIDDEN"
    assert lessons.error_code == "FORBIDDEN"
    assert "nurse" in policy.roles
    assert "illness" in policy.registry.conditions
