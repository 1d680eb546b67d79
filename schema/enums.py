"""The fixed vocabularies of the journal, shared with the model: one enum, two layers. Each
is declared here with what it and every one of its values mean to a school."""

from enum import EnumMeta

import strawberry

import model as m
from resolvers.records import Removal


def described(enum_class: EnumMeta, description: str, **values: str) -> None:
    """Declares `enum_class` in the schema with its description and one for every value."""
    strawberry.enum(enum_class, description=description)
    definition = getattr(enum_class, "__strawberry_definition__")  # noqa: B009
    names = {value.name for value in definition.values}
    if names != values.keys():
        raise TypeError(f"{enum_class.__name__}: describe {sorted(names ^ values.keys())}")
    for value in definition.values:
        value.description = values[value.name]


described(
    m.Sex,
    "A person's sex (пол), as in their documents.",
    FEMALE="Female (женский).",
    MALE="Male (мужской).",
)
described(
    m.Kinship,
    "How a parent or legal guardian (законный представитель) is related to the child.",
    MOTHER="Mother (мать).",
    FATHER="Father (отец).",
    GUARDIAN="A guardian or trustee (опекун, попечитель).",
)
described(
    m.Role,
    "A role a person holds in one school (роль); a class teacher (классный руководитель) is "
    "appointed on the class instead.",
    ADMIN="The school's admin (администратор ОО): sets the school up; appointed by the head.",
    HEAD="The head (директор): reads every journal; appointed outside the school.",
    DEPUTY="A deputy head (завуч): reads every journal, keeps the timetable.",
    TEACHER="A teacher (педагог): the journals of what they teach.",
    PSYCHOLOGIST="A psychologist or social pedagogue (педагог-психолог, социальный педагог): "
    "works on the journal as a teacher does.",
    STUDENT="A student (обучающийся): their own grades, homework and timetable.",
    PARENT="A parent or legal guardian (родитель, законный представитель): their children's.",
)
described(
    m.EditWindow,
    "How long after the lesson date a grade already entered may still be changed (период "
    "редактирования оценок), set by the school's admin; counted in the school's time zone. "
    "New grades are not held back by it, and a period locked by final grades is locked "
    "whatever it says.",
    NEVER="«Никогда»: the window never closes; grades change until the period is locked.",
    ONE_WEEK="«Через неделю»: for a week after the lesson date.",
    TWO_WEEKS="«Через 2 недели»: for two weeks after the lesson date.",
    THREE_WEEKS="«Через 3 недели»: for three weeks after the lesson date.",
    ONE_MONTH="«Через месяц»: until the same day of the next month after the lesson date.",
)
described(
    m.PeriodKind,
    "The kind of a reporting period (учебный период) that term grades are given for.",
    QUARTER="A quarter (четверть): four in a school year.",
    TRIMESTER="A trimester (триместр): three in a school year.",
    HALF="A half-year (полугодие): two in a school year.",
    YEAR="The whole school year: its final grade is the year's (годовая отметка).",
)
described(
    m.GroupKind,
    "Whether a group is a whole class or a subgroup of it (подгруппа).",
    WHOLE_CLASS="The whole class: every student of the class, as the class list has them.",
    SUBGROUP="A subgroup (подгруппа) of the class, e.g. for a foreign language; its own "
    "list of students.",
)
described(
    m.LessonStatus,
    "Where a lesson stands.",
    PLANNED="Planned (запланирован): in the timetable, not marked as held yet.",
    HELD="Held (проведён).",
    CANCELLED="Cancelled (отменён): not held, and not counted as held.",
)
described(
    m.AttendanceKind,
    "Why a student was not in a lesson, or came late (учёт посещаемости).",
    ABSENT_VALID="Absent for a valid reason (по уважительной причине).",
    ABSENT_UNEXCUSED="Absent without a valid reason (без уважительной причины).",
    ILL="Absent through illness (по болезни).",
    LATE="Came late (опоздание); `lateMinutes` says by how many minutes.",
)
described(
    m.FinalGradeSpecial,
    "A term or final grade that is not a mark (итоговая отметка без балла).",
    NOT_ATTESTED="Not attested (не аттестован, «н/а»).",
    EXEMPT="Exempt (освобождён) from the subject.",
    PASS="Passed (зачёт).",
)
described(
    m.ChangeAction,
    "What a change did to a record (a grade, a room, a person…).",
    CREATED="It was entered.",
    CHANGED="It was corrected (for a grade: its mark was changed).",
    DELETED="It was deleted.",
    ARCHIVED="It was archived: kept in every record and report, no longer used anew.",
)
described(
    Removal,
    "What removing a reference record did (item 5 of issue 11): one the journal refers to is "
    "archived, never deleted.",
    DELETED="Nothing referred to it: it was deleted.",
    ARCHIVED="The journal refers to it: archived, kept in every record and report, no longer "
    "offered for new use.",
)
described(
    m.TimetableChangeKind,
    "How a day's lesson differs from the weekly timetable (изменение расписания).",
    CANCELLED="The lesson does not take place that day.",
    SUBSTITUTION="Another teacher gives it (замена).",
    ROOM_CHANGE="It takes place in another room.",
    MOVED="It moves to another bell that day (перенос).",
    EXTRA="An extra lesson, not in the weekly timetable.",
)
described(
    m.GradeReportStatus,
    "Where a report that a grade is wrong stands.",
    OPEN="Waiting for the answer of the lesson's teacher or the admin.",
    ANSWERED="Answered (and the grade corrected, if the report was right).",
)
described(
    m.TokenKind,
    "How the caller signed in.",
    LOGIN="A person's login and password: their own account.",
    INSPECTOR="An inspector's API token (проверяющий): reads the journals of its schools, "
    "writes nothing; every query it runs is logged.",
    INTEGRATOR="An integrator's API token: reads what its scopes allow (roster:read, "
    "journal:read, reports:read), writes nothing.",
)

Sex = m.Sex
Role = m.Role
Kinship = m.Kinship
EditWindow = m.EditWindow
PeriodKind = m.PeriodKind
GroupKind = m.GroupKind
LessonStatus = m.LessonStatus
AttendanceKind = m.AttendanceKind
FinalGradeSpecial = m.FinalGradeSpecial
ChangeAction = m.ChangeAction
TimetableChangeKind = m.TimetableChangeKind
TokenKind = m.TokenKind
GradeReportStatus = m.GradeReportStatus
described(
    m.DeliveryStatus,
    "Where a notification's delivery stands.",
    QUEUED="Waiting for its time, or for another attempt after a failure.",
    SENDING="A worker is sending it now.",
    SENT="Sent (the in-app feed: shown).",
    GIVEN_UP="Not sent, and not tried again: no address, the channel not configured, or it "
    "failed every attempt (`lastError` says why).",
    CANCELLED="Not sent: its cause went away, or the person's consent was withdrawn or "
    "account blocked before it was sent.",
)
described(
    m.Topic,
    "What a notification is about.",
    GRADE="A new, changed or removed grade.",
    ATTENDANCE="An absence or a late arrival.",
    HOMEWORK="Homework set.",
    FINAL_GRADE="A term, year or final grade.",
    MESSAGE="A message.",
    CREDENTIALS="A new login and temporary password.",
)
