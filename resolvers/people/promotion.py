"""Promoting a class to the next school year (перевод в следующий учебный год, А #20,
R-PEOPLE-1): its students at the year's end are enrolled in a class of a later year."""

from datetime import date

from sqlalchemy import ColumnElement, or_, select

import model as m
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.people.placements import PlacementEntry, students_enrol


def at_year_end(ends_on: date) -> ColumnElement[bool]:
    """A placement that lasts to its year's last day `ends_on` (the students a class has then);
    the whole school's rollover promotes the same students (`resolvers/people/rollover`)."""
    return or_(m.ClassStudent.ends_on.is_(None), m.ClassStudent.ends_on >= ends_on)


async def students_promote(
    ctx: Context, from_class_id: int, to_class_id: int
) -> list[m.ClassStudent]:
    """Enrols the students a class has at the end of its year in a class of a later year,
    from that year's first day (перевод в следующий учебный год, А #20)."""
    found = await ctx.db.rows(
        select(m.SchoolClass, m.SchoolYear)
        .join(m.SchoolYear, m.SchoolYear.id == m.SchoolClass.school_year_id)
        .where(
            m.SchoolClass.id.in_([from_class_id, to_class_id]),
            ctx.loaders.readable(m.SchoolClass),
        )
    )
    years = {school_class.id: year for school_class, year in found}
    if from_class_id not in years:
        raise NotFound("No such class, or it is not visible to you.", argument="fromClassId")
    if to_class_id not in years:
        raise NotFound("No such class, or it is not visible to you.", argument="toClassId")
    old, new = years[from_class_id], years[to_class_id]
    if new.starts_on <= old.ends_on:
        raise BadUserInput(
            f"Students are promoted into a class of a later school year than {old.name}.",
            argument="toClassId",
        )
    staying = await ctx.db.scalars(
        select(m.ClassStudent.student_id)
        .join(m.Person, m.Person.id == m.ClassStudent.student_id)
        .where(
            m.ClassStudent.school_class_id == from_class_id,
            at_year_end(old.ends_on),
        )
        .order_by(m.Person.last_name, m.Person.first_name, m.Person.id)
    )
    entries = [PlacementEntry(student_id=student_id) for student_id in staying]
    if not entries:
        raise BadUserInput("Nobody is in the class at the end of its year.", argument="fromClassId")
    return await students_enrol(ctx, to_class_id, entries)
