"""What one generated school consists of in memory, shared between the generation stages."""

from dataclasses import dataclass, field
from datetime import date, time

from demo.catalog import Work, period_kind_for
from demo.dates import BELL_SCHEDULES, Bells, SchoolCalendar, bell_schedule_for
from model import PeriodKind
from model.people import Sex


@dataclass
class PersonRec:
    id: int
    last_name: str
    first_name: str
    middle_name: str
    sex: Sex
    birth_date: date
    # The masculine form of the surname, which the rest of the family derives theirs from.
    surname_root: str

    @property
    def full_name(self) -> str:
        return f"{self.last_name} {self.first_name} {self.middle_name}"


@dataclass
class SchoolRefs:
    """The reference rows of one school, by the names the generator knows them by."""

    index: int
    id: int
    name: str
    short_name: str
    region_id: int
    calendar: SchoolCalendar
    year_id: int
    # (kind, number) → period id, for the quarters and the halves
    period_ids: dict[tuple[PeriodKind, int], int]
    year_period_id: int
    # bell schedule name → id
    bell_schedule_ids: dict[str, int]
    main_building_id: int
    primary_building_id: int
    five_scale_id: int
    pass_scale_id: int
    subject_ids: dict[str, int]
    work_type_ids: dict[Work, int]
    work_weights: dict[Work, float]
    checking_days: dict[Work, int]


@dataclass
class Teacher:
    person: PersonRec
    # The subject families (catalog.SubjectSpec.family) this teacher is qualified for.
    families: tuple[str, ...]
    primary: bool
    room_id: int = 0
    load: int = 0


@dataclass
class ClassRec:
    index: int
    id: int
    parallel: int
    letter: str
    size: int
    whole_group_id: int = 0
    class_teacher: Teacher | None = None
    room_id: int | None = None
    students: list[PersonRec] = field(default_factory=list)
    # subject name → the ids of its two subgroups
    subgroups: dict[str, tuple[int, int]] = field(default_factory=dict)
    group_members: dict[int, list[int]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.parallel}{self.letter}"

    @property
    def period_kind(self) -> PeriodKind:
        return period_kind_for(self.parallel)

    @property
    def bell_schedule(self) -> str:
        return bell_schedule_for(self.parallel)

    @property
    def bells(self) -> Bells:
        return BELL_SCHEDULES[self.bell_schedule]

    def students_of(self, group_id: int) -> list[int]:
        if group_id == self.whole_group_id:
            return [student.id for student in self.students]
        return self.group_members[group_id]


@dataclass(frozen=True)
class Teaching:
    """One group is taught one subject by one teacher in one room for so many hours a week."""

    class_index: int
    subject: str
    group_id: int
    teacher_id: int
    room_id: int
    hours: int


@dataclass(frozen=True)
class Slot:
    """A timetable entry: a teaching placed on a weekday (1 = Monday) and bell, which rings at
    the times of the class's bell schedule."""

    entry_id: int
    teaching: Teaching
    weekday: int
    bell: int
    starts_at: time
    ends_at: time
