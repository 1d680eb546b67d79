"""The root query: the API's table of contents for reading."""

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from strawberry import relay

from schema import accounts, journal_queries, reference
from schema.node import node
from schema.permissions import Active

T = TypeVar("T")


def _list(resolver: Callable[..., Awaitable[T]], description: str) -> T:
    """A root list, open to any active principal; rows are filtered by `readable` in SQL."""
    field: T = strawberry.field(
        resolver=resolver, permission_classes=[Active], description=description
    )
    return field


@strawberry.type
class Query:
    me = accounts.me_field
    node: relay.Node = strawberry.field(
        resolver=node, permission_classes=[Active], description="Any object by its global ID."
    )

    schools = _list(reference.schools, "Schools you hold a role in.")
    buildings = _list(reference.buildings, "School buildings.")
    rooms = _list(reference.rooms, "Rooms of the buildings.")
    subjects = _list(reference.subjects, "Subjects taught.")
    work_types = _list(reference.work_types, "Kinds of graded work with weights.")
    grade_scales = _list(reference.grade_scales, "Grade scales and their marks.")
    school_years = _list(reference.school_years, "School years.")
    periods = _list(reference.periods, "Reporting periods: quarters, trimesters, halves, years.")
    bell_schedules = _list(reference.bell_schedules, "Bell schedules.")
    days_off = _list(reference.days_off, "Public holidays and moved days off, by date.")
    classes = _list(reference.classes, "Classes, by parallel and letter.")
    groups = _list(reference.groups, "Whole-class groups and subgroups.")
    timetable = _list(reference.timetable, "The weekly timetable, by weekday and bell.")
    timetable_changes = _list(reference.timetable_changes, "Dated timetable changes.")
    plans = _list(reference.plans, "Calendar-thematic plans (КТП).")

    people = _list(journal_queries.people_list, "Students, parents and staff.")
    lessons = _list(journal_queries.lessons, "Lessons by date and bell.")
    grades = _list(journal_queries.grades, "Grades.")
    attendance = _list(journal_queries.attendance, "Absences and lates.")
    homework = _list(journal_queries.homework, "Homework, by due date.")
    final_grades = _list(journal_queries.final_grades, "Term and final grades.")
    grade_changes = _list(journal_queries.grade_changes, "The grade change log (R-AUDIT-1).")
