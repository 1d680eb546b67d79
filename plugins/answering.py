"""`answering`: answering a report that a grade is wrong (Е.1) — never making one.

Answering checks the report (`gradeReportAnswer`); making a report checks the grade it is about,
where this condition never holds."""

from sqlalchemy import true

import model as m
from plugins.base import Condition

answering = Condition(
    name="answering",
    in_words="to answer a report",
    description="answering a report that a grade is wrong; never making one",
    renderers={m.GradeReport: lambda scope: true()},
)
