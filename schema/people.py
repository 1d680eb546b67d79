"""People: the identity, personal data and family links behind every role."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Optional

import strawberry
from strawberry import relay

import model as m
from policies.principal import SchoolRoleGrant
from policies.vocabulary import Resource
from resolvers import api_tokens
from resolvers import people as people_resolvers
from schema import list_sizes as sizes
from schema.base import Info, ModelNode, reads, related
from schema.enums import Kinship, Sex
from schema.list_sizes import at_most
from schema.school import School

if TYPE_CHECKING:
    from schema.classes import SchoolClass

SchoolClassRef = Annotated["SchoolClass", strawberry.lazy("schema.classes")]


@strawberry.type(description="A role held in one school.")
class RoleGrant:
    __resource__: ClassVar[Resource] = Resource.ROLE
    role: str = strawberry.field(
        description="admin, head, deputy, teacher, class_teacher, psychologist, student, parent, "
        "inspector, integrator_roster, integrator_journal, integrator_reports, or a plugin's role."
    )

    school = related(m.School, "school_id", School)


@strawberry.type(description="A parent or guardian link, seen from the other side.")
class Kin:
    __resource__: ClassVar[Resource] = Resource.PERSON
    kinship: Kinship
    person: "Person" = strawberry.field(metadata=reads(Resource.PERSON))


@strawberry.type(description="Consent to process a person's data (152-FZ), and who gave it.")
class Consent(ModelNode):
    __model__ = m.Consent
    id: relay.NodeID[int]
    given_at: datetime
    document: str
    withdrawn_at: datetime | None

    school = related(m.School, "school_id", School)

    given_by = related(m.Person, "given_by_id", "Person")


def full_name(last: str, first: str, middle: str | None) -> str:
    """Last, first and middle name."""
    return " ".join(p for p in (last, first, middle) if p)


def short_name(last: str, first: str, middle: str | None) -> str:
    """Last name and initials, as the journal prints them: «Иванова А. С.»."""
    initials = "".join(f"{p[0]}." for p in (first, middle) if p)
    return f"{last} {initials}"


@strawberry.type(description="A student, parent or member of staff; their roles say which.")
class Person(ModelNode):
    __model__ = m.Person
    id: relay.NodeID[int]
    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: date | None
    sex: Sex | None
    email: str | None
    phone: str | None

    @strawberry.field(description="Last, first and middle name.")
    def full_name(self, root: strawberry.Parent[m.Person]) -> str:
        return full_name(root.last_name, root.first_name, root.middle_name)

    @strawberry.field(description="Last name and initials, as the journal prints them.")
    def short_name(self, root: strawberry.Parent[m.Person]) -> str:
        return short_name(root.last_name, root.first_name, root.middle_name)

    @strawberry.field(
        graphql_type=list[RoleGrant],
        description="Roles in schools you can see.",
        metadata=reads(Resource.ROLE) | at_most(sizes.ROLES),
    )
    async def roles(self, root: strawberry.Parent[m.Person], info: Info) -> list[SchoolRoleGrant]:
        return await people_resolvers.role_grants(info.context, root.id)

    @strawberry.field(
        graphql_type=list[Kin],
        description="Parents and legal guardians.",
        metadata=reads(Resource.PERSON) | at_most(sizes.PARENTS),
    )
    async def parents(
        self, root: strawberry.Parent[m.Person], info: Info
    ) -> list[people_resolvers.Kin]:
        return await people_resolvers.parents(info.context, root.id)

    @strawberry.field(
        graphql_type=list[Kin],
        description="Children, for a parent or guardian.",
        metadata=reads(Resource.PERSON) | at_most(sizes.CHILDREN),
    )
    async def children(
        self, root: strawberry.Parent[m.Person], info: Info
    ) -> list[people_resolvers.Kin]:
        return await people_resolvers.children(info.context, root.id)

    @strawberry.field(
        graphql_type=list[SchoolClassRef],
        description="Classes, for a student.",
        metadata=reads(Resource.SCHOOL_CLASS) | at_most(sizes.SCHOOL_YEARS),
    )
    async def classes(self, root: strawberry.Parent[m.Person], info: Info) -> list[m.SchoolClass]:
        return await info.context.loaders.linked(
            m.ClassStudent.student_id,
            m.ClassStudent.school_class_id,
            m.SchoolClass,
            m.SchoolClass.school_year_id,
        ).load(root.id)

    @strawberry.field(
        graphql_type=list[Consent],
        description="Personal-data consents.",
        metadata=reads(Resource.CONSENT) | at_most(sizes.CONSENTS),
    )
    async def consents(self, root: strawberry.Parent[m.Person], info: Info) -> list[m.Consent]:
        return await info.context.loaders.many(m.Consent.person_id, m.Consent.given_at).load(
            root.id
        )


def account_holder(key: str, description: str) -> Any:
    """A field naming the person behind the account id in the row's `key`, if you may see them."""

    async def resolve(root: strawberry.Parent[Any], info: Info) -> m.Person | None:
        account_id = getattr(root, key)
        if account_id is None:
            return None
        return await api_tokens.person_by_account_id(info.context, account_id)

    return strawberry.field(
        resolver=resolve,
        graphql_type=Optional[Person],  # noqa: UP045 - as `related` does
        description=description,
        metadata=reads(Resource.PERSON),
    )
