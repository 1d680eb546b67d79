"""People with consistent Russian names, ages and contacts, their roles and their consent."""

import random
from dataclasses import dataclass
from datetime import date, time, timedelta

from demo.dates import at
from demo.ids import Ids
from demo.names import (
    FEMALE_ADULT_NAMES,
    FEMALE_ELDER_NAMES,
    MALE_ADULT_NAMES,
    MALE_ELDER_NAMES,
    MALE_SURNAMES,
    feminine_surname,
    patronymic,
    translit,
)
from demo.sink import Sink
from demo.world import PersonRec, SchoolRefs
from model import Consent, Person, Role, SchoolRole, Sex

_EMAIL_DOMAINS = ("example.com", "example.org", "example.net")  # reserved: mail never leaves
_FATHERS_OF_ADULTS = (*MALE_ELDER_NAMES, *MALE_ADULT_NAMES)


@dataclass(frozen=True)
class Contacts:
    phone: bool
    email: bool


ADULT = Contacts(phone=True, email=True)


class People:
    """Creates the people of one school and remembers who they are, in creation order."""

    def __init__(self, sink: Sink, ids: Ids, rng: random.Random, refs: SchoolRefs) -> None:
        self.sink = sink
        self.ids = ids
        self.rng = rng
        self.refs = refs
        self.persons: list[PersonRec] = []
        self._roles: set[tuple[int, str]] = set()
        self._consented: set[int] = set()
        self._documents = 0

    def person(
        self,
        sex: Sex,
        surname_root: str,
        first_name: str,
        middle_name: str,
        birth_date: date,
        contacts: Contacts,
        last_name: str | None = None,
    ) -> PersonRec:
        if last_name is None:
            last_name = feminine_surname(surname_root) if sex is Sex.FEMALE else surname_root
        rec = PersonRec(
            id=self.ids.next(Person),
            last_name=last_name,
            first_name=first_name,
            middle_name=middle_name,
            sex=sex,
            birth_date=birth_date,
            surname_root=surname_root,
        )
        rng = self.rng
        email = None
        if contacts.email and rng.random() < 0.9:
            email = (
                f"{translit(last_name)}.{translit(first_name)}{rng.randint(1, 999)}"
                f"@{rng.choice(_EMAIL_DOMAINS)}"
            )
        phone = None
        if contacts.phone:
            phone = (
                f"+7 9{rng.randint(0, 99):02d} {rng.randint(0, 999):03d}-"
                f"{rng.randint(0, 99):02d}-{rng.randint(0, 99):02d}"
            )
        self.sink.add(
            Person,
            {
                "id": rec.id,
                "region_id": self.refs.region_id,
                "last_name": rec.last_name,
                "first_name": rec.first_name,
                "middle_name": rec.middle_name,
                "birth_date": rec.birth_date,
                "sex": rec.sex,
                "email": email,
                "phone": phone,
            },
        )
        self.persons.append(rec)
        return rec

    def adult(
        self,
        sex: Sex,
        born_from: date,
        born_to: date,
        elder: bool = False,
        surname_root: str | None = None,
        first_name: str | None = None,
    ) -> PersonRec:
        rng = self.rng
        root = surname_root or rng.choice(MALE_SURNAMES)
        if first_name is None:
            if sex is Sex.MALE:
                first_name = rng.choice(list(MALE_ELDER_NAMES if elder else MALE_ADULT_NAMES))
            else:
                first_name = rng.choice(FEMALE_ELDER_NAMES if elder else FEMALE_ADULT_NAMES)
        middle = patronymic(rng.choice(_FATHERS_OF_ADULTS), sex is Sex.FEMALE)
        return self.person(
            sex, root, first_name, middle, self.birth_between(born_from, born_to), ADULT
        )

    def birth_between(self, first: date, last: date) -> date:
        span = max(0, (last - first).days)
        return first + timedelta(days=self.rng.randint(0, span))

    def role(self, person: PersonRec, role: Role) -> None:
        key = (person.id, role.value)
        if key in self._roles:
            return
        self._roles.add(key)
        self.sink.add(
            SchoolRole,
            {
                "id": self.ids.next(SchoolRole),
                "person_id": person.id,
                "school_id": self.refs.id,
                "role": role,
            },
        )

    def has_role(self, person: PersonRec, role: Role) -> bool:
        return (person.id, role.value) in self._roles

    def consent(self, person: PersonRec, given_by: PersonRec) -> None:
        """The consent collected at enrolment or hiring, before the data was entered (R-PD-1)."""
        if person.id in self._consented:
            return
        self._consented.add(person.id)
        self._documents += 1
        year_start = self.refs.calendar.starts_on
        day = year_start - timedelta(days=self.rng.randint(3, 20))
        moment = time(self.rng.randint(9, 17), self.rng.choice((0, 15, 30, 45)))
        self.sink.add(
            Consent,
            {
                "id": self.ids.next(Consent),
                "person_id": person.id,
                "school_id": self.refs.id,
                "given_by_id": given_by.id,
                "given_at": at(day, moment),
                "document": (
                    f"Согласие на обработку персональных данных № {self._documents}"
                    f"/{year_start.year}"
                ),
                "withdrawn_at": None,
            },
        )
