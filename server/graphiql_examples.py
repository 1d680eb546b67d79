"""GraphiQL's example documents, per role, each runnable as it is: the IDs and dates it needs
are looked up as the signed-in user by a query run first (`lookup`) and put into its variables
(`fill`), which the page shows in the Variables tab. tests/test_graphiql_examples.py runs every
one as its role on a generated demo school."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

_HEAD = """# tabel: a school's class journal and student diary.
#
# Sign in above: the page then sends your token with every
# request (`Authorization: Bearer …`; one set in Headers wins).
# "Examples…" opens documents for your role in new tabs, each
# runnable as it is (Ctrl-Enter or ▶): the page looks up the IDs
# they need and puts them into Variables.
#
# Each role sees what its rules allow: the head the whole
# school, a teacher what they teach, a parent their children.
# The schema's documentation: the book icon on the left.
"""
_DEMO = """#
# The demo's roles are logins (password: demo): admin, head,
# deputy, teacher, class_teacher, psychologist, student, parent.
"""
_ME = """
query Me {
  me {
    login
    roles { role school { name } }
    person { fullName }
  }
}
"""
WELCOME = _HEAD + _ME
WELCOME_DEMO = _HEAD + _DEMO + _ME
# What the page's sign-in bar sends: the sign-in (anonymous), then who signed in.
SIGN_IN = """mutation SignIn($login: String!, $password: String!) {
  login(login: $login, password: $password) { token }
}"""
WHO = "query Who { me { login roles { role } person { shortName } } }"

_TODAY = re.compile(r"@today(?:([+-])(\d+))?")


@dataclass(frozen=True)
class Example:
    """`fill` names each variable's source: a path into the lookup's answer
    (`schools.nodes.0.id`), or `@today`, `@today-13` (13 days before today), `@today+13`."""

    title: str
    role: str | None  # None: anyone signed in
    document: str
    lookup: str | None = None
    fill: Mapping[str, str] = field(default_factory=dict)

    def variables(self, looked_up: Mapping[str, Any], today: date) -> dict[str, Any]:
        return {name: _value(source, looked_up, today) for name, source in self.fill.items()}

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "role": self.role,
            "document": self.document,
            "lookup": self.lookup,
            "fill": dict(self.fill),
        }


def _value(source: str, looked_up: Mapping[str, Any], today: date) -> Any:
    if match := _TODAY.fullmatch(source):
        days = int(match[2] or 0)
        return (today + timedelta(days=-days if match[1] == "-" else days)).isoformat()
    value: Any = looked_up
    for key in source.split("."):
        value = value[int(key)] if isinstance(value, list) else value[key]
    return value


_SCHOOL = "{ schools(first: 1) { nodes { id } } }"
_SCHOOL_AND_PERIOD = "{ schools(first: 1) { nodes { id } } periods(first: 1) { nodes { id } } }"
_FIRST_CLASS = "{ classes(first: 1) { nodes { id } } }"
_LESSON_AND_PERIOD = (
    "{ lessons(first: 1) { nodes { group { id } subject { id } } } "
    "periods(first: 1) { nodes { id } } }"
)
_GRID = {
    "group": "lessons.nodes.0.group.id",
    "subject": "lessons.nodes.0.subject.id",
    "period": "periods.nodes.0.id",
}
_MY_PERSON = "{ me { person { id } } }"
_MY_CHILD = "{ me { person { children { person { id } } } } }"
_CHILD = "me.person.children.0.person.id"
_TWO_WEEKS = {"from": "@today-13", "to": "@today"}

EXAMPLES: tuple[Example, ...] = (
    Example("Who am I", None, _ME.lstrip()),
    # The school's admin
    Example(
        "Failed sign-ins on the school's accounts",
        "admin",
        """# Failed sign-ins on the school's accounts (kept 90 days).
query SignInFailures {
  signInFailures(first: 20) {
    totalCount
    nodes {
      attemptedAt login clientAddress
      person { fullName }
    }
  }
}
""",
    ),
    Example(
        "Who has not signed in yet",
        "admin",
        """# Logins still holding their temporary password: the people
# to hand a slip again (accountsReset prints a new one).
query NotSignedInYet {
  accounts(state: TEMPORARY, first: 50) {
    totalCount
    nodes {
      login createdAt
      person { fullName classes { name } }
    }
  }
}
""",
    ),
    Example(
        "Compromised accounts and what they did",
        "admin",
        """# Accounts reported compromised (blocked at the report),
# what each did since it was noticed, and later changes by
# others (conflicts). Void them with compromiseVoid(
#   compromiseId: <id>, operationCount: <operations listed>).
query Compromises {
  compromises(first: 20) {
    totalCount
    nodes {
      id noticedAt reportedAt voidedAt note
      person { fullName } reportedBy { shortName }
      operations(first: 20) {
        totalCount
        nodes {
          change { record recordId action after changedAt }
          conflict { changedAt changedBy { shortName } }
        }
      }
    }
  }
}
""",
    ),
    Example(
        "A consent to the processing of personal data",
        "admin",
        """# A student's parent's signed consent (152-ФЗ): their birth
# date, contacts and address are entered only once one holds
# (personalDataSet). $school and $student: looked up.
mutation ConsentRecord($school: ID!, $student: ID!) {
  consentRecord(input: {
    schoolId: $school, personId: $student,
    document: "Согласие на обработку ПДн № 41/2026"
  }) {
    id document givenAt withdrawnAt givenBy { fullName }
  }
}
""",
        "{ schools(first: 1) { nodes { id } } "
        'people(first: 1, filter: {role: "student"}) { nodes { id } } }',
        {"school": "schools.nodes.0.id", "student": "people.nodes.0.id"},
    ),
    Example(
        "Who read personal data",
        "admin",
        """# Reads of birth dates, contacts and addresses by staff,
# inspectors and integrators (152-ФЗ): whose, which fields,
# who and when, oldest first.
query PersonalDataReads {
  personalDataReads(first: 20) {
    totalCount
    nodes {
      person { fullName } fields
      reader { name kind readAt }
    }
  }
}
""",
    ),
    Example(
        "API tokens of the school",
        "admin",
        """# Inspectors' and integrators' tokens issued for the school.
query ApiTokens {
  apiTokens(first: 20) {
    totalCount
    nodes {
      name kind scopes createdAt expiresAt revokedAt lastUsedAt
      schools { name }
    }
  }
}
""",
    ),
    Example(
        "The grade change log",
        "admin",
        """# Who changed which grade, when and why: the latest 20.
query GradeChanges {
  gradeChanges(first: 20) {
    totalCount
    nodes {
      changedAt action oldMark newMark reason
      changedBy { shortName } student { shortName }
      lesson { heldOn subject { name } }
    }
  }
}
""",
    ),
    Example(
        "The school's activity rating",
        "admin",
        """# How fully and timely the school's journals are kept: its
# rank among the schools, its score and both percentages.
query ActivityRating {
  activityRating(first: 10) {
    nodes {
      rank score filledPercent onTimePercent
      school { name }
    }
  }
}
""",
    ),
    # The school's admin: setting the school up (А #12–#18)
    Example(
        "What the school's set-up still lacks",
        "admin",
        """# What is missing before the year starts (due by 5 September),
# each with what to do: periods, bells, a class teacher, the
# curriculum, a subject's teacher, the timetable, the КТП.
# $school: looked up when the tab opened.
query SchoolSetup($school: ID!) {
  schoolSetup(schoolId: $school) {
    ready dueOn schoolYear { name }
    items {
      gap missing todo parallel
      schoolClass { name } subject { name }
    }
  }
}
""",
        _SCHOOL,
        {"school": "schools.nodes.0.id"},
    ),
    Example(
        "A room",
        "admin",
        """# A room in the school's first building («Кабинеты и места»).
# A name the building has already is BAD_USER_INPUT: rename
# it to add another. $building: looked up.
mutation RoomCreate($building: ID!) {
  roomCreate(input: {
    buildingId: $building, name: "Кабинет 412", capacity: 25
  }) {
    id name capacity building { name }
  }
}
""",
        "{ buildings(first: 1) { nodes { id } } }",
        {"building": "buildings.nodes.0.id"},
    ),
    Example(
        "A subject",
        "admin",
        """# A subject graded on the school's first grade scale; an
# elective with no term grades: noAttestation: true («без
# аттестации»). $school and $scale: looked up.
mutation SubjectCreate($school: ID!, $scale: ID!) {
  subjectCreate(input: {
    schoolId: $school, name: "Астрономия", shortName: "Астр",
    gradeScaleId: $scale, noAttestation: false
  }) {
    id name shortName noAttestation gradeScale { name }
  }
}
""",
        "{ schools(first: 1) { nodes { id } } gradeScales(first: 1) { nodes { id } } }",
        {"school": "schools.nodes.0.id", "scale": "gradeScales.nodes.0.id"},
    ),
    Example(
        "A subject and its teacher",
        "admin",
        """# Who teaches a subject («предмет-педагог»): the list replaces
# the one there, so name every teacher of it. $subject (the
# first by name: «Астрономия», once added) and $teacher (a
# teacher of the school): looked up.
mutation SubjectTeachers($subject: ID!, $teacher: ID!) {
  subjectTeachersSet(
    subjectId: $subject, teacherIds: [$teacher]
  ) {
    name teachers { fullName }
  }
}
""",
        '{ subjects(first: 1) { nodes { id } } people(filter: { role: "teacher" }, first: 1)'
        " { nodes { id } } }",
        {"subject": "subjects.nodes.0.id", "teacher": "people.nodes.0.id"},
    ),
    Example(
        "The school year, its quarters and bells",
        "admin",
        """# The school's calendar: its years, their reporting periods
# (quarters, halves, the year), its bells and days off.
query Calendar {
  schoolYears(first: 5) { nodes { name startsOn endsOn } }
  periods(first: 20) {
    nodes { kind number name startsOn endsOn }
  }
  bellSchedules(first: 5) {
    nodes { name bells { number startsAt endsAt } }
  }
  daysOff(first: 20) { nodes { onDate name } }
}
""",
    ),
    Example(
        "Correct a quarter's dates",
        "admin",
        """# Move a reporting period's last day: inside its year and
# clear of the others of its kind (an overlap is
# BAD_USER_INPUT). $period and $ends, its last day as it is:
# looked up; change $ends in Variables.
mutation PeriodUpdate($period: ID!, $ends: Date!) {
  periodUpdate(input: { periodId: $period, endsOn: $ends }) {
    name kind startsOn endsOn
  }
}
""",
        "{ periods(first: 1) { nodes { id endsOn } } }",
        {"period": "periods.nodes.0.id", "ends": "periods.nodes.0.endsOn"},
    ),
    Example(
        "Import people as a job",
        "admin",
        """# A file of people (base64; gzip-compressed too), checked
# and imported by the server in the background: a dry run
# here (commit: false). Follow it: peopleImportJob(id).
mutation PeopleImportStart($school: ID!) {
  peopleImportStart(input: {
    schoolId: $school, fileName: "people.csv", commit: false
    content: \"\"\"
      0JrQvtC0O9Ck0LDQvNC40LvQuNGPO9CY0LzRjzvQoNC+0LvRjApuMTvQ
      ndC+0LLQuNC60L7QstCwO9CS0LXRgNCwO9GD0YfQuNGC0LXQu9GMCg==
    \"\"\"
  }) {
    id status phase rowsDone rowsTotal queuedAt
  }
}
""",
        _SCHOOL,
        {"school": "schools.nodes.0.id"},
    ),
    Example(
        "A bell schedule with its bells",
        "admin",
        """# A bell schedule (расписание звонков): its bells numbered,
# in order, not overlapping; a clash is BAD_USER_INPUT naming
# the bells (and `item`). $school: looked up when the tab
# opened. Once entered, its name is taken: change it to rerun.
mutation BellSchedule($school: ID!) {
  bellScheduleCreate(input: {
    schoolId: $school
    name: "Сокращённые уроки"
    bells: [
      {number: 1, startsAt: "08:30", endsAt: "09:00"}
      {number: 2, startsAt: "09:10", endsAt: "09:40"}
      {number: 3, startsAt: "09:55", endsAt: "10:25"}
    ]
  }) {
    id name
    bells { number startsAt endsAt }
  }
}
""",
        _SCHOOL,
        {"school": "schools.nodes.0.id"},
    ),
    Example(
        "A class: its students, placements and groups",
        "admin",
        """# A class with its class teacher, who was placed in it and
# when (moves and leavers kept), and its subgroups.
# $class: the school's first class, looked up when the tab
# opened.
query ClassPlacements($class: ID!) {
  node(id: $class) {
    ... on SchoolClass {
      name classTeacher { shortName }
      placements {
        startsOn endsOn student { shortName }
      }
      groups { name kind students { shortName } }
    }
  }
}
""",
        "query { classes(first: 1) { nodes { id } } }",
        {"class": "classes.nodes.0.id"},
    ),
    Example(
        "Appoint a class's class teacher",
        "admin",
        """# Appoint the class teacher (классный руководитель) of a
# class: here the one it has, so running it changes nothing
# but shows the write; put another teacher's ID in $teacher.
mutation ClassTeacher($class: ID!, $teacher: ID) {
  classUpdate(
    input: { classId: $class, classTeacherId: $teacher }
  ) {
    name classTeacher { fullName }
  }
}
""",
        "query { classes(first: 1) { nodes { id classTeacher { id } } } }",
        {"class": "classes.nodes.0.id", "teacher": "classes.nodes.0.classTeacher.id"},
    ),
    Example(
        "Preview the year's rollover (перевод)",
        "admin",
        """# What promoting the school into the next year would do:
# 5А → 6А, the 11th grade leaving, each class's students.
# Nothing is written; the same call with commit: true does
# it, all or nothing. $from, $to: this year and the next.
mutation RolloverPreview($from: ID!, $to: ID!) {
  schoolYearRollover(
    fromYearId: $from, toYearId: $to, commit: false
  ) {
    committed warnings graduates { shortName }
    classes {
      name created fromClass { name }
      promoted { shortName } repeaters { shortName }
    }
  }
}
""",
        "{ schoolYears(first: 2) { nodes { id } } }",
        {"from": "schoolYears.nodes.0.id", "to": "schoolYears.nodes.1.id"},
    ),
    # The head
    Example(
        "School overview (сводная ведомость)",
        "head",
        """# Per class and subject in a period: averages, grades, lessons
# held, and those without a topic or homework.
# $school and $period: looked up when the tab opened.
query SchoolOverview($school: ID!, $period: ID!) {
  schoolOverview(schoolId: $school, periodId: $period) {
    rows(first: 50) {
      totalCount
      nodes {
        schoolClass { name } subject { name }
        average weightedAverage gradeCount
        lessonsHeld lessonsWithoutTopic lessonsWithoutHomework
      }
    }
  }
}
""",
        _SCHOOL_AND_PERIOD,
        {"school": "schools.nodes.0.id", "period": "periods.nodes.0.id"},
    ),
    Example(
        "How journals are kept, per teacher",
        "head",
        """# Per teacher, class and subject since 1 September: lessons
# held, and those without a topic, attendance, grades or
# homework; entries made late. $school: looked up.
query JournalControl($school: ID!) {
  journalControl(schoolId: $school, first: 20) {
    totalCount
    nodes {
      teacher { fullName } schoolClass { name } subject { name }
      lessonsHeld lessonsWithoutTopic lessonsWithoutAttendance
      lessonsWithoutGrades lessonsWithoutHomework
      lateGrades lateAttendance lateHomework missingFinalGrades
    }
  }
}
""",
        _SCHOOL,
        {"school": "schools.nodes.0.id"},
    ),
    Example(
        "The school's lessons of the last week",
        "head",
        """# The school's lessons of the last seven days: who gave them, to
# whom, their topics (none: not written yet) and their status.
query SchoolLessons($from: Date!, $to: Date!) {
  lessons(filter: { dateFrom: $from, dateTo: $to }, first: 50) {
    totalCount
    nodes {
      heldOn bellNumber status topic
      group { name } subject { name } teacher { shortName }
    }
    pageInfo { hasNextPage endCursor }
  }
}
""",
        fill={"from": "@today-6", "to": "@today"},
    ),
    Example(
        "A class with its students and parents",
        "head",
        """# A class of the fifth parallel: its class teacher, students
# and their parents.
query ClassWithStudentsAndParents {
  classes(first: 1, parallel: 5) {
    totalCount
    nodes {
      name
      classTeacher { fullName }
      students {
        fullName
        parents { kinship person { fullName phone } }
      }
    }
  }
}
""",
    ),
    # A deputy head
    Example(
        "A class journal, the last two weeks",
        "deputy",
        """# A class's journal page over two weeks: lessons in every
# subject, topics, homework, grades, absences.
# $class, $from and $to: filled in when the tab opened.
query ClassJournal($class: ID!, $from: Date!, $to: Date!) {
  classJournal(classId: $class, dateFrom: $from, dateTo: $to) {
    students { id shortName }
    lessons {
      id heldOn bellNumber topic
      subject { name } teacher { shortName }
      homework { text dueOn }
    }
    grades { studentId lessonId mark }
    attendance { studentId lessonId kind lateMinutes }
  }
}
""",
        _FIRST_CLASS,
        {"class": "classes.nodes.0.id", **_TWO_WEEKS},
    ),
    Example(
        "Timetable changes, the last two weeks",
        "deputy",
        """# Replacements, cancellations and moved lessons over two weeks.
query TimetableChanges($from: Date!, $to: Date!) {
  timetableChanges(dateFrom: $from, dateTo: $to, first: 50) {
    totalCount
    nodes {
      onDate kind bellNumber reason
      group { name } subject { name } teacher { shortName }
    }
  }
}
""",
        fill=_TWO_WEEKS,
    ),
    Example(
        "A class's week",
        "deputy",
        """# A class's weekly timetable as it holds: what timetableSet
# replaces from a date on (the lessons of today and the
# next two weeks follow it). $class: looked up.
query ClassWeek($class: ID!) {
  timetable(classId: $class, first: 100) {
    totalCount
    nodes {
      weekday bellNumber validFrom validTo
      group { name } subject { name }
      teacher { shortName } room { name }
    }
  }
}
""",
        _FIRST_CLASS,
        {"class": "classes.nodes.0.id"},
    ),
    Example(
        "Tuesday's timetable, to find a substitute",
        "deputy",
        """# Who teaches at which bell on Tuesdays, school-wide: a
# teacher not in it at a bell is free for a substitution
# (timetableChangeAdd, kind: SUBSTITUTION).
query Tuesday {
  timetable(weekday: 2, first: 100) {
    totalCount
    nodes {
      bellNumber teacher { shortName }
      group { name } subject { name } room { name }
    }
  }
}
""",
    ),
    # A teacher
    Example(
        "The grade grid of a group I teach",
        "teacher",
        """# A group's students × its lessons of a subject in a period:
# the teacher's journal page. $group and $subject (of a lesson
# you gave) and $period: looked up when the tab opened.
query GradeGrid($group: ID!, $subject: ID!, $period: ID!) {
  gradeGrid(
    groupId: $group, subjectId: $subject, periodId: $period
  ) {
    students { id shortName average weightedAverage }
    lessons { id heldOn topic workTypes { shortName weight } }
    grades { studentId lessonId mark workTypeId }
    attendance { studentId lessonId kind lateMinutes }
  }
}
""",
        _LESSON_AND_PERIOD,
        _GRID,
    ),
    Example(
        "My lessons of the last week",
        "teacher",
        """# The lessons you gave in the last seven days, with topics.
query MyLessons($me: ID!, $from: Date!, $to: Date!) {
  lessons(
    filter: { teacherId: $me, dateFrom: $from, dateTo: $to }
    first: 50
  ) {
    totalCount
    nodes {
      heldOn bellNumber status topic
      group { name } subject { name }
    }
  }
}
""",
        _MY_PERSON,
        {"me": "me.person.id", "from": "@today-6", "to": "@today"},
    ),
    Example(
        "Grades in my lessons",
        "teacher",
        """# The grades in the lessons you teach, a page of 20.
query RecentGrades {
  grades(first: 20) {
    totalCount
    edges {
      cursor
      node {
        mark workType { name weight } student { shortName }
        lesson { heldOn topic subject { name } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
""",
    ),
    # A class teacher
    Example(
        "My class, its students and their parents",
        "class_teacher",
        """# Your class, its students and their parents' phones.
query MyClass {
  classes(first: 1) {
    nodes {
      name
      students {
        fullName birthDate
        parents { kinship person { fullName phone } }
      }
    }
  }
}
""",
    ),
    Example(
        "My class's absences, the last two weeks",
        "class_teacher",
        """# Absences and lates in your class over two weeks.
# $class: looked up when the tab opened.
query ClassAbsences($class: ID!, $from: Date!, $to: Date!) {
  attendance(
    filter: { classId: $class, dateFrom: $from, dateTo: $to }
    first: 50
  ) {
    totalCount
    nodes {
      kind lateMinutes student { shortName }
      lesson { heldOn bellNumber subject { name } }
    }
  }
}
""",
        _FIRST_CLASS,
        {"class": "classes.nodes.0.id", **_TWO_WEEKS},
    ),
    Example(
        "My class's summary statements, last week",
        "class_teacher",
        """# The summary statement (сводная ведомость) of each student
# of your class for the past school week: lessons, grades,
# averages, lates and absences per subject. Add `pdf` for the
# printed form (base64), `xlsx` or `csv` for a table, and
# `paperOnly: true` for the parents who take it on paper.
# $class: looked up when the tab opened.
query SummaryStatements($class: ID!) {
  summaryStatements(classId: $class) {
    dateFrom dateTo periodName
    statements {
      student { shortName }
      lessonsHeld lates missedValid missedUnexcused
      subjects {
        subject { name } lessonsHeld average weightedAverage
        grades { heldOn mark workType }
      }
    }
  }
}
""",
        _FIRST_CLASS,
        {"class": "classes.nodes.0.id"},
    ),
    Example(
        "Plan my class's coming two weeks",
        "class_teacher",
        """# Your class's lessons still to be given, topics and homework.
# Plan them (Г.1 #9): lessonUpdate(input: {lessonId, version,
# topic}) writes a topic, homeworkAssign the homework; a lesson
# given stays its teacher's.
# $class: looked up when the tab opened.
query ComingLessons($class: ID!, $from: Date!, $to: Date!) {
  lessons(
    filter: { classId: $class, dateFrom: $from, dateTo: $to }
    status: PLANNED
    first: 50
  ) {
    totalCount
    nodes {
      id version heldOn bellNumber topic
      subject { name } teacher { shortName }
      homework { text dueOn }
    }
  }
}
""",
        _FIRST_CLASS,
        {"class": "classes.nodes.0.id", "from": "@today", "to": "@today+13"},
    ),
    # A psychologist
    Example(
        "My timetable",
        "psychologist",
        """# Your weekly timetable: your groups, by weekday and bell.
query MyTimetable($me: ID!) {
  timetable(teacherId: $me, first: 50) {
    totalCount
    nodes {
      weekday bellNumber
      group { name } subject { name } room { name }
    }
  }
}
""",
        _MY_PERSON,
        {"me": "me.person.id"},
    ),
    Example(
        "My lessons of the last two weeks",
        "psychologist",
        """# The lessons of your groups in the last two weeks: topics
# and whether attendance was taken.
query MyLessons($me: ID!, $from: Date!, $to: Date!) {
  lessons(
    filter: { teacherId: $me, dateFrom: $from, dateTo: $to }
    first: 50
  ) {
    totalCount
    nodes {
      heldOn bellNumber topic attendanceTakenAt
      group { name } subject { name }
    }
  }
}
""",
        _MY_PERSON,
        {"me": "me.person.id", **_TWO_WEEKS},
    ),
    Example(
        "The journal of a group of my course",
        "psychologist",
        """# A group of your course: its students × your lessons in a
# period, with attendance (the course is not graded).
# $group, $subject and $period: looked up when the tab opened.
query CourseJournal($group: ID!, $subject: ID!, $period: ID!) {
  gradeGrid(
    groupId: $group, subjectId: $subject, periodId: $period
  ) {
    students { id shortName }
    lessons { id heldOn topic }
    attendance { studentId lessonId kind lateMinutes }
  }
}
""",
        _LESSON_AND_PERIOD,
        _GRID,
    ),
    Example(
        "The school's teachers",
        "psychologist",
        """# The school's teachers, whom you work with.
query Teachers {
  people(filter: { role: "teacher" }, first: 50) {
    totalCount
    nodes { fullName email phone }
  }
}
""",
    ),
    # A student
    Example(
        "Who read my personal data",
        "student",
        """# Who of the staff, inspectors or integrators read your birth
# date, contacts or address, and when (152-ФЗ).
query MyDataReads {
  personalDataReads(first: 20) {
    totalCount
    nodes { fields reader { name kind readAt } }
  }
}
""",
    ),
    Example(
        "My diary this week",
        "student",
        """# Your diary's week: lessons, topics, homework, grades and
# absences. $me and $week: filled in when the tab opened.
query DiaryWeek($me: ID!, $week: Date!) {
  diaryWeek(studentId: $me, weekOf: $week) {
    days {
      date dayOff
      lessons {
        bellNumber change topic
        subject { name } teacher { shortName }
        homework { text pages tasks dueOn individual }
        grades { mark workType { shortName weight } }
        attendance { kind lateMinutes }
      }
    }
  }
}
""",
        _MY_PERSON,
        {"me": "me.person.id", "week": "@today"},
    ),
    Example(
        "My grades",
        "student",
        """# Your latest grades, a page of 20.
query MyGrades {
  grades(first: 20) {
    totalCount
    nodes {
      mark comment workType { name weight }
      lesson { heldOn subject { name } }
    }
  }
}
""",
    ),
    # A parent
    Example(
        "My child's diary this week",
        "parent",
        """# Your child's diary week. $child (your first child) and
# $week: filled in when the tab opened.
query ChildDiaryWeek($child: ID!, $week: Date!) {
  diaryWeek(studentId: $child, weekOf: $week) {
    days {
      date dayOff
      lessons {
        bellNumber topic subject { name }
        homework { text dueOn }
        grades { mark } attendance { kind }
      }
    }
  }
}
""",
        _MY_CHILD,
        {"child": _CHILD, "week": "@today"},
    ),
    Example(
        "My child's grades, the last two weeks",
        "parent",
        """# Your child's grades over two weeks.
# $child: your first child, looked up when the tab opened.
query ChildGrades($child: ID!, $from: Date!, $to: Date!) {
  grades(
    filter: { studentId: $child, dateFrom: $from, dateTo: $to }
    first: 50
  ) {
    totalCount
    nodes {
      mark workType { name }
      lesson { heldOn subject { name } }
    }
  }
}
""",
        _MY_CHILD,
        {"child": _CHILD, **_TWO_WEEKS},
    ),
    Example(
        "My child's grades by e-mail",
        "parent",
        """# Be told of your child's grades by e-mail as well as in
# the app (`notificationPreferences` shows every choice).
# $child: your first child, looked up when the tab opened.
mutation ChildGradesByEmail($child: ID!) {
  notificationSubscriptionsSet(input: {
    studentId: $child
    topics: [{ topic: GRADE, channels: ["email", "in_app"] }]
  }) {
    student { fullName }
    topics { topic channels }
  }
}
""",
        _MY_CHILD,
        {"child": _CHILD},
    ),
    Example(
        "My notifications",
        None,
        """# Your in-app notifications, newest first: grades, absences,
# homework, final grades, messages; and how many are unread.
query MyNotifications {
  notifications(first: 20) {
    unreadCount
    nodes { topic subject body createdAt readAt }
  }
}
""",
    ),
    # Printed pages: the journal and the diary on paper (Б.2 #2, В.2 #2)
    Example(
        "A class's journal, printed",
        "deputy",
        """# A class's whole journal in a period as the paper class
# journal lays it out, every subject: students × dates with
# marks and absences, then the lessons' topics and homework.
# `pdf` is base64. $class and $period: looked up when the tab
# opened.
query ClassJournalPages($class: ID!, $period: ID!) {
  classJournalPages(classId: $class, periodId: $period) { pdf }
}
""",
        "{ classes(first: 1) { nodes { id } } periods(first: 1) { nodes { id } } }",
        {"class": "classes.nodes.0.id", "period": "periods.nodes.0.id"},
    ),
    Example(
        "My journal pages, printed",
        "teacher",
        """# A group's journal pages of your subject in a period, as
# the paper journal has them (base64 PDF), and what is on them.
# $group, $subject and $period: looked up when the tab opened.
query JournalPages($group: ID!, $subject: ID!, $period: ID!) {
  gradeGrid(
    groupId: $group, subjectId: $subject, periodId: $period
  ) {
    students { shortName }
    lessons { heldOn topic }
    pdf
  }
}
""",
        _LESSON_AND_PERIOD,
        _GRID,
    ),
    Example(
        "My child's diary this week, printed",
        "parent",
        """# Your child's diary week as the paper diary's page, with a
# line for your signature (base64 PDF). $child and $week:
# filled in when the tab opened.
query ChildDiaryPage($child: ID!, $week: Date!) {
  diaryWeek(studentId: $child, weekOf: $week) { pdf }
}
""",
        _MY_CHILD,
        {"child": _CHILD, "week": "@today"},
    ),
    # Live (issue 14): subscriptions over the page's WebSocket; the answer pane shows each
    # change as it comes, until you stop it.
    Example(
        "My child's grades and absences, live",
        "parent",
        """# Run it and keep the tab open: each grade or absence a
# teacher enters, changes or removes for your child arrives
# as it is saved. $child: your first child.
subscription ChildLive($child: ID!) {
  diaryChanges(studentId: $child) {
    lessonId
    grades { mark lesson { subject { name } } }
    attendance { kind lateMinutes }
    removed
  }
}
""",
        _MY_CHILD,
        {"child": _CHILD},
    ),
    Example(
        "A lesson of mine, live",
        "teacher",
        """# Run it and keep the tab open: what anyone (a substitute,
# the class teacher) enters in your lesson arrives as it is
# saved. $lesson: your latest lesson, looked up.
subscription LessonLive($lesson: ID!) {
  lessonJournalChanges(lessonId: $lesson) {
    grades { mark student { shortName } }
    attendance { kind student { shortName } }
    removed
  }
}
""",
        "{ lessons(first: 1) { nodes { id } } }",
        {"lesson": "lessons.nodes.0.id"},
    ),
    Example(
        "Notifications given up",
        "admin",
        """# The e-mails, SMS and feed notifications the outbox holds,
# by status; then those given up, with why. One mended (an
# address entered): notificationDeliveryRetry(id:) queues it.
query Deliveries {
  notificationDeliveryCounts { status count }
  notificationDeliveries(status: GIVEN_UP, first: 20) {
    nodes {
      id channel topic attempts lastError createdAt
      recipient { lastName firstName }
    }
  }
}
""",
    ),
    # Messages inside the school (Г.1 #2)
    Example(
        "My conversations",
        None,
        """# Your conversations, the newest first: the latest message
# of each, and how many you have not read. Only your own mail:
# nobody, the admin neither, reads another person's.
query MyConversations {
  unreadMessageCount
  messageThreads(first: 10) {
    nodes {
      id unreadCount
      lastMessage { subject senderName sentAt }
    }
  }
}
""",
    ),
    Example(
        "Write to my class's parents",
        "class_teacher",
        """# The week's message to all the parents of your class: each
# family gets its own copy and replies to you alone. Their
# readings show in `recipients { readAt }`.
# $school and $class: looked up when the tab opened.
mutation WriteToParents($school: ID!, $class: ID!) {
  messageSend(input: {
    schoolId: $school
    parentsOfClassId: $class
    subject: "Итоги недели"
    body: "Уважаемые родители! Оценки недели — в дневнике."
  }) {
    id sentAt
    recipients { name readAt }
  }
}
""",
        "{ schools(first: 1) { nodes { id } } classes(first: 1) { nodes { id } } }",
        {"school": "schools.nodes.0.id", "class": "classes.nodes.0.id"},
    ),
    Example(
        "Read my latest conversation",
        "parent",
        """# Your latest conversation, its messages oldest first.
# $thread: looked up when the tab opened.
query Conversation($thread: ID!) {
  messageThread(id: $thread) {
    unreadCount
    messages {
      id subject body senderName sentAt
      recipients { name readAt }
    }
  }
}
""",
        "{ messageThreads(first: 1) { nodes { id } } }",
        {"thread": "messageThreads.nodes.0.id"},
    ),
    Example(
        "Answer the class teacher",
        "parent",
        """# Mark the latest message read, and reply to it: the reply
# goes to whoever wrote it, and to nobody else.
# $message: looked up when the tab opened.
mutation Answer($message: ID!) {
  messagesMarkRead(messageIds: [$message]) { id }
  messageReply(input: {
    messageId: $message
    body: "Спасибо, посмотрели."
  }) {
    id subject
    recipients { name }
  }
}
""",
        "{ messageThreads(first: 1) { nodes { lastMessage { id } } } }",
        {"message": "messageThreads.nodes.0.lastMessage.id"},
    ),
)
