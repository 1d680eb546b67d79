"""`within_edit_window`: grades of lessons recent enough to change (R-EDIT-1), school time."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, exists, true

import model as m
from plugins.base import Condition, Scope

WINDOWS = {
    m.EditWindow.ONE_WEEK: timedelta(weeks=1),
    m.EditWindow.TWO_WEEKS: timedelta(weeks=2),
    m.EditWindow.THREE_WEEKS: timedelta(weeks=3),
}


def earliest_editable(window: m.EditWindow, today: date) -> date | None:
    """The first lesson date whose grades may still change; None when there is no limit."""
    if window is m.EditWindow.NEVER:
        return None
    if window is m.EditWindow.ONE_MONTH:
        month = today.month - 1 or 12
        year = today.year - (today.month == 1)
        day = min(today.day, 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)
        return date(year, month, day)
    return today - WINDOWS[window]


def _earliest(scope: Scope) -> date | None:
    now = scope.now or datetime.now(UTC)
    today = now.astimezone(ZoneInfo(scope.timezone)).date()
    return earliest_editable(scope.grade_edit_window, today)


def _grade(scope: Scope) -> ColumnElement[bool]:
    earliest = _earliest(scope)
    if earliest is None:
        return true()
    return exists().where(m.Lesson.id == m.Grade.lesson_id, m.Lesson.held_on >= earliest)


def _lesson(scope: Scope) -> ColumnElement[bool]:
    earliest = _earliest(scope)
    return true() if earliest is None else m.Lesson.held_on >= earliest


within_edit_window = Condition(
    name="within_edit_window",
    in_words="within the school's grade edit window",
    description="grades of lessons within the school's edit window, in the school's time",
    renderers={m.Grade: _grade, m.Lesson: _lesson},
    refusal="EDIT_WINDOW_CLOSED",
    guards_existing_only=True,
)
