"""Closing a school year and reopening it (R-YEAR-1): the admin's, audited."""

from typing import Annotated

import strawberry
from strawberry.permission import BasePermission

import model as m
from policies.vocabulary import Action, Resource
from resolvers.setup import year_closing
from schema.base import Info, decode_id, reads
from schema.bounds import text_argument
from schema.permissions import PersonalAccount, can
from schema.setup.calendar import SchoolYear

YearId = Annotated[
    strawberry.ID, strawberry.argument(description="The school year (a `SchoolYear` ID).")
]


async def school_year_close(info: Info, school_year_id: YearId) -> m.SchoolYear:
    return await year_closing.school_year_close(info.context, decode_id(school_year_id, SchoolYear))


async def school_year_reopen(
    info: Info,
    school_year_id: YearId,
    reason: Annotated[
        str, text_argument(1000, description="Why it is reopened, 10 characters at least")
    ],
) -> m.SchoolYear:
    return await year_closing.school_year_reopen(
        info.context, decode_id(school_year_id, SchoolYear), reason
    )


_WRITES: list[type[BasePermission]] = [can(Resource.YEAR_ROLLOVER, Action.WRITE), PersonalAccount]

school_year_close_field = strawberry.mutation(
    resolver=school_year_close,
    graphql_type=SchoolYear,
    permission_classes=_WRITES,
    metadata=reads(Resource.CALENDAR),
    description="Close a school year after its last day (R-YEAR-1): its journal becomes "
    "read-only history. Every later write into it — grades, attendance, homework, lessons and "
    "topics, term and final grades, grade reports, the timetable, КТП, classes, groups and "
    "placements — is PERIOD_LOCKED; everything stays readable. Check the rollover's preview "
    "first: it warns of year grades not set. Audited. The school's admin, signed in with "
    "their own login.",
)
school_year_reopen_field = strawberry.mutation(
    resolver=school_year_reopen,
    graphql_type=SchoolYear,
    permission_classes=_WRITES,
    metadata=reads(Resource.CALENDAR),
    description="Reopen a closed school year to correct it, saying why (audited with the "
    "reason); close it again when done. The school's admin, signed in with their own login.",
)
