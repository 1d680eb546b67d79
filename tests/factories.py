"""Small explicit builders for test data; each returns the rows it made."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import count
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

import model as m
from resolvers.accounts.passwords import hash_password

T = TypeVar("T")

PASSWORD = "correct horse"
_PASSWORD_HASH = hash_password(PASSWORD)
_serial = count(1)


@dataclass
class SchoolSetup:
    school: m.School
    year: m.SchoolYear
    scale: m.GradeScale
    region_id: int
    classes: list[m.SchoolClass] = field(default_factory=list)


class Factory:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, row: T) -> T:
        self.session.add(row)
        await self.session.flush()
        return row

    async def school(self, name: str = "Школа № 1") -> SchoolSetup:
        n = next(_serial)
        region = await self.add(m.Region(name=f"Край {n}"))
        municipality = await self.add(m.Municipality(region_id=region.id, name=f"Город {n}"))
        school = await self.add(
            m.School(municipality_id=municipality.id, name=f"{name} ({n})", short_name=name)
        )
        year = await self.add(
            m.SchoolYear(
                school_id=school.id,
                name="2026/2027",
                starts_on=date(2026, 9, 1),
                ends_on=date(2027, 5, 31),
            )
        )
        scale = await self.add(m.GradeScale(school_id=school.id, name="Пятибалльная"))
        for position, mark in enumerate("12345"):
            await self.add(
                m.GradeScaleMark(
                    grade_scale_id=scale.id, mark=mark, value=Decimal(mark), position=position
                )
            )
        return SchoolSetup(school=school, year=year, scale=scale, region_id=region.id)

    async def person(self, setup: SchoolSetup, last_name: str, *roles: m.Role) -> m.Person:
        n = next(_serial)
        person = await self.add(
            m.Person(
                region_id=setup.region_id,
                last_name=last_name,
                first_name=f"Имя{n}",
                middle_name="Отчество",
                phone=f"+7900{n:07d}",
            )
        )
        for role in roles:
            await self.add(m.SchoolRole(person_id=person.id, school_id=setup.school.id, role=role))
        return person

    async def account(
        self, person: m.Person, login: str, *, must_change_password: bool = False
    ) -> m.Account:
        return await self.add(
            m.Account(
                person_id=person.id,
                login=login,
                password_hash=_PASSWORD_HASH,
                must_change_password=must_change_password,
            )
        )

    async def school_class(
        self, setup: SchoolSetup, parallel: int, letter: str, students: int, parents_each: int = 2
    ) -> m.SchoolClass:
        teacher = await self.person(setup, f"Классная{parallel}{letter}", m.Role.TEACHER)
        school_class = await self.add(
            m.SchoolClass(
                school_id=setup.school.id,
                school_year_id=setup.year.id,
                parallel=parallel,
                letter=letter,
                class_teacher_id=teacher.id,
            )
        )
        await self.add(
            m.Group(
                school_id=setup.school.id,
                school_class_id=school_class.id,
                kind=m.GroupKind.WHOLE_CLASS,
                name="Весь класс",
            )
        )
        for i in range(students):
            student = await self.person(setup, f"Ученик{i:02d}", m.Role.STUDENT)
            await self.add(
                m.ClassStudent(
                    school_class_id=school_class.id,
                    school_year_id=setup.year.id,
                    student_id=student.id,
                )
            )
            for kinship in [m.Kinship.MOTHER, m.Kinship.FATHER][:parents_each]:
                parent = await self.person(setup, f"Родитель{i:02d}", m.Role.PARENT)
                await self.add(
                    m.Guardianship(parent_id=parent.id, child_id=student.id, kinship=kinship)
                )
        setup.classes.append(school_class)
        return school_class


async def build(engine: AsyncEngine, recipe: Callable[[Factory], Awaitable[T]]) -> T:
    """Run a recipe against a fresh session and commit what it made."""
    async with AsyncSession(engine, expire_on_commit=False) as session:
        result = await recipe(Factory(session))
        await session.commit()
        return result


async def head_of_school(engine: AsyncEngine) -> None:
    """A school whose head signs in as `head` with PASSWORD."""

    async def recipe(f: Factory) -> None:
        setup = await f.school()
        await f.account(await f.person(setup, "Директорова", m.Role.HEAD), "head")

    await build(engine, recipe)
