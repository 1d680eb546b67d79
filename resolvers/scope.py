"""What a principal may read, as a SQL condition added to every query (never a filter in Python).

Until the permissions engine lands, an authenticated principal reads (read-only) everything of
the schools where they hold a role; rows of other schools are never loaded nor counted.
"""

from typing import Any

from sqlalchemy import ColumnElement, exists, false, select

import model as m
from policies.principal import Principal


def readable(principal: Principal | None, entity: type[Any]) -> ColumnElement[bool]:
    if principal is None:
        return false()
    schools = sorted(principal.school_ids)
    if entity is m.School:
        return m.School.id.in_(schools)
    if entity is m.Municipality:
        return m.Municipality.id.in_(
            select(m.School.municipality_id).where(m.School.id.in_(schools))
        )
    if entity is m.Region:
        return m.Region.id.in_(
            select(m.Municipality.region_id)
            .join(m.School, m.School.municipality_id == m.Municipality.id)
            .where(m.School.id.in_(schools))
        )
    if entity is m.Person:
        return exists().where(
            m.SchoolRole.person_id == m.Person.id, m.SchoolRole.school_id.in_(schools)
        )
    if entity is m.Account:
        return exists().where(
            m.SchoolRole.person_id == m.Account.person_id, m.SchoolRole.school_id.in_(schools)
        )
    if entity is m.GradeScaleMark:
        return m.GradeScaleMark.grade_scale_id.in_(
            select(m.GradeScale.id).where(m.GradeScale.school_id.in_(schools))
        )
    school_id = getattr(entity, "school_id", None)
    if school_id is None:
        # Default deny: a table without a tenant column is only read through a link loader.
        return false()
    condition: ColumnElement[bool] = school_id.in_(schools)
    return condition
