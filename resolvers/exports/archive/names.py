"""The names a table's rows are written with: the school's reference records (subjects, work
types, groups and their classes, periods) read once — a school has hundreds of them, whatever
its journal's size — and the people of each page of rows read with the page. Each through the
caller's read policies: a name they may not read is left empty, the row stays."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

import model as m
from resolvers.exports.archive.scope import Scope
from resolvers.people.names import class_name, full_name_of

NAME = (m.Person.last_name, m.Person.first_name, m.Person.middle_name)


@dataclass(frozen=True)
class Names:
    subjects: dict[int, str]
    work_types: dict[int, tuple[str, Decimal]]
    groups: dict[int, tuple[str, str]]  # the class, the group («5А», «Весь класс»)
    periods: dict[int, str]

    def subject(self, subject_id: int) -> str:
        return self.subjects.get(subject_id, "")

    def work_type(self, work_type_id: int) -> tuple[str, str]:
        name, weight = self.work_types.get(work_type_id, ("", None))
        return name, "" if weight is None else str(weight)

    def group(self, group_id: int) -> tuple[str, str]:
        return self.groups.get(group_id, ("", ""))


async def names_of(scope: Scope) -> Names:
    ctx, school = scope.ctx, scope.school.id
    readable = ctx.loaders.readable
    subjects = await ctx.db.rows(
        select(m.Subject.id, m.Subject.name).where(
            m.Subject.school_id == school, readable(m.Subject)
        )
    )
    work_types = await ctx.db.rows(
        select(m.WorkType.id, m.WorkType.name, m.WorkType.weight).where(
            m.WorkType.school_id == school, readable(m.WorkType)
        )
    )
    groups = await ctx.db.rows(
        select(m.Group.id, m.Group.name, m.SchoolClass)
        .join(m.SchoolClass, m.SchoolClass.id == m.Group.school_class_id)
        .where(m.Group.school_id == school, readable(m.Group), readable(m.SchoolClass))
    )
    return Names(
        subjects={row[0]: row[1] for row in subjects},
        work_types={row[0]: (row[1], row[2]) for row in work_types},
        groups={row[0]: (class_name(row[2]), row[1]) for row in groups},
        periods={period.id: period.name for period in scope.periods},
    )


async def people(scope: Scope, ids: Iterable[int | None]) -> dict[int, str]:
    """Full names of the people the caller may read, by id."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    found = await scope.ctx.db.rows(
        select(m.Person.id, *NAME).where(
            m.Person.id.in_(wanted), scope.ctx.loaders.readable(m.Person)
        )
    )
    return {row[0]: _name(row[1:]) for row in found}


async def account_holders(scope: Scope, ids: Iterable[int | None]) -> dict[int, str]:
    """Full names of whose accounts they are, by account id: who wrote a record (the account
    itself need not be readable, as in the audit trail's `changedBy`)."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    found = await scope.ctx.db.rows(
        select(m.Account.id, *NAME)
        .join(m.Person, m.Person.id == m.Account.person_id)
        .where(m.Account.id.in_(wanted), scope.ctx.loaders.readable(m.Person))
    )
    return {row[0]: _name(row[1:]) for row in found}


def _name(parts: Sequence[str | None]) -> str:
    last, first, middle = parts
    return full_name_of(last, first, middle)
