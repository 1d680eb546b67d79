"""`subject_taught`: a class's subgroups for a subject the person teaches that class (Г.1 #6:
the class teacher splits the class, together with the subject's teacher)."""

from sqlalchemy import ColumnElement, exists, or_
from sqlalchemy.orm import aliased

import model as m
from plugins.base import Condition, Scope


def _group(scope: Scope) -> ColumnElement[bool]:
    entry, taught = aliased(m.TimetableEntry), aliased(m.Group)
    return exists().where(
        entry.teacher_id == scope.person_id,
        entry.school_id == scope.school_id,
        or_(entry.valid_to.is_(None), entry.valid_to >= scope.today),
        entry.subject_id == m.Group.subject_id,
        taught.id == entry.group_id,
        taught.school_class_id == m.Group.school_class_id,
    )


subject_taught = Condition(
    name="subject_taught",
    in_words="the subgroups for what they teach",
    description="a class's subgroups for a subject the person teaches that class now",
    needs_person=True,
    renderers={m.Group: _group},
)
