"""People: the identity, personal data and family links behind every role."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Optional

import strawberry
from strawberry import relay

import model as m
from policies.principal import SchoolRoleGrant
from policies.vocabulary import Resource
from resolvers.accounts import api_tokens
from resolvers.people import names, personal_data
from resolvers.people import person as people_resolvers
from schema import list_sizes as sizes
from schema.base import Info, ModelNode, reads, related
from schema.enums import Kinship, Sex
from schema.list_sizes import at_most
from schema.setup.school import School

if TYPE_CHECKING:
    from schema.people.placements import Placement
    from schema.setup.classes import SchoolClass

SchoolClassRef = Annotated["SchoolClass", strawberry.lazy("schema.setup.classes")]
PlacementRef = Annotated["Placement", strawberry.lazy("schema.people.placements")]


@strawberry.type(description="A role held in one school: what the rules let its holder do there.")
class RoleGrant:
    __resource__: ClassVar[Resource] = Resource.ROLE
    role: str = strawberry.field(
        description="admin (администратор ОО), head (директор), deputy (завуч), teacher, "
        "class_teacher (классный руководитель, from the class itself), psychologist, student, "
        "parent; for API tokens inspector, integrator_roster, integrator_journal, "
        "integrator_reports; or a plugin's role."
    )

    school = related(m.School, "school_id", School, "The school it is held in.")


@strawberry.type(description="A parent or guardian link, seen from the other side.")
class Kin:
    __resource__: ClassVar[Resource] = Resource.PERSON
    kinship: Kinship = strawberry.field(
        description="How the parent or guardian is related to the child."
    )
    person: "Person" = strawberry.field(
        description="The person on the other side: the parent, or the child.",
        metadata=reads(Resource.PERSON),
    )


@strawberry.type(
    description="Consent to process a person's data (согласие на обработку персональных "
    "данных, 152-ФЗ), collected before the data is entered, and who gave it."
)
class Consent(ModelNode):
    __model__ = m.Consent
    id: relay.NodeID[int]
    given_at: datetime = strawberry.field(description="When it was given (UTC).")
    document: str = strawberry.field(description="The signed document it was given in.")
    withdrawn_at: datetime | None = strawberry.field(
        description="When it was withdrawn (UTC); null: it holds. While none of the "
        "person's consents in the school holds, their personal data is hidden from all but "
        "the admin and the person, and they are not contacted or notified; the data is kept."
    )
    withdrawal_reason: str | None = strawberry.field(
        description="Why it was withdrawn (the statement); null: it holds."
    )

    school = related(m.School, "school_id", School, "The school it was given to.")

    given_by = related(
        m.Person,
        "given_by_id",
        "Person",
        "Who gave it: a parent for a minor, an adult for themselves.",
    )


PERSONAL = (
    "Personal data (152-ФЗ): null unless you are the school's admin, the person, their parent "
    "or child, the class teacher of their class (their own or their child's), or an "
    "inspector; a withdrawn consent hides it from all but the admin and the person. Every "
    "read by staff or an API token is logged (`personalDataReads`)."
)


def personal(column: str, what: str) -> Any:
    """A personal-data field: read through the `personal_data` rules, null where they deny it."""

    async def resolve(root: strawberry.Parent[m.Person], info: Info) -> Any:
        return await personal_data.field(info.context, root, column)

    return strawberry.field(resolver=resolve, description=f"{what}; null: not given. {PERSONAL}")


@strawberry.type(
    description="A student, parent or member of staff; their roles say which. One person "
    "may hold roles in several schools."
)
class Person(ModelNode):
    __model__ = m.Person
    id: relay.NodeID[int]
    last_name: str = strawberry.field(description="Surname (фамилия).")
    first_name: str = strawberry.field(description="Given name (имя).")
    middle_name: str | None = strawberry.field(description="Patronymic (отчество); null: none.")
    sex: Sex | None = strawberry.field(description="Null: not given.")
    birth_date: date | None = personal("birth_date", "Date of birth")
    email: str | None = personal("email", "Private e-mail address")
    phone: str | None = personal("phone", "Private phone number")
    address: str | None = personal("address", "Home address")
    document: str | None = personal(
        "document", "Identity document: its kind, series and number, as the school keeps it"
    )
    work_contact: str | None = strawberry.field(
        description="A work phone or e-mail the school publishes for a member of staff, which "
        "students and parents see (not personal data); null: none published."
    )

    @strawberry.field(description="Last, first and middle name, e.g. «Иванова Анна Сергеевна».")
    def full_name(self, root: strawberry.Parent[m.Person]) -> str:
        return names.full_name(root)

    @strawberry.field(
        description="Last name and initials, as the journal prints them: «Иванова А.С.»."
    )
    def short_name(self, root: strawberry.Parent[m.Person]) -> str:
        return names.short_name(root)

    @strawberry.field(
        graphql_type=list[RoleGrant],
        description="Their roles in the schools you can see, school by school (in the order "
        "the schools were entered), each school's by role name; `class_teacher` shows on the "
        "class instead.",
        metadata=reads(Resource.ROLE) | at_most(sizes.ROLES),
    )
    async def roles(self, root: strawberry.Parent[m.Person], info: Info) -> list[SchoolRoleGrant]:
        return await people_resolvers.role_grants(info.context, root.id)

    @strawberry.field(
        graphql_type=list[Kin],
        description="A student's parents and legal guardians (законные представители), by "
        "last name, then first name.",
        metadata=reads(Resource.PERSON) | at_most(sizes.PARENTS),
    )
    async def parents(
        self, root: strawberry.Parent[m.Person], info: Info
    ) -> list[people_resolvers.Kin]:
        return await people_resolvers.parents(info.context, root.id)

    @strawberry.field(
        graphql_type=list[Kin],
        description="A parent's or guardian's children, by last name, then first name.",
        metadata=reads(Resource.PERSON) | at_most(sizes.CHILDREN),
    )
    async def children(
        self, root: strawberry.Parent[m.Person], info: Info
    ) -> list[people_resolvers.Kin]:
        return await people_resolvers.children(info.context, root.id)

    @strawberry.field(
        graphql_type=list[SchoolClassRef],
        description="A student's classes, this year's and earlier ones, by school year (in the "
        "order the years were entered).",
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
        graphql_type=list[PlacementRef],
        description="A student's placements in classes (зачисления), with their days, oldest "
        "first: moves and leaving kept.",
        metadata=reads(Resource.SCHOOL_CLASS) | at_most(2 * sizes.SCHOOL_YEARS),
    )
    async def placements(
        self, root: strawberry.Parent[m.Person], info: Info
    ) -> list[m.ClassStudent]:
        return await people_resolvers.placements(info.context, root.id)

    @strawberry.field(
        graphql_type=list[Consent],
        description="Their personal-data consents, oldest first.",
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
