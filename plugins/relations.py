"""Who is linked to what in a school, as subqueries the conditions share."""

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select, union
from sqlalchemy.orm import aliased

import model as m
from plugins.base import Scope


def taught_pairs(scope: Scope) -> Select[Any]:
    """(group, subject) pairs the person teaches by the timetable or as the lesson's teacher."""
    timetable = select(m.TimetableEntry.group_id, m.TimetableEntry.subject_id).where(
        m.TimetableEntry.teacher_id == scope.person_id,
        m.TimetableEntry.school_id == scope.school_id,
    )
    lessons = select(m.Lesson.group_id, m.Lesson.subject_id).where(
        m.Lesson.teacher_id == scope.person_id, m.Lesson.school_id == scope.school_id
    )
    return select(union(timetable, lessons).subquery())


def teaches_pair(scope: Scope, group_id: Any, subject_id: Any) -> ColumnElement[bool]:
    """The person teaches this group this subject, by the timetable or as a lesson's teacher.

    Correlated to the row being filtered, so the database checks only the rows it reads.
    """
    entry = aliased(m.TimetableEntry)
    other = aliased(m.Lesson)
    return or_(
        exists().where(
            entry.teacher_id == scope.person_id,
            entry.group_id == group_id,
            entry.subject_id == subject_id,
        ),
        exists().where(
            other.teacher_id == scope.person_id,
            other.group_id == group_id,
            other.subject_id == subject_id,
        ),
    )


def teaches_group(scope: Scope, group_id: Any) -> ColumnElement[bool]:
    entry = aliased(m.TimetableEntry)
    other = aliased(m.Lesson)
    return or_(
        exists().where(entry.teacher_id == scope.person_id, entry.group_id == group_id),
        exists().where(other.teacher_id == scope.person_id, other.group_id == group_id),
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
    """A lesson of a pair the person teaches, or one they gave as a substitute (R-SUB-1)."""
    return and_(
        lesson.school_id == scope.school_id,
        or_(
            lesson.substitute_id == scope.person_id,
            teaches_pair(scope, lesson.group_id, lesson.subject_id),
        ),
    )


def via_taught_lesson(scope: Scope, lesson_id: Any) -> ColumnElement[bool]:
    lesson = aliased(m.Lesson)
    return exists().where(lesson.id == lesson_id, teaches_lesson(scope, lesson))


def taught_groups(scope: Scope) -> Select[Any]:
    pairs = taught_pairs(scope).subquery()
    return select(pairs.c.group_id)


def own_classes(scope: Scope) -> Select[Any]:
    return select(m.SchoolClass.id).where(
        m.SchoolClass.class_teacher_id == scope.person_id,
        m.SchoolClass.school_id == scope.school_id,
    )


def groups_of_classes(classes: Select[Any]) -> Select[Any]:
    return select(m.Group.id).where(m.Group.school_class_id.in_(classes))


def lessons_of_groups(groups: Select[Any]) -> Select[Any]:
    return select(m.Lesson.id).where(m.Lesson.group_id.in_(groups))


def students_of_groups(groups: Select[Any]) -> Select[Any]:
    """Students of the groups: a whole-class group's are its class's, a subgroup's its own."""
    whole = (
        select(m.ClassStudent.student_id)
        .join(m.Group, m.Group.school_class_id == m.ClassStudent.school_class_id)
        .where(m.Group.id.in_(groups), m.Group.kind == m.GroupKind.WHOLE_CLASS)
    )
    sub = select(m.GroupStudent.student_id).where(m.GroupStudent.group_id.in_(groups))
    return select(union(whole, sub).subquery())


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
