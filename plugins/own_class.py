"""`own_class`: the classes the person is class teacher of — all subjects, students, parents."""

from sqlalchemy import ColumnElement, or_

import model as m
from plugins import relations as r
from plugins.base import Condition, Scope


def _lessons(scope: Scope) -> ColumnElement[int]:
    return r.lessons_of_groups(r.groups_of_classes(r.own_classes(scope)))  # type: ignore[return-value]


def _person(scope: Scope) -> ColumnElement[bool]:
    students = r.students_of_classes(r.own_classes(scope))
    return or_(m.Person.id.in_(students), m.Person.id.in_(r.parents_of(students)))


def _consent(scope: Scope) -> ColumnElement[bool]:
    students = r.students_of_classes(r.own_classes(scope))
    return or_(m.Consent.person_id.in_(students), m.Consent.person_id.in_(r.parents_of(students)))


own_class = Condition(
    name="own_class",
    in_words="their class",
    description="the classes the person is class teacher of: every subject, student and parent",
    needs_person=True,
    renderers={
        m.SchoolClass: lambda scope: m.SchoolClass.id.in_(r.own_classes(scope)),
        m.Group: lambda scope: m.Group.school_class_id.in_(r.own_classes(scope)),
        # The class's weekly slots (Г.1 #7); not the day's changes, which the deputy makes.
        m.TimetableEntry: lambda scope: m.TimetableEntry.group_id.in_(
            r.groups_of_classes(r.own_classes(scope))
        ),
        m.Lesson: lambda scope: m.Lesson.id.in_(_lessons(scope)),
        m.Grade: lambda scope: m.Grade.lesson_id.in_(_lessons(scope)),
        m.Attendance: lambda scope: m.Attendance.lesson_id.in_(_lessons(scope)),
        m.Homework: lambda scope: m.Homework.lesson_id.in_(_lessons(scope)),
        m.GradeChange: lambda scope: m.GradeChange.lesson_id.in_(_lessons(scope)),
        m.GradeReport: lambda scope: m.GradeReport.lesson_id.in_(_lessons(scope)),
        m.FinalGrade: lambda scope: m.FinalGrade.group_id.in_(
            r.groups_of_classes(r.own_classes(scope))
        ),
        m.Person: _person,
        m.Consent: _consent,
    },
)
