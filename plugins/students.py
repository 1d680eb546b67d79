"""Conditions over a set of students: what a student or their parents may read about them."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, Select

import model as m
from plugins import relations as r
from plugins.base import Condition, Renderer, Scope

Students = Callable[[Scope], Select[Any]]


def about_students(
    name: str, description: str, students: Students, in_words: str = ""
) -> Condition:
    """The students' own rows, and the lessons, classes and groups they attend."""

    def of(column: Any) -> Renderer:
        return lambda scope: column.in_(students(scope))

    def lessons(scope: Scope) -> ColumnElement[bool]:
        return m.Lesson.group_id.in_(r.groups_of_students(students(scope)))

    return Condition(
        name=name,
        description=description,
        in_words=in_words,
        needs_person=True,
        renderers={
            m.Person: of(m.Person.id),
            m.Consent: of(m.Consent.person_id),
            m.Grade: of(m.Grade.student_id),
            m.Attendance: of(m.Attendance.student_id),
            m.FinalGrade: of(m.FinalGrade.student_id),
            m.GradeReport: of(m.GradeReport.student_id),
            m.Homework: lambda scope: r.homework_for_students(students(scope)),
            m.Lesson: lessons,
            m.Group: lambda scope: m.Group.id.in_(r.groups_of_students(students(scope))),
            m.SchoolClass: lambda scope: m.SchoolClass.id.in_(
                r.classes_of_students(students(scope))
            ),
        },
    )
