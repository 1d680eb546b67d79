"""Who has left the school (выбытие) holds its student's or parent's role no longer.

A student's role in a school counts while they are in one of its classes or have not been in
any yet (entered, not yet placed): once every placement of theirs there has ended — they left
(`studentsLeave`), graduated — it grants nothing, from the day after the last one. A parent's
counts while one of their children is in the school, or none has been placed there yet. The
roles themselves stay, with the placements, as the school's history: a student who comes back
is placed again and holds the role again, with nothing else to undo.

The day is compared in UTC (the token's resolution knows no school's time zone before it reads
the roles): a leaver keeps access until midnight UTC after their last day — in Moscow, 03:00."""

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, not_, or_, select

import model as m


def _in_school(placements: ColumnElement[bool], school_id: Any, today: date) -> ColumnElement[bool]:
    """Some placement `placements` selects is in one of the school's classes and has not ended,
    or none ever was."""
    placed = (
        select(m.ClassStudent.id)
        .join(m.SchoolClass, m.SchoolClass.id == m.ClassStudent.school_class_id)
        .where(placements, m.SchoolClass.school_id == school_id)
    )
    staying = placed.where(or_(m.ClassStudent.ends_on.is_(None), m.ClassStudent.ends_on >= today))
    return or_(not_(exists(placed)), exists(staying))


def role_counts(person: Any, today: date) -> ColumnElement[bool]:
    """For a `school_role` row of `person`'s (an id, or a subquery giving one): whether it
    grants anything on `today`."""
    children = select(m.Guardianship.child_id).where(m.Guardianship.parent_id == person)
    school = m.SchoolRole.school_id
    return and_(
        or_(
            m.SchoolRole.role != m.Role.STUDENT.value,
            _in_school(m.ClassStudent.student_id == person, school, today),
        ),
        or_(
            m.SchoolRole.role != m.Role.PARENT.value,
            _in_school(m.ClassStudent.student_id.in_(children), school, today),
        ),
    )
