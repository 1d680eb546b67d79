"""`school_parent`: the parents of the school's students (whom the admin, the head and the
deputies may write to)."""

from sqlalchemy import ColumnElement, exists

import model as m
from plugins.base import Condition, Scope


def _person(scope: Scope) -> ColumnElement[bool]:
    return exists().where(
        m.SchoolRole.person_id == m.Person.id,
        m.SchoolRole.school_id == scope.school_id,
        m.SchoolRole.role == m.Role.PARENT.value,
    )


school_parent = Condition(
    name="school_parent",
    in_words="the school's parents",
    description="people holding the parent role in the school",
    renderers={m.Person: _person},
)
