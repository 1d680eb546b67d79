"""`parent_of_taught`: the parents of the students the person teaches now (whom a teacher
may write to, Г.1 #2)."""

from sqlalchemy import ColumnElement, select

import model as m
from plugins import relations as r
from plugins.base import Condition, Scope


def _person(scope: Scope) -> ColumnElement[bool]:
    parents = select(m.Guardianship.parent_id).where(
        r.taught_student(scope, m.Guardianship.child_id)
    )
    return m.Person.id.in_(parents)


parent_of_taught = Condition(
    name="parent_of_taught",
    in_words="the parents of the students they teach",
    description="the parents of the students the person teaches now",
    needs_person=True,
    renderers={m.Person: _person},
)
