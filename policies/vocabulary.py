"""The closed vocabulary of the policies: what is protected and what may be done to it."""

import enum
from typing import Any

import model as m


class Resource(enum.StrEnum):
    SCHOOL = "school"
    MUNICIPALITY = "municipality"
    PREMISES = "premises"
    CURRICULUM = "curriculum"
    CALENDAR = "calendar"
    SCHOOL_CLASS = "school_class"
    CLASS_SETTINGS = "class_settings"
    GROUP = "group"
    PERSON = "person"
    PERSONAL_DATA = "personal_data"
    PERSONAL_DATA_LOG = "personal_data_log"
    ROLE = "role"
    CONSENT = "consent"
    ACCOUNT = "account"
    TIMETABLE = "timetable"
    PLAN = "plan"
    LESSON = "lesson"
    LESSON_PLAN = "lesson_plan"
    ATTENDANCE = "attendance"
    GRADE = "grade"
    HOMEWORK = "homework"
    FINAL_GRADE = "final_grade"
    PERIOD_REOPENING = "period_reopening"
    GRADE_CHANGE = "grade_change"
    CHANGE = "change"
    GRADE_REPORT = "grade_report"
    API_TOKEN = "api_token"
    SIGN_IN_FAILURE = "sign_in_failure"
    IMPORT_JOB = "import_job"
    JOURNAL_CONTROL = "journal_control"
    SCHOOL_SETUP = "school_setup"
    CERTIFICATE = "certificate"
    COMPROMISE = "compromise"
    COMPROMISE_VOID = "compromise_void"
    YEAR_ROLLOVER = "year_rollover"
    JOURNAL_PAGE = "journal_page"
    REPORT = "report"
    NOTIFICATION_SUBSCRIPTION = "notification_subscription"
    NOTIFICATION = "notification"
    DELIVERY = "delivery"
    MESSAGE = "message"


class Action(enum.StrEnum):
    READ = "read"
    WRITE = "write"


# Every table a read may reach, and the resource whose rules decide which of its rows.
RESOURCE_OF: dict[type[Any], Resource] = {
    m.Region: Resource.SCHOOL,
    m.Municipality: Resource.SCHOOL,
    m.School: Resource.SCHOOL,
    m.Building: Resource.PREMISES,
    m.Room: Resource.PREMISES,
    m.Subject: Resource.CURRICULUM,
    m.GradeScale: Resource.CURRICULUM,
    m.GradeScaleMark: Resource.CURRICULUM,
    m.WorkType: Resource.CURRICULUM,
    m.SubjectClass: Resource.CURRICULUM,
    m.SubjectTeacher: Resource.CURRICULUM,
    m.SubjectRoom: Resource.CURRICULUM,
    m.SchoolYear: Resource.CALENDAR,
    m.Period: Resource.CALENDAR,
    m.DayOff: Resource.CALENDAR,
    m.WorkingDay: Resource.CALENDAR,
    m.BellSchedule: Resource.CALENDAR,
    m.Bell: Resource.CALENDAR,
    m.SchoolClass: Resource.SCHOOL_CLASS,
    m.Group: Resource.GROUP,
    m.Person: Resource.PERSON,
    m.SchoolRole: Resource.ROLE,
    m.Consent: Resource.CONSENT,
    m.Account: Resource.ACCOUNT,
    m.TimetableEntry: Resource.TIMETABLE,
    m.TimetableChange: Resource.TIMETABLE,
    m.Plan: Resource.PLAN,
    m.PlanItem: Resource.PLAN,
    m.Lesson: Resource.LESSON,
    m.Attendance: Resource.ATTENDANCE,
    m.Grade: Resource.GRADE,
    m.Homework: Resource.HOMEWORK,
    m.FinalGrade: Resource.FINAL_GRADE,
    m.PeriodReopening: Resource.PERIOD_REOPENING,
    m.GradeChange: Resource.GRADE_CHANGE,
    m.Change: Resource.CHANGE,
    m.GradeReport: Resource.GRADE_REPORT,
    m.AuthToken: Resource.API_TOKEN,
    m.SignInFailure: Resource.SIGN_IN_FAILURE,
    m.Certificate: Resource.CERTIFICATE,
    m.Compromise: Resource.COMPROMISE,
    m.PersonalDataRead: Resource.PERSONAL_DATA_LOG,
    m.ImportJob: Resource.IMPORT_JOB,
    m.ReportJob: Resource.REPORT,
    m.Notification: Resource.NOTIFICATION,
    m.Message: Resource.MESSAGE,
    m.MessageRecipient: Resource.MESSAGE,
}

# Resources on some columns of another resource's table: a person's birth date, contacts,
# address (152-FZ, R-PD-1) are read by fewer roles than their name is, so their rules filter
# the same `person` rows again (`resolvers/people/personal_data.py`).
FIELDS_ON: dict[Resource, type[Any]] = {
    Resource.PERSONAL_DATA: m.Person,
    # The journal printed (its pages per subject, Б.2 #2, В.2 #2): whose lessons' pages one
    # may print, fewer than read them (a student or parent reads their own row of a page).
    Resource.JOURNAL_PAGE: m.Lesson,
    # What one is told about a student, and how (Ж.1 #3): chosen by their parents and by the
    # student, on the student's row; the caller's own choices are the rows read.
    Resource.NOTIFICATION_SUBSCRIPTION: m.Person,
    # The outbox as its admin follows it (whose notifications went out, or did not): the
    # school's rows, where `notification` lets each person read only their own feed.
    Resource.DELIVERY: m.Notification,
}

# Resources only written, on the rows of a table whose reads another resource decides: a
# municipality is written by opening a school in it, so its rules judge the school opened; a
# class's settings are written on the class, which `school_class` rules let read and keep; a
# lesson's planning (topic, КТП topic, material) on the lesson, which a class teacher writes for
# their class's coming lessons (Г.1 #9); the voiding of a compromised account's operations on
# the compromise reported (R-ACC-3), which the person reporting their own may not void.
WRITTEN_ON: dict[Resource, type[Any]] = {
    Resource.MUNICIPALITY: m.School,
    Resource.COMPROMISE_VOID: m.Compromise,
    Resource.CLASS_SETTINGS: m.SchoolClass,
    Resource.LESSON_PLAN: m.Lesson,
}

# Resources read on their own table and written on the people they address: a message is read
# by who sent or received it (`addressed`), and a new conversation is checked on its recipients
# (a class teacher's rule names `own_class`: the people of their class); a reply is checked on
# the message it answers, a row of the resource's own table.
ADDRESSED_TO: dict[Resource, type[Any]] = {Resource.MESSAGE: m.Person}

# Resources about a school as a whole, not rows of one table (how its journals are kept,
# R-CONTROL-1, R-RATING-1; what its set-up still lacks, R-SETUP-1; closing a school year and
# rolling it over to the next, R-YEAR-1: read is the preview, write the commit): a rule grants
# them per school, so its condition is `same_school`.
SCHOOL_REPORTS: frozenset[Resource] = frozenset(
    {Resource.JOURNAL_CONTROL, Resource.SCHOOL_SETUP, Resource.YEAR_ROLLOVER}
)
