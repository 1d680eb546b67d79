"""`schoolCreate`: a municipality's operator opens a further school of the municipality, with
its first admin (the first school is opened by `tabel init`)."""

from typing import Annotated

import strawberry

import model as m
from policies.vocabulary import Action, Resource
from resolvers.setup import schools
from schema.base import Info, decode_id, reads
from schema.bounds import text_field, width
from schema.permissions import PersonalAccount, can
from schema.setup.school import Municipality, School


@strawberry.input(description="The school's first admin, who sets the school up.")
class FirstAdminInput:
    last_name: str = text_field(width(m.Person.last_name), description="Фамилия")
    first_name: str = text_field(width(m.Person.first_name), description="Имя")
    middle_name: str | None = text_field(
        width(m.Person.middle_name), default=None, description="Отчество, if any"
    )
    login: str = text_field(
        width(m.Account.login),
        description="Their login: 2 to 64 lower-case Latin letters, digits, dots, hyphens or "
        "underscores",
    )


@strawberry.input(description="A new school of a municipality and its first admin.")
class SchoolCreateInput:
    municipality_id: strawberry.ID = strawberry.field(
        description="The municipality (a `Municipality` ID): one you operate."
    )
    name: str = text_field(width(m.School.name), description="Its full official name")
    short_name: str | None = text_field(
        width(m.School.short_name),
        default=None,
        description="The short name it goes by; null: its name",
    )
    timezone: str = text_field(
        width(m.School.timezone),
        default="Europe/Moscow",
        description="Its IANA time zone, e.g. «Asia/Yekaterinburg»",
    )
    week_length: int = strawberry.field(default=5, description="School days a week: 5 or 6.")
    address: str | None = text_field(
        width(m.School.address), default=None, description="Its postal address"
    )
    admin: FirstAdminInput = strawberry.field(description="Its first admin.")


@strawberry.type(description="A school opened, and how its first admin signs in.")
class SchoolCreatePayload:
    school: School = strawberry.field(description="The school.", metadata=reads(Resource.SCHOOL))
    admin_login: str = strawberry.field(description="The first admin's login.")
    temporary_password: str = strawberry.field(
        description="The first admin's temporary password, shown only this once (only its "
        "hash is kept): it must be changed at the first sign-in (`passwordChange`)."
    )


async def school_create(
    info: Info,
    input: Annotated[SchoolCreateInput, strawberry.argument(description="The new school.")],
) -> SchoolCreatePayload:
    opened = await schools.open_school(
        info.context,
        decode_id(input.municipality_id, Municipality),
        schools.SchoolParameters(
            name=input.name,
            short_name=input.short_name,
            timezone=input.timezone,
            week_length=input.week_length,
            address=input.address,
        ),
        schools.FirstAdmin(
            last_name=input.admin.last_name,
            first_name=input.admin.first_name,
            middle_name=input.admin.middle_name,
            login=input.admin.login.strip().lower(),
        ),
    )
    return SchoolCreatePayload(
        school=opened.school,  # type: ignore[arg-type]
        admin_login=opened.admin.login,
        temporary_password=opened.temporary_password,
    )


school_create_field = strawberry.mutation(
    resolver=school_create,
    permission_classes=[can(Resource.MUNICIPALITY, Action.WRITE), PersonalAccount],
    description="Open a further school of a municipality, with its first admin and their "
    "temporary password (shown once); a name the municipality has already is CONFLICT, as is "
    "a login taken. A municipality's operator (оператор), for the municipality they operate.",
)
