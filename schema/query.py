"""The root query: the API's table of contents for reading."""

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from strawberry import relay

from policies.vocabulary import Action, Resource
from schema import accounts, api_tokens, journal_queries, journal_views, reference
from schema import grade_reports as reports
from schema import journal_control as control
from schema.node import node
from schema.permissions import Active, can

T = TypeVar("T")


def _read(resolver: Callable[..., Awaitable[T]], resource: Resource, description: str) -> T:
    """A root field reading a resource's rows: declared, and filtered in SQL for the caller."""
    field: T = strawberry.field(
        resolver=resolver, permission_classes=[can(resource, Action.READ)], description=description
    )
    return field


@strawberry.type
class Query:
    me = accounts.me_field
    node: relay.Node = strawberry.field(
        resolver=node, permission_classes=[Active], description="Any object by its global ID."
    )

    schools = _read(reference.schools, Resource.SCHOOL, "Schools you hold a role in.")
    buildings = _read(reference.buildings, Resource.PREMISES, "School buildings.")
    rooms = _read(reference.rooms, Resource.PREMISES, "Rooms of the buildings.")
    subjects = _read(reference.subjects, Resource.CURRICULUM, "Subjects taught.")
    work_types = _read(
        reference.work_types, Resource.CURRICULUM, "Kinds of graded work with weights."
    )
    grade_scales = _read(
        reference.grade_scales, Resource.CURRICULUM, "Grade scales and their marks."
    )
    school_years = _read(reference.school_years, Resource.CALENDAR, "School years.")
    periods = _read(
        reference.periods,
        Resource.CALENDAR,
        "Reporting periods: quarters, trimesters, halves, years.",
    )
    bell_schedules = _read(reference.bell_schedules, Resource.CALENDAR, "Bell schedules.")
    days_off = _read(
        reference.days_off, Resource.CALENDAR, "Public holidays and moved days off, by date."
    )
    classes = _read(reference.classes, Resource.SCHOOL_CLASS, "Classes, by parallel and letter.")
    groups = _read(reference.groups, Resource.GROUP, "Whole-class groups and subgroups.")
    timetable = _read(
        reference.timetable, Resource.TIMETABLE, "The weekly timetable, by weekday and bell."
    )
    timetable_changes = _read(
        reference.timetable_changes, Resource.TIMETABLE, "Dated timetable changes."
    )
    plans = _read(reference.plans, Resource.PLAN, "Calendar-thematic plans (КТП).")

    people = _read(journal_queries.people_list, Resource.PERSON, "Students, parents and staff.")
    lessons = _read(journal_queries.lessons, Resource.LESSON, "Lessons by date and bell.")
    grades = _read(journal_queries.grades, Resource.GRADE, "Grades.")
    attendance = _read(journal_queries.attendance, Resource.ATTENDANCE, "Absences and lates.")
    homework = _read(journal_queries.homework, Resource.HOMEWORK, "Homework, by due date.")
    final_grades = _read(
        journal_queries.final_grades, Resource.FINAL_GRADE, "Term and final grades."
    )
    period_reopenings = _read(
        reference.period_reopenings, Resource.PERIOD_REOPENING, "Reopened locked periods."
    )
    grade_averages = strawberry.field(
        resolver=journal_queries.grade_averages,
        permission_classes=[can(Resource.GRADE, Action.READ)],
        description="Average and weighted average per student and subject over the filter's "
        "lessons (a period or any dates) for a class, group or student (R-SUMMARY-1), by "
        "student, then subject, as they were created: a page of them; totalCount counts all.",
    )
    grade_reports = reports.grade_reports_field
    grade_changes = _read(
        journal_queries.grade_changes, Resource.GRADE_CHANGE, "The grade change log (R-AUDIT-1)."
    )
    journal_control = control.journal_control_field
    activity_rating = control.activity_rating_field
    api_tokens = api_tokens.api_tokens_field
    sign_in_failures = accounts.sign_in_failures_field

    grade_grid = _read(
        journal_views.grade_grid_field,
        Resource.GRADE,
        "A group's students × its lessons of a subject in a period, with grades, absences "
        "and averages: the teacher's journal page, in five statements whatever its size.",
    )
    class_journal = _read(
        journal_views.class_journal_field,
        Resource.LESSON,
        "A class's lessons in every subject over some dates (93 days at most), with topics, "
        "homework, grades and absences: the class journal page.",
    )
    diary_week = _read(
        journal_views.diary_week_field,
        Resource.LESSON,
        "A student's school week, Monday on: the timetable with its changes, the lessons "
        "with topics and homework, the student's grades and absences (the diary).",
    )
    school_overview = _read(
        journal_views.school_overview_field,
        Resource.GRADE,
        "Per class and subject in a period: average, weighted average, marks, lessons held, "
        "and those held without a topic or homework (the head's control panel).",
    )
