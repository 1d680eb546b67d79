"""The fixed vocabularies of the journal, shared with the model."""

import strawberry

import model as m

Role = strawberry.enum(m.Role, description="A role a person holds in a school.")
Sex = strawberry.enum(m.Sex)
Kinship = strawberry.enum(m.Kinship, description="How a parent or guardian is related.")
EditWindow = strawberry.enum(
    m.EditWindow, description="How long after the lesson a grade may still be changed."
)
PeriodKind = strawberry.enum(m.PeriodKind)
GroupKind = strawberry.enum(m.GroupKind)
LessonStatus = strawberry.enum(m.LessonStatus)
AttendanceKind = strawberry.enum(
    m.AttendanceKind, description="Absent with a valid reason, without one, ill, or late."
)
FinalGradeSpecial = strawberry.enum(
    m.FinalGradeSpecial, description="A final grade that is not a mark."
)
GradeChangeAction = strawberry.enum(m.GradeChangeAction)
TimetableChangeKind = strawberry.enum(m.TimetableChangeKind)
