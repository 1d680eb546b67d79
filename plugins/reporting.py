"""`reporting`: making a report that a grade is wrong (Е.1) — never answering or closing one.

A report is made about a grade (`gradeReport` checks the grade it reports); answering checks the
report itself, where this condition never holds."""

from sqlalchemy import false, true

import model as m
from plugins.base import Condition

reporting = Condition(
    name="reporting",
    in_words="to report it wrong",
    description="reporting a grade as wrong; never answering or closing a report",
    renderers={m.Grade: lambda scope: true(), m.GradeReport: lambda scope: false()},
)
