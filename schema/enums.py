"""The fixed vocabularies of the journal, shared with the model: one enum, two layers."""

import strawberry

import model as m

strawberry.enum(m.Sex)
strawberry.enum(m.Kinship, description="How a parent or guardian is related.")
strawberry.enum(m.EditWindow, description="How long after the lesson a grade may still be changed.")
strawberry.enum(m.PeriodKind)
strawberry.enum(m.GroupKind)
strawberry.enum(m.LessonStatus)
strawberry.enum(
    m.AttendanceKind, description="Absent with a valid reason, without one, ill, or late."
)
strawberry.enum(m.FinalGradeSpecial, description="A final grade that is not a mark.")
strawberry.enum(m.GradeChangeAction)
strawberry.enum(m.TimetableChangeKind)
strawberry.enum(m.GradeReportStatus)
strawberry.enum(
    m.TokenKind, description="A person's login, or an inspector's or integrator's API token."
)

Sex = m.Sex
Kinship = m.Kinship
EditWindow = m.EditWindow
PeriodKind = m.PeriodKind
GroupKind = m.GroupKind
LessonStatus = m.LessonStatus
AttendanceKind = m.AttendanceKind
FinalGradeSpecial = m.FinalGradeSpecial
GradeChangeAction = m.GradeChangeAction
TimetableChangeKind = m.TimetableChangeKind
TokenKind = m.TokenKind
GradeReportStatus = m.GradeReportStatus
