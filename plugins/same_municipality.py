"""`same_municipality`: the schools of the municipality the school the role is held in belongs
to — what a municipality's operator reads, and opens further schools in."""

from sqlalchemy import ColumnElement, select

import model as m
from plugins.base import Condition, Scope


def _municipality_of(scope: Scope) -> ColumnElement[int]:
    school = select(m.School.municipality_id).where(m.School.id == scope.school_id)
    return school.scalar_subquery()


same_municipality = Condition(
    name="same_municipality",
    in_words="the schools of their municipality",
    description="every school of the municipality, and the municipality itself",
    renderers={
        m.School: lambda scope: m.School.municipality_id == _municipality_of(scope),
        m.Municipality: lambda scope: m.Municipality.id == _municipality_of(scope),
    },
)
