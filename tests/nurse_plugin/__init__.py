"""A third-party plugin, as a school would write one: a nurse who reads illness records only.

It adds a role (`nurse`), a condition (`illness`) and the policy lines joining them, and is
found through the `tabel.plugins` entry-point group; the core is not touched.
"""

from sqlalchemy import ColumnElement

import model as m
from plugins.base import Condition, Scope
from plugins.registry import Plugin


def _attendance(scope: Scope) -> ColumnElement[bool]:
    return (m.Attendance.school_id == scope.school_id) & (m.Attendance.kind == m.AttendanceKind.ILL)


illness = Condition(
    name="illness",
    description="absences because of illness, in the school",
    renderers={m.Attendance: _attendance},
)

plugin = Plugin(
    name="nurse",
    conditions=[illness],
    policy="""
# The school nurse sees who was ill, and the students' names; nothing else.
p, nurse, school:*, attendance, read, illness
p, nurse, school:*, person, read, same_school
p, nurse, school:*, school, read, same_school
""",
)
