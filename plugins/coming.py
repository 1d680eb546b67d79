"""`coming`: lessons still to be given — planned, from the school's today on — and their
homework: what a class teacher plans for the coming week (Г.1 #9)."""

from sqlalchemy import ColumnElement, and_, exists

import model as m
from plugins.base import Condition, Scope


def _lesson(scope: Scope) -> ColumnElement[bool]:
    return and_(m.Lesson.status == m.LessonStatus.PLANNED, m.Lesson.held_on >= scope.today)


def _homework(scope: Scope) -> ColumnElement[bool]:
    return exists().where(m.Lesson.id == m.Homework.lesson_id, _lesson(scope))


coming = Condition(
    name="coming",
    in_words="lessons still to be given",
    description="lessons still planned, from the school's today on, and their homework",
    renderers={m.Lesson: _lesson, m.Homework: _homework},
)
