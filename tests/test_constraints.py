"""The database itself refuses impossible journal rows, whatever code writes them."""

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

import model as m
from tests.factories import Factory, build


async def _lesson(f: Factory) -> tuple[m.Lesson, m.Person, m.WorkType, m.GradeScale]:
    setup = await f.school()
    school_class = await f.school_class(setup, 3, "В", students=1, parents_each=0)
    teacher = await f.person(setup, "Учитель", m.Role.TEACHER)
    subject = await f.add(
        m.Subject(
            school_id=setup.school.id,
            name="Математика",
            short_name="Мат",
            grade_scale_id=setup.scale.id,
        )
    )
    group = await f.add(
        m.Group(
            school_id=setup.school.id,
            school_class_id=school_class.id,
            kind=m.GroupKind.SUBGROUP,
            name="1 группа",
        )
    )
    lesson = await f.add(
        m.Lesson(
            school_id=setup.school.id,
            group_id=group.id,
            subject_id=subject.id,
            teacher_id=teacher.id,
            held_on=date(2026, 11, 20),
            bell_number=2,
        )
    )
    work = await f.add(
        m.WorkType(school_id=setup.school.id, name="Ответ", short_name="О", weight=Decimal(1))
    )
    student = await f.person(setup, "Ученица", m.Role.STUDENT)
    return lesson, student, work, setup.scale


def _grade(
    lesson: m.Lesson, student: m.Person, work: m.WorkType, scale: m.GradeScale, mark: str
) -> m.Grade:
    return m.Grade(
        school_id=lesson.school_id,
        lesson_id=lesson.id,
        student_id=student.id,
        work_type_id=work.id,
        grade_scale_id=scale.id,
        mark=mark,
        on_time=True,
    )


async def _refused(engine: AsyncEngine, bad: Callable[[Factory], Awaitable[object]]) -> None:
    with pytest.raises(IntegrityError):
        await build(engine, bad)


async def test_grade_mark_must_be_on_the_scale(engine: AsyncEngine) -> None:  # R-GRADE-1
    async def bad(f: Factory) -> object:
        lesson, student, work, scale = await _lesson(f)
        return await f.add(_grade(lesson, student, work, scale, "6"))

    await _refused(engine, bad)


async def test_one_grade_per_lesson_student_and_work_type(engine: AsyncEngine) -> None:
    async def bad(f: Factory) -> object:
        lesson, student, work, scale = await _lesson(f)
        await f.add(_grade(lesson, student, work, scale, "5"))
        return await f.add(_grade(lesson, student, work, scale, "4"))

    await _refused(engine, bad)


async def test_late_needs_minutes_and_only_late_has_them(engine: AsyncEngine) -> None:  # R-ATT-1
    for kind, minutes in [(m.AttendanceKind.LATE, None), (m.AttendanceKind.ILL, 5)]:

        async def bad(
            f: Factory, kind: m.AttendanceKind = kind, minutes: int | None = minutes
        ) -> object:
            lesson, student, _, _ = await _lesson(f)
            return await f.add(
                m.Attendance(
                    school_id=lesson.school_id,
                    lesson_id=lesson.id,
                    student_id=student.id,
                    kind=kind,
                    late_minutes=minutes,
                    on_time=True,
                )
            )

        await _refused(engine, bad)


async def test_final_grade_is_a_mark_or_a_special_value_not_both(engine: AsyncEngine) -> None:
    async def bad(f: Factory) -> object:  # R-FINAL-1
        lesson, student, _, scale = await _lesson(f)
        year = await f.add(
            m.SchoolYear(
                school_id=lesson.school_id,
                name="Y",
                starts_on=date(2026, 9, 1),
                ends_on=date(2027, 5, 31),
            )
        )
        period = await f.add(
            m.Period(
                school_id=lesson.school_id,
                school_year_id=year.id,
                kind=m.PeriodKind.QUARTER,
                number=1,
                name="1 четверть",
                starts_on=date(2026, 9, 1),
                ends_on=date(2026, 10, 25),
            )
        )
        return await f.add(
            m.FinalGrade(
                school_id=lesson.school_id,
                student_id=student.id,
                subject_id=lesson.subject_id,
                period_id=period.id,
                group_id=lesson.group_id,
                grade_scale_id=scale.id,
                mark="5",
                special=m.FinalGradeSpecial.EXEMPT,
                on_time=True,
            )
        )

    await _refused(engine, bad)


async def test_one_whole_class_group_per_class(engine: AsyncEngine) -> None:
    async def bad(f: Factory) -> object:
        setup = await f.school()
        school_class = await f.school_class(setup, 1, "А", students=0)
        return await f.add(
            m.Group(
                school_id=setup.school.id,
                school_class_id=school_class.id,
                kind=m.GroupKind.WHOLE_CLASS,
                name="Ещё весь класс",
            )
        )

    await _refused(engine, bad)


async def test_a_lesson_slot_holds_one_lesson_per_group(engine: AsyncEngine) -> None:
    async def bad(f: Factory) -> object:
        lesson, _, _, _ = await _lesson(f)
        return await f.add(
            m.Lesson(
                school_id=lesson.school_id,
                group_id=lesson.group_id,
                subject_id=lesson.subject_id,
                teacher_id=lesson.teacher_id,
                held_on=lesson.held_on,
                bell_number=lesson.bell_number,
            )
        )

    await _refused(engine, bad)
