"""What to generate, and what the caller gets back to log in with."""

from dataclasses import dataclass
from datetime import date

# Russian schools skip «З» and «Й» so that a letter is not mistaken for a digit or another letter.
CLASS_LETTERS = "АБВГДЕЖИКЛМН"


@dataclass(frozen=True)
class DemoOptions:
    seed: int = 2026
    schools: int = 1
    parallels: int = 11
    classes_per_parallel: int = 3
    students_per_class: int = 30
    teachers: int = 60
    today: date | None = None

    def validate(self) -> None:
        if self.schools < 1:
            raise ValueError("schools must be at least 1")
        if not 1 <= self.parallels <= 11:
            raise ValueError("parallels must be between 1 and 11")
        if not 1 <= self.classes_per_parallel <= len(CLASS_LETTERS):
            raise ValueError(f"classes_per_parallel must be between 1 and {len(CLASS_LETTERS)}")
        if not 1 <= self.students_per_class <= 60:
            raise ValueError("students_per_class must be between 1 and 60")
        if self.teachers < 2:
            raise ValueError("teachers must be at least 2")

    def resolved_today(self) -> date:
        return self.today if self.today is not None else date.today()


@dataclass(frozen=True)
class DemoLogin:
    role: str
    login: str
    password: str
    person_name: str
    school_name: str
