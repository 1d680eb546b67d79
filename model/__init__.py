"""The school's data as SQLAlchemy models, one module per aggregate."""

from model.accounts import Account, AuthToken, AuthTokenSchool, TokenKind
from model.audit import (
    Change,
    ChangeAction,
    ChangeKind,
    GradeChange,
    GradeReport,
    GradeReportStatus,
    QueryLog,
)
from model.base import Base
from model.calendar import (
    Bell,
    BellSchedule,
    DayOff,
    Period,
    PeriodKind,
    SchoolYear,
    WorkingDay,
)
from model.classes import ClassStudent, Group, GroupKind, GroupStudent, SchoolClass
from model.curriculum import (
    GradeScale,
    GradeScaleMark,
    Subject,
    SubjectClass,
    SubjectRoom,
    SubjectTeacher,
    WorkType,
)
from model.grading import FinalGrade, FinalGradeSpecial, Grade, PeriodReopening
from model.journal import (
    Attendance,
    AttendanceKind,
    Homework,
    HomeworkStudent,
    Lesson,
    LessonStatus,
    LessonWorkType,
)
from model.people import Consent, Guardianship, Kinship, Person, Role, SchoolRole, Sex
from model.plan import Plan, PlanItem
from model.school import Building, EditWindow, Municipality, Region, Room, School
from model.sign_in import SignInFailure, SignInThrottle, ThrottleKind
from model.timetable import TimetableChange, TimetableChangeKind, TimetableEntry

__all__ = [
    "Account",
    "Attendance",
    "AttendanceKind",
    "AuthToken",
    "AuthTokenSchool",
    "Base",
    "Bell",
    "BellSchedule",
    "Building",
    "Change",
    "ChangeAction",
    "ChangeKind",
    "ClassStudent",
    "Consent",
    "DayOff",
    "EditWindow",
    "FinalGrade",
    "FinalGradeSpecial",
    "Grade",
    "GradeChange",
    "GradeReport",
    "GradeReportStatus",
    "GradeScale",
    "GradeScaleMark",
    "Group",
    "GroupKind",
    "GroupStudent",
    "Guardianship",
    "Homework",
    "HomeworkStudent",
    "Kinship",
    "Lesson",
    "LessonStatus",
    "LessonWorkType",
    "Municipality",
    "Period",
    "PeriodKind",
    "PeriodReopening",
    "Person",
    "Plan",
    "PlanItem",
    "QueryLog",
    "Region",
    "Role",
    "Room",
    "School",
    "SchoolClass",
    "SchoolRole",
    "SchoolYear",
    "Sex",
    "SignInFailure",
    "SignInThrottle",
    "Subject",
    "SubjectClass",
    "SubjectRoom",
    "SubjectTeacher",
    "ThrottleKind",
    "TimetableChange",
    "TimetableChangeKind",
    "TimetableEntry",
    "TokenKind",
    "WorkType",
    "WorkingDay",
]
