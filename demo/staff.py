"""The school's staff: administration, the psychologist and the teachers."""

from dataclasses import dataclass
from datetime import date

from demo.people import People
from demo.staffing import StaffPlan
from demo.world import PersonRec, Teacher
from model import Role, Sex

# Most Russian teachers are women; fewer among PE, ОБЗР, labour and IT teachers.
_FEMALE_SHARE = {"pe": 0.4, "obzr": 0.2, "labour": 0.5, "informatics": 0.5, "physics": 0.6}


@dataclass
class Staff:
    admin: PersonRec
    head: PersonRec
    deputy: PersonRec
    # The psychologist gives lessons of their own course (catalog.Taught.PSYCHOLOGIST).
    psychologist: Teacher
    teachers: list[Teacher]


def _aged(people: People, sex: Sex, youngest: int, oldest: int) -> PersonRec:
    year = people.refs.calendar.starts_on.year
    elder = oldest >= 45 and people.rng.random() < 0.5
    return people.adult(sex, date(year - oldest, 1, 1), date(year - youngest, 12, 31), elder=elder)


def _sex(people: People, female_share: float) -> Sex:
    return Sex.FEMALE if people.rng.random() < female_share else Sex.MALE


def hire_staff(people: People, plan: StaffPlan) -> Staff:
    admin = _aged(people, _sex(people, 0.6), 25, 50)
    head = _aged(people, _sex(people, 0.7), 45, 60)
    deputy = _aged(people, _sex(people, 0.85), 35, 58)
    psychologist = _aged(people, _sex(people, 0.9), 25, 50)
    for person, role in (
        (admin, Role.ADMIN),
        (head, Role.HEAD),
        (deputy, Role.DEPUTY),
        (psychologist, Role.PSYCHOLOGIST),
    ):
        people.role(person, role)
        people.consent(person, person)

    teachers: list[Teacher] = []
    for _ in range(plan.primary_teachers):
        person = _aged(people, _sex(people, 0.97), 23, 64)
        teachers.append(Teacher(person=person, families=("primary",), primary=True))
    for families in plan.specialities:
        share = _FEMALE_SHARE.get(families[0], 0.8)
        person = _aged(people, _sex(people, share), 23, 64)
        teachers.append(Teacher(person=person, families=families, primary=False))
    for teacher in teachers:
        people.role(teacher.person, Role.TEACHER)
        people.consent(teacher.person, teacher.person)
    counsellor = Teacher(person=psychologist, families=("psychology",), primary=False)
    return Staff(admin, head, deputy, counsellor, teachers)
