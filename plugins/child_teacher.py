"""`child_teacher`: the class teachers and the teachers of the person's children — whom a
parent may write to first (a parent starts no conversation with anyone else: they reply)."""

from sqlalchemy import ColumnElement, or_, select

import model as m
from plugins import relations as r
from plugins.base import Condition, Scope


def _person(scope: Scope) -> ColumnElement[bool]:
    children = r.children_of(scope)
    class_teachers = select(m.SchoolClass.class_teacher_id).where(
        m.SchoolClass.id.in_(r.classes_of_students(children)),
        m.SchoolClass.school_id == scope.school_id,
    )
    teachers = select(m.TimetableEntry.teacher_id).where(
        m.TimetableEntry.school_id == scope.school_id,
        m.TimetableEntry.group_id.in_(r.groups_of_students(children)),
        or_(m.TimetableEntry.valid_to.is_(None), m.TimetableEntry.valid_to >= scope.today),
    )
    return or_(m.Person.id.in_(class_teachers), m.Person.id.in_(teachers))


child_teacher = Condition(
    name="child_teacher",
    in_words="their children's teachers",
    description="the class teachers of the person's children and those who teach them now",
    needs_person=True,
    renderers={m.Person: _person},
)
