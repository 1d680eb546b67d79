"""`taught`: what the person teaches — their groups and subjects, and lessons they substituted."""

from sqlalchemy import ColumnElement, select, tuple_

import model as m
from plugins import relations as r
from plugins.base import Condition, Scope


def _lesson(scope: Scope) -> ColumnElement[bool]:
    return m.Lesson.id.in_(r.taught_lessons(scope))


def _final_grade(scope: Scope) -> ColumnElement[bool]:
    return tuple_(m.FinalGrade.group_id, m.FinalGrade.subject_id).in_(r.taught_pairs(scope))


def _school_class(scope: Scope) -> ColumnElement[bool]:
    groups = select(m.Group.school_class_id).where(m.Group.id.in_(r.taught_groups(scope)))
    return m.SchoolClass.id.in_(groups)


def _plan(scope: Scope) -> ColumnElement[bool]:
    subjects = select(m.TimetableEntry.subject_id).where(
        m.TimetableEntry.teacher_id == scope.person_id
    )
    return (m.Plan.school_id == scope.school_id) & m.Plan.subject_id.in_(subjects)


taught = Condition(
    name="taught",
    description="the groups and subjects the person teaches, and lessons they substituted",
    renderers={
        m.Lesson: _lesson,
        m.Grade: lambda scope: m.Grade.lesson_id.in_(r.taught_lessons(scope)),
        m.Attendance: lambda scope: m.Attendance.lesson_id.in_(r.taught_lessons(scope)),
        m.Homework: lambda scope: m.Homework.lesson_id.in_(r.taught_lessons(scope)),
        m.GradeChange: lambda scope: m.GradeChange.lesson_id.in_(r.taught_lessons(scope)),
        m.FinalGrade: _final_grade,
        m.Group: lambda scope: m.Group.id.in_(r.taught_groups(scope)),
        m.SchoolClass: _school_class,
        m.Person: lambda scope: m.Person.id.in_(r.students_of_groups(r.taught_groups(scope))),
        m.Plan: _plan,
    },
)
