"""Students enrolled class by class, with their parents; brothers and sisters share parents."""

from dataclasses import dataclass, field
from datetime import date

from demo.names import (
    FEMALE_CHILD_NAMES,
    MALE_ADULT_NAMES,
    MALE_CHILD_NAMES,
    MALE_SURNAMES,
    patronymic,
)
from demo.people import Contacts, People
from demo.sink import Sink
from demo.world import ClassRec, PersonRec, Teacher
from model import ClassStudent, Guardianship, Kinship, Role, Sex

SIBLING_SHARE = 0.12
TEACHER_PARENT_SHARE = 0.01


@dataclass
class Family:
    root: str
    father_name: str
    parents: list[tuple[PersonRec, Kinship]]
    parallels: list[int] = field(default_factory=list)


def birth_range(school_year: int, parallel: int) -> tuple[date, date]:
    """First-graders are six and a half to seven and a half on 1 September."""
    return date(school_year - 6 - parallel, 3, 1), date(school_year - 5 - parallel, 2, 28)


class Enrolment:
    def __init__(self, people: People, sink: Sink, teachers: list[Teacher]) -> None:
        self.people = people
        self.sink = sink
        self.families: list[Family] = []
        self.parents_of: dict[int, list[tuple[PersonRec, Kinship]]] = {}
        self._teacher_mothers = [t.person for t in teachers if t.person.sex is Sex.FEMALE]
        self._year = people.refs.calendar.starts_on.year

    def enrol(self, school_class: ClassRec) -> None:
        for _ in range(school_class.size):
            student = self._student(school_class.parallel)
            school_class.students.append(student)
            self.sink.add(
                ClassStudent,
                {
                    "id": self.people.ids.next(ClassStudent),
                    "school_class_id": school_class.id,
                    "school_year_id": self.people.refs.year_id,
                    "student_id": student.id,
                },
            )
        school_class.students.sort(key=lambda s: (s.last_name, s.first_name, s.middle_name, s.id))

    def _student(self, parallel: int) -> PersonRec:
        people, rng = self.people, self.people.rng
        first, last = birth_range(self._year, parallel)
        birth = people.birth_between(first, last)
        family = self._sibling_family(parallel) if rng.random() < SIBLING_SHARE else None
        if family is None:
            family = self._new_family(birth)
        family.parallels.append(parallel)
        sex = Sex.FEMALE if rng.random() < 0.5 else Sex.MALE
        first_name = rng.choice(FEMALE_CHILD_NAMES if sex is Sex.FEMALE else MALE_CHILD_NAMES)
        middle = patronymic(family.father_name, sex is Sex.FEMALE)
        contacts = Contacts(phone=parallel >= 4, email=parallel >= 6)
        student = people.person(sex, family.root, first_name, middle, birth, contacts)
        people.role(student, Role.STUDENT)
        self.parents_of[student.id] = list(family.parents)
        for parent, kinship in family.parents:
            self.sink.add(
                Guardianship,
                {
                    "id": people.ids.next(Guardianship),
                    "parent_id": parent.id,
                    "child_id": student.id,
                    "kinship": kinship,
                },
            )
            people.role(parent, Role.PARENT)
            people.consent(parent, parent)
        people.consent(student, family.parents[0][0])
        return student

    def _sibling_family(self, parallel: int) -> Family | None:
        rng = self.people.rng
        for _ in range(6):
            if not self.families:
                return None
            family = self.families[rng.randrange(len(self.families))]
            if parallel not in family.parallels and len(family.parallels) < 3:
                return family
        return None

    def _new_family(self, child_birth: date) -> Family:
        people, rng = self.people, self.people.rng
        year = child_birth.year
        mother = self._teacher_mother(year) if rng.random() < TEACHER_PARENT_SHARE else None
        root = mother.surname_root if mother is not None else rng.choice(MALE_SURNAMES)
        parents: list[tuple[PersonRec, Kinship]] = []
        has_mother = mother is not None or rng.random() < 0.93
        if mother is None and has_mother:
            # One mother in ten kept her own surname.
            own_root = rng.choice(MALE_SURNAMES) if rng.random() < 0.1 else root
            mother = people.adult(
                Sex.FEMALE, date(year - 40, 1, 1), date(year - 20, 12, 31), surname_root=own_root
            )
        if mother is not None:
            parents.append((mother, Kinship.MOTHER))
        father_name = rng.choice(list(MALE_ADULT_NAMES))
        if not parents or rng.random() < 0.7:
            father = people.adult(
                Sex.MALE,
                date(year - 45, 1, 1),
                date(year - 22, 12, 31),
                surname_root=root,
                first_name=father_name,
            )
            parents.append((father, Kinship.FATHER))
        if len(parents) == 1 and rng.random() < 0.03:
            grandmother = people.adult(
                Sex.FEMALE, date(year - 62, 1, 1), date(year - 42, 12, 31), elder=True,
                surname_root=root,
            )  # fmt: skip
            parents.append((grandmother, Kinship.GUARDIAN))
        family = Family(root=root, father_name=father_name, parents=parents)
        self.families.append(family)
        return family

    def _teacher_mother(self, child_birth_year: int) -> PersonRec | None:
        for index, teacher in enumerate(self._teacher_mothers):
            if 22 <= child_birth_year - teacher.birth_date.year <= 40:
                return self._teacher_mothers.pop(index)
        return None
