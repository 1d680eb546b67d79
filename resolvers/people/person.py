"""Reading people: their roles, guardians and children, and the people list of a school."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import InstrumentedAttribute, aliased

import model as m
from policies.principal import SchoolRoleGrant
from resolvers.context import Context
from resolvers.database import AnySelect
from resolvers.errors import BadUserInput
from resolvers.listing import listing
from resolvers.pagination import Page


@dataclass(frozen=True, slots=True)
class Kin:
    """A guardianship seen from one side: the other person and how they are related."""

    kinship: m.Kinship
    person: m.Person


async def _kin(
    ctx: Context,
    values: list[int],
    key: InstrumentedAttribute[int],
    other: InstrumentedAttribute[int],
) -> list[list[Kin]]:
    statement: AnySelect = (
        select(key, m.Guardianship.kinship, m.Person)
        .join(m.Person, m.Person.id == other)
        .where(key.in_(values), ctx.loaders.readable(m.Person))
        .order_by(m.Person.last_name, m.Person.first_name, m.Person.id)
    )
    grouped: dict[int, list[Kin]] = defaultdict(list)
    for value, kinship, person in await ctx.db.rows(statement):
        grouped[value].append(Kin(kinship, person))
    return [grouped.get(value, []) for value in values]


async def parents(ctx: Context, child_id: int) -> list[Kin]:
    async def load(ids: list[int]) -> list[list[Kin]]:
        return await _kin(ctx, ids, m.Guardianship.child_id, m.Guardianship.parent_id)

    result: list[Kin] = await ctx.loaders.custom("parents_by_child_id", load).load(child_id)
    return result


async def children(ctx: Context, parent_id: int) -> list[Kin]:
    async def load(ids: list[int]) -> list[list[Kin]]:
        return await _kin(ctx, ids, m.Guardianship.parent_id, m.Guardianship.child_id)

    result: list[Kin] = await ctx.loaders.custom("children_by_parent_id", load).load(parent_id)
    return result


async def role_grants(ctx: Context, person_id: int) -> list[SchoolRoleGrant]:
    """Stored roles in schools the caller can see (`class_teacher` shows on the class)."""
    rows: list[m.SchoolRole] = await ctx.loaders.many(
        m.SchoolRole.person_id, m.SchoolRole.school_id, m.SchoolRole.role
    ).load(person_id)
    return [SchoolRoleGrant(row.school_id, row.role) for row in rows]


@dataclass(frozen=True)
class PersonFilter:
    school_id: int | None = None
    role: str | None = None
    class_id: int | None = None
    search: str | None = None


def person_conditions(f: PersonFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if f.school_id is not None or f.role is not None:
        role = aliased(m.SchoolRole)
        grant = [role.person_id == m.Person.id]
        if f.school_id is not None:
            grant.append(role.school_id == f.school_id)
        if f.role is not None:
            grant.append(role.role == f.role)
        conditions.append(exists().where(*grant))
    if f.class_id is not None:
        conditions.append(
            m.Person.id.in_(
                select(m.ClassStudent.student_id).where(
                    m.ClassStudent.school_class_id == f.class_id
                )
            )
        )
    if f.search:
        conditions.extend(name_search(f.search))
    return conditions


def folded(text: str) -> str:
    """A name as search compares it: lower case, «ё» as «е»."""
    return text.lower().replace("ё", "е")


def _folded(column: ColumnElement[str]) -> ColumnElement[str]:
    return func.replace(func.lower(column), "ё", "е")


# A full name has three parts, a double surname or name one more each: a search of more words
# is no name, and would cost one more LIKE over every person for each word.
MAX_SEARCH_WORDS = 6

# Surname, name and patronymic, folded, each after a space: a word of a search (which has no
# spaces) is part of one of them, never of two.
FULL_NAME = _folded(
    " "
    + m.Person.last_name
    + " "
    + m.Person.first_name
    + " "
    + func.coalesce(m.Person.middle_name, "")
)


def name_search(search: str) -> list[ColumnElement[bool]]:
    """Every word of the search is part of the surname, the name or the patronymic, in any
    order, whatever the case, «ё» and «е» alike: «Алексеева Ирина», «ирина алексеева»,
    «Алекс Ир» and «Фёдорова» find what a person would expect. One LIKE per word, in SQL."""
    words = dict.fromkeys(folded(search).split())
    if len(words) > MAX_SEARCH_WORDS:
        raise BadUserInput(
            f"Search by at most {MAX_SEARCH_WORDS} words of a name.",
            argument="filter",
            field="search",
        )
    return [FULL_NAME.contains(word, autoescape=True) for word in words]


async def people(
    ctx: Context, f: PersonFilter, first: int | None, after: str | None
) -> Page[m.Person]:
    order = [m.Person.last_name, m.Person.first_name]
    return await listing(ctx, m.Person, person_conditions(f), order, first=first, after=after)


async def placements(ctx: Context, student_id: int) -> list[m.ClassStudent]:
    """A student's placements in classes the caller may read, oldest first."""

    async def load(ids: list[int]) -> list[list[m.ClassStudent]]:
        statement = (
            select(m.ClassStudent)
            .join(m.SchoolClass, m.SchoolClass.id == m.ClassStudent.school_class_id)
            .join(m.SchoolYear, m.SchoolYear.id == m.ClassStudent.school_year_id)
            .where(m.ClassStudent.student_id.in_(ids), ctx.loaders.readable(m.SchoolClass))
            .order_by(m.SchoolYear.starts_on, m.ClassStudent.starts_on, m.ClassStudent.id)
        )
        grouped: dict[int, list[m.ClassStudent]] = defaultdict(list)
        for placement in await ctx.db.scalars(statement):
            grouped[placement.student_id].append(placement)
        return [grouped.get(i, []) for i in ids]

    rows: list[m.ClassStudent] = await ctx.loaders.custom("placements_by_student_id", load).load(
        student_id
    )
    return rows
