"""Entering people with their roles and parents, and appointing roles."""

from typing import Annotated, Any

import strawberry
from strawberry.permission import BasePermission
from strawberry.utils.str_converters import to_camel_case

import model as m
from policies.vocabulary import Action, Resource
from resolvers.errors import BadUserInput
from resolvers.people import family_writes, people_writes, role_writes
from schema import list_sizes as sizes
from schema.base import Info, decode_id, reads
from schema.bounds import list_argument, list_field, text_field, width
from schema.enums import Kinship, Role, Sex
from schema.list_sizes import at_most
from schema.people.person import Person
from schema.permissions import PersonalAccount, can
from schema.setup.school import School

UNSET: Any = strawberry.UNSET
MAX_PEOPLE = 100  # entered at once: a class with its parents is an import's job (issue 12)
MAX_GRANTS = 100


@strawberry.input(description="A parent or legal guardian of a student being entered.")
class KinInput:
    parent_id: strawberry.ID = strawberry.field(
        description="The parent (a `Person` holding the school's parent role)."
    )
    kinship: Kinship = strawberry.field(description="How they are related to the student.")


@strawberry.input(
    description="A person to enter: who they are, their roles in the school, and a student's "
    "parents. Personal data (birth date, contacts, documents) is not part of it."
)
class PersonInput:
    last_name: str = text_field(width(m.Person.last_name), description="Surname (фамилия)")
    first_name: str = text_field(width(m.Person.first_name), description="Given name (имя)")
    middle_name: str | None = text_field(
        width(m.Person.middle_name), default=None, description="Patronymic (отчество), if any"
    )
    sex: Sex | None = strawberry.field(default=None, description="Null: not given.")
    roles: list[Role] = list_field(
        len(m.Role), description="Their roles in the school, at least one"
    )
    parents: list[KinInput] = list_field(
        sizes.PARENTS,
        optional=True,
        description="A student's parents and guardians, entered before them",
    )


@strawberry.input(description="A role for a person in the school.")
class RoleGrantInput:
    person_id: strawberry.ID = strawberry.field(description="The person (a `Person` ID).")
    role: Role = strawberry.field(
        description="The role: ADMIN by the head only; any other but HEAD by the admin."
    )


SchoolId = Annotated[strawberry.ID, strawberry.argument(description="The school (a `School` ID).")]
Grants = Annotated[
    list[RoleGrantInput],
    list_argument(MAX_GRANTS, description="The roles, at least one; all or nothing"),
]


async def people_create(
    info: Info,
    school_id: SchoolId,
    people: Annotated[
        list[PersonInput],
        list_argument(MAX_PEOPLE, description="The people, at least one; all or nothing"),
    ],
) -> list[m.Person]:
    entries = [
        people_writes.PersonEntry(
            last_name=p.last_name,
            first_name=p.first_name,
            middle_name=p.middle_name,
            sex=p.sex,
            roles=p.roles,
            parents=[
                people_writes.KinEntry(decode_id(kin.parent_id, Person), kin.kinship)
                for kin in p.parents
            ],
        )
        for p in people
    ]
    return await people_writes.people_create(info.context, decode_id(school_id, School), entries)


def _grants(grants: list[RoleGrantInput]) -> list[role_writes.RoleEntry]:
    return [role_writes.RoleEntry(decode_id(g.person_id, Person), g.role) for g in grants]


async def _holders(rows: list[m.SchoolRole], info: Info) -> list[m.Person | None]:
    ids = list(dict.fromkeys(row.person_id for row in rows))
    return list(await info.context.loaders.one(m.Person).load_many(ids))


async def roles_grant(info: Info, school_id: SchoolId, grants: Grants) -> list[m.Person | None]:
    rows = await role_writes.roles_grant(
        info.context, decode_id(school_id, School), _grants(grants)
    )
    return await _holders(rows, info)


async def roles_revoke(info: Info, school_id: SchoolId, grants: Grants) -> list[m.Person | None]:
    rows = await role_writes.roles_revoke(
        info.context, decode_id(school_id, School), _grants(grants)
    )
    return await _holders(rows, info)


_PEOPLE = reads(Resource.PERSON) | at_most(MAX_PEOPLE)

people_create_field = strawberry.mutation(
    resolver=people_create,
    graphql_type=list[Person],
    permission_classes=[can(Resource.PERSON, Action.WRITE), PersonalAccount],
    metadata=_PEOPLE,
    description="Enter staff, students and parents (А #13, #19) with their roles in the "
    "school and a student's parents (with kinship), all or nothing: a refusal names the "
    "`item`. Answers the people, in the order given. The school's admin, signed in with "
    "their own login; an admin is appointed by the head (`rolesGrant`).",
)
_ROLES: list[type[BasePermission]] = [can(Resource.ROLE, Action.WRITE), PersonalAccount]
roles_grant_field = strawberry.mutation(
    resolver=roles_grant,
    graphql_type=list[Person | None],
    permission_classes=_ROLES,
    metadata=_PEOPLE,
    description="Give people roles in the school, all or nothing: the head appoints the "
    "admins (Б.1 #5), the admin every other role but the head's. Answers the people, each "
    "once, in the order given.",
)
roles_revoke_field = strawberry.mutation(
    resolver=roles_revoke,
    graphql_type=list[Person | None],
    permission_classes=_ROLES,
    metadata=_PEOPLE,
    description="Take roles in the school away, all or nothing, as `rolesGrant` gives them. "
    "Who leaves loses access with it: the API tokens they issued for the school are revoked "
    "(unless they are still its admin), and who then holds no role anywhere is signed out. "
    "Answers the people, each once, in the order given (null: no longer visible to you).",
)


@strawberry.input(
    description="Corrections to who a person is; fields left out stay as they are. Personal "
    "data (birth date, contacts, documents) is not part of it."
)
class PersonUpdateInput:
    person_id: strawberry.ID = strawberry.field(description="The person (a `Person` ID).")
    last_name: str | None = text_field(
        width(m.Person.last_name), default=UNSET, description="Surname (фамилия)"
    )
    first_name: str | None = text_field(
        width(m.Person.first_name), default=UNSET, description="Given name (имя)"
    )
    middle_name: str | None = text_field(
        width(m.Person.middle_name), default=UNSET, description="Patronymic; null clears it"
    )
    sex: Sex | None = strawberry.field(default=UNSET, description="Null: not given.")
    paper_statements: bool | None = strawberry.field(
        default=UNSET,
        description="A parent who opted out of the electronic service: given the summary "
        "statement on paper (§4.14; `summaryStatements(paperOnly: true)` prints theirs).",
    )
    work_contact: str | None = text_field(
        width(m.Person.work_contact),
        default=UNSET,
        description="A staff member's work phone or e-mail the school publishes to students "
        "and parents (not personal data); null clears it",
    )


UPDATABLE = ("last_name", "first_name", "middle_name", "sex", "paper_statements", "work_contact")


async def person_update(
    info: Info,
    input: Annotated[PersonUpdateInput, strawberry.argument(description="What to correct.")],
) -> m.Person:
    values = {}
    for name in (
        "last_name",
        "first_name",
        "middle_name",
        "sex",
        "paper_statements",
        "work_contact",
    ):
        value = getattr(input, name)
        if value is UNSET:
            continue
        if value is None and name in ("last_name", "first_name", "paper_statements"):
            what = (
                "Paper statements are true or false"
                if name == "paper_statements"
                else ("A name cannot be null")
            )
            raise BadUserInput(f"{what}: leave it out to keep it.", field=to_camel_case(name))
        values[name] = value
    return await people_writes.person_update(
        info.context, decode_id(input.person_id, Person), values
    )


@strawberry.input(description="A student and one of their parents or legal guardians.")
class GuardianLinkInput:
    child_id: strawberry.ID = strawberry.field(description="The student (a `Person` ID).")
    parent_id: strawberry.ID = strawberry.field(
        description="The parent (a `Person` holding the parent role in the student's school)."
    )
    kinship: Kinship = strawberry.field(
        default=m.Kinship.GUARDIAN,
        description="How they are related (ignored when unlinking).",
    )


Links = Annotated[
    list[GuardianLinkInput],
    list_argument(MAX_GRANTS, description="The links, at least one; all or nothing"),
]


def _links(links: list[GuardianLinkInput]) -> list[family_writes.Link]:
    return [
        family_writes.Link(
            decode_id(link.child_id, Person), decode_id(link.parent_id, Person), link.kinship
        )
        for link in links
    ]


async def _children(rows: list[m.Guardianship], info: Info) -> list[m.Person | None]:
    ids = list(dict.fromkeys(row.child_id for row in rows))
    return list(await info.context.loaders.one(m.Person).load_many(ids))


async def guardians_link(info: Info, links: Links) -> list[m.Person | None]:
    return await _children(await family_writes.guardians_link(info.context, _links(links)), info)


async def guardians_unlink(info: Info, links: Links) -> list[m.Person | None]:
    rows = await family_writes.guardians_unlink(info.context, _links(links))
    return await _children(rows, info)


_PERSON_WRITE: list[type[BasePermission]] = [can(Resource.PERSON, Action.WRITE), PersonalAccount]
person_update_field = strawberry.mutation(
    resolver=person_update,
    graphql_type=Person,
    permission_classes=_PERSON_WRITE,
    metadata=reads(Resource.PERSON),
    description="Correct a person's names or sex, or a staff member's published work contact "
    "(А #13, #19). The school's admin, signed in "
    "with their own login.",
)
guardians_link_field = strawberry.mutation(
    resolver=guardians_link,
    graphql_type=list[Person | None],
    permission_classes=_PERSON_WRITE,
    metadata=_PEOPLE,
    description="Link students to their parents and legal guardians, with kinship, all or "
    "nothing: a refusal names the `item`. Answers the students, each once, in the order "
    "given. The school's admin, signed in with their own login.",
)
guardians_unlink_field = strawberry.mutation(
    resolver=guardians_unlink,
    graphql_type=list[Person | None],
    permission_classes=_PERSON_WRITE,
    metadata=_PEOPLE,
    description="Undo links of students to parents (entered by mistake, or a guardianship "
    "ended), all or nothing. Answers the students, each once, in the order given.",
)
