"""The lessons there are, and what each holds that planning must not lose: given, journal
records (topic, material, attendance, grades, homework, work types, a grade's history), or a
change a person made (a substitute recorded, cancelled by hand)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, exists, or_, select

import model as m
from resolvers.database import AnyRow, Database

# What a lesson holds, by the tables that refer to it (any other table that does counts as
# «other journal records»: a lesson something refers to is never deleted).
_HOLDINGS = {
    "grade": "grades",
    "attendance": "attendance",
    "homework": "homework",
    "lesson_work_type": "work types",
    "change": "a grade history",
    "grade_report": "a report of a wrong grade",
}


def _referring() -> list[tuple[str, ColumnElement[bool]]]:
    lesson = m.Lesson.__table__
    found: list[tuple[str, ColumnElement[bool]]] = []
    for table in m.Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is lesson and table is not lesson:
                words = _HOLDINGS.get(table.name, "other journal records")
                found.append((words, exists().where(fk.parent == m.Lesson.id)))
    return found


REFERRING = _referring()


@dataclass(frozen=True)
class Existing:
    """A lesson of the range, and what it holds (none: planning may change it freely)."""

    row: AnyRow
    holds: tuple[str, ...]

    @property
    def protected(self) -> bool:
        return bool(self.holds)

    @property
    def has_records(self) -> bool:
        return self.row.status is m.LessonStatus.HELD or any(
            hold not in ("held", "changes by hand") for hold in self.holds
        )


async def existing_lessons(db: Database, school_id: int, first: date, last: date) -> list[Existing]:
    lesson = m.Lesson
    flags = [
        lesson.status == m.LessonStatus.HELD,
        or_(lesson.topic.is_not(None), lesson.plan_item_id.is_not(None)),
        lesson.material.is_not(None),
        lesson.attendance_taken_at.is_not(None),
        *(condition for _, condition in REFERRING),
        lesson.updated_by_id.is_not(None),
    ]
    words = ["held", "a topic", "material", "attendance",
             *(name for name, _ in REFERRING), "changes by hand"]  # fmt: skip
    rows = await db.rows(
        select(
            lesson.id,
            lesson.group_id,
            lesson.held_on,
            lesson.bell_number,
            lesson.subject_id,
            lesson.teacher_id,
            lesson.substitute_id,
            lesson.timetable_entry_id,
            lesson.status,
            lesson.version,
            *flags,
        )
        .where(lesson.school_id == school_id, lesson.held_on.between(first, last))
        .order_by(lesson.id)
    )
    found: list[Existing] = []
    for row in rows:
        held = [name for name, flag in zip(words, row[10:], strict=True) if flag]
        found.append(Existing(row, tuple(dict.fromkeys(held))))
    return found
