"""Who is linked to what in a school, as subqueries the conditions share."""

from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Select,
    Time,
    and_,
    bindparam,
    exists,
    or_,
    select,
    tuple_,
    union,
)
from sqlalchemy.orm import aliased

import model as m
from plugins.base import Scope


def _current_entry(scope: Scope) -> tuple[Any, ColumnElement[bool]]:
    """A timetable entry of the person's that has not ended: who teaches a pair *now*.

    A teacher who handed a group over keeps the lessons they gave, not the group's journal.
    """
    entry = aliased(m.TimetableEntry)
    current = and_(
        entry.teacher_id == scope.person_id,
        entry.school_id == scope.school_id,
        or_(entry.valid_to.is_(None), entry.valid_to >= scope.today),
    )
    return entry, current


def teaches_pair(scope: Scope, group_id: Any, subject_id: Any) -> ColumnElement[bool]:
    """The person currently teaches this group this subject (by the timetable).

    The pairs are the person's few timetable entries, listed once per statement: a row is
    checked against that list, not by a lookup of its own (SQLite looked the timetable up for
    each of a school's lessons).
    """
    entry, current = _current_entry(scope)
    return tuple_(group_id, subject_id).in_(select(entry.group_id, entry.subject_id).where(current))


def _local_time(timezone: str) -> Callable[[], time]:
    def now() -> time:
        return datetime.now(UTC).astimezone(ZoneInfo(timezone)).time().replace(microsecond=0)

    return now


def substituting(scope: Scope, lesson: Any) -> ColumnElement[bool]:
    """A lesson the person substitutes for that has not ended: held today, its bell (by the
    class's bell schedule) not over yet — the clock read as each statement runs, not when the
    filter was made. Access through a substitution ends with the lesson (R-PD-1)."""
    bell, school_class, group = aliased(m.Bell), aliased(m.SchoolClass), aliased(m.Group)
    ended = exists().where(
        group.id == lesson.group_id,
        school_class.id == group.school_class_id,
        bell.bell_schedule_id == school_class.bell_schedule_id,
        bell.number == lesson.bell_number,
        bell.ends_at
        <= bindparam(
            "local_time", callable_=_local_time(scope.timezone), type_=Time(), unique=True
        ),
    )
    return and_(lesson.substitute_id == scope.person_id, lesson.held_on == scope.today, ~ended)


def teaches_group(scope: Scope, group_id: Any) -> ColumnElement[bool]:
    """The person currently teaches the group, or substitutes for one of its lessons now.

    Both lists are made once per statement (a lookup per row read each of the group's lessons
    to find the substitute's: SQLite did so for every student of a school)."""
    entry, current = _current_entry(scope)
    substituted = aliased(m.Lesson)
    return or_(
        group_id.in_(select(entry.group_id).where(current)),
        group_id.in_(select(substituted.group_id).where(substituting(scope, substituted))),
    )


def taught_student(scope: Scope, student_id: Any) -> ColumnElement[bool]:
    """The student is in a group the person teaches (a whole class, or a subgroup)."""
    member = aliased(m.ClassStudent)
    group = aliased(m.Group)
    subgroup = aliased(m.GroupStudent)
    return or_(
        exists().where(
            member.student_id == student_id,
            group.school_class_id == member.school_class_id,
            group.kind == m.GroupKind.WHOLE_CLASS,
            teaches_group(scope, group.id),
        ),
        exists().where(subgroup.student_id == student_id, teaches_group(scope, subgroup.group_id)),
    )


def teaches_lesson(scope: Scope, lesson: Any = m.Lesson) -> ColumnElement[bool]:
    """A lesson the person gave, as its teacher or substitute (R-SUB-1), or of a pair they
    teach now (its whole journal, earlier teachers' lessons included)."""
    return and_(
        lesson.school_id == scope.school_id,
        or_(
            lesson.teacher_id == scope.person_id,
            lesson.substitute_id == scope.person_id,
            teaches_pair(scope, lesson.group_id, lesson.subject_id),
        ),
    )


def via_taught_lesson(scope: Scope, lesson_id: Any) -> ColumnElement[bool]:
    """A row of a lesson the person gave or teaches, of those lessons listed once per statement:
    counting a teacher's grades reads theirs by the index on the lesson, not each of the school's
    grades with a lookup of its lesson (3.5 s on the demo's SQLite, 20 ms so)."""
    lesson = aliased(m.Lesson)
    taught: ColumnElement[bool] = lesson_id.in_(
        select(lesson.id).where(teaches_lesson(scope, lesson))
    )
    return taught


def own_classes(scope: Scope) -> Select[Any]:
    return select(m.SchoolClass.id).where(
        m.SchoolClass.class_teacher_id == scope.person_id,
        m.SchoolClass.school_id == scope.school_id,
    )


def groups_of_classes(classes: Select[Any]) -> Select[Any]:
    return select(m.Group.id).where(m.Group.school_class_id.in_(classes))


def lessons_of_groups(groups: Select[Any]) -> Select[Any]:
    return select(m.Lesson.id).where(m.Lesson.group_id.in_(groups))


def students_of_classes(classes: Select[Any]) -> Select[Any]:
    return select(m.ClassStudent.student_id).where(m.ClassStudent.school_class_id.in_(classes))


def parents_of(students: Select[Any]) -> Select[Any]:
    return select(m.Guardianship.parent_id).where(m.Guardianship.child_id.in_(students))


def children_of(scope: Scope) -> Select[Any]:
    return select(m.Guardianship.child_id).where(m.Guardianship.parent_id == scope.person_id)


def classes_of_students(students: Select[Any]) -> Select[Any]:
    return select(m.ClassStudent.school_class_id).where(m.ClassStudent.student_id.in_(students))


def groups_of_students(students: Select[Any]) -> Select[Any]:
    whole = select(m.Group.id).where(
        m.Group.school_class_id.in_(classes_of_students(students)),
        m.Group.kind == m.GroupKind.WHOLE_CLASS,
    )
    sub = select(m.GroupStudent.group_id).where(m.GroupStudent.student_id.in_(students))
    return select(union(whole, sub).subquery())


def homework_for_students(students: Select[Any]) -> Any:
    """Homework the students were set: their groups' general homework and their own."""
    in_groups = m.Homework.lesson_id.in_(lessons_of_groups(groups_of_students(students)))
    listed = m.Homework.id.in_(
        select(m.HomeworkStudent.homework_id).where(m.HomeworkStudent.student_id.in_(students))
    )
    return and_(in_groups, or_(~m.Homework.is_individual, listed))
