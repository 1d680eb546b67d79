"""The root query: the API's table of contents for reading."""

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from strawberry import relay

from policies.vocabulary import Action, Resource
from schema import audit
from schema.accounts import account_writes, api_tokens, compromise, sign_in
from schema.journal import grade_reports as reports
from schema.journal import journal_queries
from schema.list_sizes import JOURNAL_DAYS
from schema.messages import messaging
from schema.node import node
from schema.notifications import deliveries
from schema.notifications import feed as notification_feed
from schema.notifications import preferences as notification_preferences
from schema.people import import_jobs, personal_data
from schema.permissions import Active, can
from schema.reports import report_jobs
from schema.screens import attestation, journal_pages, journal_views, summary_statements
from schema.screens import journal_control as control
from schema.setup import readiness, reference

T = TypeVar("T")


def _read(resolver: Callable[..., Awaitable[T]], resource: Resource, description: str) -> T:
    """A root field reading a resource's rows: declared, and filtered in SQL for the caller."""
    field: T = strawberry.field(
        resolver=resolver, permission_classes=[can(resource, Action.READ)], description=description
    )
    return field


@strawberry.type(
    description="Everything the API reads. Every list holds only the rows your roles let you "
    "read, and counts only those; each field says its order and who may read it."
)
class Query:
    me = sign_in.me_field
    node: relay.Node = strawberry.field(
        resolver=node,
        permission_classes=[Active],
        description="Any object by its global ID, as every `id` field gives it; under the "
        "same rules as the lists: what you may not read, or another school's, is NOT_FOUND "
        "(FORBIDDEN when your roles read no objects of its type anywhere).",
    )

    schools = _read(
        reference.schools,
        Resource.SCHOOL,
        "The schools you hold a role in (or your token reads), by name.",
    )
    buildings = _read(
        reference.buildings, Resource.PREMISES, "School buildings («Здания»), by name."
    )
    rooms = _read(
        reference.rooms, Resource.PREMISES, "Rooms of the buildings («Кабинеты и места»), by name."
    )
    subjects = _read(
        reference.subjects,
        Resource.CURRICULUM,
        "The subjects a school teaches («Предметы»), by name.",
    )
    work_types = _read(
        reference.work_types,
        Resource.CURRICULUM,
        "Kinds of graded work (виды работ) with their weights and checking days, by name.",
    )
    grade_scales = _read(
        reference.grade_scales,
        Resource.CURRICULUM,
        "Grade scales (шкалы оценок) and their marks, by name.",
    )
    school_years = _read(
        reference.school_years, Resource.CALENDAR, "School years (учебный год), oldest first."
    )
    periods = _read(
        reference.periods,
        Resource.CALENDAR,
        "Reporting periods (учебные периоды): quarters «четверти», trimesters, half-years and "
        "the years, by start date; of those starting on one day the shortest first.",
    )
    bell_schedules = _read(
        reference.bell_schedules, Resource.CALENDAR, "Bell schedules (расписание звонков), by name."
    )
    days_off = _read(
        reference.days_off,
        Resource.CALENDAR,
        "Public holidays and moved days off (праздничные и перенесённые выходные дни), by date.",
    )
    working_days = _read(
        reference.working_days,
        Resource.CALENDAR,
        "Days worked instead of others (перенесённые рабочие дни), by date.",
    )
    classes = _read(
        reference.classes, Resource.SCHOOL_CLASS, "Classes, by parallel, then letter: 5А, 5Б, 6А."
    )
    groups = _read(
        reference.groups,
        Resource.GROUP,
        "Whole-class groups and subgroups (подгруппы), class by class (in the order the "
        "classes were entered), each class's by name.",
    )
    timetable = _read(
        reference.timetable,
        Resource.TIMETABLE,
        "The weekly timetable (расписание уроков): its slots by weekday, then bell.",
    )
    timetable_changes = _read(
        reference.timetable_changes,
        Resource.TIMETABLE,
        "One-day changes to the timetable (замены, переносы, отмены), by date.",
    )
    plans = _read(
        reference.plans,
        Resource.PLAN,
        "Calendar-thematic plans (КТП, календарно-тематическое планирование), by parallel, "
        "then subject (in the order the subjects were entered).",
    )

    people = _read(
        journal_queries.people_list,
        Resource.PERSON,
        "Students, parents and staff, by last name, then first name.",
    )
    lessons = _read(
        journal_queries.lessons,
        Resource.LESSON,
        "Lessons (уроки) as the journal holds them, by date, then bell.",
    )
    grades = _read(
        journal_queries.grades,
        Resource.GRADE,
        "Grades (оценки, отметки) for work in lessons, lesson by lesson (lessons in the order "
        "they were entered), each lesson's in the order they were entered.",
    )
    attendance = _read(
        journal_queries.attendance,
        Resource.ATTENDANCE,
        "Absences and late arrivals (пропуски и опоздания); a student without one was present. "
        "Lesson by lesson (lessons in the order they were entered), each lesson's in the order "
        "they were marked.",
    )
    homework = _read(
        journal_queries.homework,
        Resource.HOMEWORK,
        "Homework (домашнее задание) set in the filter's lessons, by due date; with "
        "`studentId`, the homework that student has to do (the group's and their own).",
    )
    final_grades = _read(
        journal_queries.final_grades,
        Resource.FINAL_GRADE,
        "Term and final grades (итоговые отметки за четверть, полугодие, год), period by "
        "period, subject by subject, student by student (each in the order entered). Of the "
        "filter, `periodId` picks the grades given for that period, and `teacherId`, "
        "`dateFrom` and `dateTo` do not apply to them.",
    )
    period_reopenings = _read(
        reference.period_reopenings,
        Resource.PERIOD_REOPENING,
        "Periods locked by final grades that the admin reopened, with the reasons, oldest first.",
    )
    grade_averages = strawberry.field(
        resolver=journal_queries.grade_averages,
        permission_classes=[can(Resource.GRADE, Action.READ)],
        description="Average and weighted average per student and subject over the filter's "
        "lessons (a period or any dates) for a class, group or student (сводная ведомость), by "
        "student, then subject, as they were created: a page of them; totalCount counts all.",
    )
    grade_reports = reports.grade_reports_field
    grade_changes = _read(
        journal_queries.grade_changes,
        Resource.GRADE_CHANGE,
        "The grade change log (журнал изменений оценок): every grade entered, changed or "
        "deleted, with the old and new mark, who and when, oldest first.",
    )
    changes = _read(
        audit.changes,
        Resource.CHANGE,
        "The audit trail (журнал действий): every record of the school entered, corrected, "
        "archived or deleted — reference data, people, the journal — with its state before and "
        "after, who and when, oldest first.",
    )
    # Setting a school up (R-SETUP-1): what it still lacks before the year starts.
    school_setup = readiness.school_setup_field
    journal_control = control.journal_control_field
    activity_rating = control.activity_rating_field
    api_tokens = api_tokens.api_tokens_field
    sign_in_failures = sign_in.sign_in_failures_field
    accounts = account_writes.accounts_field
    compromises = compromise.compromises_field
    personal_data_reads = personal_data.personal_data_reads_field
    people_import_job = import_jobs.people_import_job_field
    # Reports and exports made as jobs (issue 13): your own, and their files.
    report_job = report_jobs.report_job_field
    report_jobs = report_jobs.report_jobs_field
    # Notifications (issue 14, Ж.1 #3): what one asked to be told and how; the in-app feed.
    notification_preferences = notification_preferences.notification_preferences_field
    notifications = notification_feed.notifications_field
    # The notifications' delivery from the outbox (issue 14), for the admin and the head.
    notification_deliveries = deliveries.notification_deliveries_field
    notification_delivery_counts = deliveries.notification_delivery_counts_field
    # Messages inside the school (issue 14, Г.1 #2): your conversations.
    message_threads = messaging.message_threads_field
    message_thread = messaging.message_thread_field
    unread_message_count = messaging.unread_message_count_field

    grade_grid = _read(
        journal_views.grade_grid_field,
        Resource.GRADE,
        "A group's students × its lessons of a subject in a reporting period, with grades, "
        "absences and each student's averages: the teacher's page of the journal (журнал "
        "успеваемости), read in five statements whatever its size.",
    )
    attestation_summary = attestation.attestation_summary_field
    attestation_certificate = attestation.attestation_certificate_field
    summary_statements = _read(
        summary_statements.summary_statements, Resource.GRADE, summary_statements.DESCRIPTION
    )
    class_journal = _read(
        journal_views.class_journal_field,
        Resource.LESSON,
        f"A class's lessons in every subject from `dateFrom` to `dateTo`, both included "
        f"({JOURNAL_DAYS} days at most: longer ranges are BAD_USER_INPUT, ask page by page), "
        "with topics, teachers, homework, grades and absences: a page of the class journal "
        "(классный журнал).",
    )
    diary_week = _read(
        journal_views.diary_week_field,
        Resource.LESSON,
        "A student's school week (электронный дневник), the week holding `weekOf`, Monday "
        "on: the timetable with its changes, the lessons with topics and homework, the "
        "student's grades and absences.",
    )
    school_overview = _read(
        journal_views.school_overview_field,
        Resource.GRADE,
        "Per class and subject in a period: average, weighted average, marks, lessons held, "
        "and those held without a topic or homework (the head's control panel).",
    )
    class_journal_pages = journal_pages.class_journal_pages_field
