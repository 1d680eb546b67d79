"""Who is missing from a lesson: spells of illness and family days off, planned per student over
the year, plus the odd truancy and lateness (mostly at the first lesson)."""

import random
from datetime import date, timedelta

from demo.dates import at
from demo.ids import Ids
from demo.lessons import LessonRec
from demo.punctuality import TIMEZONE
from demo.sink import Sink
from demo.world import ClassRec, SchoolRefs
from model import Attendance, AttendanceKind
from resolvers.journal.deadlines import by_day, entry_due

# Per school day: the chance that an illness of 3–7 days starts, or of a day off with a reason.
ILL_START = 0.009
DAY_OFF = 0.006
# Per lesson: the chance of skipping it, or of coming late.
UNEXCUSED = 0.004
LATE_FIRST_LESSON = 0.02
LATE = 0.004
_VALID_REASONS = ("Заявление родителей", "Участие в соревнованиях", "Участие в олимпиаде")


class Register:
    def __init__(
        self,
        sink: Sink,
        ids: Ids,
        refs: SchoolRefs,
        classes: list[ClassRec],
        today: date,
        rng: random.Random,
    ) -> None:
        self.sink, self.ids, self.refs, self.rng = sink, ids, refs, rng
        self.away: dict[tuple[int, int], AttendanceKind] = {}
        calendar = refs.calendar
        days = calendar.school_days(calendar.starts_on, min(today, calendar.ends_on))
        days = [day for day in days if day < today]
        for school_class in classes:
            for student in school_class.students:
                self._plan_absences(student.id, days)

    def _plan_absences(self, student: int, days: list[date]) -> None:
        rng = self.rng
        position = 0
        while position < len(days):
            chance = rng.random()
            if chance < ILL_START:
                for day in days[position : position + rng.randint(3, 7)]:
                    self.away[(student, day.toordinal())] = AttendanceKind.ILL
                    position += 1
            else:
                if chance < ILL_START + DAY_OFF:
                    self.away[(student, days[position].toordinal())] = AttendanceKind.ABSENT_VALID
                position += 1

    def call_roll(
        self, lesson: LessonRec, students: list[int], account: int
    ) -> tuple[list[int], list[int]]:
        """Record the lesson's attendance (R-ATT-1), unless its journal is not filled in yet;
        returns who was there and who was not."""
        rng = self.rng
        ordinal = lesson.day.toordinal()
        late_chance = LATE_FIRST_LESSON if lesson.slot.bell == 1 else LATE
        present: list[int] = []
        missing: list[int] = []
        for student in students:
            kind = self.away.get((student, ordinal))
            minutes = None
            if kind is None:
                chance = rng.random()
                if chance < UNEXCUSED:
                    kind = AttendanceKind.ABSENT_UNEXCUSED
                elif chance < UNEXCUSED + late_chance:
                    kind = AttendanceKind.LATE
                    minutes = rng.randint(1, 15) if rng.random() < 0.9 else rng.randint(16, 40)
            if kind is not None and lesson.filled_at is not None:
                self._add(lesson, student, kind, minutes, account)
            if kind is None or kind is AttendanceKind.LATE:
                present.append(student)
            else:
                missing.append(student)
        return present, missing

    def _add(
        self,
        lesson: LessonRec,
        student: int,
        kind: AttendanceKind,
        minutes: int | None,
        account: int,
    ) -> None:
        rng = self.rng
        comment = None
        if kind is AttendanceKind.ABSENT_VALID:
            comment = rng.choice(_VALID_REASONS)
        elif kind is AttendanceKind.ILL and rng.random() < 0.3:
            comment = "Справка от врача"
        created_at = at(lesson.day, lesson.slot.starts_at) + timedelta(minutes=rng.randint(3, 15))
        if lesson.filled_at is not None:
            created_at = max(created_at, lesson.filled_at)
        self.sink.add(
            Attendance,
            {
                "id": self.ids.next(Attendance),
                "school_id": self.refs.id,
                "lesson_id": lesson.id,
                "student_id": student,
                "kind": kind,
                "late_minutes": minutes,
                "comment": comment,
                "created_by_id": account,
                "created_at": created_at,
                "on_time": by_day(created_at, entry_due(lesson.day), TIMEZONE),
                "updated_by_id": None,
                "updated_at": None,
                "version": 1,
            },
        )
