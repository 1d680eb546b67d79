"""What the policies protect, in the school's words: how a refusal names what was asked for.

Messages name things as a school does; the machine-readable names stay in `extensions`
(`resource`, `action`) for clients that branch on them.
"""

from policies.vocabulary import Action, Resource

RESOURCE_WORDS: dict[Resource, str] = {
    Resource.SCHOOL: "the school's details",
    Resource.MUNICIPALITY: "which schools a municipality has",
    Resource.PREMISES: "the school's buildings and rooms",
    Resource.CURRICULUM: "subjects, grade scales and kinds of work",
    Resource.CALENDAR: "the school year, its periods and bells",
    Resource.SCHOOL_CLASS: "classes",
    Resource.CLASS_SETTINGS: "a class's name, home room, bells and reporting periods",
    Resource.GROUP: "groups",
    Resource.PERSON: "people's details",
    Resource.PERSONAL_DATA: "people's birth dates, private contacts and addresses",
    Resource.PERSONAL_DATA_LOG: "the log of who read personal data",
    Resource.ROLE: "people's roles in the school",
    Resource.CONSENT: "consents to the processing of personal data",
    Resource.ACCOUNT: "accounts",
    Resource.TIMETABLE: "the timetable",
    Resource.PLAN: "the КТП (calendar-thematic plans)",
    Resource.LESSON: "lessons",
    Resource.LESSON_PLAN: "the planning of coming lessons",
    Resource.ATTENDANCE: "attendance",
    Resource.GRADE: "grades",
    Resource.HOMEWORK: "homework",
    Resource.FINAL_GRADE: "term and final grades",
    Resource.PERIOD_REOPENING: "reopened periods",
    Resource.GRADE_CHANGE: "the grade change log",
    Resource.CHANGE: "the audit trail of the school's records",
    Resource.GRADE_REPORT: "reports of wrong grades",
    Resource.API_TOKEN: "API tokens",
    Resource.SIGN_IN_FAILURE: "failed sign-ins",
    Resource.IMPORT_JOB: "imports of people",
    Resource.JOURNAL_CONTROL: "the journal control report",
    Resource.SCHOOL_SETUP: "what the school's set-up still lacks",
    Resource.CERTIFICATE: "certified statements",
    Resource.COMPROMISE: "reports of compromised accounts",
    Resource.COMPROMISE_VOID: "the voiding of what a compromised account did",
    Resource.YEAR_ROLLOVER: "the closing of a school year and its rollover to the next",
    Resource.JOURNAL_PAGE: "the printed pages of the class journal",
    Resource.REPORT: "reports and exports made as jobs",
    Resource.NOTIFICATION_SUBSCRIPTION: "what you are told about a student, and how",
    Resource.NOTIFICATION: "your notifications",
    Resource.DELIVERY: "the delivery of notifications",
    Resource.MESSAGE: "messages",
}

_VERBS = {Action.READ: "see", Action.WRITE: "change"}


def not_allowed(resource: Resource, action: Action) -> str:
    """«You may not see grades.» — a refusal of the whole kind of thing, anywhere."""
    return f"You may not {_VERBS[action]} {RESOURCE_WORDS[resource]}."
