"""`staff`: the school's staff, whose names appear in timetables and lessons."""

from sqlalchemy import ColumnElement, exists

import model as m
from plugins.base import Condition, Scope

STAFF_ROLES = (m.Role.ADMIN, m.Role.HEAD, m.Role.DEPUTY, m.Role.TEACHER, m.Role.PSYCHOLOGIST)


def _person(scope: Scope) -> ColumnElement[bool]:
    return exists().where(
        m.SchoolRole.person_id == m.Person.id,
        m.SchoolRole.school_id == scope.school_id,
        m.SchoolRole.role.in_([role.value for role in STAFF_ROLES]),
    )


staff = Condition(
    name="staff",
    in_words="the school's staff",
    description="people holding a staff role in the school",
    renderers={m.Person: _person},
)
