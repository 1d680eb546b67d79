"""The weekly timetable: every class has its lessons from the first bell on without gaps, and
no teacher, room or group is in two places at once."""

import random
from dataclasses import dataclass, field

from demo.dates import WEEK_LENGTH
from demo.ids import Ids
from demo.sink import Sink
from demo.world import ClassRec, SchoolRefs, Slot, Teaching
from model import TimetableEntry

# The curriculum's hours and the busy days below are those of the five-day week.
DAYS = WEEK_LENGTH
# Extra lessons of a week that does not divide by five go to the middle of the week first.
_BUSY_DAYS_FIRST = (2, 3, 4, 1, 5)
# The «Разговоры о важном» class hour opens the week: Monday, first lesson.
_PINNED = {"Разговоры о важном": 1 * 10 + 1}
_HEAVY = frozenset(
    {"Русский язык", "Математика", "Алгебра", "Геометрия", "Физика", "Химия", "Английский язык"}
)


def _slot(day: int, bell: int) -> int:
    return day * 10 + bell


@dataclass
class _Unit:
    class_index: int
    subject: str
    parts: list[Teaching]

    @property
    def teachers(self) -> list[int]:
        return [part.teacher_id for part in self.parts]


@dataclass
class _Grid:
    free: dict[int, set[int]] = field(default_factory=dict)
    placed: dict[int, dict[int, _Unit]] = field(default_factory=dict)
    busy: dict[int, set[int]] = field(default_factory=dict)
    subject_days: dict[tuple[int, str, int], int] = field(default_factory=dict)
    teacher_days: dict[tuple[int, int], int] = field(default_factory=dict)

    def teachers_free(self, unit: _Unit, slot: int) -> bool:
        return all(slot not in self.busy.setdefault(t, set()) for t in unit.teachers)

    def put(self, unit: _Unit, slot: int) -> None:
        self.free[unit.class_index].discard(slot)
        self.placed[unit.class_index][slot] = unit
        day = slot // 10
        key = (unit.class_index, unit.subject, day)
        self.subject_days[key] = self.subject_days.get(key, 0) + 1
        for teacher in unit.teachers:
            self.busy.setdefault(teacher, set()).add(slot)
            self.teacher_days[(teacher, day)] = self.teacher_days.get((teacher, day), 0) + 1

    def take(self, unit: _Unit, slot: int) -> None:
        self.free[unit.class_index].add(slot)
        del self.placed[unit.class_index][slot]
        day = slot // 10
        self.subject_days[(unit.class_index, unit.subject, day)] -= 1
        for teacher in unit.teachers:
            self.busy[teacher].discard(slot)
            self.teacher_days[(teacher, day)] -= 1


def _day_lengths(total: int, bell_count: int) -> dict[int, int]:
    lengths = dict.fromkeys(range(1, DAYS + 1), total // DAYS)
    for day in _BUSY_DAYS_FIRST[: total % DAYS]:
        lengths[day] += 1
    return {day: min(bell_count, length) for day, length in lengths.items()}


def _units(teachings: list[Teaching]) -> list[tuple[_Unit, int]]:
    by_key: dict[tuple[int, str], _Unit] = {}
    hours: dict[tuple[int, str], int] = {}
    for teaching in teachings:
        key = (teaching.class_index, teaching.subject)
        if key not in by_key:
            by_key[key] = _Unit(teaching.class_index, teaching.subject, [])
            hours[key] = teaching.hours
        by_key[key].parts.append(teaching)
    return [(unit, hours[key]) for key, unit in by_key.items()]


class _Scheduler:
    def __init__(self, classes: list[ClassRec], rng: random.Random) -> None:
        self.rng = rng
        self.grid = _Grid()
        self.classes = classes
        self.dropped = 0

    def run(self, teachings: list[Teaching]) -> _Grid:
        units = _units(teachings)
        load: dict[int, int] = {}
        totals: dict[int, int] = {}
        for unit, hours in units:
            totals[unit.class_index] = totals.get(unit.class_index, 0) + hours
            for teacher in unit.teachers:
                load[teacher] = load.get(teacher, 0) + hours
        for school_class in self.classes:
            lengths = _day_lengths(totals.get(school_class.index, 0), len(school_class.bells))
            self.grid.free[school_class.index] = {
                _slot(day, bell) for day, length in lengths.items() for bell in range(1, length + 1)
            }
            self.grid.placed[school_class.index] = {}
        # The most constrained first: pinned hours, then subgroup pairs, then the busiest teachers.
        order = sorted(
            units,
            key=lambda uh: (
                uh[0].subject not in _PINNED,
                -len(uh[0].parts),
                -max(load[t] for t in uh[0].teachers),
                self.rng.random(),
            ),
        )
        unplaced: list[_Unit] = []
        for unit, hours in order:
            for _ in range(hours):
                if not self._place(unit):
                    unplaced.append(unit)
        for unit in unplaced:
            if not self._swap_in(unit) and not self._squeeze_in(unit):
                self.dropped += 1
        return self.grid

    def _place(self, unit: _Unit) -> bool:
        grid = self.grid
        candidates = [s for s in sorted(grid.free[unit.class_index]) if grid.teachers_free(unit, s)]
        if not candidates:
            return False
        pinned = _PINNED.get(unit.subject)
        if pinned in candidates:
            grid.put(unit, pinned)
            return True
        best = min(candidates, key=lambda s: (self._score(unit, s), s))
        grid.put(unit, best)
        return True

    def _score(self, unit: _Unit, slot: int) -> float:
        grid = self.grid
        day, bell = divmod(slot, 10)
        score = 10.0 * grid.subject_days.get((unit.class_index, unit.subject, day), 0)
        score += 0.3 * sum(grid.teacher_days.get((t, day), 0) for t in unit.teachers)
        if unit.subject in _HEAVY and not 2 <= bell <= 4:
            score += 0.5
        return score + self.rng.random() * 0.5

    def _swap_in(self, unit: _Unit) -> bool:
        """Move one of the class's placed lessons into a free slot to make room for this one."""
        grid = self.grid
        placed = grid.placed[unit.class_index]
        for free_slot in sorted(grid.free[unit.class_index]):
            for slot in sorted(placed):
                other = placed[slot]
                if other.subject in _PINNED:
                    continue
                grid.take(other, slot)
                if grid.teachers_free(other, free_slot) and grid.teachers_free(unit, slot):
                    grid.put(other, free_slot)
                    grid.put(unit, slot)
                    return True
                grid.put(other, slot)
        return False

    def _squeeze_in(self, unit: _Unit) -> bool:
        """Last resort: an extra lesson after the class's day, leaving a gap if need be."""
        grid = self.grid
        taken = grid.placed[unit.class_index]
        # Only the bells of the class's schedule: first graders have fewer.
        for bell in range(1, len(self.classes[unit.class_index].bells) + 1):
            for day in range(1, DAYS + 1):
                slot = _slot(day, bell)
                if slot not in taken and grid.teachers_free(unit, slot):
                    grid.free[unit.class_index].add(slot)
                    grid.put(unit, slot)
                    return True
        return False


@dataclass
class Timetable:
    slots: list[Slot]
    # Lessons that found no slot without double-booking someone: left out of the week.
    dropped: int


def build_timetable(
    sink: Sink,
    ids: Ids,
    refs: SchoolRefs,
    classes: list[ClassRec],
    teachings: list[Teaching],
    rng: random.Random,
) -> Timetable:
    scheduler = _Scheduler(classes, rng)
    grid = scheduler.run(teachings)
    slots: list[Slot] = []
    for school_class in classes:
        placed = grid.placed[school_class.index]
        times = {number: (start, end) for number, start, end in school_class.bells}
        for slot in sorted(placed):
            day, bell = divmod(slot, 10)
            unit = placed[slot]
            start, end = times[bell]
            for part in unit.parts:
                entry_id = ids.next(TimetableEntry)
                slots.append(Slot(entry_id, part, day, bell, start, end))
                sink.add(
                    TimetableEntry,
                    {
                        "id": entry_id,
                        "school_id": refs.id,
                        "school_year_id": refs.year_id,
                        "group_id": part.group_id,
                        "subject_id": refs.subject_ids[part.subject],
                        "teacher_id": part.teacher_id,
                        "room_id": part.room_id,
                        "weekday": day,
                        "bell_number": bell,
                        "valid_from": refs.calendar.starts_on,
                        "valid_to": None,
                    },
                )
    return Timetable(slots, scheduler.dropped)
