"""Printable login slips (R-ACC-1; Г.1 #1, А #22: «распечатывать и выдавать логины и временные
пароли»): one slip per person with their name, who they are in the school (a student's class,
a parent's children), login, temporary password and where to sign in; eight to an A4 page, cut
along the dashed lines. Two statements for any number of people."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select

import model as m
from resolvers.context import Context
from resolvers.people.names import class_name, full_name, short_name
from resolvers.printing.pdf import render_pdf


@dataclass(frozen=True)
class Slip:
    person: m.Person
    login: str
    temporary_password: str


def _current(ctx: Context, school_id: int) -> ColumnElement[bool]:
    today = ctx.require_principal().scope(school_id).today
    return or_(m.ClassStudent.ends_on.is_(None), m.ClassStudent.ends_on >= today)


async def _who(ctx: Context, school: m.School, ids: list[int]) -> dict[int, str]:
    """A student's class, a parent's children with theirs; else a member of staff."""
    placed = await ctx.db.rows(
        select(m.ClassStudent.student_id, m.SchoolClass)
        .join(m.SchoolClass, m.SchoolClass.id == m.ClassStudent.school_class_id)
        .where(
            m.ClassStudent.student_id.in_(ids),
            m.SchoolClass.school_id == school.id,
            _current(ctx, school.id),
        )
    )
    who = {row[0]: f"Обучающийся {class_name(row[1])} класса" for row in placed}
    children = await ctx.db.rows(
        select(m.Guardianship.parent_id, m.Person, m.SchoolClass)
        .join(m.Person, m.Person.id == m.Guardianship.child_id)
        .join(m.ClassStudent, m.ClassStudent.student_id == m.Person.id)
        .join(m.SchoolClass, m.SchoolClass.id == m.ClassStudent.school_class_id)
        .where(
            m.Guardianship.parent_id.in_(ids),
            m.SchoolClass.school_id == school.id,
            _current(ctx, school.id),
        )
        .order_by(m.Guardianship.parent_id, m.Person.last_name, m.Person.first_name)
    )
    kids: dict[int, list[str]] = {}
    for parent_id, child, school_class in children:
        kids.setdefault(parent_id, []).append(f"{short_name(child)}, {class_name(school_class)}")
    for parent_id, names in kids.items():
        who.setdefault(parent_id, "Родитель (законный представитель): " + "; ".join(names))
    return who


async def login_slips(
    ctx: Context, school: m.School, slips: Sequence[Slip], sign_in_at: str | None
) -> bytes:
    """The slips as one PDF, in the order given; `sign_in_at`: the address they print."""
    who = await _who(ctx, school, [slip.person.id for slip in slips])
    data = {
        "school": school.short_name or school.name,
        "sign_in_at": sign_in_at,
        "slips": [
            {
                "name": full_name(slip.person),
                "who": who.get(slip.person.id, "Сотрудник"),
                "login": slip.login,
                "password": slip.temporary_password,
            }
            for slip in slips
        ],
    }
    return await render_pdf("login_slips.typ", data)
