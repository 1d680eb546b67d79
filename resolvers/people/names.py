"""People and dates as a refusal names them: «Иванова А. С.», «01.09.2026»."""

from datetime import date

import model as m


def short_name(person: m.Person) -> str:
    """Last name and initials, as the journal prints them: «Иванова А. С.»."""
    initials = " ".join(f"{part[0]}." for part in (person.first_name, person.middle_name) if part)
    return f"{person.last_name} {initials}".strip()


def full_name(person: m.Person) -> str:
    """Last, first and middle name: «Иванова Анна Сергеевна»."""
    return " ".join(
        part for part in (person.last_name, person.first_name, person.middle_name) if part
    )


def day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def class_name(school_class: m.SchoolClass) -> str:
    return f"{school_class.parallel}{school_class.letter}"
