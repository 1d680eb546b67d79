"""`same_school`: every row of the school the role is held in."""

from typing import Any

from sqlalchemy import ColumnElement, exists, select

import model as m
from plugins.base import Condition, Renderer, Scope
from policies.vocabulary import RESOURCE_OF


def _by_column(entity: type[Any]) -> Renderer:
    def render(scope: Scope) -> ColumnElement[bool]:
        column: ColumnElement[int] = entity.school_id
        return column == scope.school_id

    return render


def _person(scope: Scope) -> ColumnElement[bool]:
    return exists().where(
        m.SchoolRole.person_id == m.Person.id, m.SchoolRole.school_id == scope.school_id
    )


def _account(scope: Scope) -> ColumnElement[bool]:
    return exists().where(
        m.SchoolRole.person_id == m.Account.person_id, m.SchoolRole.school_id == scope.school_id
    )


def _sign_in_failure(scope: Scope) -> ColumnElement[bool]:
    """Failures on the accounts of the school's people; a login nobody has belongs to no school."""
    accounts = select(m.Account.id).join(
        m.SchoolRole, m.SchoolRole.person_id == m.Account.person_id
    )
    return m.SignInFailure.account_id.in_(accounts.where(m.SchoolRole.school_id == scope.school_id))


def _municipality(scope: Scope) -> ColumnElement[bool]:
    school = select(m.School.municipality_id).where(m.School.id == scope.school_id)
    return m.Municipality.id == school.scalar_subquery()


def _region(scope: Scope) -> ColumnElement[bool]:
    region = (
        select(m.Municipality.region_id)
        .join(m.School, m.School.municipality_id == m.Municipality.id)
        .where(m.School.id == scope.school_id)
    )
    return m.Region.id == region.scalar_subquery()


def _scale_mark(scope: Scope) -> ColumnElement[bool]:
    scales = select(m.GradeScale.id).where(m.GradeScale.school_id == scope.school_id)
    return m.GradeScaleMark.grade_scale_id.in_(scales)


def _api_token(scope: Scope) -> ColumnElement[bool]:
    """Tokens that reach the school: listing it, or for its whole municipality."""
    listed = exists().where(
        m.AuthTokenSchool.auth_token_id == m.AuthToken.id,
        m.AuthTokenSchool.school_id == scope.school_id,
    )
    school = select(m.School.municipality_id).where(m.School.id == scope.school_id)
    return listed | (m.AuthToken.municipality_id == school.scalar_subquery())


def _personal_data_read(scope: Scope) -> ColumnElement[bool]:
    """Reads of the data of the school's people."""
    people = select(m.SchoolRole.person_id).where(m.SchoolRole.school_id == scope.school_id)
    return m.PersonalDataRead.person_id.in_(people)


_SPECIAL: dict[type[Any], Renderer] = {
    m.School: lambda scope: m.School.id == scope.school_id,
    m.Municipality: _municipality,
    m.Region: _region,
    m.Person: _person,
    m.Account: _account,
    m.GradeScaleMark: _scale_mark,
    m.AuthToken: _api_token,
    m.SignInFailure: _sign_in_failure,
    m.PersonalDataRead: _personal_data_read,
}

same_school = Condition(
    name="same_school",
    in_words="the whole school",
    description="every row of the school",
    renderers={
        entity: _SPECIAL.get(entity) or _by_column(entity)
        for entity in RESOURCE_OF
        if entity in _SPECIAL or hasattr(entity, "school_id")
    },
)
