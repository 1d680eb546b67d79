"""Lessons as given, day by day from the start of the year, following the timetable; teachers
fall ill and are substituted by a colleague, or the lesson is cancelled."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from demo.catalog import SUBJECT_BY_NAME
from demo.dates import at
from demo.ids import Ids
from demo.plan import PlanStep
from demo.punctuality import TIMEZONE, Punctuality
from demo.sink import Sink
from demo.timetable import Timetable
from demo.world import ClassRec, SchoolRefs, Slot
from model import Lesson, LessonStatus, TimetableChange, TimetableChangeKind
from resolvers.journal.deadlines import by_day, entry_due

_ILLNESS = ("Болезнь учителя", "Больничный лист учителя")
_COURSES = "Курсы повышения квалификации"
_EXCURSION = "Выездная экскурсия класса"


@dataclass(frozen=True)
class LessonRec:
    id: int
    day: date
    slot: Slot
    status: LessonStatus
    step: PlanStep | None
    # Who actually gave the lesson: the substitute if there was one.
    given_by: int
    # When its journal was filled in (attendance, homework, oral marks); None: not yet.
    filled_at: datetime | None = None


class _Substitutes:
    """Finds a free colleague for a lesson, preferring a teacher of the same subject."""

    def __init__(self, timetable: Timetable, rng: random.Random) -> None:
        self.rng = rng
        self.weekly = {(s.teaching.teacher_id, s.weekday, s.bell) for s in timetable.slots}
        by_subject: dict[str, set[int]] = {}
        for slot in timetable.slots:
            by_subject.setdefault(slot.teaching.subject, set()).add(slot.teaching.teacher_id)
        self.by_subject = {subject: sorted(ids) for subject, ids in by_subject.items()}
        # Teachers stand in for each other; the psychologist neither stands in nor falls ill.
        self.everyone = sorted(
            {
                s.teaching.teacher_id
                for s in timetable.slots
                if not SUBJECT_BY_NAME[s.teaching.subject].taught_by_psychologist
            }
        )
        self.absent: dict[tuple[int, int], str] = {}
        self._taken: set[tuple[int, int, int]] = set()

    def find(self, slot: Slot, day: date) -> int | None:
        ordinal = day.toordinal()

        def free(teacher: int) -> bool:
            return (
                teacher != slot.teaching.teacher_id
                and (teacher, slot.weekday, slot.bell) not in self.weekly
                and (teacher, ordinal, slot.bell) not in self._taken
                and (teacher, ordinal) not in self.absent
            )

        for pool in (self.by_subject[slot.teaching.subject], self.everyone):
            candidates = [t for t in pool if free(t)]
            if candidates:
                chosen = self.rng.choice(candidates)
                self._taken.add((chosen, ordinal, slot.bell))
                return chosen
        return None


def give_lessons(
    sink: Sink,
    ids: Ids,
    refs: SchoolRefs,
    classes: list[ClassRec],
    timetable: Timetable,
    plans: dict[tuple[str, int], list[PlanStep]],
    accounts: dict[int, int],
    today: date,
    rng: random.Random,
) -> list[LessonRec]:
    """Lessons before `today` are held (or cancelled); today's are planned, with their topic."""
    calendar = refs.calendar
    days = calendar.school_days(calendar.starts_on, min(today, calendar.ends_on))
    past = [day for day in days if day < today]
    by_weekday: dict[int, list[Slot]] = {}
    for slot in sorted(
        timetable.slots,
        key=lambda s: (s.bell, s.teaching.class_index, s.teaching.group_id),
    ):
        by_weekday.setdefault(slot.weekday, []).append(slot)

    substitutes = _Substitutes(timetable, rng)
    teachers = substitutes.everyone
    for episode in range(max(1, len(teachers) // 8) if past and teachers else 0):
        teacher = rng.choice(teachers)
        first = rng.randrange(len(past))
        reason = _COURSES if episode == 0 else rng.choice(_ILLNESS)
        for day in past[first : first + rng.randint(2, 5)]:
            substitutes.absent[(teacher, day.toordinal())] = reason
    outings: set[tuple[int, int]] = set()
    if past:
        outing_class = rng.randrange(len(classes))
        outings.add((outing_class, rng.choice(past).toordinal()))

    lessons: list[LessonRec] = []
    progress: dict[tuple[int, str], int] = {}
    punctuality = Punctuality(refs.id, today)
    for day in days:
        for slot in by_weekday.get(day.isoweekday(), ()):
            lessons.append(
                _lesson(sink, ids, refs, classes, plans, accounts, substitutes, outings,
                        progress, slot, day, today, punctuality)
            )  # fmt: skip
    _announce_absence(sink, ids, refs, timetable, substitutes, today, rng)
    return lessons


def _lesson(
    sink: Sink,
    ids: Ids,
    refs: SchoolRefs,
    classes: list[ClassRec],
    plans: dict[tuple[str, int], list[PlanStep]],
    accounts: dict[int, int],
    substitutes: _Substitutes,
    outings: set[tuple[int, int]],
    progress: dict[tuple[int, str], int],
    slot: Slot,
    day: date,
    today: date,
    punctuality: Punctuality,
) -> LessonRec:
    teaching = slot.teaching
    ordinal = day.toordinal()
    lesson_id = ids.next(Lesson)
    status = LessonStatus.HELD if day < today else LessonStatus.PLANNED
    substitute: int | None = None
    reason: str | None = None
    if (teaching.class_index, ordinal) in outings:
        status, reason = LessonStatus.CANCELLED, _EXCURSION
    elif (teaching.teacher_id, ordinal) in substitutes.absent:
        reason = substitutes.absent[(teaching.teacher_id, ordinal)]
        substitute = substitutes.find(slot, day)
        if substitute is None:
            status = LessonStatus.CANCELLED
    if reason is not None:
        kind = (
            TimetableChangeKind.SUBSTITUTION
            if substitute is not None
            else TimetableChangeKind.CANCELLED
        )
        _change(sink, ids, refs, slot, day, kind, substitute, reason)

    step = None
    if status is not LessonStatus.CANCELLED:
        key = (teaching.group_id, teaching.subject)
        position = progress.get(key, 0)
        progress[key] = position + 1
        steps = plans[(teaching.subject, classes[teaching.class_index].parallel)]
        step = steps[position] if position < len(steps) else None
    given_by = substitute if substitute is not None else teaching.teacher_id
    held = status is LessonStatus.HELD
    filled_at = punctuality.filled_at(day, slot.starts_at) if held else None
    created_at = (
        at(day, slot.starts_at)
        if status is not LessonStatus.PLANNED
        else at(day - timedelta(days=1), time(18))
    )
    sink.add(
        Lesson,
        {
            "id": lesson_id,
            "school_id": refs.id,
            "group_id": teaching.group_id,
            "subject_id": refs.subject_ids[teaching.subject],
            "teacher_id": teaching.teacher_id,
            "substitute_id": substitute,
            "timetable_entry_id": slot.entry_id,
            "held_on": day,
            "bell_number": slot.bell,
            "status": status,
            "plan_item_id": step.item_id if step is not None else None,
            "topic": step.topic if step is not None else None,
            "material": None,
            "attendance_taken_at": filled_at,
            "attendance_on_time": (
                None if filled_at is None else by_day(filled_at, entry_due(day), TIMEZONE)
            ),
            "created_by_id": accounts[given_by],
            "created_at": created_at,
            "updated_by_id": None,
            "updated_at": None,
            "version": 1,
        },
    )
    return LessonRec(lesson_id, day, slot, status, step, given_by, filled_at)


def _change(
    sink: Sink,
    ids: Ids,
    refs: SchoolRefs,
    slot: Slot,
    day: date,
    kind: TimetableChangeKind,
    teacher: int | None,
    reason: str,
) -> None:
    sink.add(
        TimetableChange,
        {
            "id": ids.next(TimetableChange),
            "school_id": refs.id,
            "on_date": day,
            "kind": kind,
            "timetable_entry_id": slot.entry_id,
            "group_id": slot.teaching.group_id,
            "subject_id": refs.subject_ids[slot.teaching.subject],
            "teacher_id": teacher,
            "room_id": slot.teaching.room_id if teacher is not None else None,
            "bell_number": slot.bell,
            "reason": reason,
        },
    )


def _announce_absence(
    sink: Sink,
    ids: Ids,
    refs: SchoolRefs,
    timetable: Timetable,
    substitutes: _Substitutes,
    today: date,
    rng: random.Random,
) -> None:
    """Substitutions already arranged for the next school day, as the timetable shows them."""
    calendar = refs.calendar
    upcoming = calendar.school_days(today + timedelta(days=1), calendar.ends_on)[:1]
    if not upcoming or not substitutes.everyone:
        return
    day = upcoming[0]
    teacher = rng.choice(substitutes.everyone)
    substitutes.absent[(teacher, day.toordinal())] = _COURSES
    for slot in sorted(timetable.slots, key=lambda s: (s.bell, s.entry_id)):
        if slot.weekday == day.isoweekday() and slot.teaching.teacher_id == teacher:
            substitute = substitutes.find(slot, day)
            kind = (
                TimetableChangeKind.SUBSTITUTION
                if substitute is not None
                else TimetableChangeKind.CANCELLED
            )
            _change(sink, ids, refs, slot, day, kind, substitute, _COURSES)
