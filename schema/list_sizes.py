"""How many items a list field answers at most, declared next to the field (`metadata`), for
the cost analysis (`schema/cost.py`). A connection's page is as long as its `first`; every
other list declares its bound here, in the school's terms. A test walks the schema for any list
without one. The bounds are generous estimates, not limits the resolvers enforce."""

from typing import Final

from resolvers.journal.journal_writes import MAX_BATCH
from resolvers.screens.class_journal import MAX_DAYS

LIST_SIZE: Final = "list_size"  # the metadata key
PAGE: Final = "page"  # a connection's `edges` and `nodes`: as many as the connection's `first`

CLASS_SIZE = 40  # students of a class, a group or a lesson
PARENTS = 4  # a student's parents and guardians
CHILDREN = 10  # a parent's children
SCHOOL_YEARS = 12  # a student's classes over the years (and a class teacher's)
ROLES = 20  # roles one person holds in their schools
CONSENTS = 10  # a person's consents to the processing of personal data
GROUPS_OF_A_CLASS = 20  # the whole class and its subgroups
SUBJECTS_OF_A_CLASS = 30
TEACHERS_OF_A_SUBJECT = 30
BUILDINGS = 10  # of a school
ROOMS = 150  # of a building, or for a subject
PERIODS = 6  # quarters, halves or trimesters of a school year
BELLS = 12  # of a bell schedule
MARKS = 20  # of a grade scale
PLAN_ITEMS = 250  # topics of a plan (КТП): 7 lessons a week, 35 weeks
WORK_TYPES_OF_A_LESSON = 10
HOMEWORK_OF_A_LESSON = CLASS_SIZE  # individual homework: one per student at most
GRADES_OF_A_LESSON = 3 * CLASS_SIZE  # a few grades per student
HOMEWORK_OF_A_STUDENTS_LESSON = 5  # the class's and the student's own, in a diary
GRADES_OF_A_STUDENTS_LESSON = 3
WRITTEN_AT_ONCE = MAX_BATCH  # entries one journal write takes and answers
LESSONS_OF_A_DAY = 12  # of a class (subgroups split some), or a student's in a diary day
DAYS_OF_A_WEEK = 7
LESSONS_OF_A_PERIOD = 100  # of one subject and group: a half-year of five lessons a week
GRID_CELLS = CLASS_SIZE * LESSONS_OF_A_PERIOD  # a grade grid's grades or absences
JOURNAL_DAYS = MAX_DAYS  # a class journal page covers at most 93 days, both ends included
JOURNAL_LESSONS = 8 * JOURNAL_DAYS * 5 // 7  # eight lessons on each school day of the page
JOURNAL_CELLS = CLASS_SIZE * JOURNAL_LESSONS
CLASS_SUBJECTS = 60 * SUBJECTS_OF_A_CLASS  # rows of a school overview: classes × subjects
STUDENT_SUBJECTS = CLASS_SIZE * SUBJECTS_OF_A_CLASS  # a class's averages per student × subject
CONTROL_ROWS = 2_000  # journal control: teacher × class × subject of a school
SCHOOLS = 500  # of a region: an activity rating, an inspector's token
PERMISSIONS = 500  # what the caller may do, per school, resource and action
SCOPES = 20  # of an API token
CONDITIONS = 10  # of a permission
DAY_MARKS = CLASS_SIZE * LESSONS_OF_A_DAY  # absences of a class's school day
# What a school's set-up lacks: the calendar's few, then per class its teacher, curriculum,
# hours and each subject's teacher and КТП.
SETUP_ITEMS = 10 + 60 * (3 + 2 * SUBJECTS_OF_A_CLASS)


def at_most(items: int) -> dict[str, object]:
    """Field metadata: the list answers at most `items` items."""
    return {LIST_SIZE: items}


def page_rows() -> dict[str, object]:
    """Field metadata: a connection's rows, as many as its `first`."""
    return {LIST_SIZE: PAGE}
