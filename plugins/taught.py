"""`taught`: what the person teaches — their groups and subjects, and lessons they substituted
(the class of a substituted lesson only while it lasts, `relations.substituting`)."""

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import aliased

import model as m
from plugins import relations as r
from plugins.base import Condition, Scope


def _final_grade(scope: Scope) -> ColumnElement[bool]:
    return (m.FinalGrade.school_id == scope.school_id) & r.teaches_pair(
        scope, m.FinalGrade.group_id, m.FinalGrade.subject_id
    )


def _school_class(scope: Scope) -> ColumnElement[bool]:
    group = aliased(m.Group)
    return exists().where(
        group.school_class_id == m.SchoolClass.id, r.teaches_group(scope, group.id)
    )


def _plan(scope: Scope) -> ColumnElement[bool]:
    """Plans of the subjects they teach: in the timetable, or linked to them as the subject's
    teacher (so a КТП is written before the year's timetable is, Д.1 #3)."""
    subjects = select(m.TimetableEntry.subject_id).where(
        m.TimetableEntry.teacher_id == scope.person_id
    )
    linked = select(m.SubjectTeacher.subject_id).where(
        m.SubjectTeacher.teacher_id == scope.person_id
    )
    return (m.Plan.school_id == scope.school_id) & (
        m.Plan.subject_id.in_(subjects) | m.Plan.subject_id.in_(linked)
    )


def _plan_item(scope: Scope) -> ColumnElement[bool]:
    return m.PlanItem.plan_id.in_(select(m.Plan.id).where(_plan(scope)))


taught = Condition(
    name="taught",
    in_words="what they teach",
    description="the groups and subjects the person teaches now, and lessons they gave; a "
    "substitute's class only while the lesson lasts",
    needs_person=True,
    renderers={
        m.Lesson: r.teaches_lesson,
        m.Grade: lambda scope: r.via_taught_lesson(scope, m.Grade.lesson_id),
        m.Attendance: lambda scope: r.via_taught_lesson(scope, m.Attendance.lesson_id),
        m.Homework: lambda scope: r.via_taught_lesson(scope, m.Homework.lesson_id),
        m.GradeChange: lambda scope: r.via_taught_lesson(scope, m.GradeChange.lesson_id),
        m.GradeReport: lambda scope: r.via_taught_lesson(scope, m.GradeReport.lesson_id),
        m.FinalGrade: _final_grade,
        m.Group: lambda scope: r.teaches_group(scope, m.Group.id),
        m.SchoolClass: _school_class,
        m.Person: lambda scope: r.taught_student(scope, m.Person.id),
        m.Plan: _plan,
        m.PlanItem: _plan_item,
    },
)
