"""`own_class`: the classes the person is class teacher of — all subjects, students, parents."""

from sqlalchemy import ColumnElement, and_, or_, select

import model as m
from plugins import relations as r
from plugins.base import Condition, Scope
from plugins.staff import STAFF_ROLES


def _lessons(scope: Scope) -> ColumnElement[int]:
    return r.lessons_of_groups(r.groups_of_classes(r.own_classes(scope)))  # type: ignore[return-value]


def _person(scope: Scope) -> ColumnElement[bool]:
    students = r.students_of_classes(r.own_classes(scope))
    return or_(m.Person.id.in_(students), m.Person.id.in_(r.parents_of(students)))


def _account(scope: Scope) -> ColumnElement[bool]:
    """The accounts of the class's students and parents, unless they also work somewhere: a
    parent who is a teacher or the admin keeps their account out of the class teacher's hands
    (a reset would give the class teacher their password)."""
    students = r.students_of_classes(r.own_classes(scope))
    staff = select(m.SchoolRole.person_id).where(
        m.SchoolRole.role.in_([role.value for role in STAFF_ROLES])
    )
    return and_(
        or_(m.Account.person_id.in_(students), m.Account.person_id.in_(r.parents_of(students))),
        m.Account.person_id.not_in(staff),
        m.Account.person_id.not_in(select(m.MunicipalityRole.person_id)),
    )


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
        m.Account: _account,
    },
)
