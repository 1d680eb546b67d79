"""What teachers record for a held lesson: attendance, grades with their change log, the work
types graded and homework. Each student has an ability, so their grades hang together."""

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from demo.attendance import Register
from demo.catalog import SUBJECT_BY_NAME, Work
from demo.dates import Term, at
from demo.homework import HomeworkBook
from demo.ids import Ids
from demo.lessons import LessonRec
from demo.punctuality import TIMEZONE
from demo.sink import Sink
from demo.timetable import Timetable
from demo.world import ClassRec, SchoolRefs
from model import ChangeAction, ChangeKind, Grade, GradeChange, LessonStatus, LessonWorkType
from resolvers.journal.deadlines import by_day, grade_due

# The share of present students graded in a lesson devoted to this kind of work.
_WORK_SHARE = {
    Work.CONTROL: 0.95,
    Work.DICTATION: 0.95,
    Work.ESSAY: 0.9,
    Work.CHECK: 0.9,
    Work.LAB: 0.9,
    Work.PRACTICAL: 0.6,
    Work.INDEPENDENT: 0.8,
    Work.STANDARDS: 0.7,
    Work.RECITATION: 0.35,
}
# Written work is checked at home; the mark appears some days after the lesson.
_CHECKED_LATER = frozenset(
    {Work.CONTROL, Work.DICTATION, Work.ESSAY, Work.CHECK, Work.LAB, Work.INDEPENDENT}
)
_HARD = frozenset({Work.CONTROL, Work.DICTATION, Work.ESSAY})
_COMMENTS = {
    "5": ("Отличная работа!", "Молодец!", "Прекрасный ответ"),
    "4": ("Хорошо, но есть недочёты", "Есть неточности в ответе"),
    "3": ("Нужно повторить правило", "Много ошибок, выполни работу над ошибками"),
    "2": ("Задание не выполнено", "Работа не сдана вовремя", "Нужно лучше подготовиться"),
    "1": ("Работа не выполнена",),
}


@dataclass
class Marks:
    """Weighted sums of each student's numeric grades per term of the student's class (a quarter
    or a half): (student, subject, period id) → [Σwv, Σw]."""

    sums: dict[tuple[int, str, int], list[float]] = field(default_factory=dict)
    # How many marks of any scale a student has per subject and term.
    count: dict[tuple[int, str, int], int] = field(default_factory=dict)

    def add(self, student: int, subject: str, period: int, value: int, weight: float) -> None:
        acc = self.sums.setdefault((student, subject, period), [0.0, 0.0])
        acc[0] += value * weight
        acc[1] += weight

    def average(self, student: int, subject: str, period: int) -> float | None:
        acc = self.sums.get((student, subject, period))
        return acc[0] / acc[1] if acc else None


def round_mark(average: float) -> int:
    """Half up, as Russian teachers round a term average (3.5 → 4)."""
    return min(5, max(1, math.floor(average + 0.5)))


class Journal:
    """Everything recorded for held lessons; `marks` then gives the term grades."""

    def __init__(
        self,
        sink: Sink,
        ids: Ids,
        refs: SchoolRefs,
        classes: list[ClassRec],
        timetable: Timetable,
        accounts: dict[int, int],
        today: date,
        rng: random.Random,
    ) -> None:
        self.sink, self.ids, self.refs, self.classes = sink, ids, refs, classes
        self.accounts, self.today, self.rng = accounts, today, rng
        self.marks = Marks()
        self.register = Register(sink, ids, refs, classes, today, rng)
        self.homework = HomeworkBook(sink, ids, refs, timetable)
        self.ability: dict[int, float] = {}
        self.talent: dict[tuple[int, str], float] = {}
        for school_class in classes:
            for student in school_class.students:
                self.ability[student.id] = min(4.95, max(2.7, rng.gauss(4.0, 0.45)))

    def record(self, lesson: LessonRec) -> None:
        if lesson.status is not LessonStatus.HELD:
            return
        rng = self.rng
        teaching = lesson.slot.teaching
        school_class = self.classes[teaching.class_index]
        spec = SUBJECT_BY_NAME[teaching.subject]
        account = self.accounts[lesson.given_by]
        students = school_class.students_of(teaching.group_id)
        present, missing = self.register.call_roll(lesson, students, account)
        # First-graders get no marks and no homework (безотметочное обучение).
        if school_class.parallel == 1:
            return
        works: list[Work] = []
        weak: list[int] = []
        step = lesson.step
        # The term of the class's own kind (a quarter, or a half in the 10th and 11th grades).
        term = self.refs.calendar.term_of(school_class.period_kind, lesson.day)
        period = self.refs.period_ids[(term.kind, term.number)] if term is not None else 0
        if spec.grade_share > 0:
            if step is not None and step.work is not None:
                main, share = step.work, _WORK_SHARE[step.work]
            else:
                main = rng.choices([w for w, _ in spec.regular], [n for _, n in spec.regular])[0]
                share = rng.uniform(0.15, 0.35)
            share *= spec.grade_share
            if step is not None and step.planned:
                # The work planned in the КТП is the lesson's, whether or not it is marked yet.
                works.append(main)
            others = [w for w, _ in spec.regular if w != main]
            for student in self._called_up(present, teaching.subject, period, main, share):
                mark = self._grade(lesson, term, period, student, main, account)
                if mark is not None and main not in works:
                    works.append(main)
                if mark in ("1", "2", "3", "нз"):
                    weak.append(student)
                if others and rng.random() < 0.05:
                    second = rng.choice(others)
                    second_mark = self._grade(lesson, term, period, student, second, account)
                    if second_mark is not None and second not in works:
                        works.append(second)
        # R-TOPIC-1: the kinds of work graded in the lesson.
        for work in works:
            self.sink.add(
                LessonWorkType,
                {
                    "id": self.ids.next(LessonWorkType),
                    "lesson_id": lesson.id,
                    "work_type_id": self.refs.work_type_ids[work],
                },
            )
        if rng.random() < spec.homework_chance and lesson.filled_at is not None:
            self.homework.set(lesson, present, missing + weak, account, rng)

    def _called_up(
        self, present: list[int], subject: str, period: int, work: Work, share: float
    ) -> list[int]:
        """Who gets a mark: everyone who wrote a test, or in an ordinary lesson those the
        teacher calls up, mostly the ones with the fewest marks in the term so far."""
        rng = self.rng
        if work in _WORK_SHARE:
            return [student for student in present if rng.random() < share]
        count = sum(1 for _ in present if rng.random() < share)
        ranked = sorted(
            present,
            key=lambda s: self.marks.count.get((s, subject, period), 0) + rng.random() * 2,
        )
        chosen = set(ranked[:count])
        return [student for student in present if student in chosen]

    def _graded_at(self, lesson: LessonRec, term: Term | None, work: Work) -> datetime | None:
        """When the mark was entered (R-GRADE-1), or None if the work is still being checked."""
        rng = self.rng
        after_lesson = at(lesson.day, lesson.slot.ends_at) + timedelta(minutes=rng.randint(0, 40))
        days = self.refs.checking_days[work]
        if lesson.filled_at is None:
            return None
        after_lesson = max(after_lesson, lesson.filled_at)
        if work not in _CHECKED_LATER or days == 0:
            return after_lesson
        checked = lesson.day + timedelta(days=rng.randint(1, days))
        if term is not None:
            # Marks of a term are in before the term ends: its term grades are set from them.
            checked = min(checked, term.ends_on)
        if checked >= self.today:
            return None
        return max(after_lesson, at(checked, time(15)) + timedelta(minutes=rng.randint(0, 179)))

    def _mark(self, student: int, subject: str, work: Work, pass_fail: bool) -> str:
        rng = self.rng
        if pass_fail:
            return "зач" if rng.random() < 0.95 else "нз"
        talent = self.talent.get((student, subject))
        if talent is None:
            talent = self.talent[(student, subject)] = rng.gauss(0.0, 0.3)
        value = self.ability[student] + talent + rng.gauss(0.0, 0.75)
        if work in _HARD:
            value -= 0.25
        mark = math.floor(value + 0.5)
        if mark > 5:
            return "5"
        if mark < 2:
            return "1" if value < 1.3 else "2"
        return str(mark)

    def _grade(
        self,
        lesson: LessonRec,
        term: Term | None,
        period: int,
        student: int,
        work: Work,
        account: int,
    ) -> str | None:
        graded_at = self._graded_at(lesson, term, work)
        if graded_at is None:
            return None
        rng = self.rng
        teaching = lesson.slot.teaching
        spec = SUBJECT_BY_NAME[teaching.subject]
        mark = self._mark(student, teaching.subject, work, spec.pass_fail)
        comment = rng.choice(_COMMENTS[mark]) if mark in _COMMENTS and rng.random() < 0.03 else None
        grade_id = self.ids.next(Grade)
        work_type_id = self.refs.work_type_ids[work]
        scale = self.refs.pass_scale_id if spec.pass_fail else self.refs.five_scale_id
        self.sink.add(
            Grade,
            {
                "id": grade_id,
                "school_id": self.refs.id,
                "lesson_id": lesson.id,
                "student_id": student,
                "work_type_id": work_type_id,
                "grade_scale_id": scale,
                "mark": mark,
                "comment": comment,
                "created_by_id": account,
                "created_at": graded_at,
                "on_time": by_day(
                    graded_at, grade_due(lesson.day, self.refs.checking_days[work]), TIMEZONE
                ),
                "updated_by_id": None,
                "updated_at": None,
                "version": 1,
            },
        )
        self.sink.add(
            GradeChange,
            {
                "id": self.ids.next(GradeChange),
                "school_id": self.refs.id,
                "kind": ChangeKind.GRADE,
                "entity": Grade.__tablename__,
                "entity_id": grade_id,
                "before": None,
                "after": {"mark": mark},
                "lesson_id": lesson.id,
                "student_id": student,
                "work_type_id": work_type_id,
                "action": ChangeAction.CREATED,
                "old_mark": None,
                "new_mark": mark,
                "changed_by_id": account,
                "changed_at": graded_at,
                "reason": None,
            },
        )
        if term is not None:
            key = (student, teaching.subject, period)
            self.marks.count[key] = self.marks.count.get(key, 0) + 1
            if not spec.pass_fail:
                weight = self.refs.work_weights[work]
                self.marks.add(student, teaching.subject, period, int(mark), weight)
        return mark
