"""People and dates as the journal writes them, in its screens, files, printed pages and
refusals: «Иванова А.С.», «Иванова Анна Сергеевна», «01.09.2026»."""

from datetime import date

import model as m


def short_name_of(last: str, first: str | None, middle: str | None) -> str:
    """Last name and initials, as the journal prints them: «Иванова А.С.»."""
    initials = "".join(f"{part[0]}." for part in (first, middle) if part)
    return f"{last} {initials}".strip()


def full_name_of(last: str | None, first: str | None, middle: str | None) -> str:
    """Last, first and middle name: «Иванова Анна Сергеевна»."""
    return " ".join(part for part in (last, first, middle) if part)


def short_name(person: m.Person) -> str:
    return short_name_of(person.last_name, person.first_name, person.middle_name)


def full_name(person: m.Person) -> str:
    return full_name_of(person.last_name, person.first_name, person.middle_name)


def day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def class_name(school_class: m.SchoolClass) -> str:
    return f"{school_class.parallel}{school_class.letter}"
